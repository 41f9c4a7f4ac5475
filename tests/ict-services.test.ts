import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';
import { createSupplier } from './support/fixtures';

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
});
afterAll(() => t.close());

interface Service {
  id: string;
  supplierId: string;
  name: string;
  description: string | null;
  serviceType: string;
  serviceTypeName: string;
  supportedFunction: string | null;
  criticalOrImportant: boolean;
  dataStorageCountries: string[];
  dataProcessingCountries: string[];
  dataSensitivity: string | null;
  reliance: string | null;
  startDate: string | null;
  endDate: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface Supplier {
  id: string;
  hasCriticalService: boolean;
  inherentScore: number;
  computedTier: string;
  tier: string;
  version: number;
}

interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  changes: Record<string, unknown>;
}

type Page = { data: Service[]; nextCursor: string | null };

const servicesPath = (supplierId: string) => `/v1/suppliers/${supplierId}/services`;
const post = (supplierId: string, json: unknown, key = tenant.adminKey) => t.request(servicesPath(supplierId), { method: 'POST', key, json });
const create = async (supplierId: string, json: Record<string, unknown> = {}, key = tenant.adminKey) => {
  const response = await post(supplierId, { name: 'Service', serviceType: 'S19', ...json }, key);
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Service;
};
const patch = (supplierId: string, serviceId: string, json: unknown, headers: Record<string, string> = {}) =>
  t.request(`${servicesPath(supplierId)}/${serviceId}`, { method: 'PATCH', key: tenant.adminKey, json, headers });
const getSupplier = async (id: string) => (await (await t.request(`/v1/suppliers/${id}`, { key: tenant.adminKey })).json()) as Supplier;
const page = async (path: string, key = tenant.adminKey) => {
  const response = await t.request(path, { key });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Page;
};
const auditOf = async (entityId: string) =>
  ((await (await t.request(`/v1/audit-log?entityId=${entityId}`, { key: tenant.adminKey })).json()) as { data: AuditEntry[] }).data;
const newSupplier = async (body: Record<string, unknown> = {}) => (await createSupplier(t, tenant, body)).id;

/** remote access (10) + confidential data (12) + easy to replace (0), in the EEA: 22, routine. */
const ROUTINE_PROFILE = { profile: { accessLevel: 'remote', dataSensitivity: 'confidential', substitutability: 'easy' } };

const FULL = {
  name: 'Grid control data platform',
  description: 'IaaS compute and storage in eu-central.',
  serviceType: 'S17',
  supportedFunction: 'Grid control',
  criticalOrImportant: true,
  dataStorageCountries: ['DE', 'NL'],
  dataProcessingCountries: ['DE', 'NL', 'US'],
  dataSensitivity: 'confidential',
  reliance: 'material',
  startDate: '2023-01-01',
  endDate: '2027-12-31',
};

describe('creating ICT services', () => {
  it('stores every field and answers with the wire shape, ETag, Location and an audit entry', async () => {
    const supplierId = await newSupplier();
    const response = await post(supplierId, FULL);
    expect(response.status).toBe(201);
    expect(response.headers.get('etag')).toBe('"1"');
    const service = (await response.json()) as Service;
    expect(service.id).toMatch(/^svc_[0-9A-Z]{26}$/);
    expect(response.headers.get('location')).toBe(`/v1/suppliers/${supplierId}/services/${service.id}`);
    expect(service).toEqual({
      ...FULL,
      id: service.id,
      supplierId,
      serviceTypeName: 'Cloud services: IaaS',
      // The DORA RoI fields (function, B_07.01 assessment) were not sent: null.
      functionId: null,
      substitutability: null,
      nonSubstitutabilityReason: null,
      exitPlanExists: null,
      reintegrationPossibility: null,
      discontinuationImpact: null,
      alternativeProvidersIdentified: null,
      alternativeProviders: null,
      version: 1,
      createdAt: service.createdAt,
      updatedAt: service.createdAt,
    });
    const read = await t.request(`${servicesPath(supplierId)}/${service.id}`, { key: tenant.adminKey });
    expect(read.headers.get('etag')).toBe('"1"');
    expect(await read.json()).toEqual(service);
    const [entry] = await auditOf(service.id);
    expect(entry).toMatchObject({ action: 'service.created', entityType: 'service', changes: { ...FULL, supplierId } });
  });

  it('fills defaults for a minimal service', async () => {
    const supplierId = await newSupplier();
    const service = await create(supplierId, { name: 'Minimal', serviceType: 'S01' });
    expect(service).toMatchObject({
      name: 'Minimal',
      serviceType: 'S01',
      serviceTypeName: 'ICT project management',
      description: null,
      supportedFunction: null,
      criticalOrImportant: false,
      dataStorageCountries: [],
      dataProcessingCountries: [],
      dataSensitivity: null,
      reliance: null,
      startDate: null,
      endDate: null,
    });
  });

  it('refuses invalid fields with one problem+json error per field path', async () => {
    const supplierId = await newSupplier();
    const base = { name: 'x', serviceType: 'S19' };
    const cases: { json: Record<string, unknown>; paths: string[] }[] = [
      { json: { name: 'x' }, paths: ['serviceType'] },
      { json: { ...base, serviceType: 'S20' }, paths: ['serviceType'] },
      { json: { ...base, serviceType: 's19' }, paths: ['serviceType'] },
      { json: { ...base, dataStorageCountries: ['de'] }, paths: ['dataStorageCountries.0'] },
      { json: { ...base, dataProcessingCountries: ['DE', 'XX'] }, paths: ['dataProcessingCountries.1'] },
      { json: { ...base, dataStorageCountries: ['DE', 'DE'] }, paths: ['dataStorageCountries'] },
      { json: { ...base, startDate: '2026-13-01' }, paths: ['startDate'] },
      { json: { ...base, endDate: '31.12.2027' }, paths: ['endDate'] },
      { json: { ...base, startDate: '2026-01-01T00:00:00Z' }, paths: ['startDate'] },
      { json: { ...base, startDate: '2026-06-01', endDate: '2026-05-31' }, paths: ['endDate'] },
      { json: { ...base, reliance: 'total' }, paths: ['reliance'] },
      { json: { ...base, dataSensitivity: 'secret' }, paths: ['dataSensitivity'] },
      { json: { ...base, criticalOrImportant: 'yes' }, paths: ['criticalOrImportant'] },
      { json: { ...base, name: 'n'.repeat(201) }, paths: ['name'] },
      { json: { ...base, tier: 'critical' }, paths: [''] },
      { json: { name: '', serviceType: 'S99', reliance: 'x' }, paths: ['name', 'reliance', 'serviceType'] },
    ];
    for (const { json, paths } of cases) {
      const response = await post(supplierId, json);
      expect(response.status, JSON.stringify(json)).toBe(422);
      const problem = await problemOf(response);
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors!.map((error) => error.path).sort(), JSON.stringify(json)).toEqual(paths.sort());
    }
    const order = await post(supplierId, { ...base, startDate: '2026-06-01', endDate: '2026-05-31' });
    expect((await problemOf(order)).errors).toEqual([{ location: 'body', path: 'endDate', message: 'Must not be before startDate.' }]);
    expect((await page(servicesPath(supplierId))).data).toHaveLength(0);
  });

  it('answers 409 supplier_archived under an archived supplier, which can still be read', async () => {
    const supplierId = await newSupplier();
    const existing = await create(supplierId);
    expect((await t.request(`/v1/suppliers/${supplierId}`, { method: 'DELETE', key: tenant.adminKey })).status).toBe(200);
    const refused = await post(supplierId, { name: 'Late', serviceType: 'S19' });
    expect(refused.status).toBe(409);
    expect((await problemOf(refused)).code).toBe('supplier_archived');
    expect((await page(servicesPath(supplierId))).data.map((service) => service.id)).toEqual([existing.id]);
    expect((await t.request(`${servicesPath(supplierId)}/${existing.id}`, { key: tenant.adminKey })).status).toBe(200);
  });
});

describe('the supplier\'s derived risk', () => {
  it('follows its critical or important services through create, patch and delete', async () => {
    const supplierId = await newSupplier(ROUTINE_PROFILE);
    const initial = await getSupplier(supplierId);
    expect(initial).toMatchObject({ hasCriticalService: false, inherentScore: 22, tier: 'routine', computedTier: 'routine', version: 1 });

    // A routine service changes nothing, and does not touch the supplier's version.
    const routine = await create(supplierId, { name: 'Helpdesk', serviceType: 'S03' });
    expect(await getSupplier(supplierId)).toMatchObject({ hasCriticalService: false, inherentScore: 22, version: 1 });

    const critical = await create(supplierId, { name: 'Process control hosting', serviceType: 'S07', criticalOrImportant: true });
    expect(await getSupplier(supplierId)).toMatchObject({ hasCriticalService: true, inherentScore: 47, tier: 'strategic', computedTier: 'strategic', version: 2 });
    const [supplierEntry] = await auditOf(supplierId);
    expect(supplierEntry).toMatchObject({
      action: 'supplier.updated',
      changes: {
        hasCriticalService: { from: false, to: true },
        inherentScore: { from: 22, to: 47 },
        computedTier: { from: 'routine', to: 'strategic' },
        tier: { from: 'routine', to: 'strategic' },
      },
    });

    // Listing by critical function sees it too.
    const criticalSuppliers = (await (await t.request('/v1/suppliers?supportsCriticalFunction=true&limit=200', { key: tenant.adminKey })).json()) as {
      data: { id: string }[];
    };
    expect(criticalSuppliers.data.map((supplier) => supplier.id)).toContain(supplierId);

    // Two critical services: un-flagging one keeps the supplier critical.
    await patch(supplierId, routine.id, { criticalOrImportant: true });
    await patch(supplierId, critical.id, { criticalOrImportant: false });
    expect(await getSupplier(supplierId)).toMatchObject({ hasCriticalService: true, tier: 'strategic' });

    const deleted = await t.request(`${servicesPath(supplierId)}/${routine.id}`, { method: 'DELETE', key: tenant.adminKey });
    expect(deleted.status).toBe(204);
    expect(await getSupplier(supplierId)).toMatchObject({ hasCriticalService: false, inherentScore: 22, tier: 'routine' });
  });

  it('keeps a tier override in force while the computed tier moves', async () => {
    const supplierId = await newSupplier({ ...ROUTINE_PROFILE, tierOverride: { tier: 'critical', reason: 'Board decision' } });
    await create(supplierId, { criticalOrImportant: true });
    expect(await getSupplier(supplierId)).toMatchObject({ hasCriticalService: true, computedTier: 'strategic', tier: 'critical' });
  });

  it('stays consistent under parallel service writes', async () => {
    const supplierId = await newSupplier(ROUTINE_PROFILE);
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, index) => post(supplierId, { name: `Parallel ${index}`, serviceType: 'S19', criticalOrImportant: index % 2 === 0 })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(6).fill(201));
    expect(await getSupplier(supplierId)).toMatchObject({ hasCriticalService: true, tier: 'strategic' });
    const critical = (await page(`${servicesPath(supplierId)}?criticalOrImportant=true`)).data;
    expect(critical).toHaveLength(3);
    const deletions = await Promise.all(
      critical.map((service) => t.request(`${servicesPath(supplierId)}/${service.id}`, { method: 'DELETE', key: tenant.adminKey })),
    );
    expect(deletions.map((response) => response.status)).toEqual([204, 204, 204]);
    expect(await getSupplier(supplierId)).toMatchObject({ hasCriticalService: false, tier: 'routine' });
  });

  it('writes nothing when a critical service cannot be stored', async () => {
    const supplierId = await newSupplier(ROUTINE_PROFILE);
    const auditBefore = await auditOf(supplierId);
    const response = await post(supplierId, { name: 'Bad\u0000Name', serviceType: 'S19', criticalOrImportant: true });
    expect(response.status).toBe(422);
    expect((await problemOf(response)).code).toBe('invalid_text');
    expect(await getSupplier(supplierId)).toMatchObject({ hasCriticalService: false, tier: 'routine', version: 1 });
    expect((await page(servicesPath(supplierId))).data).toHaveLength(0);
    expect(await auditOf(supplierId)).toEqual(auditBefore);

    const service = await create(supplierId, { name: 'Good' });
    const badPatch = await patch(supplierId, service.id, { criticalOrImportant: true, description: 'nul\u0000' });
    expect(badPatch.status).toBe(422);
    expect(await getSupplier(supplierId)).toMatchObject({ hasCriticalService: false, version: 1 });
    const reread = (await (await t.request(`${servicesPath(supplierId)}/${service.id}`, { key: tenant.adminKey })).json()) as Service;
    expect(reread).toMatchObject({ criticalOrImportant: false, description: null, version: 1 });
  });
});

describe('changing and deleting ICT services', () => {
  it('merges a PATCH, honours If-Match, bumps the version and audits the difference', async () => {
    const supplierId = await newSupplier();
    const service = await create(supplierId, { ...FULL, criticalOrImportant: false });
    const stale = await patch(supplierId, service.id, { reliance: 'low' }, { 'if-match': '"3"' });
    expect(stale.status).toBe(412);
    expect((await problemOf(stale)).code).toBe('precondition_failed');

    const patched = await patch(supplierId, service.id, { reliance: 'low', description: null, dataStorageCountries: ['FR'] }, { 'if-match': '"1"' });
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    expect(await patched.json()).toMatchObject({ ...FULL, criticalOrImportant: false, reliance: 'low', description: null, dataStorageCountries: ['FR'], version: 2 });
    const [entry] = await auditOf(service.id);
    expect(entry).toMatchObject({ action: 'service.updated', entityType: 'service' });
    expect(entry!.changes).toEqual({
      description: { from: FULL.description, to: null },
      dataStorageCountries: { from: ['DE', 'NL'], to: ['FR'] },
      reliance: { from: 'material', to: 'low' },
    });

    const same = await patch(supplierId, service.id, { reliance: 'low', serviceType: 'S17' });
    expect(((await same.json()) as Service).version).toBe(2);
    expect(await auditOf(service.id)).toHaveLength(2);

    const retyped = await patch(supplierId, service.id, { serviceType: 'S18' });
    expect(await retyped.json()).toMatchObject({ serviceType: 'S18', serviceTypeName: 'Cloud services: PaaS', version: 3 });
  });

  it('checks date order against the stored dates, naming the field sent', async () => {
    const supplierId = await newSupplier();
    const service = await create(supplierId, { startDate: '2024-01-01', endDate: '2025-12-31' });
    const earlyEnd = await patch(supplierId, service.id, { endDate: '2023-12-31' });
    expect(earlyEnd.status).toBe(422);
    expect((await problemOf(earlyEnd)).errors).toEqual([{ location: 'body', path: 'endDate', message: 'Must not be before startDate.' }]);
    const lateStart = await patch(supplierId, service.id, { startDate: '2026-01-01' });
    expect(lateStart.status).toBe(422);
    expect((await problemOf(lateStart)).errors!.map((error) => error.path)).toEqual(['startDate']);
    const both = await patch(supplierId, service.id, { startDate: '2026-01-01', endDate: '2025-01-01' });
    expect((await problemOf(both)).errors!.map((error) => error.path)).toEqual(['endDate']);
    const cleared = await patch(supplierId, service.id, { endDate: null, startDate: '2026-01-01' });
    expect(await cleared.json()).toMatchObject({ startDate: '2026-01-01', endDate: null });
    const sameDay = await patch(supplierId, service.id, { endDate: '2026-01-01' });
    expect(sameDay.status).toBe(200);
  });

  it('deletes with If-Match, audits what was deleted, and answers 404 afterwards', async () => {
    const supplierId = await newSupplier();
    const service = await create(supplierId, { name: 'Short lived', serviceType: 'S15' });
    const path = `${servicesPath(supplierId)}/${service.id}`;
    expect((await t.request(path, { method: 'DELETE', key: tenant.adminKey, headers: { 'if-match': '"5"' } })).status).toBe(412);
    expect((await t.request(path, { method: 'DELETE', key: tenant.adminKey, headers: { 'if-match': '"1"' } })).status).toBe(204);
    expect((await t.request(path, { key: tenant.adminKey })).status).toBe(404);
    expect((await t.request(path, { method: 'DELETE', key: tenant.adminKey })).status).toBe(404);
    const [entry] = await auditOf(service.id);
    expect(entry).toMatchObject({
      action: 'service.deleted',
      entityType: 'service',
      changes: { supplierId: { from: supplierId, to: null }, name: { from: 'Short lived', to: null }, serviceType: { from: 'S15', to: null } },
    });
  });

  it('refuses to delete a service that a subcontracting link names', async () => {
    const supplierId = await newSupplier();
    const subcontractorId = await newSupplier({ name: 'Sub' });
    const service = await create(supplierId);
    await t.db.execute(
      sql`insert into subcontracting_links (tenant_id, supplier_id, subcontractor_id, service_id, created_at, updated_at)
          values (${tenant.id}, ${supplierId}, ${subcontractorId}, ${service.id}, now(), now())`,
    );
    const refused = await t.request(`${servicesPath(supplierId)}/${service.id}`, { method: 'DELETE', key: tenant.adminKey });
    expect(refused.status).toBe(409);
    expect((await problemOf(refused)).code).toBe('service_in_use');
    expect((await t.request(`${servicesPath(supplierId)}/${service.id}`, { key: tenant.adminKey })).status).toBe(200);
  });
});

describe('listing ICT services', () => {
  let own: TestTenant;
  let alpha: string;
  let beta: string;
  const made: Service[] = [];

  beforeAll(async () => {
    own = await t.createTenant();
    alpha = (await createSupplier(t, own, { name: 'Alpha' })).id;
    beta = (await createSupplier(t, own, { name: 'Beta' })).id;
    const specs: [string, string, boolean][] = [
      [alpha, 'S19', true],
      [alpha, 'S17', false],
      [beta, 'S19', false],
      [beta, 'S14', true],
      [alpha, 'S19', false],
    ];
    for (const [supplierId, serviceType, criticalOrImportant] of specs) {
      made.push(await create(supplierId, { name: `${serviceType} ${criticalOrImportant}`, serviceType, criticalOrImportant }, own.adminKey));
    }
  });

  const ids = (services: Service[]) => services.map((service) => service.id);

  it('lists a supplier\'s services oldest first, with filters and a cursor', async () => {
    const all = await page(servicesPath(alpha), own.adminKey);
    expect(ids(all.data)).toEqual(ids(made.filter((service) => service.supplierId === alpha)));
    const first = await page(`${servicesPath(alpha)}?limit=2`, own.adminKey);
    expect(first.data).toHaveLength(2);
    const second = await page(`${servicesPath(alpha)}?limit=2&cursor=${first.nextCursor}`, own.adminKey);
    expect(ids([...first.data, ...second.data])).toEqual(ids(all.data));
    expect(second.nextCursor).toBeNull();
    expect(ids((await page(`${servicesPath(alpha)}?serviceType=S19&criticalOrImportant=false`, own.adminKey)).data)).toEqual([made[4]!.id]);
  });

  it('lists services across suppliers with serviceType, criticalOrImportant and supplierId filters', async () => {
    expect(ids((await page('/v1/services', own.adminKey)).data)).toEqual(ids(made));
    expect(ids((await page('/v1/services?serviceType=S19', own.adminKey)).data)).toEqual(ids([made[0]!, made[2]!, made[4]!]));
    expect(ids((await page('/v1/services?criticalOrImportant=true', own.adminKey)).data)).toEqual(ids([made[0]!, made[3]!]));
    expect(ids((await page(`/v1/services?supplierId=${beta}`, own.adminKey)).data)).toEqual(ids([made[2]!, made[3]!]));
    expect(ids((await page(`/v1/services?supplierId=${beta}&serviceType=S19`, own.adminKey)).data)).toEqual([made[2]!.id]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const result: Page = await page(`/v1/services?limit=2${cursor ? `&cursor=${cursor}` : ''}`, own.adminKey);
      seen.push(...ids(result.data));
      cursor = result.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids(made));
  });

  it('refuses bad filters with the parameter named', async () => {
    for (const [query, path] of [
      ['serviceType=S20', 'serviceType'],
      ['criticalOrImportant=1', 'criticalOrImportant'],
      ['supplierId=nope', 'supplierId'],
      ['cursor=!!', 'cursor'],
      ['limit=1000', 'limit'],
    ]) {
      const response = await t.request(`/v1/services?${query}`, { key: own.adminKey });
      expect(response.status, query).toBe(422);
      expect((await problemOf(response)).errors![0]).toMatchObject({ location: 'query', path });
    }
  });

  it('shows only the caller\'s services, and another tenant\'s supplier as not found', async () => {
    const mine = (await page('/v1/services?limit=200')).data;
    expect(mine.some((service) => [alpha, beta].includes(service.supplierId))).toBe(false);
    expect((await page(`/v1/services?supplierId=${alpha}`)).data).toEqual([]);
    for (const [method, path] of [
      ['GET', servicesPath(alpha)],
      ['GET', `${servicesPath(alpha)}/${made[0]!.id}`],
      ['PATCH', `${servicesPath(alpha)}/${made[0]!.id}`],
      ['DELETE', `${servicesPath(alpha)}/${made[0]!.id}`],
      ['POST', servicesPath(alpha)],
    ] as const) {
      const json = method === 'PATCH' || method === 'POST' ? { name: 'Intruder', serviceType: 'S19' } : undefined;
      const response = await t.request(path, { method, key: tenant.adminKey, json });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect((await problemOf(response)).code).toBe('not_found');
    }
    expect(ids((await page(servicesPath(alpha), own.adminKey)).data)).toHaveLength(3);
  });

  it('answers 404 for a service under another supplier of the same tenant', async () => {
    const wrongPath = `${servicesPath(beta)}/${made[0]!.id}`;
    expect((await t.request(wrongPath, { key: own.adminKey })).status).toBe(404);
    expect((await t.request(wrongPath, { method: 'PATCH', key: own.adminKey, json: { criticalOrImportant: false } })).status).toBe(404);
    expect((await t.request(wrongPath, { method: 'DELETE', key: own.adminKey })).status).toBe(404);
    const rows = await queryRows<{ critical_or_important: boolean }>(
      t.db,
      sql`select critical_or_important from ict_services where tenant_id = ${own.id} and id = ${made[0]!.id}`,
    );
    expect(rows[0]!.critical_or_important).toBe(true);
  });
});
