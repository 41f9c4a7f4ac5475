import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../src/jobs/run-due-jobs';
import { createLogger } from '../src/lib/logger';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
});
afterAll(() => t.close());

const createKey = (idempotencyKey: string, name: string, key = tenant.adminKey) =>
  t.request('/v1/api-keys', {
    method: 'POST',
    key,
    headers: { 'idempotency-key': idempotencyKey },
    json: { name, scopes: ['tenant:read'] },
  });

async function countKeysNamed(tenantId: string, name: string) {
  const rows = await queryRows<{ count: string | number }>(t.db, sql`select count(*) as count from api_keys where tenant_id = ${tenantId} and name = ${name}`);
  return Number(rows[0]!.count);
}

describe('Idempotency-Key', () => {
  it('replays the first response to a retry, without a second write', async () => {
    const first = await createKey('retry-1', 'idempotent key');
    expect(first.status).toBe(201);
    const firstBody = await first.text();
    const retry = await createKey('retry-1', 'idempotent key');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(await retry.text()).toBe(firstBody);
    expect(await countKeysNamed(tenant.id, 'idempotent key')).toBe(1);
  });

  it('answers 422 when the same key comes with a different body', async () => {
    expect((await createKey('reuse-1', 'first body')).status).toBe(201);
    const reused = await createKey('reuse-1', 'second body');
    expect(reused.status).toBe(422);
    expect((await problemOf(reused)).code).toBe('idempotency_key_reused');
    expect(await countKeysNamed(tenant.id, 'second body')).toBe(0);
  });

  it('runs parallel requests with one key exactly once, and gives them all the same response', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => createKey('parallel-1', 'parallel key')));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    const bodies = new Set(await Promise.all(responses.map((response) => response.text())));
    expect(bodies.size).toBe(1);
    expect(await countKeysNamed(tenant.id, 'parallel key')).toBe(1);
  });

  it('scopes keys per tenant', async () => {
    const other = await t.createTenant();
    expect((await createKey('shared-key', 'tenant one')).status).toBe(201);
    const second = await createKey('shared-key', 'tenant two', other.adminKey);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
  });

  it('stores validation failures too, so a retry gets the same 422', async () => {
    const invalid = await t.request('/v1/api-keys', {
      method: 'POST',
      key: tenant.adminKey,
      headers: { 'idempotency-key': 'invalid-1' },
      json: { name: '', scopes: ['tenant:read'] },
    });
    expect(invalid.status).toBe(422);
    const again = await t.request('/v1/api-keys', {
      method: 'POST',
      key: tenant.adminKey,
      headers: { 'idempotency-key': 'invalid-1' },
      json: { name: '', scopes: ['tenant:read'] },
    });
    expect(again.status).toBe(422);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('rejects a malformed key', async () => {
    const response = await createKey('has spaces in it', 'bad key');
    expect(response.status).toBe(422);
    expect((await problemOf(response)).errors![0]).toMatchObject({ location: 'header', path: 'Idempotency-Key' });
    expect((await createKey('x'.repeat(256), 'long key')).status).toBe(422);
  });

  it('answers a multipart body sent to a JSON route with a problem, not a 500 (found by the fuzz suite)', async () => {
    for (const body of ['--xyz\r\nContent-Disposition: form-data; name="name"\r\n\r\nno end', 'not multipart at all']) {
      const response = await t.request('/v1/api-keys', {
        method: 'POST',
        key: tenant.adminKey,
        headers: { 'idempotency-key': `multipart-${crypto.randomUUID()}`, 'content-type': 'multipart/form-data; boundary=xyz' },
        body,
      });
      expect(response.status).toBeLessThan(500);
      expect((await problemOf(response)).status).toBe(response.status);
    }
  });

  it('keeps keys 24 hours, then the job purges them and the key is free again', async () => {
    expect((await createKey('expiring-1', 'expiring')).status).toBe(201);
    const [stored] = await queryRows<{ created_at: Date | string; expires_at: Date | string }>(
      t.db,
      sql`select created_at, expires_at from idempotency_keys where tenant_id = ${tenant.id} and key = 'expiring-1'`,
    );
    const keptMs = new Date(stored!.expires_at).getTime() - new Date(stored!.created_at).getTime();
    expect(keptMs).toBeGreaterThanOrEqual(24 * 3_600_000);

    const results = await runDueJobs(t.db, new Date(Date.now() + 25 * 3_600_000), createLogger('silent'), {
      config: t.config,
      assessmentJobs: { tenantId: tenant.id },
      findingJobs: { tenantId: tenant.id }, alertJobs: { tenantId: tenant.id }, webhookDelivery: { tenantId: tenant.id },
      riskJobs: { tenantId: tenant.id },
    });
    expect(results.find((result) => result.job === 'purge-expired-idempotency-keys')!.processed).toBeGreaterThan(0);
    const fresh = await createKey('expiring-1', 'expiring');
    expect(fresh.status).toBe(201);
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
  });
});
