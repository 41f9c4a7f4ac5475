import { exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestContext,
  DEV_HS256_SECRET,
  JWT_AUDIENCE,
  JWT_ISSUER,
  PLATFORM_TOKEN,
  problemOf,
  type TestContext,
  type TestTenant,
} from './support/context';

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
});
afterAll(() => t.close());

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function expect401(token: string, what: string) {
  const response = await t.request('/v1/tenant', { key: token });
  expect(response.status, what).toBe(401);
  const problem = await problemOf(response);
  expect(problem.code).toBe('unauthenticated');
  expect(response.headers.get('www-authenticate')).toContain('Bearer');
}

describe('API keys as credentials', () => {
  it('authenticates and records lastUsedAt', async () => {
    const { id, key } = await t.createKey(tenant, ['tenant:read', 'api_keys:read']);
    const response = await t.request('/v1/tenant', { key });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: tenant.id, name: tenant.name });
    const listed = (await (await t.request(`/v1/api-keys/${id}`, { key })).json()) as { lastUsedAt: string | null };
    expect(listed.lastUsedAt).not.toBeNull();
  });

  it('refuses malformed, unknown and wrongly-cased keys', async () => {
    await expect401('cp_short', 'short key');
    await expect401('cp_' + 'Z'.repeat(40), 'unknown key');
    await expect401(tenant.adminKey.toUpperCase(), 'changed key');
  });

  it('refuses an expired key', async () => {
    const created = await t.request('/v1/api-keys', {
      method: 'POST',
      key: tenant.adminKey,
      json: { name: 'short-lived', scopes: ['tenant:read'], expiresAt: new Date(Date.now() + 1500).toISOString() },
    });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    expect((await t.request('/v1/tenant', { key })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    await expect401(key, 'expired key');
  });
});

describe('OIDC JWTs', () => {
  it('accepts an RS256 token from the JWKS and maps roles to scopes', async () => {
    const token = await t.signJwt({ sub: 'auditor-1', tenant_id: tenant.id, roles: ['auditor'] });
    expect((await t.request('/v1/audit-log', { key: token })).status).toBe(200);
    expect((await t.request('/v1/api-keys', { key: token })).status).toBe(200);
    const write = await t.request('/v1/api-keys', { method: 'POST', key: token, json: { name: 'x', scopes: ['tenant:read'] } });
    expect(write.status).toBe(403);
    expect((await problemOf(write)).detail).toContain('api_keys:write');
  });

  it('accepts roles as a space-separated string and records the user as actor', async () => {
    const token = await t.signJwt({ sub: 'admin-user-7', tenant_id: tenant.id, roles: 'admin reviewer' });
    const created = await t.request('/v1/api-keys', { method: 'POST', key: token, json: { name: 'by a user', scopes: ['tenant:read'] } });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ createdBy: { type: 'user', id: 'admin-user-7' } });
  });

  it('accepts the development HS256 secret outside production', async () => {
    const token = await new SignJWT({ sub: 'dev', tenant_id: tenant.id, roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(DEV_HS256_SECRET));
    expect((await t.request('/v1/tenant', { key: token })).status).toBe(200);
  });

  it('refuses alg "none"', async () => {
    const payload = { sub: 'x', tenant_id: tenant.id, roles: ['admin'], iss: JWT_ISSUER, aud: JWT_AUDIENCE, exp: nowSeconds() + 300 };
    await expect401(`${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`, 'alg none');
  });

  it('refuses HS256 signed with the RSA public key (algorithm confusion)', async () => {
    const publicKeyPem = await exportSPKI((await importJWK(t.jwks.publicJwk, 'RS256')) as CryptoKey);
    for (const secret of [publicKeyPem, JSON.stringify(t.jwks.publicJwk)]) {
      const token = await new SignJWT({ sub: 'x', tenant_id: tenant.id, roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256', kid: 'test-key-1' })
        .setIssuer(JWT_ISSUER)
        .setAudience(JWT_AUDIENCE)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret));
      await expect401(token, 'HS256 with the public key as secret');
    }
  });

  it('refuses expired and not-yet-valid tokens', async () => {
    const base = () =>
      new SignJWT({ sub: 'x', tenant_id: tenant.id, roles: ['admin'] })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key-1' })
        .setIssuer(JWT_ISSUER)
        .setAudience(JWT_AUDIENCE);
    await expect401(await base().setExpirationTime(nowSeconds() - 120).sign(t.jwks.privateKey), 'expired');
    await expect401(await base().setNotBefore(nowSeconds() + 600).setExpirationTime('1h').sign(t.jwks.privateKey), 'not yet valid');
  });

  it('refuses a token without an expiry, from the JWKS or with the development secret', async () => {
    const unexpiring = () => new SignJWT({ sub: 'x', tenant_id: tenant.id, roles: ['admin'] }).setIssuer(JWT_ISSUER).setAudience(JWT_AUDIENCE).setIssuedAt();
    await expect401(await unexpiring().setProtectedHeader({ alg: 'RS256', kid: 'test-key-1' }).sign(t.jwks.privateKey), 'RS256 without exp');
    await expect401(await unexpiring().setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(DEV_HS256_SECRET)), 'HS256 without exp');
  });

  it('refuses keys the token brings itself: an embedded jwk or a jku/x5u pointing elsewhere', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const attackerJwk = await exportJWK(publicKey);
    const claims = { sub: 'x', tenant_id: tenant.id, roles: ['admin'] };
    const signedWith = (header: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', ...header })
        .setIssuer(JWT_ISSUER)
        .setAudience(JWT_AUDIENCE)
        .setExpirationTime('5m')
        .sign(privateKey);
    await expect401(await signedWith({ jwk: attackerJwk }), 'embedded jwk');
    await expect401(await signedWith({ kid: 'test-key-1', jku: 'https://evil.example/jwks.json' }), 'jku');
    await expect401(await signedWith({ kid: 'test-key-1', x5u: 'https://evil.example/cert.pem' }), 'x5u');
  });

  it('refuses alg "none" and HS256 when the header names the JWKS key, whatever the case of "none"', async () => {
    const payload = { sub: 'x', tenant_id: tenant.id, roles: ['admin'], iss: JWT_ISSUER, aud: JWT_AUDIENCE, exp: nowSeconds() + 300 };
    for (const alg of ['None', 'NONE', 'nOnE']) await expect401(`${b64url({ alg, typ: 'JWT' })}.${b64url(payload)}.`, `alg ${alg}`);
    const signature = Buffer.from('forged').toString('base64url');
    await expect401(`${b64url({ alg: 'none', kid: 'test-key-1' })}.${b64url(payload)}.${signature}`, 'alg none with a signature');
  });

  it('refuses a wrong issuer or audience', async () => {
    const signed = (issuer: string, audience: string) =>
      new SignJWT({ sub: 'x', tenant_id: tenant.id, roles: ['admin'] })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key-1' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setExpirationTime('5m')
        .sign(t.jwks.privateKey);
    await expect401(await signed('https://evil.example/', JWT_AUDIENCE), 'wrong issuer');
    await expect401(await signed(JWT_ISSUER, 'another-api'), 'wrong audience');
  });

  it('refuses an unknown kid and a key that is not in the JWKS', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    await expect401(await t.signJwt({ sub: 'x', tenant_id: tenant.id, roles: ['admin'] }, { kid: 'unknown-kid' }), 'unknown kid');
    const foreign = await new SignJWT({ sub: 'x', tenant_id: tenant.id, roles: ['admin'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key-1' })
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setExpirationTime('5m')
      .sign(privateKey);
    await expect401(foreign, 'signed by another key');
  });

  it('refuses a tampered payload', async () => {
    const token = await t.signJwt({ sub: 'x', tenant_id: tenant.id, roles: ['auditor'] });
    const [header, , signature] = token.split('.');
    const forged = b64url({ sub: 'x', tenant_id: tenant.id, roles: ['admin'], iss: JWT_ISSUER, aud: JWT_AUDIENCE, exp: nowSeconds() + 300 });
    await expect401(`${header}.${forged}.${signature}`, 'tampered');
  });

  it('refuses an oversized token', async () => {
    const token = await t.signJwt({ sub: 'x', tenant_id: tenant.id, roles: ['admin'], padding: 'p'.repeat(10_000) });
    await expect401(token, 'oversized');
  });

  it('refuses a token for an unknown tenant or without the tenant claim', async () => {
    await expect401(await t.signJwt({ sub: 'x', tenant_id: 'ten_01M8146F9XS16SEKJVWY89FSG3', roles: ['admin'] }), 'unknown tenant');
    await expect401(await t.signJwt({ sub: 'x', roles: ['admin'] }), 'no tenant claim');
  });

  it('refuses garbage that looks like a JWT', async () => {
    await expect401('aaa.bbb.ccc', 'garbage');
    await expect401('%%%.###.!!!', 'not base64');
  });
});

describe('credentials in logs', () => {
  it('never writes a key, a token or the platform token to the log, also when they fail', async () => {
    const jwt = await t.signJwt({ sub: 'logged-user', tenant_id: tenant.id, roles: ['admin'] });
    const wrongKey = 'cp_' + 'W'.repeat(40);
    await t.request('/v1/tenant', { key: tenant.adminKey });
    await t.request('/v1/tenant', { key: jwt });
    await t.request('/v1/tenant', { key: wrongKey });
    await t.request('/v1/tenants', { method: 'POST', key: PLATFORM_TOKEN, json: { name: 'Logged tenant' } });
    const logged = t.logs.join('\n');
    expect(logged).toContain('/v1/tenant');
    for (const secret of [tenant.adminKey, jwt, jwt.split('.')[2]!, wrongKey, PLATFORM_TOKEN]) expect(logged).not.toContain(secret);
  });
});

describe('platform token', () => {
  it('creates tenants only with the right token', async () => {
    const wrong = await t.request('/v1/tenants', { method: 'POST', key: PLATFORM_TOKEN.slice(0, -1) + 'X', json: { name: 'x' } });
    expect(wrong.status).toBe(401);
    const right = await t.request('/v1/tenants', { method: 'POST', key: PLATFORM_TOKEN, json: { name: 'Stadtwerke Test' } });
    expect(right.status).toBe(201);
  });

  it('is disabled when PLATFORM_ADMIN_TOKEN is not set', async () => {
    const other = await createTestContext({ PLATFORM_ADMIN_TOKEN: '' });
    try {
      const response = await other.request('/v1/tenants', { method: 'POST', key: PLATFORM_TOKEN, json: { name: 'x' } });
      expect(response.status).toBe(401);
      expect((await problemOf(response)).detail).toContain('PLATFORM_ADMIN_TOKEN');
    } finally {
      await other.close();
    }
  });
});

describe('failed-authentication rate limit', () => {
  it('answers 429 with Retry-After after too many failures', async () => {
    const limited = await createTestContext({ AUTH_FAILURE_LIMIT_PER_MINUTE: '3' });
    try {
      const victim = await limited.createTenant();
      for (let attempt = 0; attempt < 3; attempt += 1) {
        expect((await limited.request('/v1/tenant', { key: 'cp_' + 'Q'.repeat(40) })).status).toBe(401);
      }
      const blocked = await limited.request('/v1/tenant', { key: victim.adminKey });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await problemOf(blocked)).code).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });
});
