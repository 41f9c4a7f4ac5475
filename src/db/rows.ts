import type { SQL } from 'drizzle-orm';
import type { Db } from './types';

/** Rows of a raw query, whichever driver ran it (PGlite answers { rows }, postgres.js an array). */
export async function rowsOf<Row>(db: Db, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as Row[] | { rows: Row[] };
  return Array.isArray(result) ? result : result.rows;
}
