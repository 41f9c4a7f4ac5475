import { and, eq } from 'drizzle-orm';
import type { Config } from '../../config';
import { blobs } from '../../db/schema';
import { pgliteOf, type PgliteProtocol } from '../../db/pglite-binary';
import type { Db } from '../../db/types';
import type { Logger } from '../logger';
import { blobProblems, BlobStoreError } from './errors';
import { postgresBlobBackend } from './postgres';
import { discardUnclaimed, s3BlobBackend, type WrittenBlob } from './s3';
import type { BlobBackend, BlobStore } from './types';

export type { BlobStore } from './types';
export { BlobStoreError } from './errors';
export { BLOB_CHUNK_BYTES } from './postgres';

function storeOf(
  db: Db,
  config: Config,
  clock: (() => Date) | undefined,
  written: WrittenBlob[] | undefined,
  pglite?: PgliteProtocol,
): BlobStore {
  const s3 = config.blobs.s3;
  const writer: BlobBackend = config.blobs.store === 's3' ? s3BlobBackend(db, s3!, clock, written) : postgresBlobBackend(db, clock, pglite);
  const open = async (tenantId: string, sha256: string) => {
    const [blob] = await db
      .select({ store: blobs.store, size: blobs.size })
      .from(blobs)
      .where(and(eq(blobs.tenantId, tenantId), eq(blobs.sha256, sha256)));
    if (!blob) throw blobProblems.missing(`blob ${sha256} of tenant ${tenantId} has no blobs row`);
    // Each blob is read from where it was written: switching BLOB_STORE leaves old files readable.
    if (blob.store === writer.kind) return writer.open(tenantId, sha256, blob.size);
    if (blob.store === 'postgres') return postgresBlobBackend(db).open(tenantId, sha256, blob.size);
    if (blob.store === 's3') {
      if (!s3) throw blobProblems.notConfigured(`blob ${sha256} of tenant ${tenantId} is in S3, and the S3_* settings are not set`);
      return s3BlobBackend(db, s3).open(tenantId, sha256, blob.size);
    }
    throw new Error(`blob ${sha256} of tenant ${tenantId} is in an unknown store "${blob.store}"`);
  };
  return {
    kind: writer.kind,
    async put(tenantId, sha256, contentType, bytes) {
      if (!written) throw new Error('blob writes go through withBlobUploads, which cleans up after a failed transaction');
      await writer.put(tenantId, sha256, contentType, bytes);
    },
    open,
    stream(tenantId, sha256) {
      let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
      return new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            reader ??= (await open(tenantId, sha256)).getReader();
            const next = await reader.read();
            if (next.done) controller.close();
            else controller.enqueue(next.value);
          },
          async cancel(reason) {
            await reader?.cancel(reason);
          },
        },
        { highWaterMark: 0 },
      );
    },
  };
}

/**
 * The blob store for reading with one database handle or transaction: each blob is read from the
 * store its row names. Its `put` refuses; writes go through withBlobUploads.
 */
export function blobStoreFor(db: Db, config: Config, clock?: () => Date): BlobStore {
  return storeOf(db, config, clock, undefined);
}

/**
 * Runs an upload: `work` opens the transaction and stores blobs with `storeFor(tx)`, which writes
 * to the configured store (BLOB_STORE). Postgres blobs roll back with the transaction by
 * themselves; S3 objects cannot, so when `work` fails the objects it wrote are deleted unless a
 * committed row owns them (see discardUnclaimed for why that is safe against concurrent uploads
 * of the same file). `db` must not be the transaction itself: the cleanup runs after it ended.
 * The original error is rethrown; a failed cleanup is only logged.
 */
export async function withBlobUploads<T>(
  db: Db,
  config: Config,
  work: (storeFor: (tx: Db, clock?: () => Date) => BlobStore) => Promise<T>,
  logger?: Logger,
): Promise<T> {
  const written: WrittenBlob[] = [];
  // The transaction `work` opens does not lead back to a PGlite instance; the root handle does.
  const pglite = pgliteOf(db);
  try {
    return await work((tx, clock) => storeOf(tx, config, clock, written, pglite));
  } catch (error) {
    const s3 = config.blobs.s3;
    if (written.length > 0 && s3) {
      await discardUnclaimed(db, s3, written).catch((cleanupError: unknown) => {
        logger?.error('an object of a failed upload could not be removed from S3', {
          blobs: written.map((blob) => `${blob.tenantId}/${blob.sha256}`),
          error: cleanupError instanceof BlobStoreError ? cleanupError.reason : cleanupError,
        });
      });
    }
    throw error;
  }
}

/**
 * Passes `source` through and settles `done` once it has been read to the end, has failed or was
 * cancelled by the client: the moment the database handle may be released. Only a failure of the
 * source reaches `onError`; a client that goes away is not an error.
 */
export function trackStream(
  source: ReadableStream<Uint8Array>,
  hooks: { onError(error: unknown): void },
): { stream: ReadableStream<Uint8Array>; done: Promise<void> } {
  const reader = source.getReader();
  let settle!: () => void;
  const done = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await reader.read();
          if (next.done) {
            controller.close();
            settle();
          } else {
            controller.enqueue(next.value);
          }
        } catch (error) {
          hooks.onError(error);
          controller.error(error);
          settle();
        }
      },
      async cancel(reason) {
        await reader.cancel(reason).catch(() => undefined);
        settle();
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, done };
}
