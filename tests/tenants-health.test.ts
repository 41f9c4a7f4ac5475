import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import type { DatabaseProvider } from '../src/db/types';
import { createLogger } from '../src/lib/logger';
import { createTestContext, PLATFORM_TOKEN, problemOf, type TestContext } from './support/context';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('tenants', () => {
  it('creates a tenant with its first admin key, shown once', async () => {
    const response = await t.request('/v1/tenants', { method: 'POST', key: PLATFORM_TOKEN, json: { name: '  Netzbetreiber Nord AG  ' } });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { tenant: { id: string; name: string }; apiKey: { key: string; scopes: string[] } };
    expect(body.tenant.id).toMatch(/^ten_[0-9A-Z]{26}$/);
    expect(body.tenant.name).toBe('Netzbetreiber Nord AG');
    expect(body.apiKey.scopes).toEqual(expect.arrayContaining(['api_keys:write', 'audit_log:read', 'suppliers:write']));
    const current = await t.request('/v1/tenant', { key: body.apiKey.key });
    expect(current.status).toBe(200);
    expect(current.headers.get('etag')).toBe('"1"');
    expect(await current.json()).toMatchObject({ id: body.tenant.id, name: 'Netzbetreiber Nord AG', version: 1 });
  });

  it('validates the name and refuses unknown fields', async () => {
    for (const json of [{}, { name: '' }, { name: 'x'.repeat(201) }, { name: 'ok', tenantId: 'ten_x' }]) {
      const response = await t.request('/v1/tenants', { method: 'POST', key: PLATFORM_TOKEN, json });
      expect(response.status, JSON.stringify(json)).toBe(422);
      expect((await problemOf(response)).errors!.length).toBeGreaterThan(0);
    }
  });

  it('answers 422, not 500, for text Postgres cannot store', async () => {
    const response = await t.request('/v1/tenants', { method: 'POST', key: PLATFORM_TOKEN, json: { name: 'nul\u0000byte' } });
    expect(response.status).toBe(422);
    expect((await problemOf(response)).code).toBe('invalid_text');
  });
});

describe('health', () => {
  it('answers liveness and readiness', async () => {
    const live = await t.request('/healthz');
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await t.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'up' });
  });

  it('reports 503 problem+json when the database is unreachable, and API calls get 503 too', async () => {
    const { createPostgresProvider } = await import('../src/db/postgres');
    const unreachable: DatabaseProvider = createPostgresProvider('postgres://nobody@127.0.0.1:1/none', { max: 1 });
    const app = buildApp({ config: t.config, database: unreachable, logger: createLogger('silent'), docsAssets: async () => undefined });
    try {
      const ready = await app.request('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.headers.get('content-type')).toContain('application/problem+json');
      expect(ready.headers.get('retry-after')).toBe('5');
      expect(((await ready.json()) as { code: string }).code).toBe('service_unavailable');
      const api = await app.request('/v1/tenant', { headers: { authorization: `Bearer cp_${'A'.repeat(40)}` } });
      expect(api.status).toBe(503);
      expect(await api.text()).not.toContain('127.0.0.1');
      expect((await app.request('/healthz')).status).toBe(200);
    } finally {
      await unreachable.close();
    }
  });
});
