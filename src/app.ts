import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { BlobStoreError } from './lib/blobs/errors';
import { createAuthenticator } from './lib/auth';
import type { AppContext, AppDeps } from './lib/context';
import { ApiError, postgresErrorCode, problemResponse, problems } from './lib/errors';
import { IdempotencyKeyParameter, SECURITY_SCHEMES } from './lib/openapi';
import { hasLoneSurrogate } from './lib/json-text';
import { createRouter } from './lib/router';
import { apiKeysRouter } from './features/api-keys/api-keys.index';
import { auditLogRouter } from './features/audit-log/audit-log.index';
import { docsRouter } from './features/docs/docs.index';
import { healthRouter } from './features/health/health.index';
import { tenantsRouter } from './features/tenants/tenants.index';
import { ictServicesRouter } from './features/ict-services/ict-services.index';
import { supplierContactsRouter } from './features/supplier-contacts/supplier-contacts.index';
import { supplierTransferBodyLimits, supplierTransferRouter } from './features/supplier-transfer/supplier-transfer.index';
import { suppliersRouter } from './features/suppliers/suppliers.index';
import { supplyChainRouter } from './features/supply-chain/supply-chain.index';
import { questionnaireTemplatesRouter } from './features/questionnaire-templates/questionnaire-templates.index';
import { assessmentsRouter } from './features/assessments/assessments.index';
import { evidenceBodyLimits, evidenceRouter } from './features/evidence/evidence.index';
import { reviewsRouter } from './features/reviews/reviews.index';
import { dashboardRouter } from './features/dashboard/dashboard.index';
import { findingsRouter } from './features/findings/findings.index';
import { riskRouter } from './features/risk/risk.index';
import { riskModelRouter } from './features/risk-model/risk-model.index';
import { onboardingRouter } from './features/onboarding/onboarding.index';
import { offboardingRouter } from './features/offboarding/offboarding.index';
import { contractsRouter } from './features/contracts/contracts.index';
import { incidentsRouter } from './features/incidents/incidents.index';
import { auditsRouter } from './features/audits/audits.index';
import { deadlineAlertsRouter } from './features/deadline-alerts/deadline-alerts.index';
import { webhooksRouter } from './features/webhooks/webhooks.index';
import { reportsRouter } from './features/reports/reports.index';
import { functionsRouter } from './features/functions/functions.index';
import { doraRegisterRouter } from './features/dora-register/dora-register.index';
import { createPortalRouter, portalBodyLimit } from './portal/portal.index';

export const API_VERSION = '0.1.0';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** `METHOD /path` of routes that accept more than BODY_LIMIT_BYTES (bulk imports); each documents its limit. */
const ROUTE_BODY_LIMITS: Record<string, number> = { ...supplierTransferBodyLimits };

const HTTP_EXCEPTION_CODES: Record<number, { code: string; title: string }> = {
  400: { code: 'malformed_request', title: 'Malformed request' },
  401: { code: 'unauthenticated', title: 'Unauthenticated' },
  403: { code: 'forbidden', title: 'Forbidden' },
  404: { code: 'not_found', title: 'Not found' },
  413: { code: 'payload_too_large', title: 'Payload too large' },
  415: { code: 'unsupported_media_type', title: 'Unsupported media type' },
};

// SQLSTATEs that are the caller's doing or a passing outage, not a bug.
function problemForDatabaseError(code: string | undefined): ApiError | undefined {
  if (!code) return undefined;
  if (code === '23505') return problems.conflict('A resource with these unique values already exists.', 'already_exists');
  if (code === '40001' || code === '40P01') return problems.conflict('The request collided with a concurrent change. Retry it.', 'concurrent_update');
  if (code === '22021' || code === '22P05' || code === '54000') {
    return problems.unprocessable('invalid_text', 'A text value contains characters that cannot be stored, such as NUL.');
  }
  // Dates are checked at the schema (lib/schemas.ts); this covers dates computed from them, e.g. a due date plus a grace period.
  if (code === '22007' || code === '22008' || code === '22009') {
    return problems.unprocessable('invalid_date', 'A date or time is outside the range that can be stored (years 0001 to 9999).');
  }
  if (code.startsWith('08') || code === '57P01' || code === '57P03' || code === '53300') {
    return problems.unavailable('The database is not reachable. Retry shortly.');
  }
  return undefined;
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT']);

function isConnectionError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_ERRORS.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Workers have an execution context to finish work after the response; Node has none, and Hono
 * answers the question on Node by throwing. A runtime either always passes one or never does, so
 * the first request's answer stands (an Error per request costs a stack trace each).
 */
function executionContextProbe() {
  let present: boolean | undefined;
  return (c: AppContext): { waitUntil(promise: Promise<unknown>): void } | undefined => {
    if (present === false) return undefined;
    try {
      const context = c.executionCtx;
      present = true;
      return context;
    } catch {
      present = false;
      return undefined;
    }
  };
}

/** Builds the whole HTTP app from its dependencies; Node, Workers and tests all come through here. */
export function buildApp(deps: AppDeps) {
  const app = createRouter();
  const authenticator = createAuthenticator(deps.config);
  const clock = deps.clock ?? (() => new Date());
  const optionalExecutionContext = executionContextProbe();

  app.use(
    requestId({
      headerName: 'X-Request-Id',
      generator: (c) => {
        const incoming = c.req.header('x-request-id');
        return incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : crypto.randomUUID();
      },
    }),
  );

  app.use(async (c, next) => {
    const started = performance.now();
    c.set('deps', deps);
    c.set('now', clock());
    c.set('authenticator', authenticator);
    try {
      await next();
    } finally {
      const principal = c.get('principal') as AppContext['var']['principal'] | undefined;
      deps.logger.info('request', {
        requestId: c.get('requestId'),
        method: c.req.method,
        // The route pattern, not the raw URL: paths and queries can carry tokens.
        route: c.req.routePath,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        tenantId: principal?.tenantId,
        actorId: principal?.actor.id,
      });
    }
  });

  app.use(
    secureHeaders({
      contentSecurityPolicy: undefined,
      crossOriginResourcePolicy: 'same-origin',
      referrerPolicy: 'no-referrer',
      strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    }),
  );
  app.use(async (c, next) => {
    await next();
    if (!c.res.headers.has('Content-Security-Policy')) c.res.headers.set('Content-Security-Policy', API_CSP);
  });

  if (deps.config.corsOrigins.length > 0) {
    app.use(
      '/v1/*',
      cors({
        origin: deps.config.corsOrigins.includes('*') ? '*' : deps.config.corsOrigins,
        allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-Request-Id'],
        allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        exposeHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id', 'Idempotent-Replayed'],
        maxAge: 600,
      }),
    );
  }

  const limitBody = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw problems.tooLarge(maxSize);
      },
    });
  const defaultBodyLimit = limitBody(deps.config.bodyLimitBytes);
  // A route's own limit never goes below the configured one.
  const routeBodyLimits = new Map(
    Object.entries({ ...ROUTE_BODY_LIMITS, ...evidenceBodyLimits(deps.config) }).map(([route, maxSize]) => [route, limitBody(Math.max(maxSize, deps.config.bodyLimitBytes))]),
  );
  // Reads never take a body, and asking for one makes the Node adapter build a full Request.
  const takesBody = (c: AppContext) => c.req.method !== 'GET' && c.req.method !== 'HEAD';
  app.use('/v1/*', (c, next) => (takesBody(c) ? (routeBodyLimits.get(`${c.req.method} ${c.req.path}`) ?? defaultBodyLimit)(c, next) : next()));
  const portalLimit = portalBodyLimit(deps.config, limitBody);
  app.use('/portal/*', (c, next) => (takesBody(c) ? portalLimit(c, next) : next()));
  app.use(async (c, next) => {
    if (/^application\/(?:[\w.+-]+\+)?json\b/i.test(c.req.header('content-type') ?? '') && hasLoneSurrogate(await c.req.text())) {
      throw problems.unprocessable('invalid_text', 'A text value contains characters that cannot be stored: a lone UTF-16 surrogate (\\uD800–\\uDFFF without its pair).');
    }
    return next();
  });

  // Routes above the database middleware answer without waiting for the database.
  app.route('/', healthRouter);
  app.route('/', docsRouter);
  app.doc31('/openapi.json', () => openApiDocumentConfig(deps.config.publicBaseUrl));

  app.use(async (c, next) => {
    const handle = await deps.database.open();
    c.set('db', handle.db);
    // A streamed body still reads the database after the handler returns (releaseDatabaseAfter);
    // an error response replaced that body, so it is not waited for.
    let streaming: Promise<unknown> | undefined;
    try {
      await next();
      streaming = c.error === undefined ? c.get('releaseAfter') : undefined;
    } finally {
      const release = (streaming ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => handle.release())
        .catch((error: unknown) => deps.logger.warn('database release failed', { error }));
      const executionCtx = optionalExecutionContext(c);
      if (executionCtx) executionCtx.waitUntil(release);
      // Awaiting a stream's end here would deadlock: the body is read only once the response is returned.
      else if (!streaming) await release;
    }
  });

  app.route('/', tenantsRouter);
  app.route('/', apiKeysRouter);
  app.route('/', auditLogRouter);
  // Fixed paths (/v1/suppliers/export, /import) before /v1/suppliers/{supplierId}: the first match answers.
  app.route('/', supplierTransferRouter);
  app.route('/', suppliersRouter);
  app.route('/', supplierContactsRouter);
  app.route('/', ictServicesRouter);
  app.route('/', functionsRouter);
  app.route('/', supplyChainRouter);
  app.route('/', questionnaireTemplatesRouter);
  app.route('/', assessmentsRouter);
  app.route('/', evidenceRouter);
  app.route('/', reviewsRouter);
  app.route('/', dashboardRouter);
  app.route('/', findingsRouter);
  app.route('/', riskRouter);
  app.route('/', riskModelRouter);
  app.route('/', onboardingRouter);
  app.route('/', offboardingRouter);
  app.route('/', contractsRouter);
  app.route('/', incidentsRouter);
  app.route('/', auditsRouter);
  app.route('/', deadlineAlertsRouter);
  app.route('/', webhooksRouter);
  app.route('/', reportsRouter);
  app.route('/', doraRegisterRouter);
  app.route('/', createPortalRouter(deps.config));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', SECURITY_SCHEMES.bearerAuth);
  app.openAPIRegistry.registerComponent('securitySchemes', 'platformAdmin', SECURITY_SCHEMES.platformAdmin);
  app.openAPIRegistry.registerComponent('securitySchemes', 'portalToken', SECURITY_SCHEMES.portalToken);
  app.openAPIRegistry.registerComponent('parameters', 'IdempotencyKey', IdempotencyKeyParameter);

  const routeMatchers = app.routes
    .filter((route) => route.method !== 'ALL')
    .map((route) => ({
      method: route.method,
      pattern: new RegExp(`^${route.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\/:[^/]+/g, '/[^/]+')}/?$`),
    }));

  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    const allowed = [...new Set(routeMatchers.filter((route) => route.pattern.test(path)).map((route) => route.method))];
    if (allowed.length > 0) {
      return problemResponse(c, {
        status: 405,
        code: 'method_not_allowed',
        title: 'Method not allowed',
        detail: `${c.req.method} is not allowed here. Allowed: ${allowed.join(', ')}.`,
        headers: { Allow: allowed.join(', ') },
      });
    }
    return problemResponse(c, { status: 404, code: 'not_found', title: 'Not found', detail: `No route for ${c.req.method} ${path}.` });
  });

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      // The client's problem says only that the store failed; the log says how.
      if (error instanceof BlobStoreError) deps.logger.warn('blob store failed', { requestId: c.get('requestId'), code: error.code, reason: error.reason });
      return problemResponse(c, error);
    }
    if (error instanceof HTTPException) {
      const known = HTTP_EXCEPTION_CODES[error.status] ?? { code: 'http_error', title: 'Request failed' };
      // Hono's validators throw 400 for JSON and for multipart (evidence uploads) that do not parse.
      const malformed = /formdata/i.test(error.message) ? 'The request body is not valid multipart/form-data.' : 'The request body is not valid JSON.';
      const detail = error.status === 400 ? malformed : error.message || known.title;
      return problemResponse(c, { status: error.status, ...known, detail });
    }
    const databaseProblem = problemForDatabaseError(postgresErrorCode(error)) ??
      (isConnectionError(error) ? problems.unavailable('The database is not reachable. Retry shortly.') : undefined);
    if (databaseProblem) {
      if (databaseProblem.status >= 500) deps.logger.warn('database unavailable', { requestId: c.get('requestId'), error });
      return problemResponse(c, databaseProblem);
    }
    deps.logger.error('unhandled error', { requestId: c.get('requestId'), route: c.req.routePath, error });
    return problemResponse(c, {
      status: 500,
      code: 'internal_error',
      title: 'Internal server error',
      detail: 'Something went wrong on our side. Quote the request id when you contact support.',
    });
  });

  return app;
}

export type App = ReturnType<typeof buildApp>;

export function openApiDocumentConfig(publicBaseUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Chainproof API',
      version: API_VERSION,
      description:
        'Supplier (third-party ICT) risk management for NIS2 and DORA: the supplier register, security questionnaires, explainable risk scores, contract clauses, audit evidence and supervisor-ready reports.\n\nErrors are RFC 9457 `application/problem+json`. Lists use keyset pagination (`limit`, `cursor` → `{ data, nextCursor }`). POSTs accept `Idempotency-Key`; single resources carry an `ETag`.',
      contact: { name: 'Chainproof', url: 'https://chainproof.eu' },
      license: { name: 'Proprietary', identifier: 'LicenseRef-Chainproof' },
    },
    servers: [
      {
        url: publicBaseUrl,
        description: 'This deployment (PUBLIC_BASE_URL): production when served over https, local development on localhost.',
        'x-internal': false,
      },
    ],
    tags: [
      { name: 'Tenants', description: 'Tenants are created by the platform operator.' },
      { name: 'API keys', description: 'Credentials for integrations. Only a hash of each key is stored.' },
      { name: 'Audit log', description: 'Append-only, hash-chained record of every change.' },
      { name: 'Suppliers', description: 'The register of direct ICT suppliers and service providers (NIS2 IR 5.2, DORA Art. 28(3)).' },
      { name: 'Contacts', description: 'Contact points of each supplier (NIS2 IR 5.2(a)).' },
      { name: 'ICT services', description: 'The ICT services each supplier provides (NIS2 IR 5.2(b), DORA RoI B_02.02), with the B_07.01 assessment of those that support critical or important functions.' },
      { name: 'Functions', description: 'The entity\'s business functions that ICT services support, with their criticality, RTO and RPO (DORA RoI B_06.01).' },
      { name: 'Questionnaire templates', description: 'Versioned questionnaires: built-in ones, and your own or imported licensed copies.' },
      { name: 'Assessments', description: 'Security questionnaires sent to supplier contacts: send, remind, review, return, accept (NIS2 Art. 21(3), IR 5.1.x).' },
      { name: 'Portal', description: 'What the supplier portal page uses: one assessment, reached with the token from the e-mailed link (no account).' },
      { name: 'Evidence', description: 'Certificates, reports, policies and SBOMs from or about suppliers, typed by their content and stored once per tenant.' },
      { name: 'Onboarding', description: 'Onboarding cases with gates driven by the tenant\'s onboarding policy: intake, tier, questionnaires, evidence, clauses, findings, and the approval decision.' },
      { name: 'Offboarding', description: 'The exit checklist of a supplier (data, access, contracts, subcontractors, exit plan) and its termination.' },
      { name: 'Risk', description: 'Explainable risk scores and the tenant\'s risk model: factor points, thresholds, control weights, penalties and review cadence.' },
      { name: 'Findings', description: 'Weaknesses at suppliers: raised from failed answers or other sources, or entered by hand; remediation, comments and time-limited risk acceptance.' },
      { name: 'Contracts', description: 'Contracts with suppliers, the security clauses they must contain (NIS2 IR 2024/2690 5.1.4, DORA Art. 30) as data, each clause\'s state and the gaps.' },
      { name: 'Supply chain', description: 'Subcontracting chains and concentration risk (DORA Art. 29, RoI B_05.02).' },
      { name: 'Reviews', description: 'Supplier review cadence per tier, and reviews made due by material changes and incidents (NIS2 IR 2024/2690 5.1.6, 5.1.7).' },
      { name: 'Incidents', description: 'Incidents at or caused by suppliers, with their NIS2 Art. 23 milestones (NIS2 IR 2024/2690 5.1.7(b)); each makes the supplier\'s review due, raises a finding and lowers its score until resolved.' },
      { name: 'Audits', description: 'Audits of suppliers and outsourced services, the right to audit (NIS2 IR 2024/2690 5.1.4(e)): planned, in progress and completed, with their report and findings.' },
      { name: 'Deadline alerts', description: 'What the jobs said about coming deadlines: contract ends, notice deadlines and evidence running out, at the tenant\'s lead times, mailed to the supplier owner or the tenant\'s notification address.' },
      { name: 'Webhooks', description: 'Signed event delivery to ERP and other systems (Standard Webhooks): endpoints, the events they want, the delivery log and redelivery.' },
      { name: 'Dashboard', description: 'The supplier portfolio at a glance: tiers, ratings, open work and the riskiest suppliers.' },
      { name: 'Reports', description: 'Documents for the management body and the supervisor: the supplier dossier and the NIS2 supply-chain report as PDF.' },
      { name: 'DORA Register of Information', description: 'The Register of Information of DORA Art. 28(3) (Implementing Regulation (EU) 2024/2956) as an xBRL-CSV report package for the EBA DORA taxonomy 4.0, and the list of what would make the filing fail.' },
      { name: 'Health', description: 'Liveness and readiness probes.' },
    ],
  };
}
