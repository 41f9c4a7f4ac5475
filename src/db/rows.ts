import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './types';

/** Rows of a raw query, whichever driver ran it (PGlite answers { rows }, postgres.js an array). */
export async function rowsOf<Row>(db: Db, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as Row[] | { rows: Row[] };
  return Array.isArray(result) ? result : result.rows;
}

/** What `named` puts first in a query's text; the PostgreSQL driver looks for it (src/db/postgres.ts). */
export const NAMED_STATEMENT_MARK = '/* named */ ';

/**
 * A raw query sent as a named statement on PostgreSQL: parsed and planned once per connection
 * instead of on every call. Only for queries whose text never changes (values are parameters)
 * and whose best plan does not depend on the values: Postgres may switch a named statement to a
 * generic plan after five runs. Measured on the re-scoring every supplier write runs, planning
 * took several times longer than executing (up to 1.9 ms against 0.1 ms per query).
 */
export const named = (query: SQL): SQL => sql.join([sql.raw(NAMED_STATEMENT_MARK), query]);
