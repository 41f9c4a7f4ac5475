// `npm run db:migrate`: applies drizzle/ migrations to DATABASE_URL, or to the PGlite data folder.
import { loadConfigOrExit } from '../src/config';
import { createPgliteProvider, migratePgliteDatabase, migratePostgresDatabase } from '../src/db/node';

const config = loadConfigOrExit();
try {
  if (config.databaseUrl) {
    await migratePostgresDatabase(config.databaseUrl);
    console.log('Migrations applied to DATABASE_URL.');
  } else {
    const provider = await createPgliteProvider({ dataDir: config.dataDir });
    await migratePgliteDatabase(provider.pglite);
    await provider.close();
    console.log(`Migrations applied to the PGlite data folder ${config.dataDir}.`);
  }
} catch (error) {
  console.error(error);
  process.exit(1);
}
