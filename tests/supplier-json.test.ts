// The supplier list is written as JSON by the database (supplierJsonText) while a single supplier
// is presented in TypeScript (presentSupplier). Both must give the same supplier, field for field.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suppliers } from '../src/db/schema';
import { presentSupplier } from '../src/features/suppliers/suppliers.present';
import { createTestContext, type TestContext, type TestTenant } from './support/context';
import { createSupplier, OT_INTEGRATOR_BODY } from './support/fixtures';

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant('Supplier JSON');
});
afterAll(() => t.close());

const read = async (path: string) => {
  const response = await t.request(path, { key: tenant.adminKey });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as Record<string, unknown>;
};

describe('supplier list items', () => {
  it('equal the supplier as GET /v1/suppliers/{id} presents it, whatever the fields hold', async () => {
    const bodies: Record<string, unknown>[] = [
      {},
      { ...OT_INTEGRATOR_BODY, name: 'Rhein Automation "GmbH" \\ Ünïcødé ✓ 工控', category: 'ot_integrator' },
      { country: 'US', profile: { annualSpend: { amount: 0.01, currency: 'USD' } }, tierOverride: { tier: 'critical', reason: 'Sole PLC vendor.' } },
      { status: 'active', profile: { annualSpend: { amount: 999999999999.99, currency: 'CHF' }, accessLevel: 'remote' }, tags: ['a'] },
    ];
    const created: { id: string }[] = [];
    for (const body of bodies) created.push(await createSupplier(t, tenant, body));
    // Timestamps the database wrote itself carry microseconds; JavaScript's Date has milliseconds.
    await t.db.execute(
      sql`update suppliers set updated_at = now() + interval '0.123456 seconds', last_reviewed_at = '2026-03-04 05:06:07.891234+00', archived_at = now()
          where tenant_id = ${tenant.id} and id = ${created[3]!.id}`,
    );

    const list = (await read('/v1/suppliers?archived=include&limit=200')) as { data: Record<string, unknown>[]; nextCursor: string | null };
    expect(list.data).toHaveLength(bodies.length);
    for (const item of list.data) {
      const { lastAudit, nextAudit, ...single } = await read(`/v1/suppliers/${String(item.id)}`);
      expect(item).toEqual(single);
      expect({ lastAudit, nextAudit }).toEqual({ lastAudit: null, nextAudit: null });
      const [row] = await t.db.select().from(suppliers).where(and(eq(suppliers.tenantId, tenant.id), eq(suppliers.id, String(item.id))));
      expect(single).toEqual(JSON.parse(JSON.stringify(presentSupplier(row!))));
    }
    expect(list.data.find((item) => item.id === created[3]!.id)).toMatchObject({ lastReviewedAt: '2026-03-04T05:06:07.891Z' });
  });

  it('page with a cursor of the same values as before, on every sort', async () => {
    for (let index = 0; index < 3; index += 1) await createSupplier(t, tenant, { name: `Paged ${index}` });
    for (const sort of ['name', 'createdAt', 'updatedAt']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = (await read(`/v1/suppliers?sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)) as { data: { id: string }[]; nextCursor: string | null };
        seen.push(...page.data.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBeGreaterThanOrEqual(6);
    }
  });
});
