import type { MiddlewareHandler } from 'hono';
import type { Config } from '../config';
import type { AuditContext } from '../lib/audit';
import type { Actor, AppContext, AppEnv } from '../lib/context';
import { ApiError, problems } from '../lib/errors';
import { FixedWindowLimiter } from '../lib/rate-limit';
import { resolvePortalToken, type PortalSession } from './portal.auth';

export const PORTAL_TOKEN_HEADER = 'X-Portal-Token';

/** Forwarding sends mail to any address the supplier types: few per link. */
export const FORWARD_LIMIT = { count: 10, windowMs: 3_600_000 };
/** Uploads are the heaviest portal requests. */
export const UPLOAD_LIMIT = { count: 30, windowMs: 60_000 };

interface PortalLimiters {
  /** Failed links per client address; shared by the page and the JSON API so neither is a side door for guessing. */
  failures: FixedWindowLimiter;
  /** Per invitation. */
  forwards: FixedWindowLimiter;
  uploads: FixedWindowLimiter;
}

// One set per app: every app is built with its own config object (tests build many apps).
const limiterSets = new WeakMap<Config, PortalLimiters>();

export function portalLimiters(config: Config): PortalLimiters {
  let set = limiterSets.get(config);
  if (!set) {
    set = {
      failures: new FixedWindowLimiter(config.authFailureLimitPerMinute, 60_000),
      forwards: new FixedWindowLimiter(FORWARD_LIMIT.count, FORWARD_LIMIT.windowMs),
      uploads: new FixedWindowLimiter(UPLOAD_LIMIT.count, UPLOAD_LIMIT.windowMs),
    };
    limiterSets.set(config, set);
  }
  return set;
}

/** Counts one use of a per-invitation budget, or 429 when it is spent. */
export function spendBudget(limiter: FixedWindowLimiter, session: PortalSession, now: Date): void {
  const wait = limiter.retryAfter(session.invitationId, now.getTime());
  if (wait > 0) throw problems.rateLimited(wait);
  limiter.hit(session.invitationId, now.getTime());
}

export const portalActor = (session: PortalSession): Actor => ({ type: 'supplier_contact', id: session.invitationId });

export function portalAuditContext(c: AppContext, session: PortalSession): AuditContext {
  return { tenantId: session.tenantId, actor: portalActor(session), requestId: c.get('requestId') ?? null, now: c.var.now };
}

const invalidToken = () =>
  new ApiError({
    status: 401,
    code: 'unauthenticated',
    title: 'Unauthenticated',
    detail: 'The portal link is not valid: it may have expired or been replaced. Ask the sender for a new one.',
    headers: { 'WWW-Authenticate': 'PortalToken realm="chainproof-portal"' },
  });

/**
 * Resolves the token to a session, or undefined after counting a failure for the address.
 * Throws 429 while the address is over its failure budget.
 */
export async function portalSessionOf(c: AppContext, token: string | undefined): Promise<PortalSession | undefined> {
  const { failures } = portalLimiters(c.var.deps.config);
  const address = c.var.deps.clientAddress?.(c) ?? 'unknown';
  const now = c.var.now.getTime();
  const wait = failures.retryAfter(address, now);
  if (wait > 0) throw problems.rateLimited(wait);
  const session = token ? await resolvePortalToken(c.var.db, token, c.var.now) : undefined;
  if (!session) failures.hit(address, now);
  return session;
}

/** The `portal` access of defineRoute: the token comes in X-Portal-Token, never in the URL of an API call. */
export const requirePortalSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const session = await portalSessionOf(c, c.req.header(PORTAL_TOKEN_HEADER));
  if (!session) throw invalidToken();
  c.set('portal', session);
  return next();
};
