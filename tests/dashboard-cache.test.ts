// The dashboard is cached per tenant and keyed on the tenant's audit chain head: served again
// while nothing was written, recomputed at once after a write through the API, and at the latest
// after 30 s for what changes without an audit entry.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './support/context';
import { appWithClock } from './support/clock-app';
import { createSupplier } from './support/fixtures';

let t: TestContext;
const clock = { now: new Date() };

beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

interface Dashboard {
  generatedAt: string;
  suppliers: { total: number };
}

describe('GET /v1/dashboard caching', () => {
  it('serves the same dashboard until the tenant writes, and a fresh one right after', async () => {
    const tenant = await t.createTenant('Dashboard cache');
    const app = appWithClock(t, clock);
    const read = async () => {
      const response = await app.request('/v1/dashboard', { headers: { authorization: `Bearer ${tenant.adminKey}` } });
      expect(response.status).toBe(200);
      return (await response.json()) as Dashboard;
    };
    await createSupplier(t, tenant, { name: 'Cached Supplier One' });
    const first = await read();
    expect(first.suppliers.total).toBe(1);

    clock.now = new Date(clock.now.getTime() + 5_000);
    const again = await read();
    expect(again).toEqual(first);

    // A write through the API appends to the audit chain: the next read is recomputed.
    await createSupplier(t, tenant, { name: 'Cached Supplier Two' });
    const afterWrite = await read();
    expect(afterWrite.suppliers.total).toBe(2);
    expect(afterWrite.generatedAt).toBe(clock.now.toISOString());
  });

  it('recomputes after 30 s what changed without an audit entry', async () => {
    const tenant = await t.createTenant('Dashboard cache age');
    const app = appWithClock(t, clock);
    const read = async () => (await (await app.request('/v1/dashboard', { headers: { authorization: `Bearer ${tenant.adminKey}` } })).json()) as Dashboard;
    const supplier = await createSupplier(t, tenant, { name: 'Archived Behind The Back' });
    expect((await read()).suppliers.total).toBe(1);

    await t.db.execute(sql`update suppliers set archived_at = now() where tenant_id = ${tenant.id} and id = ${supplier.id}`);
    clock.now = new Date(clock.now.getTime() + 29_000);
    expect((await read()).suppliers.total).toBe(1);
    clock.now = new Date(clock.now.getTime() + 2_000);
    const recomputed = await read();
    expect(recomputed.suppliers.total).toBe(0);
    expect(recomputed.generatedAt).toBe(clock.now.toISOString());
  });

  it('computes once for concurrent readers and keeps tenants apart', async () => {
    const [one, two] = [await t.createTenant('Dashboard cache A'), await t.createTenant('Dashboard cache B')];
    await createSupplier(t, one, { name: 'Only In A' });
    const app = appWithClock(t, clock);
    const read = async (key: string) => (await (await app.request('/v1/dashboard', { headers: { authorization: `Bearer ${key}` } })).json()) as Dashboard;
    const bodies = await Promise.all([...Array.from({ length: 10 }, () => read(one.adminKey)), read(two.adminKey)]);
    expect(new Set(bodies.slice(0, 10).map((body) => JSON.stringify(body))).size).toBe(1);
    expect(bodies[0]!.suppliers.total).toBe(1);
    expect(bodies[10]!.suppliers.total).toBe(0);
  });
});
