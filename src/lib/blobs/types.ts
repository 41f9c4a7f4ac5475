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
   * The bytes, read from wherever the blob's row says they are. Resolves once that store has
   * answered, so a missing object or a store that is down is a problem (an ApiError) here, before
   * a response is committed, rather than a download that breaks after its headers went out. The
   * stream is read piece by piece as the consumer pulls, never the whole file at once.
   */
  open(tenantId: string, sha256: string): Promise<ReadableStream<Uint8Array>>;
  /** `open` as a stream that opens on the first pull; errors when the blob is missing or incomplete. */
  stream(tenantId: string, sha256: string): ReadableStream<Uint8Array>;
}

/** One kind of storage behind the BlobStore: `put` inside the transaction, `open` a known blob. */
export interface BlobBackend {
  readonly kind: 'postgres' | 's3';
  put(tenantId: string, sha256: string, contentType: string, bytes: Uint8Array): Promise<void>;
  /** `size` is the blob row's; a store whose object has another size has lost or changed it. */
  open(tenantId: string, sha256: string, size: number): Promise<ReadableStream<Uint8Array>>;
}
