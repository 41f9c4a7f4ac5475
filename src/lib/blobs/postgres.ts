import { and, eq } from 'drizzle-orm';
import { copyBinary, postgresJsTransactionOf } from '../../db/copy';
import { insertBinaryRows, type PgliteProtocol } from '../../db/pglite-binary';
import { blobChunks, blobs } from '../../db/schema';
import type { Db } from '../../db/types';
import { blobProblems } from './errors';
import type { BlobBackend } from './types';

/**
 * Bytes per `blob_chunks` row: one query reads one chunk, so a download holds one chunk at a time.
 * 256 KiB rather than 1 MiB because of PGlite: measured in-process, 25 MiB stored in 1 MiB inserts
 * grew its resident set by 26 MB (its WASM heap does not reuse memory freed by messages that
 * large), in 512 KiB inserts by 12–13 MB, in 256 KiB inserts by 0–2.6 MB. Blobs written with other
 * chunk sizes read back the same: a download follows `seq` until it has the blob's size.
 */
export const BLOB_CHUNK_BYTES = 256 * 1024;

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
export function postgresBlobBackend(db: Db, clock: () => Date = () => new Date(), pglite?: PgliteProtocol): BlobBackend {
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
      // The chunks go in as binary, not as drizzle inserts: both drivers send query parameters as
      // text, so each chunk would travel as hex, several times its size in garbage. On postgres.js
      // by binary COPY on the transaction's connection; on PGlite by binary parameters.
      const rows = () => Array.from(chunks(), ({ seq, data }) => [tenantId, sha256, seq, data]);
      const client = postgresJsTransactionOf(db);
      if (client) {
        await copyBinary(client`copy blob_chunks (tenant_id, sha256, seq, data) from stdin (format binary)`, rows());
      } else if (pglite) {
        await insertBinaryRows(pglite, 'insert into blob_chunks (tenant_id, sha256, seq, data) values ($1, $2, $3, $4)', rows());
      } else {
        for (const { seq, data } of chunks()) await db.insert(blobChunks).values({ tenantId, sha256, seq, data });
      }
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
