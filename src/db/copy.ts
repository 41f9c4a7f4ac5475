import type { PendingQuery, Row, TransactionSql } from 'postgres';
import type { Writable } from 'node:stream';
import type { Db } from './types';

/**
 * The postgres.js client of a drizzle transaction on postgres.js, so a COPY can run on the
 * transaction's own connection. drizzle keeps it at `tx.session.client` (not public API; checked
 * against drizzle-orm 0.45's postgres-js/session.js). Undefined for PGlite, and for a database
 * handle outside a transaction: its client is the pool, which has no `savepoint`, and a COPY there
 * would commit on its own whatever the caller's transaction does.
 */
export function postgresJsTransactionOf(db: Db): TransactionSql | undefined {
  const client = (db as unknown as { session?: { client?: unknown } }).session?.client;
  if (typeof client !== 'function' || typeof (client as Partial<TransactionSql>).savepoint !== 'function') return undefined;
  return client as TransactionSql;
}

/** A value of one field: text as UTF-8, an integer as int4, bytes as bytea. */
export type CopyValue = string | number | Uint8Array;

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]; // PGCOPY\n\xff\r\n\0

function int16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeInt16BE(value);
  return buffer;
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}

/**
 * A value in Postgres' binary format: text as UTF-8, an integer as int4 (big-endian), bytes as
 * they are (the same array, not a copy). Shared by binary COPY and by binary query parameters.
 */
export function binaryFieldOf(value: CopyValue): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) throw new Error(`${value} is not an int4`);
    return int32(value);
  }
  return value;
}

/** The type of each kind of value binaryFieldOf writes: text, int4, bytea. */
export function typeOidOf(value: CopyValue): number {
  return typeof value === 'string' ? 25 : typeof value === 'number' ? 23 : 17;
}

/**
 * Runs `query`, a `COPY … FROM STDIN (FORMAT binary)` on postgres.js, with `rows` as its data, and
 * resolves once the server has taken them all; rejects with the server's error otherwise.
 *
 * postgres.js sends every query parameter as text, so a bytea parameter travels as hex: twice its
 * size as a string, then again as the message, all garbage that piles up until the next major GC.
 * Binary COPY sends the bytes themselves: postgres.js copies each write once into its message.
 * Each value's column must match its type here (text, int4, bytea); the bytes of a Uint8Array are
 * written as they lie, without a copy of ours, so they must not change until this settles.
 */
export async function copyBinary(query: PendingQuery<Row[]>, rows: Iterable<readonly CopyValue[]>): Promise<void> {
  // postgres.js 3.4.9 reports an error the server sends after the COPY's last data only to the
  // query, whose promise has already resolved with the stream: the stream then neither finishes
  // nor fails (porsager/postgres#1173), and a transaction waiting on it would hang. So catch the
  // rejection where the driver delivers it (`reject`, an own property of its Query).
  const driver = query as unknown as { reject(error: unknown): void };
  const deliver = driver.reject;
  const refused = new Promise<never>((_resolve, reject) => {
    driver.reject = (error) => {
      reject(error);
      deliver(error);
    };
  });
  refused.catch(() => {});
  const stream: Writable = await query.writable();
  const done = Promise.race([
    refused,
    // Listening before the first write: an error the server sends mid-COPY destroys the stream.
    new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.once('finish', resolve);
    }),
  ]);
  done.catch(() => {});
  const write = async (bytes: Uint8Array) => {
    if (bytes.byteLength > 0 && !stream.write(bytes)) await Promise.race([new Promise((resolve) => stream.once('drain', resolve)), done]);
  };
  // Small pieces go out together; a bytea value goes out by itself.
  let pending: Uint8Array[] = [Buffer.from(SIGNATURE), int32(0), int32(0)];
  const flush = async () => {
    await write(Buffer.concat(pending));
    pending = [];
  };
  try {
    for (const row of rows) {
      pending.push(int16(row.length));
      for (const value of row) {
        const field = binaryFieldOf(value);
        pending.push(int32(field.byteLength));
        if (field !== value) {
          pending.push(field);
        } else {
          await flush();
          await write(value);
        }
      }
    }
    pending.push(int16(-1));
    await flush();
    stream.end();
  } catch (error) {
    // Sends CopyFail, so the connection leaves COPY mode and the transaction can roll back.
    stream.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  await done;
}
