import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { copyBinary, postgresJsTransactionOf } from '../src/db/copy';
import { insertBinaryRows, pgliteOf } from '../src/db/pglite-binary';
import { blobChunks, blobs } from '../src/db/schema';
import type { Db } from '../src/db/types';
import { BLOB_CHUNK_BYTES, postgresBlobBackend } from '../src/lib/blobs/postgres';
import { sha256Hex } from '../src/lib/crypto';
import { createTestContext, queryRows, type TestContext, type TestTenant } from './support/context';
import { largePdf } from './support/files';

// The Postgres blob store below the HTTP API (tests/evidence.test.ts uploads through it): how its
// chunks get into the transaction on each driver, and what a COPY that fails leaves behind.

const MIB = 1024 * 1024;
const onPostgres = inject('databaseKind') === 'postgres';

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant('Stadtwerke Blobstadt');
});
afterAll(() => t.close());

async function countsOf(sha256: string) {
  const [row] = await queryRows<{ blobs: number; chunks: number }>(
    t.db,
    sql`select (select count(*)::int from blobs where tenant_id = ${tenant.id} and sha256 = ${sha256}) as blobs,
               (select count(*)::int from blob_chunks where tenant_id = ${tenant.id} and sha256 = ${sha256}) as chunks`,
  );
  return row!;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
  return Buffer.concat(parts);
}

const copyChunks = async (db: Db, rows: (string | number | Uint8Array)[][]) =>
  copyBinary(postgresJsTransactionOf(db)!`copy blob_chunks (tenant_id, sha256, seq, data) from stdin (format binary)`, rows);

describe('Postgres blob store', () => {
  it('stores a blob of several chunks with its transaction (binary COPY on postgres.js, binary parameters on PGlite) and reads it back', async () => {
    const bytes = largePdf(Math.round(2.5 * BLOB_CHUNK_BYTES) + 7);
    const sha256 = await sha256Hex(bytes);
    expect(postgresJsTransactionOf(t.db)).toBeUndefined();
    expect(pgliteOf(t.db) !== undefined).toBe(!onPostgres);
    await t.db.transaction(async (tx) => {
      // Only a postgres.js transaction offers its connection for COPY; the pool's would commit alone.
      expect(postgresJsTransactionOf(tx) !== undefined).toBe(onPostgres);
      await postgresBlobBackend(tx, undefined, pgliteOf(t.db)).put(tenant.id, sha256, 'application/pdf', bytes);
      // Stored again: the blob row is taken, nothing more is written.
      await postgresBlobBackend(tx, undefined, pgliteOf(t.db)).put(tenant.id, sha256, 'application/pdf', bytes);
    });
    const chunks = await queryRows<{ seq: number; size: number }>(
      t.db,
      sql`select seq, length(data) as size from blob_chunks where tenant_id = ${tenant.id} and sha256 = ${sha256} order by seq`,
    );
    expect(chunks.map((chunk) => [Number(chunk.seq), Number(chunk.size)])).toEqual([
      [0, BLOB_CHUNK_BYTES],
      [1, BLOB_CHUNK_BYTES],
      [2, bytes.length - 2 * BLOB_CHUNK_BYTES],
    ]);
    const back = await readAll(await postgresBlobBackend(t.db).open(tenant.id, sha256, bytes.length));
    expect(Buffer.compare(back, Buffer.from(bytes))).toBe(0);
  });

  it('reads back blobs stored in chunks of another size (1 MiB, as before the chunk size changed)', async () => {
    const bytes = largePdf(2 * MIB + 11);
    const sha256 = await sha256Hex(bytes);
    await t.db.transaction(async (tx) => {
      await tx.insert(blobs).values({ tenantId: tenant.id, sha256, size: bytes.length, contentType: 'application/pdf', store: 'postgres', createdAt: new Date() });
      for (let seq = 0; seq * MIB < bytes.length; seq += 1) {
        await tx.insert(blobChunks).values({ tenantId: tenant.id, sha256, seq, data: bytes.subarray(seq * MIB, (seq + 1) * MIB) });
      }
    });
    expect(await countsOf(sha256)).toEqual({ blobs: 1, chunks: 3 });
    const back = await readAll(await postgresBlobBackend(t.db).open(tenant.id, sha256, bytes.length));
    expect(Buffer.compare(back, Buffer.from(bytes))).toBe(0);
  });

  it('leaves neither the blob nor its chunks when the transaction fails after storing them', async () => {
    const bytes = largePdf(Math.round(1.5 * MIB));
    const sha256 = await sha256Hex(bytes);
    await expect(
      t.db.transaction(async (tx) => {
        await postgresBlobBackend(tx, undefined, pgliteOf(t.db)).put(tenant.id, sha256, 'application/pdf', bytes);
        throw new Error('refused after the blob was stored');
      }),
    ).rejects.toThrow('refused after the blob was stored');
    expect(await countsOf(sha256)).toEqual({ blobs: 0, chunks: 0 });
  });

  describe.skipIf(!onPostgres)('binary COPY', () => {
    const blobRow = (sha256: string, size: number) => ({ tenantId: tenant.id, sha256, size, contentType: 'application/pdf', store: 'postgres', createdAt: new Date() });

    it('rejects with the server error when a row is refused mid-COPY, and the connection goes on', async () => {
      const sha256 = 'a'.repeat(64);
      const chunk = largePdf(MIB);
      await t.db.transaction(async (tx) => {
        await tx.insert(blobs).values(blobRow(sha256, 3 * MIB));
        // The same seq twice: the primary key refuses the second row while the third is on its way.
        const failed = tx.transaction((savepoint) => copyChunks(savepoint, [0, 0, 1].map((seq) => [tenant.id, sha256, seq, chunk])));
        await expect(failed).rejects.toMatchObject({ code: '23505' });
        // Rolled back to the savepoint on the same connection, which is out of COPY mode.
        await copyChunks(tx, [[tenant.id, sha256, 0, chunk]]);
      });
      expect(await countsOf(sha256)).toEqual({ blobs: 1, chunks: 1 });
    });

    it('rejects with the server error when the COPY fails at its end (a foreign key)', async () => {
      const sha256 = 'b'.repeat(64);
      const failed = t.db.transaction((tx) => copyChunks(tx, [[tenant.id, sha256, 0, largePdf(1000)]]));
      await expect(failed).rejects.toMatchObject({ code: '23503' });
      expect(await countsOf(sha256)).toEqual({ blobs: 0, chunks: 0 });
    });

    it('aborts the COPY (CopyFail) on a value it cannot encode, and the connection goes on', async () => {
      const sha256 = 'c'.repeat(64);
      await t.db.transaction(async (tx) => {
        await tx.insert(blobs).values(blobRow(sha256, 1000));
        const failed = tx.transaction((savepoint) => copyChunks(savepoint, [[tenant.id, sha256, 0, largePdf(1000)], [tenant.id, sha256, 2 ** 31, largePdf(1000)]]));
        await expect(failed).rejects.toThrow('2147483648 is not an int4');
        await copyChunks(tx, [[tenant.id, sha256, 0, largePdf(1000)]]);
      });
      expect(await countsOf(sha256)).toEqual({ blobs: 1, chunks: 1 });
    });
  });

  describe.skipIf(onPostgres)('binary parameters on PGlite', () => {
    const insertChunk = 'insert into blob_chunks (tenant_id, sha256, seq, data) values ($1, $2, $3, $4)';

    it('throws the database error for a refused row, rolls the transaction back, and PGlite goes on', async () => {
      const sha256 = 'd'.repeat(64);
      const pglite = pgliteOf(t.db)!;
      const failed = t.db.transaction(async (tx) => {
        await tx.insert(blobs).values({ tenantId: tenant.id, sha256, size: 2000, contentType: 'application/pdf', store: 'postgres', createdAt: new Date() });
        // The same seq twice: the primary key refuses the second row.
        await insertBinaryRows(pglite, insertChunk, [0, 0].map((seq) => [tenant.id, sha256, seq, largePdf(1000)]));
      });
      await expect(failed).rejects.toMatchObject({ code: '23505' });
      expect(await countsOf(sha256)).toEqual({ blobs: 0, chunks: 0 });
      await t.db.transaction((tx) => postgresBlobBackend(tx, undefined, pglite).put(tenant.id, sha256, 'application/pdf', largePdf(1000)));
      expect(await countsOf(sha256)).toEqual({ blobs: 1, chunks: 1 });
    });

    it('refuses a value it cannot encode before sending anything', async () => {
      const sha256 = 'e'.repeat(64);
      const failed = t.db.transaction(async (tx) => {
        await tx.insert(blobs).values({ tenantId: tenant.id, sha256, size: 1000, contentType: 'application/pdf', store: 'postgres', createdAt: new Date() });
        await insertBinaryRows(pgliteOf(t.db)!, insertChunk, [[tenant.id, sha256, 2 ** 31, largePdf(1000)]]);
      });
      await expect(failed).rejects.toThrow('2147483648 is not an int4');
      expect(await countsOf(sha256)).toEqual({ blobs: 0, chunks: 0 });
    });
  });
});
