import { loadConfigOrExit } from './config';
import { deferredProvider, openNodeDatabase } from './db/node';
import { createLogger } from './lib/logger';

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);

  // The database opens (PGlite start, migrations, demo tenant) while the app's modules load and the
  // server starts listening; requests that need the database wait for it, /healthz does not.
  const opening = openNodeDatabase(config).then(async (provider) => {
    const { ensureDemoTenant } = await import('./bootstrap');
    const handle = await provider.open();
    await ensureDemoTenant(handle.db, config, logger);
    return provider;
  });
  opening.catch((error: unknown) => {
    logger.error('database failed to open', { error });
    process.exit(1);
  });
  const database = deferredProvider(opening);

  const [{ serve }, { getConnInfo }, { buildApp }, { nodeDocsAssets }, { runDueJobs }, { createMailTransport }] = await Promise.all([
    import('@hono/node-server'),
    import('@hono/node-server/conninfo'),
    import('./app'),
    import('./node-docs-assets'),
    import('./jobs/run-due-jobs'),
    import('./lib/mail/transports'),
  ]);

  // nodemailer loads only when SMTP is configured (and never in the Worker bundle).
  const smtp = config.mail.transport === 'smtp' ? (await import('./lib/mail/smtp-transport')).smtpTransport : undefined;
  const mailer = createMailTransport(config, logger, { smtp });
  if (config.mail.transport === 'log' && config.nodeEnv === 'production') {
    logger.warn('MAIL_TRANSPORT=log: mail is stored but not sent; set MAIL_TRANSPORT=smtp or http');
  }

  const app = buildApp({
    config,
    database,
    logger,
    mailer,
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
      database
        .open()
        .then((handle) => runDueJobs(handle.db, new Date(), logger, { mailer }))
        .catch((error: unknown) => logger.error('jobs failed', { error }))
        .finally(() => {
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
