import type { ExecutionContext } from 'hono';
// Text modules (wrangler.toml `[[rules]] type = "Text"`): the docs UI ships inside the Worker,
// so /docs works without any CDN, as on Node.
import swaggerUiBundle from 'swagger-ui-dist/swagger-ui-bundle.js';
import swaggerUiCss from 'swagger-ui-dist/swagger-ui.css';
import { buildApp, type App } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { createPostgresProvider } from './db/postgres';
import type { DatabaseProvider } from './db/types';
import { runDueJobs } from './jobs/run-due-jobs';
import type { DocsAsset, DocsAssets } from './lib/context';
import { PROBLEM_CONTENT_TYPE, problemType } from './lib/errors';
import { createLogger, type Logger } from './lib/logger';
import { createMailTransport, type MailTransport } from './lib/mail/transports';

// Minimal local shapes of the Workers runtime types we use (no @cloudflare/workers-types).

/** The Hyperdrive binding. Locally, wrangler points it straight at the database. */
interface Hyperdrive {
  readonly connectionString: string;
}

interface ScheduledController {
  readonly scheduledTime: number;
  readonly cron: string;
  noRetry(): void;
}

/** Bindings from wrangler.toml: HYPERDRIVE, plus `[vars]` and secrets (strings; loadConfig ignores the rest). */
export interface WorkerEnv {
  HYPERDRIVE?: Hyperdrive;
  [name: string]: unknown;
}

const DOCS_ASSETS = new Map<string, DocsAsset>([
  ['swagger-ui.css', { body: swaggerUiCss, contentType: 'text/css; charset=utf-8' }],
  ['swagger-ui-bundle.js', { body: swaggerUiBundle, contentType: 'text/javascript; charset=utf-8' }],
]);

const docsAssets: DocsAssets = (name) => Promise.resolve(DOCS_ASSETS.get(name));

interface Runtime {
  config: Config;
  logger: Logger;
  /** A new postgres.js client per open(): Workers cannot share sockets between requests. */
  database: DatabaseProvider;
  /** `log` or `http`: Workers have no SMTP (MAIL_TRANSPORT=smtp is a configuration error here). */
  mailer: MailTransport;
}

// One per isolate. `env` is only known once the first event arrives, so both are built lazily.
// A bad configuration is remembered too: env does not change for the isolate's lifetime.
let runtime: Runtime | ConfigError | undefined;
let app: App | undefined;

function getRuntime(env: WorkerEnv): Runtime | ConfigError {
  if (runtime) return runtime;
  try {
    const config = loadConfig(env);
    const connectionString = env.HYPERDRIVE?.connectionString;
    if (typeof connectionString !== 'string' || connectionString === '') {
      throw new ConfigError(['HYPERDRIVE binding is missing: add a [[hyperdrive]] binding named HYPERDRIVE to wrangler.toml']);
    }
    const logger = createLogger(config.logLevel);
    if (config.mail.transport === 'log' && config.nodeEnv === 'production') {
      logger.warn('MAIL_TRANSPORT=log: mail is stored but not sent; set MAIL_TRANSPORT=http');
    }
    runtime = {
      config,
      logger,
      database: createPostgresProvider(connectionString, { max: 5, perOpen: true }),
      // No SMTP factory: createMailTransport refuses MAIL_TRANSPORT=smtp with a ConfigError.
      mailer: createMailTransport(config, logger),
    };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    runtime = error;
  }
  return runtime;
}

// The operator learns what is wrong from the log; the caller gets no internals.
function logConfigError(error: ConfigError, fields: Record<string, unknown>) {
  createLogger('error').error('invalid configuration', { problems: error.problems, ...fields });
}

function misconfiguredResponse(requestId: string): Response {
  const body = {
    type: problemType('internal_error'),
    title: 'Internal server error',
    status: 500,
    detail: 'The service is not configured correctly. Quote the request id when you contact support.',
    code: 'internal_error',
    requestId,
  };
  return new Response(JSON.stringify(body), {
    status: 500,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, 'X-Request-Id': requestId, 'Cache-Control': 'no-store' },
  });
}

async function handleFetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
  const state = getRuntime(env);
  if (state instanceof ConfigError) {
    const requestId = crypto.randomUUID();
    logConfigError(state, { requestId });
    return misconfiguredResponse(requestId);
  }
  app ??= buildApp({
    config: state.config,
    database: state.database,
    logger: state.logger,
    mailer: state.mailer,
    docsAssets,
    clientAddress: (c) => c.req.header('cf-connecting-ip'),
  });
  // The app's middleware releases each request's client through ctx.waitUntil.
  return app.fetch(request, env, ctx);
}

async function handleScheduled(controller: ScheduledController, env: WorkerEnv, _ctx: ExecutionContext): Promise<void> {
  const state = getRuntime(env);
  if (state instanceof ConfigError) {
    logConfigError(state, { cron: controller.cron });
    throw state;
  }
  const { database, logger, mailer } = state;
  // runDueJobs logs a failing job and goes on with the next; count those so the invocation is
  // reported as failed (Cloudflare's cron history shows it) instead of silently succeeding.
  let failures = 0;
  const countingLogger: Logger = {
    ...logger,
    error: (message, fields) => {
      failures += 1;
      logger.error(message, fields);
    },
  };
  const started = performance.now();
  const handle = await database.open();
  try {
    const results = await runDueJobs(handle.db, new Date(controller.scheduledTime), countingLogger, { config: state.config, mailer });
    logger.info('scheduled jobs ran', {
      cron: controller.cron,
      results,
      failures,
      durationMs: Math.round(performance.now() - started),
    });
  } finally {
    await handle.release().catch((error: unknown) => logger.warn('database release failed', { error }));
  }
  if (failures > 0) throw new Error(`${failures} scheduled job(s) failed; see the log`);
}

export default { fetch: handleFetch, scheduled: handleScheduled };
