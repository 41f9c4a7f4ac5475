import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../src/catalog/access';
import { ChainproofError, ERP_VENDORS, syncErpVendors, TEMPLATE_KEY } from '../examples/erp-sync';
import { CLIENT_TYPES_PATH, generateClientTypes } from '../scripts/client-types';
import { createTestContext, type TestContext, type TestTenant } from './support/context';

let t: TestContext;
let tenant: TestTenant;
let integrationKey: string;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
  integrationKey = (await t.createKey(tenant, ROLES.integration, 'ERP sync')).key;
});
afterAll(() => t.close());

/** The example's client, talking to the in-process app instead of over the network. */
const sync = (apiKey = integrationKey, vendors = ERP_VENDORS) =>
  syncErpVendors({ baseUrl: 'http://chainproof.test/', apiKey, vendors, fetch: async (request) => t.app.fetch(request) });

const listAll = async <T>(path: string): Promise<T[]> => {
  const response = await t.request(path, { key: tenant.adminKey });
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { data: T[] }).data;
};

describe('typed client (client/chainproof.ts)', () => {
  it('is what openapi-typescript generates from the committed openapi/openapi.json (run `npm run client:generate`)', async () => {
    const committed = readFileSync(CLIENT_TYPES_PATH, 'utf8');
    expect(await generateClientTypes(readFileSync('openapi/openapi.json', 'utf8'))).toBe(committed);
  });
});

describe('examples/erp-sync.ts', () => {
  let first: Awaited<ReturnType<typeof sync>>;

  it('upserts the ERP vendors by ERP id, adds contact and service, sends the NIS2 baseline and reads each risk', async () => {
    first = await sync();
    expect(first.map((supplier) => supplier.erpId)).toEqual(ERP_VENDORS.map((vendor) => vendor.erpId));
    for (const supplier of first) {
      expect(supplier.created).toBe(true);
      expect(supplier.assessment).toMatchObject({ status: 'sent', sentNow: true });
      expect(supplier.risk.supplierId).toBe(supplier.supplierId);
      expect(supplier.risk.residualRisk).toBeGreaterThanOrEqual(0);
    }
    const suppliers = await listAll<{ id: string; externalRef: string; name: string }>('/v1/suppliers?limit=200');
    expect(suppliers.map((supplier) => supplier.externalRef).sort()).toEqual(ERP_VENDORS.map((vendor) => vendor.erpId).sort());

    const assessments = await listAll<{ supplierId: string; status: string; template: { key: string } }>('/v1/assessments?limit=200');
    expect(assessments).toHaveLength(ERP_VENDORS.length);
    expect(new Set(assessments.map((assessment) => assessment.template.key))).toEqual(new Set([TEMPLATE_KEY]));

    // The OT integrator's critical service shows in its score; the office supplier stays low.
    const ot = first.find((supplier) => supplier.erpId === 'ERP-V-100482')!;
    const office = first.find((supplier) => supplier.erpId === 'ERP-V-100733')!;
    expect(ot.serviceId).toMatch(/^svc_/);
    expect(office.serviceId).toBeUndefined();
    expect(ot.risk.inherentRisk).toBeGreaterThan(office.risk.inherentRisk);
  });

  it('is re-runnable: a second run creates nothing and sends nothing', async () => {
    const second = await sync();
    expect(second.map((supplier) => supplier.supplierId)).toEqual(first.map((supplier) => supplier.supplierId));
    for (const [index, supplier] of second.entries()) {
      expect(supplier.created).toBe(false);
      expect(supplier.serviceId).toBe(first[index]!.serviceId);
      expect(supplier.assessment).toEqual({ ...first[index]!.assessment, sentNow: false });
    }
    expect(await listAll('/v1/suppliers?limit=200')).toHaveLength(ERP_VENDORS.length);
    expect(await listAll('/v1/assessments?limit=200')).toHaveLength(ERP_VENDORS.length);
    for (const supplier of second) {
      expect(await listAll(`/v1/suppliers/${supplier.supplierId}/contacts`)).toHaveLength(1);
    }
  });

  it('sends a new assessment when the open one was cancelled', async () => {
    const cancelled = first[0]!;
    const response = await t.request(`/v1/assessments/${cancelled.assessment.id}/cancel`, { method: 'POST', key: tenant.adminKey });
    expect(response.status, await response.clone().text()).toBe(200);
    const third = await sync();
    expect(third[0]!.assessment.sentNow).toBe(true);
    expect(third[0]!.assessment.id).not.toBe(cancelled.assessment.id);
    expect(third.slice(1).every((supplier) => !supplier.assessment.sentNow)).toBe(true);
  });

  it('stops on an API error and carries the problem+json', async () => {
    const readOnly = (await t.createKey(tenant, ['suppliers:read', 'assessments:read'], 'read only')).key;
    const forbidden = await sync(readOnly).catch((error: unknown) => error);
    expect(forbidden).toBeInstanceOf(ChainproofError);
    expect(forbidden).toMatchObject({ status: 403, problem: { status: 403, code: 'forbidden' } });

    const invalid = [{ ...ERP_VENDORS[0]!, erpId: 'ERP-V-BAD', supplier: { ...ERP_VENDORS[0]!.supplier, country: 'XX' } }];
    const refused = await sync(integrationKey, invalid).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 422, problem: { code: 'validation_failed', errors: [expect.objectContaining({ path: 'country' })] } });
  });
});
