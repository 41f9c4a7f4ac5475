import { and, eq } from 'drizzle-orm';
import { copyBinary, postgresJsTransactionOf } from '../../db/copy';
import { blobChunks, blobs } from '../../db/schema';
import type { Db } from '../../db/types';
import { blobProblems } from './errors';
import type { BlobBackend } from './types';

/** Bytes per `blob_chunks` row: one query reads one chunk, so a download holds one MiB at a time. */
export const BLOB_CHUNK_BYTES = 1024 * 1024;

/** postgres.js gives bytea back as a Buffer, PGlite as a Uint8Array; both are Uint8Array views. */
function asBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new Error('blob chunk is not binary data');
}

/**
 * Blobs in the database itself, so a deployment needs nothing else. Bind it to the transaction
 * that inserts the evidence row: the blob row and its chunks then commit (or roll back) with it,
 * and a committed blob row always has all its chunks.
 */
export function postgresBlobBackend(db: Db, clock: () => Date = () => new Date()): BlobBackend {
  return {
    kind: 'postgres',

    async put(tenantId, sha256, contentType, bytes) {
      // A concurrent upload of the same file waits on the primary key here and then finds it taken.
      const inserted = await db
        .insert(blobs)
        .values({ tenantId, sha256, size: bytes.byteLength, contentType, store: 'postgres', createdAt: clock() })
        .onConflictDoNothing()
        .returning({ sha256: blobs.sha256 });
      if (inserted.length === 0) return;
      const chunks = function* () {
        for (let seq = 0; seq * BLOB_CHUNK_BYTES < bytes.byteLength; seq += 1) {
          yield { seq, data: bytes.subarray(seq * BLOB_CHUNK_BYTES, (seq + 1) * BLOB_CHUNK_BYTES) };
        }
      };
      // On postgres.js the chunks go in by binary COPY on the transaction's connection: an insert
      // would send each MiB as hex text, 8 MB of garbage per MiB stored. PGlite takes inserts.
      const client = postgresJsTransactionOf(db);
      if (client) {
        const copy = client`copy blob_chunks (tenant_id, sha256, seq, data) from stdin (format binary)`;
        await copyBinary(copy, Array.from(chunks(), ({ seq, data }) => [tenantId, sha256, seq, data]));
        return;
      }
      for (const { seq, data } of chunks()) await db.insert(blobChunks).values({ tenantId, sha256, seq, data });
    },

    async open(tenantId, sha256, size) {
      let sent = 0;
      let seq = 0;
      const next = async (): Promise<Uint8Array> => {
        const [chunk] = await db
          .select({ data: blobChunks.data })
          .from(blobChunks)
          .where(and(eq(blobChunks.tenantId, tenantId), eq(blobChunks.sha256, sha256), eq(blobChunks.seq, seq)));
        if (!chunk) throw new Error(`blob ${sha256} in tenant ${tenantId} lacks chunk ${seq}`);
        const bytes = asBytes(chunk.data);
        seq += 1;
        sent += bytes.byteLength;
        if (bytes.byteLength === 0 || sent > size) throw new Error(`blob ${sha256} in tenant ${tenantId} has chunks that do not add up to its size`);
        return bytes;
      };
      // The first chunk before answering, so a blob that lost its chunks is a problem, not a broken download.
      let first: Uint8Array | undefined;
      if (size > 0) {
        try {
          first = await next();
        } catch (error) {
          throw blobProblems.missing(error instanceof Error ? error.message : String(error));
        }
      }
      return new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            const bytes = first ?? (sent < size ? await next() : undefined);
            first = undefined;
            if (bytes) controller.enqueue(bytes);
            if (sent >= size) controller.close();
          },
        },
        // Pull only when the consumer wants more: one chunk in memory, not the whole file.
        { highWaterMark: 0 },
      );
    },
  };
}
