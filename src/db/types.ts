import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema';

export type Schema = typeof schema;

/** Either driver's database, or a transaction on it: query functions accept any of them. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  db: Db;
  /** Ends whatever this handle opened (a per-request connection on Workers; nothing on Node). */
  release(): Promise<void>;
}

/** How the app gets a database for one request or job run. */
export interface DatabaseProvider {
  /** Waits for the database to be ready (Node starts serving before PGlite has opened). */
  open(): Promise<DatabaseHandle>;
  close(): Promise<void>;
}
