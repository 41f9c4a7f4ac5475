// Each Postgres benchmark runs in its own database, created for the run and dropped afterwards.
import postgres from 'postgres';
import { createPgliteProvider, migratePgliteDatabase, migratePostgresDatabase } from '../src/db/node';
import { createPostgresProvider } from '../src/db/postgres';
import type { DatabaseProvider } from '../src/db/types';

export async function withThrowawayDatabase<T>(adminUrl: string, label: string, run: (database: DatabaseProvider, url: string) => Promise<T>): Promise<T> {
  const name = `chainproof_bench_${label}_${Date.now()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = createPostgresProvider(url.toString(), { max: 10 });
  try {
    await migratePostgresDatabase(url.toString());
    return await run(database, url.toString());
  } finally {
    await database.close();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
  }
}

/** An embedded PGlite database in memory, migrated, for one run, closed afterwards. */
export async function withThrowawayPglite<T>(run: (database: DatabaseProvider) => Promise<T>): Promise<T> {
  const pglite = await createPgliteProvider({});
  try {
    await migratePgliteDatabase(pglite.pglite);
    return await run(pglite);
  } finally {
    await pglite.close();
  }
}
