import { AwsClient } from 'aws4fetch';
import type { S3Config } from '../../config';
import { blobs } from '../../db/schema';
import type { Db } from '../../db/types';
import { blobProblems, type BlobStoreError } from './errors';
import type { BlobBackend } from './types';

/**
 * Evidence files in an S3-compatible bucket (AWS S3, Cloudflare R2, MinIO, …), signed with
 * SigV4 by aws4fetch on top of `fetch`, so the same code runs on Node and on Workers.
 *
 * The `blobs` row stays in Postgres, written in the upload's transaction, and is what makes a blob
 * exist: an object without a committed row is garbage, a row without its object is data loss.
 * `put` therefore inserts the row first and PUTs only when it inserted it, and every PUT is
 * recorded in the upload's log so that `discardUnclaimed` can take the object away again when the
 * transaction does not commit.
 */

/** A slow store holds the upload's transaction (and its row locks) open; past this it is down. */
const REQUEST_TIMEOUT_MS = 30_000;
/** aws4fetch retries 5xx and 429 with jittered backoff (default 10 tries: too long in a transaction). */
const RETRIES = 2;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** What an upload wrote, enough to claim its row again (see discardUnclaimed). */
export interface WrittenBlob {
  tenantId: string;
  sha256: string;
  size: number;
  contentType: string;
  createdAt: Date;
}

// One client per configuration: it caches the derived signing key for the day.
const clients = new WeakMap<S3Config, AwsClient>();

function clientFor(config: S3Config): AwsClient {
  let client = clients.get(config);
  if (!client) {
    client = new AwsClient({
      accessKeyId: config.accessKeyId,
      secretAccessKey: config.secretAccessKey,
      service: 's3',
      region: config.region,
      retries: RETRIES,
    });
    clients.set(config, client);
  }
  return client;
}

export function objectKey(config: S3Config, tenantId: string, sha256: string): string {
  return [config.prefix, tenantId, sha256].filter(Boolean).join('/');
}

export function objectUrl(config: S3Config, key: string): string {
  const path = key.split('/').map(encodeURIComponent).join('/');
  if (config.forcePathStyle) return `${config.endpoint}/${config.bucket}/${path}`;
  const endpoint = new URL(config.endpoint);
  return `${endpoint.protocol}//${config.bucket}.${endpoint.host}${endpoint.pathname.replace(/\/+$/, '')}/${path}`;
}

function hexToBase64(hex: string): string {
  let binary = '';
  for (let index = 0; index < hex.length; index += 2) binary += String.fromCharCode(parseInt(hex.slice(index, index + 2), 16));
  return btoa(binary);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/**
 * One signed request. The timeout covers the answer's headers only: a download may then stream
 * for as long as the client reads. Network failures and time-outs are "unavailable".
 */
async function send(config: S3Config, method: 'PUT' | 'GET' | 'DELETE', key: string, init: { headers?: Record<string, string>; body?: Uint8Array } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
  try {
    return await clientFor(config).fetch(objectUrl(config, key), {
      method,
      ...(init.headers ? { headers: init.headers } : {}),
      ...(init.body ? { body: init.body as BodyInit } : {}),
      signal: controller.signal,
    });
  } catch (error) {
    throw blobProblems.unavailable(`S3 ${method} ${key}: ${describe(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** The problem for a non-2xx answer, with S3's error code (from its XML body) for the log. */
async function failure(method: string, key: string, response: Response): Promise<BlobStoreError> {
  const text = await response.text().catch(() => '');
  const code = /<Code>([^<]{1,100})<\/Code>/.exec(text.slice(0, 4096))?.[1] ?? 'no error code';
  const reason = `S3 ${method} ${key}: ${response.status} ${code}`;
  if (response.status === 404 && method === 'GET') return blobProblems.missing(reason);
  if (response.status >= 500 || response.status === 429) return blobProblems.unavailable(reason);
  return blobProblems.refused(reason);
}

/**
 * The S3 backend for one database handle or transaction. `written` is the upload's log; a store
 * without one refuses to write (see withBlobUploads).
 */
export function s3BlobBackend(db: Db, config: S3Config, clock: () => Date = () => new Date(), written?: WrittenBlob[]): BlobBackend {
  return {
    kind: 's3',

    async put(tenantId, sha256, contentType, bytes) {
      if (!written) throw new Error('S3 blob writes need an upload log: store blobs through withBlobUploads');
      if (!SHA256_HEX.test(sha256)) throw new Error('put needs the lowercase hex SHA-256 of the bytes');
      const createdAt = clock();
      // A concurrent upload of the same file waits on the primary key here and then finds it taken.
      const inserted = await db
        .insert(blobs)
        .values({ tenantId, sha256, size: bytes.byteLength, contentType, store: 's3', createdAt })
        .onConflictDoNothing()
        .returning({ sha256: blobs.sha256 });
      if (inserted.length === 0) return;
      // Logged before the PUT: one that fails or times out may still have stored the object.
      written.push({ tenantId, sha256, size: bytes.byteLength, contentType, createdAt });
      const key = objectKey(config, tenantId, sha256);
      const response = await send(config, 'PUT', key, {
        headers: {
          'content-type': contentType,
          // The signed payload hash: S3 recomputes it and refuses a body that does not match
          // (XAmzContentSHA256Mismatch), so a corrupted upload is never stored.
          'x-amz-content-sha256': sha256,
          // Kept with the object, so its integrity can be checked again later.
          'x-amz-checksum-sha256': hexToBase64(sha256),
        },
        body: bytes,
      });
      if (!response.ok) throw await failure('PUT', key, response);
      await response.body?.cancel();
    },

    async open(tenantId, sha256, size) {
      const key = objectKey(config, tenantId, sha256);
      const response = await send(config, 'GET', key);
      if (!response.ok) throw await failure('GET', key, response);
      const length = response.headers.get('content-length');
      if (length !== null && Number(length) !== size) {
        await response.body?.cancel();
        throw blobProblems.missing(`S3 GET ${key}: the object has ${length} bytes, its blob row says ${size}`);
      }
      if (!response.body) throw blobProblems.missing(`S3 GET ${key}: no body`);
      return response.body;
    },
  };
}

class ClaimReleased extends Error {}

/**
 * Deletes the objects that an upload wrote when no committed `blobs` row owns them, after the
 * upload's transaction failed (rolled back, or a COMMIT whose outcome is unknown).
 *
 * Why this is safe when uploads of the same file run at once: for each object it claims the blob
 * row itself, inserting it in a transaction of its own. Postgres makes that insert wait for any
 * other transaction that has inserted the same key and not finished yet.
 * - The claim finds the row taken: a committed upload owns the object (ours committed after all,
 *   or another one that PUT the same bytes). The object stays.
 * - The claim inserts the row: no transaction has the blob, committed or running. While the
 *   claim is held, every new upload of the file waits on it in `put`, before its PUT. The object
 *   is deleted, then the claim is rolled back; an upload that was waiting now inserts the row and
 *   PUTs after the DELETE has finished, so its object is never the one deleted.
 * What this cannot cover is a process that dies between PUT and cleanup, or a PUT that the store
 * completes after we gave up waiting for it: that object stays, with no row. It is harmless (a
 * later upload of the same file writes the same bytes to the same key) and can be found by
 * listing the prefix against the `blobs` table.
 */
export async function discardUnclaimed(db: Db, config: S3Config, written: readonly WrittenBlob[]): Promise<void> {
  const seen = new Set<string>();
  let firstError: unknown;
  for (const blob of written) {
    const key = objectKey(config, blob.tenantId, blob.sha256);
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      await db.transaction(async (tx) => {
        const claimed = await tx
          .insert(blobs)
          .values({ tenantId: blob.tenantId, sha256: blob.sha256, size: blob.size, contentType: blob.contentType, store: 's3', createdAt: blob.createdAt })
          .onConflictDoNothing()
          .returning({ sha256: blobs.sha256 });
        if (claimed.length === 0) return;
        const response = await send(config, 'DELETE', key);
        // 404: the PUT never arrived. Either way there is nothing left to delete.
        if (!response.ok && response.status !== 404) throw await failure('DELETE', key, response);
        await response.body?.cancel();
        throw new ClaimReleased();
      });
    } catch (error) {
      if (!(error instanceof ClaimReleased)) firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
}
