import type { Config } from '../../config';
import type { Db } from '../../db/types';
import { postgresBlobStore } from './postgres';
import type { BlobStore } from './types';

export type { BlobStore } from './types';
export { BLOB_CHUNK_BYTES } from './postgres';

/**
 * The configured blob store for one database handle or transaction. Only `postgres` exists so
 * far; an S3-compatible store (issue 6) plugs in here behind the same interface, chosen by config.
 */
export function blobStoreFor(db: Db, _config: Config, clock?: () => Date): BlobStore {
  return postgresBlobStore(db, clock);
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
