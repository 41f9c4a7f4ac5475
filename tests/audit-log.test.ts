import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';

let t: TestContext;

beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

interface Entry {
  seq: number;
  action: string;
  entityType: string;
  entityId: string;
  actor: { type: string; id: string };
  requestId: string | null;
  prevHash: string;
  hash: string;
  changes: Record<string, unknown>;
  occurredAt: string;
}

const list = async (tenant: TestTenant, query = '') =>
  (await (await t.request(`/v1/audit-log${query}`, { key: tenant.adminKey })).json()) as { data: Entry[]; nextCursor: string | null };

const verify = async (tenant: TestTenant) =>
  (await (await t.request('/v1/audit-log/verify', { key: tenant.adminKey })).json()) as { valid: boolean; checked: number; firstBrokenSeq: number | null };

describe('audit log', () => {
  it('records tenant creation and every key change with actor, request id and a hash chain', async () => {
    const tenant = await t.createTenant();
    const created = await t.request('/v1/api-keys', {
      method: 'POST',
      key: tenant.adminKey,
      headers: { 'x-request-id': 'req-audit-1' },
      json: { name: 'ERP', scopes: ['suppliers:read'] },
    });
    const keyId = ((await created.json()) as { id: string }).id;
    const { data } = await list(tenant, '?order=asc');
    expect(data.map((entry) => [entry.seq, entry.action])).toEqual([
      [1, 'tenant.created'],
      [2, 'api_key.created'],
      [3, 'api_key.created'],
    ]);
    expect(data[0]!.actor).toEqual({ type: 'platform', id: 'platform' });
    expect(data[0]!.prevHash).toBe('0'.repeat(64));
    expect(data[1]!.prevHash).toBe(data[0]!.hash);
    expect(data[2]).toMatchObject({
      entityType: 'api_key',
      entityId: keyId,
      requestId: 'req-audit-1',
      actor: { type: 'api_key', id: tenant.adminKeyId },
      changes: { name: 'ERP', scopes: ['suppliers:read'] },
    });
    expect(JSON.stringify(data)).not.toMatch(/cp_[0-9A-Za-z]{40}/);
    expect(await verify(tenant)).toEqual({ valid: true, checked: 3, firstBrokenSeq: null });
  });

  it('filters by entity, actor, action and time, and pages by sequence', async () => {
    const tenant = await t.createTenant();
    const keys = [];
    for (let index = 0; index < 5; index += 1) keys.push(await t.createKey(tenant, ['tenant:read'], `k${index}`));
    await t.request(`/v1/api-keys/${keys[0]!.id}`, { method: 'DELETE', key: tenant.adminKey });

    expect((await list(tenant, `?entityId=${keys[0]!.id}`)).data.map((entry) => entry.action)).toEqual(['api_key.revoked', 'api_key.created']);
    expect((await list(tenant, '?action=api_key.revoked')).data).toHaveLength(1);
    expect((await list(tenant, '?entityType=tenant')).data).toHaveLength(1);
    expect((await list(tenant, `?actorId=${tenant.adminKeyId}`)).data).toHaveLength(6);
    expect((await list(tenant, '?actorType=platform')).data).toHaveLength(2);
    expect((await list(tenant, '?since=2999-01-01T00:00:00Z')).data).toHaveLength(0);
    expect((await list(tenant, '?until=2000-01-01T00:00:00Z')).data).toHaveLength(0);

    const first = await list(tenant, '?limit=3');
    expect(first.data.map((entry) => entry.seq)).toEqual([8, 7, 6]);
    const second = await list(tenant, `?limit=3&cursor=${first.nextCursor}`);
    expect(second.data.map((entry) => entry.seq)).toEqual([5, 4, 3]);
    const third = await list(tenant, `?limit=3&cursor=${second.nextCursor}`);
    expect(third.data.map((entry) => entry.seq)).toEqual([2, 1]);
    expect(third.nextCursor).toBeNull();

    const bad = await t.request('/v1/audit-log?since=yesterday', { key: tenant.adminKey });
    expect(bad.status).toBe(422);
    expect((await problemOf(bad)).errors![0]!.path).toBe('since');
  });

  it('keeps sequence numbers gap-free under concurrent writes', async () => {
    const tenant = await t.createTenant();
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, index) => t.request('/v1/api-keys', {
        method: 'POST',
        key: tenant.adminKey,
        json: { name: `parallel ${index}`, scopes: ['tenant:read'] },
      })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(12).fill(201));
    const { data } = await list(tenant, '?order=asc&limit=200');
    expect(data.map((entry) => entry.seq)).toEqual(Array.from({ length: 14 }, (_, index) => index + 1));
    expect(await verify(tenant)).toEqual({ valid: true, checked: 14, firstBrokenSeq: null });
  });

  it('detects an edited, a deleted and a truncated entry', async () => {
    const tenant = await t.createTenant();
    for (let index = 0; index < 3; index += 1) await t.createKey(tenant, ['tenant:read'], `k${index}`);
    expect((await verify(tenant)).valid).toBe(true);

    await t.db.execute(sql`update audit_log set changes = '{"name":"forged"}'::jsonb where tenant_id = ${tenant.id} and seq = 3`);
    expect(await verify(tenant)).toEqual({ valid: false, checked: 2, firstBrokenSeq: 3 });

    const other = await t.createTenant();
    for (let index = 0; index < 3; index += 1) await t.createKey(other, ['tenant:read'], `k${index}`);
    await t.db.execute(sql`delete from audit_log where tenant_id = ${other.id} and seq = 2`);
    expect(await verify(other)).toMatchObject({ valid: false, firstBrokenSeq: 2 });

    const third = await t.createTenant();
    await t.createKey(third, ['tenant:read']);
    await t.db.execute(sql`delete from audit_log where tenant_id = ${third.id} and seq = 3`);
    expect(await verify(third)).toEqual({ valid: false, checked: 2, firstBrokenSeq: 3 });
  });

  it('is readable by an auditor key, not by a key without audit_log:read, and isolated per tenant', async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    const auditor = await t.createKey(tenant, ['audit_log:read']);
    const entries = (await (await t.request('/v1/audit-log?limit=200', { key: auditor.key })).json()) as { data: Entry[] };
    expect(entries.data.length).toBeGreaterThan(0);
    expect(entries.data.every((entry) => entry.entityId !== other.id && entry.entityId !== other.adminKeyId)).toBe(true);
    const rows = await queryRows<{ tenant_id: string }>(t.db, sql`select distinct tenant_id from audit_log where entity_id = ${other.adminKeyId}`);
    expect(rows).toEqual([{ tenant_id: other.id }]);
    const noScope = await t.createKey(tenant, ['tenant:read']);
    expect((await t.request('/v1/audit-log/verify', { key: noScope.key })).status).toBe(403);
  });
});
