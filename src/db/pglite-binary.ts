import { binaryFieldOf, typeOidOf, type CopyValue } from './copy';
import type { Db } from './types';

/** What this module needs of a PGlite instance (typed here so the Worker bundle never imports PGlite). */
export interface PgliteProtocol {
  execProtocol(message: Uint8Array, options?: { syncToFs?: boolean }): Promise<unknown>;
  runExclusive<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * The PGlite instance behind a root drizzle database (drizzle's public `$client`), or undefined on
 * postgres.js. Only the root: a drizzle transaction on PGlite does not lead back to its instance.
 */
export function pgliteOf(db: Db): PgliteProtocol | undefined {
  const client = (db as unknown as { $client?: Partial<PgliteProtocol> }).$client;
  return typeof client?.execProtocol === 'function' && typeof client.runExclusive === 'function' ? (client as PgliteProtocol) : undefined;
}

/**
 * Runs `statement` once per row with the row's values as binary parameters (text, int4, bytea; see
 * binaryFieldOf), through PGlite's wire protocol: Parse, Bind, Execute, Sync in one message.
 *
 * PGlite's own `query` sends every parameter as text, so a bytea travels as a hex string twice its
 * size and is copied again into the Bind message, short-lived garbage several times the size of
 * the data that the garbage collector let pile up: a 25 MiB evidence upload peaked at 2.3–3.9x the
 * file in the server's resident memory (see README, Performance). Here the bytes are copied once,
 * into one message buffer reused for every row; it is also about twice as fast.
 *
 * It must run inside a transaction opened on the same PGlite instance (PGlite has one session, so
 * the rows join that transaction and roll back with it). A row the database refuses throws its
 * error, which aborts the transaction.
 */
export async function insertBinaryRows(pglite: PgliteProtocol, statement: string, rows: Iterable<readonly CopyValue[]>): Promise<void> {
  const text = Buffer.from(statement, 'utf8');
  let buffer = Buffer.alloc(0);
  for (const row of rows) {
    const fields = row.map(binaryFieldOf);
    const size =
      1 + 4 + 1 + text.byteLength + 1 + 2 + 4 * row.length + // Parse
      1 + 4 + 1 + 1 + 2 + 2 + 2 + fields.reduce((sum, field) => sum + 4 + field.byteLength, 0) + 2 + // Bind
      1 + 4 + 1 + 4 + // Execute
      1 + 4; // Sync
    if (buffer.byteLength < size) buffer = Buffer.allocUnsafe(size);
    let offset = 0;
    const byte = (value: number) => {
      offset = buffer.writeUInt8(value, offset);
    };
    const int16 = (value: number) => {
      offset = buffer.writeInt16BE(value, offset);
    };
    const int32 = (value: number) => {
      offset = buffer.writeInt32BE(value, offset);
    };
    const bytes = (value: Uint8Array) => {
      buffer.set(value, offset);
      offset += value.byteLength;
    };
    /** A message: its type byte, then its length (backfilled), then what `body` writes. */
    const message = (type: string, body: () => void) => {
      byte(type.charCodeAt(0));
      const lengthAt = offset;
      offset += 4;
      body();
      buffer.writeInt32BE(offset - lengthAt, lengthAt);
    };
    message('P', () => {
      byte(0); // the unnamed statement
      bytes(text);
      byte(0);
      int16(row.length);
      for (const value of row) int32(typeOidOf(value));
    });
    message('B', () => {
      byte(0); // the unnamed portal
      byte(0); // of the unnamed statement
      int16(1); // one format code for all parameters:
      int16(1); // binary
      int16(fields.length);
      for (const field of fields) {
        int32(field.byteLength);
        bytes(field);
      }
      int16(0); // results in text (an insert returns none)
    });
    message('E', () => {
      byte(0);
      int32(0); // all rows
    });
    message('S', () => {});
    const bytesOfRow = buffer.subarray(0, offset);
    // Exclusive so that no other query of this instance runs between our messages; the message is
    // read into PGlite before execProtocol returns, so the buffer can be reused for the next row.
    await pglite.runExclusive(() => pglite.execProtocol(bytesOfRow, { syncToFs: false }));
  }
}
