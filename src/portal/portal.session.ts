import type { MiddlewareHandler } from 'hono';
import type { AuditContext } from '../lib/audit';
import type { Actor, AppContext, AppEnv } from '../lib/context';
import { ApiError, problems } from '../lib/errors';
import { limitersOf, spend, type FixedWindowLimiter } from '../lib/rate-limit';
import { resolvePortalToken, type PortalSession } from './portal.auth';

export const PORTAL_TOKEN_HEADER = 'X-Portal-Token';

/** Counts one use of a per-invitation budget, or 429 when it is spent. */
export function spendBudget(limiter: FixedWindowLimiter, session: PortalSession, now: Date): void {
  spend(limiter, session.invitationId, now.getTime());
}

export const portalActor = (session: PortalSession): Actor => ({ type: 'supplier_contact', id: session.invitationId });

export function portalAuditContext(c: AppContext, session: PortalSession): AuditContext {
  return { tenantId: session.tenantId, actor: portalActor(session), requestId: c.get('requestId') ?? null, now: c.get('now') };
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
 * `resolve(token)` under the failure budget that every supplier-token door (portal page, portal
 * API, incident-report links) shares per client address, so that none is a side door for guessing:
 * 429 while the address is over it, and a failure counted when the token resolves to nothing.
 */
export async function resolveSupplierToken<T>(
  c: AppContext,
  token: string | undefined,
  resolve: (token: string) => Promise<T | undefined>,
): Promise<T | undefined> {
  const failures = limitersOf(c.get('deps').config).portalAuthFailures;
  const address = c.get('deps').clientAddress?.(c) ?? 'unknown';
  const now = c.get('now').getTime();
  const wait = failures.retryAfter(address, now);
  if (wait > 0) throw problems.rateLimited(wait);
  const resolved = token ? await resolve(token) : undefined;
  if (!resolved) failures.hit(address, now);
  return resolved;
}

/** The session for a portal token, or undefined (a failure counted; see resolveSupplierToken). */
export function portalSessionOf(c: AppContext, token: string | undefined): Promise<PortalSession | undefined> {
  return resolveSupplierToken(c, token, (value) => resolvePortalToken(c.get('db'), value, c.get('now')));
}

/** The `portal` access of defineRoute: the token comes in X-Portal-Token, never in the URL of an API call. */
export const requirePortalSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const session = await portalSessionOf(c, c.req.header(PORTAL_TOKEN_HEADER));
  if (!session) throw invalidToken();
  c.set('portal', session);
  return next();
};
