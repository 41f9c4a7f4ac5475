import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
});
afterAll(() => t.close());

interface ApiKeyBody {
  id: string;
  key?: string;
  prefix: string;
  scopes: string[];
  status: string;
}

describe('API keys', () => {
  it('shows the key once, stores only its hash, and never lists it', async () => {
    const created = await t.request('/v1/api-keys', {
      method: 'POST',
      key: tenant.adminKey,
      json: { name: 'SAP vendor sync', scopes: ['suppliers:read', 'suppliers:write'] },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    const body = (await created.json()) as ApiKeyBody;
    expect(body.key).toMatch(/^cp_[0-9A-Za-z]{40}$/);
    expect(body.prefix).toBe(body.key!.slice(0, 10));
    expect(created.headers.get('location')).toBe(`/v1/api-keys/${body.id}`);
    expect(body).toMatchObject({ name: 'SAP vendor sync', scopes: ['suppliers:read', 'suppliers:write'], status: 'active' });

    const single = await t.request(`/v1/api-keys/${body.id}`, { key: tenant.adminKey });
    const singleText = await single.text();
    expect(singleText).not.toContain(body.key!);
    expect(JSON.parse(singleText)).not.toHaveProperty('key');

    const list = await (await t.request('/v1/api-keys', { key: tenant.adminKey })).text();
    expect(list).not.toContain(body.key!);

    const [row] = await queryRows<{ key_hash: string }>(t.db, sql`select key_hash from api_keys where id = ${body.id}`);
    const hash = row!.key_hash;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(body.key!.slice(3));
  });

  it('cannot grant scopes its creator lacks', async () => {
    const limited = await t.createKey(tenant, ['api_keys:write', 'suppliers:read']);
    const escalate = await t.request('/v1/api-keys', {
      method: 'POST',
      key: limited.key,
      json: { name: 'escalation', scopes: ['suppliers:read', 'audit_log:read'] },
    });
    expect(escalate.status).toBe(403);
    expect((await problemOf(escalate)).detail).toContain('audit_log:read');
    const allowed = await t.request('/v1/api-keys', { method: 'POST', key: limited.key, json: { name: 'ok', scopes: ['suppliers:read'] } });
    expect(allowed.status).toBe(201);
  });

  it('validates names, scopes and expiry', async () => {
    const cases = [
      { json: { name: 'x', scopes: [] }, path: 'scopes' },
      { json: { name: 'x', scopes: ['suppliers:read', 'suppliers:read'] }, path: 'scopes' },
      { json: { name: ' ', scopes: ['suppliers:read'] }, path: 'name' },
      { json: { name: 'x', scopes: ['suppliers:read'], expiresAt: 'tomorrow' }, path: 'expiresAt' },
      { json: { name: 'x', scopes: ['suppliers:read'], expiresAt: '2020-01-01T00:00:00Z' }, path: 'expiresAt' },
      { json: { name: 'x'.repeat(201), scopes: ['suppliers:read'] }, path: 'name' },
    ];
    for (const { json, path } of cases) {
      const response = await t.request('/v1/api-keys', { method: 'POST', key: tenant.adminKey, json });
      expect(response.status, JSON.stringify(json)).toBe(422);
      expect((await problemOf(response)).errors!.map((error) => error.path), JSON.stringify(json)).toContain(path);
    }
  });

  it('revokes: the key stops working at once, and revoking again changes nothing', async () => {
    const { id, key } = await t.createKey(tenant, ['tenant:read']);
    expect((await t.request('/v1/tenant', { key })).status).toBe(200);
    const revoke = await t.request(`/v1/api-keys/${id}`, { method: 'DELETE', key: tenant.adminKey });
    expect(revoke.status).toBe(204);
    expect((await t.request('/v1/tenant', { key })).status).toBe(401);
    const again = await t.request(`/v1/api-keys/${id}`, { method: 'DELETE', key: tenant.adminKey });
    expect(again.status).toBe(204);
    const shown = (await (await t.request(`/v1/api-keys/${id}`, { key: tenant.adminKey })).json()) as ApiKeyBody & { revokedAt: string };
    expect(shown.status).toBe('revoked');
    expect(shown.revokedAt).toBeTruthy();
    const audit = (await (await t.request(`/v1/audit-log?entityId=${id}`, { key: tenant.adminKey })).json()) as { data: { action: string }[] };
    expect(audit.data.map((entry) => entry.action)).toEqual(['api_key.revoked', 'api_key.created']);
  });

  it('honours If-Match on revoke', async () => {
    const { id } = await t.createKey(tenant, ['tenant:read']);
    const read = await t.request(`/v1/api-keys/${id}`, { key: tenant.adminKey });
    const etag = read.headers.get('etag')!;
    expect(etag).toBe('"1"');
    const stale = await t.request(`/v1/api-keys/${id}`, { method: 'DELETE', key: tenant.adminKey, headers: { 'if-match': '"7"' } });
    expect(stale.status).toBe(412);
    expect((await problemOf(stale)).code).toBe('precondition_failed');
    const fresh = await t.request(`/v1/api-keys/${id}`, { method: 'DELETE', key: tenant.adminKey, headers: { 'if-match': etag } });
    expect(fresh.status).toBe(204);
    expect((await t.request(`/v1/api-keys/${id}`, { key: tenant.adminKey })).headers.get('etag')).toBe('"2"');
  });

  it('lists newest first with keyset pagination and a status filter', async () => {
    const own = await t.createTenant();
    const ids: string[] = [own.adminKeyId];
    for (let index = 0; index < 4; index += 1) ids.push((await t.createKey(own, ['tenant:read'], `key ${index}`)).id);
    await t.request(`/v1/api-keys/${ids[1]}`, { method: 'DELETE', key: own.adminKey });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = (await (await t.request(`/v1/api-keys${query}`, { key: own.adminKey })).json()) as { data: ApiKeyBody[]; nextCursor: string | null };
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((item) => item.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    const active = (await (await t.request('/v1/api-keys?status=active', { key: own.adminKey })).json()) as { data: ApiKeyBody[] };
    expect(active.data.map((item) => item.id)).not.toContain(ids[1]);
    expect(active.data).toHaveLength(4);
    const revoked = (await (await t.request('/v1/api-keys?status=revoked', { key: own.adminKey })).json()) as { data: ApiKeyBody[] };
    expect(revoked.data.map((item) => item.id)).toEqual([ids[1]]);
  });

  it('never shows another tenant\'s keys', async () => {
    const other = await t.createTenant();
    const list = (await (await t.request('/v1/api-keys?limit=200', { key: tenant.adminKey })).json()) as { data: ApiKeyBody[] };
    expect(list.data.map((item) => item.id)).not.toContain(other.adminKeyId);
  });
});
