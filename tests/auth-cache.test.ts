// An instance keeps a looked-up API key for AUTH_CACHE_SECONDS, so a busy client costs one key
// lookup per interval. Revoking through the API takes effect at once on the instance that revoked
// (tests/api-keys.test.ts); a change made elsewhere within the interval; expiry is checked on
// every request whatever the cache holds.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { appWithClock } from './support/clock-app';
import { createTestContext, type TestContext, type TestTenant } from './support/context';

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant('Auth cache');
});
afterAll(() => t.close());

const get = (app: ReturnType<typeof appWithClock>, key: string) => app.request('/v1/tenant', { headers: { authorization: `Bearer ${key}` } });
const revokeBehindTheBack = (id: string) => t.db.execute(sql`update api_keys set revoked_at = now() where tenant_id = ${tenant.id} and id = ${id}`);

describe('API key cache', () => {
  it('holds a key for AUTH_CACHE_SECONDS: a revocation made elsewhere counts once the interval is over', async () => {
    const clock = { now: new Date() };
    const app = appWithClock(t, clock);
    const { id, key } = await t.createKey(tenant, ['tenant:read']);
    expect((await get(app, key)).status).toBe(200);
    await revokeBehindTheBack(id);
    clock.now = new Date(clock.now.getTime() + (t.config.auth.cacheSeconds - 1) * 1000);
    expect((await get(app, key)).status).toBe(200);
    clock.now = new Date(clock.now.getTime() + 2000);
    expect((await get(app, key)).status).toBe(401);
  });

  it('looks the key up on every request with AUTH_CACHE_SECONDS=0', async () => {
    const app = appWithClock(t, { now: new Date() }, { ...t.config, auth: { ...t.config.auth, cacheSeconds: 0 } });
    const { id, key } = await t.createKey(tenant, ['tenant:read']);
    expect((await get(app, key)).status).toBe(200);
    await revokeBehindTheBack(id);
    expect((await get(app, key)).status).toBe(401);
  });

  it('refuses a cached key once it has expired', async () => {
    const clock = { now: new Date() };
    const app = appWithClock(t, clock);
    const expiresAt = new Date(clock.now.getTime() + 2000).toISOString();
    const created = await t.request('/v1/api-keys', { method: 'POST', key: tenant.adminKey, json: { name: 'short-lived', scopes: ['tenant:read'], expiresAt } });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    expect((await get(app, key)).status).toBe(200);
    clock.now = new Date(clock.now.getTime() + 3000);
    expect((await get(app, key)).status).toBe(401);
  });

  it('is configured by AUTH_CACHE_SECONDS (default 10, at most 300)', () => {
    expect(loadConfig({}).auth.cacheSeconds).toBe(10);
    expect(loadConfig({ AUTH_CACHE_SECONDS: '0' }).auth.cacheSeconds).toBe(0);
    expect(() => loadConfig({ AUTH_CACHE_SECONDS: '301' })).toThrow();
  });
});
