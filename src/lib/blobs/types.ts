/**
 * Where evidence bytes live. Blobs are addressed by tenant and SHA-256, so the same file uploaded
 * twice in a tenant is stored once; the evidence rows point at them by hash.
 */
export interface BlobStore {
  /** `blobs.store` of what this store writes. */
  readonly kind: 'postgres' | 's3';
  /** Stores the bytes under their hash; does nothing when the tenant already has them. */
  put(tenantId: string, sha256: string, contentType: string, bytes: Uint8Array): Promise<void>;
  /**
   * The bytes, read piece by piece as the consumer pulls, never the whole file at once. Errors
   * when the blob is missing or incomplete.
   */
  stream(tenantId: string, sha256: string): ReadableStream<Uint8Array>;
}
