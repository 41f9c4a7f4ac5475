import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Config } from '../config';
import { createPostgresProvider } from './postgres';
import * as schema from './schema';
import type { DatabaseProvider, Db } from './types';

/** drizzle/ at the project root, found from this file whether it runs from src/ or from a bundle in dist/. */
function findMigrationsFolder(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    const candidate = join(folder, 'drizzle');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    folder = dirname(folder);
  }
  throw new Error('drizzle/ migrations folder not found above ' + fileURLToPath(import.meta.url));
}

export const MIGRATIONS_FOLDER = findMigrationsFolder();

export interface PgliteProvider extends DatabaseProvider {
  pglite: PGlite;
}

const BYTEA_OID = 17;

/**
 * PGlite passes bytea as hex text. Its own codec builds an array entry and a string per byte, which
 * takes over a second and tens of MB of heap for each 1 MiB blob chunk; Buffer's hex codec does the
 * same in native code.
 */
const byteaSerializer = (value: unknown): string => {
  if (!(value instanceof Uint8Array)) throw new Error('bytea parameter is not a Uint8Array');
  return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
};
const byteaParser = (text: string): Uint8Array => {
  const buffer = Buffer.from(text.slice(2), 'hex');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
};

/** Embedded Postgres for development and tests. `dataDir` undefined keeps it in memory. */
export async function createPgliteProvider(options: { dataDir?: string; loadDataDir?: Blob }): Promise<PgliteProvider> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    // Extensions the migrations create must be loaded into PGlite up front.
    extensions: { pg_trgm },
    serializers: { [BYTEA_OID]: byteaSerializer },
    parsers: { [BYTEA_OID]: byteaParser },
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const db = drizzlePglite(pglite, { schema }) as unknown as Db;
  return {
    pglite,
    open: async () => ({ db, release: async () => {} }),
    close: () => pglite.close(),
  };
}

export async function migratePgliteDatabase(pglite: PGlite): Promise<void> {
  await migratePglite(drizzlePglite(pglite), { migrationsFolder: MIGRATIONS_FOLDER });
}

export async function migratePostgresDatabase(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migratePostgres(drizzlePostgres(sql), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The database Node uses: Postgres when DATABASE_URL is set, otherwise PGlite in DATA_DIR. Migrated. */
export async function openNodeDatabase(config: Config): Promise<DatabaseProvider> {
  if (config.databaseUrl) {
    await migratePostgresDatabase(config.databaseUrl);
    return createPostgresProvider(config.databaseUrl, { max: config.databasePoolSize, preparedStatements: config.databasePreparedStatements });
  }
  const provider = await createPgliteProvider({ dataDir: config.dataDir });
  await migratePgliteDatabase(provider.pglite);
  return provider;
}

/**
 * A provider whose database is still being opened: requests wait for it, so the server can listen
 * (and answer /healthz) while PGlite starts and migrations run.
 */
export function deferredProvider(opening: Promise<DatabaseProvider>): DatabaseProvider {
  // Callers that never open must not see an unhandled rejection; open() rethrows it.
  opening.catch(() => {});
  return {
    open: async () => (await opening).open(),
    close: async () => (await opening.catch(() => undefined))?.close(),
  };
}
