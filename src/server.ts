import { loadConfigOrExit } from './config';
import { deferredProvider, openNodeDatabase } from './db/node';
import { createLogger, type Logger } from './lib/logger';

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

  const [{ serve }, { getConnInfo }, { buildApp }, { nodeDocsAssets }, { runDueJobs }, { createMailTransport }, { deliverDueMail }] = await Promise.all([
    import('@hono/node-server'),
    import('@hono/node-server/conninfo'),
    import('./app'),
    import('./node-docs-assets'),
    import('./jobs/run-due-jobs'),
    import('./lib/mail/transports'),
    import('./lib/mail/deliver'),
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

  // With in-process jobs, mail and webhooks go out soon after a write that may have queued some (an invitation,
  // a reminder, a portal submission) instead of at the next timer tick, up to JOBS_INTERVAL_SECONDS
  // later. Delivery is safe to run concurrently (rows are claimed with SKIP LOCKED).
  const deliverSoon =
    config.jobsIntervalSeconds > 0
      ? coalesced(async () => {
          const handle = await database.open();
          const result = await deliverDueMail(handle.db, new Date(), mailer, logger);
          if (result.claimed > 0) logger.info('mail delivered', { transport: mailer.name, ...result });
          // Webhook events the write emitted go out now too (deliveries are claimed with a lease).
          const { deliverDueWebhooks } = await import('./features/webhooks/webhooks.dispatch');
          await deliverDueWebhooks(handle.db, new Date(), logger, config);
        }, logger)
      : () => {};
  // Likewise a risk recalculation starts right after it is queued (POST /v1/risk/recalculate, or a
  // model PUT), not at the next tick. Claims take a lease, so a concurrent timer run is harmless.
  const recalculateSoon =
    config.jobsIntervalSeconds > 0
      ? coalesced(async () => {
          const handle = await database.open();
          const { runRecalculations } = await import('./features/risk/risk.recalculate');
          await runRecalculations(handle.db, new Date(), logger);
        }, logger)
      : () => {};
  const fetch = async (request: Request, env: unknown) => {
    const response = await app.fetch(request, env);
    if (request.method !== 'GET' && request.method !== 'HEAD' && response.status < 400) {
      deliverSoon();
      const path = new URL(request.url).pathname;
      if (path === '/v1/risk/recalculate' || path === '/v1/risk-model') recalculateSoon();
    }
    return response;
  };

  const server = serve({ fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info('listening', {
      port: info.port,
      database: config.databaseUrl ? 'postgres' : `pglite:${config.dataDir}`,
      docs: `${config.publicBaseUrl}/docs`,
    });
  });

  let jobsTimer: NodeJS.Timeout | undefined;
  if (config.jobsIntervalSeconds > 0) {
    let running = false;
    const runJobs = () => {
      if (running) return;
      running = true;
      database
        .open()
        .then((handle) => runDueJobs(handle.db, new Date(), logger, { config, mailer }))
        .catch((error: unknown) => logger.error('jobs failed', { error }))
        .finally(() => {
          running = false;
        });
    };
    jobsTimer = setInterval(runJobs, config.jobsIntervalSeconds * 1000);
    jobsTimer.unref();
    // A first pass as soon as the database is open: what fell due while the server was stopped.
    opening.then(runJobs, () => {});
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

/**
 * `run` shortly after the first call, once per burst of calls; a call while it runs schedules one
 * more run after it (so nothing queued during a run waits for the next burst).
 */
function coalesced(run: () => Promise<void>, logger: Logger, delayMs = 200): () => void {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  const fire = () => {
    timer = undefined;
    if (running) {
      again = true;
      return;
    }
    running = true;
    run()
      .catch((error: unknown) => logger.error('mail delivery failed', { error }))
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          schedule();
        }
      });
  };
  const schedule = () => {
    if (timer) return;
    timer = setTimeout(fire, delayMs);
    timer.unref();
  };
  return schedule;
}

main().catch((error: unknown) => {
  console.error('Chainproof failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
