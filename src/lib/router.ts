import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Scope } from '../catalog/access';
import type { AppEnv } from './context';
import { problemResponse, type FieldError } from './errors';
import { idempotency } from './idempotency';
import { multipartBody } from './multipart';
import { limitersOf, spend } from './rate-limit';
import { errorResponses, IfMatchParameter } from './openapi';
import { requirePortalSession } from '../portal/portal.session';

interface ValidationIssue {
  path: PropertyKey[];
  message: string;
}

const LOCATIONS: Record<string, string> = { json: 'body', form: 'body', query: 'query', param: 'path', header: 'header', cookie: 'cookie' };

export function fieldErrors(issues: readonly ValidationIssue[], target: string): FieldError[] {
  return issues.map((issue) => ({
    location: LOCATIONS[target] ?? target,
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** Every router shares this hook, so a validation failure is always our 422 problem, never zod's raw error. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        return problemResponse(c, {
          status: 422,
          code: 'validation_failed',
          title: 'Validation failed',
          detail: 'The request is not valid.',
          errors: fieldErrors(result.error.issues, result.target),
        });
      }
      return undefined;
    },
  });
}

export type Access = Scope | 'platform' | 'public' | 'portal';

const isScope = (access: Access): access is Scope => access !== 'public' && access !== 'platform' && access !== 'portal';

export interface RouteOptions {
  /** What the caller needs: a tenant scope, the platform admin token, a supplier's portal token, or nothing. */
  access: Access;
  /** Statuses this route can answer beyond the ones derived from its shape. */
  errors?: number[];
  /** Accepts If-Match (documented, and 412 listed). */
  ifMatch?: boolean;
}

const requireAccess =
  (access: Access): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    if (access === 'public') return next();
    if (access === 'portal') return requirePortalSession(c, next);
    const { authenticator } = c.var;
    if (access === 'platform') {
      await authenticator.authenticatePlatform(c);
      return next();
    }
    const principal = await authenticator.authenticate(c);
    if (!principal.scopes.has(access)) {
      return problemResponse(c, {
        status: 403,
        code: 'forbidden',
        title: 'Forbidden',
        detail: `This operation needs the "${access}" scope.`,
      });
    }
    c.set('principal', principal);
    return next();
  };

const limitTenantUploads: MiddlewareHandler<AppEnv> = async (c, next) => {
  spend(limitersOf(c.get('deps').config).evidenceUploads, c.get('principal').tenantId, c.get('now').getTime());
  return next();
};

/**
 * createRoute plus our conventions: security and `x-required-scope`, the access check and
 * idempotency as middleware, Idempotency-Key / If-Match parameters and every error response.
 */
export function defineRoute<const R extends RouteConfig>(config: R & RouteOptions): R {
  const { access, errors = [], ifMatch = false, ...route } = config;
  const statuses = new Set<number>([500, ...errors]);
  if (access !== 'public') statuses.add(401).add(429);
  if (isScope(access)) statuses.add(403);
  if (route.path.includes('{')) statuses.add(404);
  if (route.request?.params || route.request?.query || route.request?.body || route.request?.headers) statuses.add(422);
  if (route.request?.body) statuses.add(400).add(413).add(415);
  const isPost = route.method === 'post';
  if (isPost) statuses.add(409);
  if (ifMatch) statuses.add(412);

  // Not on portal routes: stored responses are per tenant, and a tenant has many supplier contacts.
  const idempotent = isPost && (access === 'platform' || isScope(access));
  const middleware: MiddlewareHandler<AppEnv>[] = [requireAccess(access)];
  // Uploads: counted per tenant before the body is read, so a caller over its budget costs no
  // parsing; then the body parsed once, files as views of it, before idempotency and the form
  // validator read it. (Portal uploads count per link in their service, which the page shares.)
  if (route.request?.body?.content?.['multipart/form-data']) {
    if (isScope(access)) middleware.push(limitTenantUploads);
    middleware.push(multipartBody);
  }
  if (idempotent) {
    middleware.push(idempotency((c) => (access === 'platform' ? 'platform' : c.get('principal').tenantId)));
  }
  const parameters = [
    ...((route as { parameters?: unknown[] }).parameters ?? []),
    ...(idempotent ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
    ...(ifMatch ? [IfMatchParameter] : []),
  ];
  return createRoute({
    ...route,
    ...(parameters.length > 0 ? { parameters } : {}),
    security: access === 'public' ? [] : [{ [access === 'platform' ? 'platformAdmin' : access === 'portal' ? 'portalToken' : 'bearerAuth']: [] }],
    ...(isScope(access) ? { 'x-required-scope': access } : {}),
    middleware: [...middleware, ...((route.middleware as MiddlewareHandler<AppEnv>[] | undefined) ?? [])],
    responses: { ...errorResponses(statuses), ...route.responses },
  }) as unknown as R;
}
