import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { createPgliteProvider, migratePgliteDatabase, migratePostgresDatabase } from '../../src/db/node';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseKind: 'pglite' | 'postgres';
    pgliteDumpPath: string;
    databaseUrl: string;
  }
}

/**
 * Migrates once per run. PGlite: a migrated data directory is dumped and every test file loads a
 * clone of it (about 0.3 s instead of 1.5 s to start plus migrations). Postgres: a fresh database
 * for the run, dropped at the end; files share it and isolate by tenant.
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const name = `chainproof_test_${Date.now()}_${process.pid}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    await migratePostgresDatabase(url.toString());
    project.provide('databaseKind', 'postgres');
    project.provide('databaseUrl', url.toString());
    project.provide('pgliteDumpPath', '');
    return async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    };
  }

  const folder = mkdtempSync(join(tmpdir(), 'chainproof-test-'));
  const provider = await createPgliteProvider({});
  await migratePgliteDatabase(provider.pglite);
  const dump = await provider.pglite.dumpDataDir('none');
  await provider.close();
  const dumpPath = join(folder, 'migrated.tar');
  writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
  project.provide('databaseKind', 'pglite');
  project.provide('pgliteDumpPath', dumpPath);
  project.provide('databaseUrl', '');
  return () => rmSync(folder, { recursive: true, force: true });
}
