import { getConnInfo } from '@hono/node-server/conninfo';
import { serve } from '@hono/node-server';
import { buildApp } from './app';
import { ensureDemoTenant } from './bootstrap';
import { ConfigError, loadConfig, type Config } from './config';
import { openNodeDatabase } from './db/node';
import { nodeDocsAssets } from './node-docs-assets';
import { runDueJobs } from './jobs/run-due-jobs';
import { createLogger } from './lib/logger';

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function main() {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const database = await openNodeDatabase(config);
  await ensureDemoTenant(database.open().db, config, logger);

  const app = buildApp({
    config,
    database,
    logger,
    docsAssets: nodeDocsAssets(),
    clientAddress: (c) => {
      try {
        return getConnInfo(c).remote.address;
      } catch {
        return undefined;
      }
    },
  });

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info('listening', {
      port: info.port,
      database: config.databaseUrl ? 'postgres' : `pglite:${config.dataDir}`,
      docs: `${config.publicBaseUrl}/docs`,
    });
  });

  let jobsTimer: NodeJS.Timeout | undefined;
  if (config.jobsIntervalSeconds > 0) {
    let running = false;
    jobsTimer = setInterval(() => {
      if (running) return;
      running = true;
      runDueJobs(database.open().db, new Date(), logger).finally(() => {
        running = false;
      });
    }, config.jobsIntervalSeconds * 1000);
    jobsTimer.unref();
  }

  const shutdown = (signal: string) => {
    logger.info('shutting down', { signal });
    clearInterval(jobsTimer);
    server.close(() => {
      database.close().finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('Chainproof failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
