import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ALL_ROLES, ALL_SCOPES, rolesHeldByScopes, scopesForRoles, type Role, type Scope } from '../catalog/access';
import type { Config } from '../config';
import { apiKeys, tenants } from '../db/schema';
import type { Db } from '../db/types';
import type { AppContext, Principal } from './context';
import { sha256Hex, timingSafeEqualText } from './crypto';
import { problems } from './errors';
import { CredentialCache } from './credential-cache';
import { FixedWindowLimiter } from './rate-limit';

export const API_KEY_PREFIX = 'cp_';
const API_KEY_PATTERN = /^cp_[0-9A-Za-z]{40}$/;
const MAX_TOKEN_LENGTH = 8192;
const LAST_USED_RESOLUTION_MS = 60_000;

export function bearerToken(c: AppContext): string | undefined {
  const header = c.req.header('authorization');
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw problems.unauthenticated('The Authorization header must be "Bearer <token>".');
  if (match[1].length > MAX_TOKEN_LENGTH) throw problems.unauthenticated('The bearer token is too long.');
  return match[1];
}

/** An active API key as authentication needs it; cached (CredentialCache) between lookups. */
interface KnownApiKey {
  id: string;
  tenantId: string;
  scopes: ReadonlySet<Scope>;
  roles: ReadonlySet<Role>;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

async function lookUpApiKey(db: Db, keyHash: string): Promise<KnownApiKey | undefined> {
  const [row] = await db
    .select({
      id: apiKeys.id,
      tenantId: apiKeys.tenantId,
      scopes: apiKeys.scopes,
      revokedAt: apiKeys.revokedAt,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, keyHash))
    .limit(1);
  if (!row || row.revokedAt) return undefined;
  const known = new Set<string>(ALL_SCOPES);
  const scopes = new Set(row.scopes.filter((scope): scope is Scope => known.has(scope)));
  return { id: row.id, tenantId: row.tenantId, scopes, roles: rolesHeldByScopes(scopes), expiresAt: row.expiresAt, lastUsedAt: row.lastUsedAt };
}

async function authenticateApiKey(db: Db, cache: CredentialCache<KnownApiKey>, key: string, now: Date): Promise<Principal> {
  if (!API_KEY_PATTERN.test(key)) throw problems.unauthenticated('The API key is not valid.');
  const keyHash = await sha256Hex(key);
  let apiKey = cache.get(keyHash, now.getTime());
  if (!apiKey) {
    apiKey = await lookUpApiKey(db, keyHash);
    if (apiKey) cache.set(keyHash, apiKey, now.getTime());
  }
  if (!apiKey || (apiKey.expiresAt && apiKey.expiresAt <= now)) {
    throw problems.unauthenticated('The API key is not valid, or has been revoked or has expired.');
  }
  if (!apiKey.lastUsedAt || now.getTime() - apiKey.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    // Coarse on purpose: one write a minute per key, not one per request.
    apiKey.lastUsedAt = now;
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(apiKeys.tenantId, apiKey.tenantId),
          eq(apiKeys.id, apiKey.id),
          or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS))),
        ),
      );
  }
  return { tenantId: apiKey.tenantId, actor: { type: 'api_key', id: apiKey.id }, scopes: apiKey.scopes, roles: apiKey.roles };
}

export interface JwtVerifier {
  verify(token: string): Promise<JWTPayload>;
}

/** Pins issuer, audience and algorithms, and requires an expiry. The JWKS is fetched once and cached by jose. */
export function createJwtVerifier(config: Config): JwtVerifier | undefined {
  const { jwksUrl, devHs256Secret, issuer, audience, algorithms } = config.auth;
  if (!issuer || !audience) return undefined;
  let remote: JWTVerifyGetKey | undefined;
  if (jwksUrl) {
    remote = createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000, timeoutDuration: 5_000 });
  }
  const hmacKey = devHs256Secret ? new TextEncoder().encode(devHs256Secret) : undefined;
  if (!remote && !hmacKey) return undefined;
  // jose checks `exp` only when it is there: a token without one would never expire (RFC 8725 3.10).
  const checks = { issuer, audience, requiredClaims: ['exp'], clockTolerance: 30 };
  return {
    async verify(token) {
      const header = JSON.parse(new TextDecoder().decode(base64UrlDecode(token.split('.')[0] ?? ''))) as { alg?: unknown };
      // Each key type only with its own algorithms, so an RSA public key can never be used as an HMAC secret.
      if (header.alg === 'HS256' && hmacKey) {
        return (await jwtVerify(token, hmacKey, { ...checks, algorithms: ['HS256'] })).payload;
      }
      if (!remote) throw new joseErrors.JOSEAlgNotAllowed('This algorithm is not accepted.');
      return (await jwtVerify(token, remote, { ...checks, algorithms })).payload;
    },
  };
}

function base64UrlDecode(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function claimAt(payload: JWTPayload, name: string): unknown {
  return (payload as Record<string, unknown>)[name];
}

async function authenticateJwt(
  db: Db,
  config: Config,
  verifier: JwtVerifier | undefined,
  knownTenants: CredentialCache<true>,
  token: string,
  now: Date,
): Promise<Principal> {
  if (!verifier) throw problems.unauthenticated('Bearer tokens must be API keys: no identity provider is configured.');
  let payload: JWTPayload;
  try {
    payload = await verifier.verify(token);
  } catch {
    throw problems.unauthenticated('The token could not be verified.');
  }
  const tenantId = claimAt(payload, config.auth.tenantClaim);
  const rawRoles = claimAt(payload, config.auth.rolesClaim);
  const roles = Array.isArray(rawRoles)
    ? rawRoles.filter((role): role is string => typeof role === 'string')
    : typeof rawRoles === 'string'
      ? rawRoles.split(/[\s,]+/)
      : [];
  if (typeof tenantId !== 'string' || !payload.sub) {
    throw problems.unauthenticated(`The token must carry "sub" and the "${config.auth.tenantClaim}" claim.`);
  }
  if (!knownTenants.get(tenantId, now.getTime())) {
    const [tenant] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
    if (!tenant) throw problems.unauthenticated('The token names an unknown tenant.');
    knownTenants.set(tenantId, true, now.getTime());
  }
  const knownRoles = new Set(roles.filter((role): role is Role => (ALL_ROLES as string[]).includes(role)));
  return { tenantId, actor: { type: 'user', id: payload.sub }, scopes: scopesForRoles(roles), roles: knownRoles };
}

export interface Authenticator {
  /** Resolves the tenant principal for a request, or throws 401 / 429. */
  authenticate(c: AppContext): Promise<Principal>;
  /** Checks the platform-admin token used to create tenants. */
  authenticatePlatform(c: AppContext): Promise<void>;
  /** After a revocation commits: this instance stops accepting the key at once (others within AUTH_CACHE_SECONDS). */
  forgetApiKey(apiKeyId: string): void;
}

export function createAuthenticator(config: Config): Authenticator {
  const verifier = createJwtVerifier(config);
  const failures = new FixedWindowLimiter(config.rateLimits.authFailuresPerMinute, 60_000);
  const apiKeyCache = new CredentialCache<KnownApiKey>(config.auth.cacheSeconds * 1000);
  const knownTenants = new CredentialCache<true>(config.auth.cacheSeconds * 1000);

  async function guarded<T>(c: AppContext, attempt: () => Promise<T>): Promise<T> {
    const address = c.get('deps').clientAddress?.(c) ?? 'unknown';
    const now = Date.now();
    const wait = failures.retryAfter(address, now);
    if (wait > 0) throw problems.rateLimited(wait);
    try {
      return await attempt();
    } catch (error) {
      if ((error as { status?: number }).status === 401) failures.hit(address, now);
      throw error;
    }
  }

  return {
    authenticate: (c) =>
      guarded(c, async () => {
        const token = bearerToken(c);
        if (!token) throw problems.unauthenticated();
        const db = c.get('db');
        if (token.startsWith(API_KEY_PREFIX)) return authenticateApiKey(db, apiKeyCache, token, c.get('now'));
        if (token.split('.').length === 3) return authenticateJwt(db, config, verifier, knownTenants, token, c.get('now'));
        throw problems.unauthenticated('The bearer token is neither an API key nor a JWT.');
      }),
    authenticatePlatform: (c) =>
      guarded(c, async () => {
        const token = bearerToken(c);
        if (!token) throw problems.unauthenticated();
        if (!config.platformAdminToken) {
          throw problems.unauthenticated('Tenant creation is disabled: PLATFORM_ADMIN_TOKEN is not set.');
        }
        if (!(await timingSafeEqualText(token, config.platformAdminToken))) {
          throw problems.unauthenticated('The platform admin token is not valid.');
        }
      }),
    forgetApiKey: (apiKeyId) => apiKeyCache.forget((apiKey) => apiKey.id === apiKeyId),
  };
}
