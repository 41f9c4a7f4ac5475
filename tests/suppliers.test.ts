import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';
import { EXISTING_RELATIONSHIP, OT_INTEGRATOR_BODY } from './support/fixtures';

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
});
afterAll(() => t.close());

interface Supplier {
  id: string;
  name: string;
  country: string;
  status: string;
  externalRef: string | null;
  identifiers: { lei: string | null; euid: string | null; vat: string | null; duns: string | null };
  profile: Record<string, unknown> & { outsideEea: boolean };
  tier: string;
  computedTier: string;
  inherentScore: number;
  tierOverride: { tier: string; reason: string } | null;
  tags: string[];
  owner: string | null;
  archivedAt: string | null;
  version: number;
  updatedAt: string;
}

const post = (json: unknown, key = tenant.adminKey) => t.request('/v1/suppliers', { method: 'POST', key, json });
const create = async (json: Record<string, unknown>, key = tenant.adminKey) => {
  // An active or terminated supplier created directly is an existing relationship: it says so.
  const registered = json.status === 'active' || json.status === 'terminated' ? { statusOverride: EXISTING_RELATIONSHIP } : {};
  const response = await post({ country: 'DE', ...registered, ...json }, key);
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Supplier;
};
const list = async (query: string, key = tenant.adminKey) => {
  const response = await t.request(`/v1/suppliers${query}`, { key });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as { data: Supplier[]; nextCursor: string | null };
};

describe('creating suppliers', () => {
  it('needs only name and country, and derives tier, score and EEA status', async () => {
    const response = await post({ name: 'Minimal GmbH', country: 'DE' });
    expect(response.status).toBe(201);
    expect(response.headers.get('etag')).toBe('"1"');
    const supplier = (await response.json()) as Supplier;
    expect(response.headers.get('location')).toBe(`/v1/suppliers/${supplier.id}`);
    expect(supplier).toMatchObject({
      name: 'Minimal GmbH',
      country: 'DE',
      status: 'prospect',
      externalRef: null,
      identifiers: { lei: null, euid: null, vat: null, duns: null },
      tierOverride: null,
      tags: [],
      version: 1,
      archivedAt: null,
    });
    expect(supplier.id).toMatch(/^sup_[0-9A-Z]{26}$/);
    expect(supplier.profile.outsideEea).toBe(false);
    expect(['routine', 'strategic', 'critical']).toContain(supplier.tier);
    const us = await create({ name: 'Hyperscale Cloud Inc.', country: 'US' });
    expect(us.profile.outsideEea).toBe(true);
  });

  it('stores a full OT integrator profile, normalises identifiers, and rates it critical', async () => {
    const supplier = await create({ ...OT_INTEGRATOR_BODY, tags: ['OT', 'integrator', 'ot'] });
    expect(supplier.identifiers).toEqual({ lei: '5493001KJTIIGC8Y1R12', euid: 'DEK1101R.HRB116737', vat: 'DE123456789', duns: '150483782' });
    expect(supplier.profile).toMatchObject({ annualSpend: { amount: 250000.5, currency: 'EUR' }, accessLevel: 'ot_network' });
    expect(supplier.tags).toEqual(['ot', 'integrator']);
    expect(supplier.inherentScore).toBeGreaterThanOrEqual(70);
    expect(supplier.tier).toBe('critical');
  });

  it('refuses bad identifiers, countries and fields with one error per field', async () => {
    const response = await post({
      name: 'Bad Data Ltd',
      country: 'XX',
      website: 'ftp://nope',
      identifiers: { lei: '5493001KJTIIGC8Y1R13', vat: 'DE12345', duns: '1234', euid: 'US.123' },
      profile: { accessLevel: 'everything', annualSpend: { amount: 10, currency: 'EURO' } },
      unknownField: true,
    });
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    const paths = problem.errors!.map((error) => error.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'country',
        'website',
        'identifiers.lei',
        'identifiers.vat',
        'identifiers.duns',
        'identifiers.euid',
        'profile.accessLevel',
        'profile.annualSpend.currency',
      ]),
    );
    expect(problem.errors!.find((error) => error.path === 'identifiers.lei')!.message).toContain('check digits');
    const rows = await queryRows<{ count: number | string }>(t.db, sql`select count(*) as count from suppliers where name = 'Bad Data Ltd'`);
    expect(Number(rows[0]!.count)).toBe(0);
  });

  it('answers 409 for an externalRef already in use', async () => {
    await create({ name: 'First', externalRef: 'DUP-1' });
    const second = await post({ name: 'Second', country: 'DE', externalRef: 'DUP-1' });
    expect(second.status).toBe(409);
    expect((await problemOf(second)).code).toBe('already_exists');
  });

  it('requires a reason for a tier override and keeps the computed tier alongside', async () => {
    const missing = await post({ name: 'Override', country: 'DE', tierOverride: { tier: 'critical' } });
    expect(missing.status).toBe(422);
    const supplier = await create({ name: 'Override', tierOverride: { tier: 'critical', reason: 'Board decision 2026-10: sole safety PLC vendor.' } });
    expect(supplier.tier).toBe('critical');
    expect(supplier.tierOverride).toEqual({ tier: 'critical', reason: 'Board decision 2026-10: sole safety PLC vendor.' });
    expect(supplier.computedTier).not.toBe('critical');
  });
});

describe('changing suppliers', () => {
  it('merges a PATCH, bumps the version, honours If-Match and audits the difference', async () => {
    const supplier = await create({ name: 'Patch Me', profile: { accessLevel: 'remote', dataSensitivity: 'internal' }, tags: ['a'] });
    const stale = await t.request(`/v1/suppliers/${supplier.id}`, {
      method: 'PATCH',
      key: tenant.adminKey,
      headers: { 'if-match': '"9"' },
      json: { status: 'onboarding' },
    });
    expect(stale.status).toBe(412);
    const patched = await t.request(`/v1/suppliers/${supplier.id}`, {
      method: 'PATCH',
      key: tenant.adminKey,
      headers: { 'if-match': '"1"' },
      json: { status: 'onboarding', profile: { accessLevel: 'privileged' }, legalName: 'Patch Me AG' },
    });
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    const body = (await patched.json()) as Supplier;
    expect(body).toMatchObject({ status: 'onboarding', version: 2, tags: ['a'], profile: { accessLevel: 'privileged', dataSensitivity: 'internal' } });
    const audit = (await (await t.request(`/v1/audit-log?entityId=${supplier.id}`, { key: tenant.adminKey })).json()) as {
      data: { action: string; changes: Record<string, { from: unknown; to: unknown }> }[];
    };
    expect(audit.data[0]!.action).toBe('supplier.updated');
    expect(audit.data[0]!.changes).toEqual({
      status: { from: 'prospect', to: 'onboarding' },
      accessLevel: { from: 'remote', to: 'privileged' },
      legalName: { from: null, to: 'Patch Me AG' },
    });
  });

  it('reaches active only through an approval and terminated only through offboarding, or by registering an existing relationship', async () => {
    const supplier = await create({ name: 'Workflow GmbH' });
    const toActive = await t.request(`/v1/suppliers/${supplier.id}`, { method: 'PATCH', key: tenant.adminKey, json: { status: 'active' } });
    expect(toActive.status).toBe(409);
    expect(await problemOf(toActive)).toMatchObject({ code: 'approval_required' });
    const toTerminated = await t.request(`/v1/suppliers/${supplier.id}`, { method: 'PATCH', key: tenant.adminKey, json: { status: 'terminated' } });
    expect(await problemOf(toTerminated)).toMatchObject({ status: 409, code: 'offboarding_required' });
    const withOverride = await t.request(`/v1/suppliers/${supplier.id}`, { method: 'PATCH', key: tenant.adminKey, json: { status: 'active', statusOverride: EXISTING_RELATIONSHIP } });
    expect(withOverride.status, 'PATCH takes no override').toBe(422);

    const undocumented = await post({ name: 'Legacy Integrator', country: 'DE', status: 'active' });
    expect(await problemOf(undocumented)).toMatchObject({ status: 422, errors: [{ path: 'statusOverride' }] });
    const justification = 'Integrator under contract since 2019, approved in the old vendor process.';
    const registered = await create({ name: 'Legacy Integrator', status: 'active', statusOverride: { justification } });
    expect(registered.status).toBe('active');
    const audit = (await (await t.request(`/v1/audit-log?entityId=${registered.id}`, { key: tenant.adminKey })).json()) as { data: { action: string; changes: Record<string, unknown> }[] };
    expect(audit.data.find((entry) => entry.action === 'supplier.created')!.changes).toMatchObject({ status: 'active', statusOverride: justification });
  });

  it('writes nothing for a PATCH that changes nothing, and clears fields with null', async () => {
    const supplier = await create({ name: 'Same', owner: 'someone@example.com' });
    const same = await t.request(`/v1/suppliers/${supplier.id}`, { method: 'PATCH', key: tenant.adminKey, json: { name: 'Same' } });
    expect(((await same.json()) as Supplier).version).toBe(1);
    const cleared = await t.request(`/v1/suppliers/${supplier.id}`, { method: 'PATCH', key: tenant.adminKey, json: { owner: null } });
    expect(((await cleared.json()) as Supplier).owner).toBeNull();
  });

  it('re-derives outsideEea when the country changes', async () => {
    const supplier = await create({ name: 'Mover', country: 'FR' });
    const moved = await t.request(`/v1/suppliers/${supplier.id}`, { method: 'PATCH', key: tenant.adminKey, json: { country: 'CN' } });
    expect(((await moved.json()) as Supplier).profile.outsideEea).toBe(true);
  });

  it('archives instead of deleting, hides archived suppliers from lists, and restores', async () => {
    const supplier = await create({ name: 'Archive Candidate' });
    const archived = await t.request(`/v1/suppliers/${supplier.id}`, { method: 'DELETE', key: tenant.adminKey });
    expect(archived.status).toBe(200);
    expect(((await archived.json()) as Supplier).archivedAt).not.toBeNull();
    expect((await t.request(`/v1/suppliers/${supplier.id}`, { key: tenant.adminKey })).status).toBe(200);
    expect((await list('?q=archive candidate')).data).toHaveLength(0);
    expect((await list('?q=archive candidate&archived=only')).data.map((item) => item.id)).toEqual([supplier.id]);
    const restored = await t.request(`/v1/suppliers/${supplier.id}/restore`, { method: 'POST', key: tenant.adminKey });
    expect(restored.status).toBe(200);
    expect((await list('?q=archive candidate')).data).toHaveLength(1);
    const actions = (await (await t.request(`/v1/audit-log?entityId=${supplier.id}`, { key: tenant.adminKey })).json()) as { data: { action: string }[] };
    expect(actions.data.map((entry) => entry.action)).toEqual(['supplier.restored', 'supplier.archived', 'supplier.created']);
  });
});

describe('ERP upsert by external ref', () => {
  it('creates, then updates, and is a no-op on an identical retry', async () => {
    const path = '/v1/suppliers/by-external-ref/ERP-7001';
    const body = { name: 'ERP Vendor', country: 'AT', identifiers: { vat: 'ATU12345678' } };
    const first = await t.request(path, { method: 'PUT', key: tenant.adminKey, json: body });
    expect(first.status).toBe(201);
    const created = (await first.json()) as Supplier;
    expect(created.externalRef).toBe('ERP-7001');
    const retry = await t.request(path, { method: 'PUT', key: tenant.adminKey, json: body });
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as Supplier).version).toBe(1);
    const undocumented = await t.request(path, { method: 'PUT', key: tenant.adminKey, json: { ...body, status: 'active' } });
    expect(await problemOf(undocumented)).toMatchObject({ status: 422, errors: [{ path: 'statusOverride' }] });
    const changed = await t.request(path, { method: 'PUT', key: tenant.adminKey, json: { ...body, status: 'active', statusOverride: EXISTING_RELATIONSHIP } });
    expect(((await changed.json()) as Supplier)).toMatchObject({ id: created.id, status: 'active', version: 2 });
    const byRef = await t.request(path, { key: tenant.adminKey });
    expect(((await byRef.json()) as Supplier).id).toBe(created.id);
    const mismatch = await t.request(path, { method: 'PUT', key: tenant.adminKey, json: { ...body, externalRef: 'OTHER' } });
    expect(mismatch.status).toBe(422);
  });

  it('never creates a duplicate under concurrent retries', async () => {
    const path = '/v1/suppliers/by-external-ref/ERP-RACE';
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => t.request(path, { method: 'PUT', key: tenant.adminKey, json: { name: 'Race Vendor', country: 'NL' } })),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 200)).toHaveLength(9);
    const rows = await queryRows<{ count: number | string }>(
      t.db,
      sql`select count(*) as count from suppliers where tenant_id = ${tenant.id} and external_ref = 'ERP-RACE'`,
    );
    expect(Number(rows[0]!.count)).toBe(1);
  });

  it('never creates a duplicate for a retried POST with an Idempotency-Key', async () => {
    const send = () =>
      t.request('/v1/suppliers', {
        method: 'POST',
        key: tenant.adminKey,
        headers: { 'idempotency-key': 'erp-create-42' },
        json: { name: 'Idempotent Vendor', country: 'BE' },
      });
    const [a, b] = await Promise.all([send(), send()]);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(((await a.json()) as Supplier).id).toBe(((await b.json()) as Supplier).id);
  });
});

describe('listing suppliers', () => {
  let own: TestTenant;
  beforeAll(async () => {
    own = await t.createTenant();
    const make = (json: Record<string, unknown>) => create(json, own.adminKey);
    await make({ name: 'Alpha Cloud', country: 'US', status: 'active', tags: ['cloud'], owner: 'anna', profile: { supportsCriticalFunction: true } });
    await make({ name: 'Beta PLC Werke', country: 'DE', status: 'active', tags: ['ot', 'plc'], owner: 'ben', identifiers: { lei: '529900T8BM49AURSDO55' } });
    await make({ name: 'Gamma Payroll', country: 'FR', status: 'prospect', tags: ['hr'], owner: 'anna' });
    await make({ name: 'Delta SCADA', country: 'DE', status: 'onboarding', tags: ['ot'], owner: 'ben', externalRef: 'SAP-DELTA' });
    await make({ name: 'Epsilon 100% Telecom_', country: 'AT', status: 'terminated', tags: [] });
  });

  const names = (page: { data: Supplier[] }) => page.data.map((item) => item.name);

  it('sorts by name by default and pages with a cursor', async () => {
    const first = await list('?limit=2', own.adminKey);
    expect(names(first)).toEqual(['Alpha Cloud', 'Beta PLC Werke']);
    const second = await list(`?limit=2&cursor=${first.nextCursor}`, own.adminKey);
    expect(names(second)).toEqual(['Delta SCADA', 'Epsilon 100% Telecom_']);
    const third = await list(`?limit=2&cursor=${second.nextCursor}`, own.adminKey);
    expect(names(third)).toEqual(['Gamma Payroll']);
    expect(third.nextCursor).toBeNull();
    const descending = await list('?sort=name&order=desc&limit=2', own.adminKey);
    expect(names(descending)).toEqual(['Gamma Payroll', 'Epsilon 100% Telecom_']);
  });

  it('pages by creation and update time', async () => {
    const byCreation = await list('?sort=createdAt&order=asc&limit=3', own.adminKey);
    expect(names(byCreation)).toEqual(['Alpha Cloud', 'Beta PLC Werke', 'Gamma Payroll']);
    const rest = await list(`?sort=createdAt&order=asc&limit=3&cursor=${byCreation.nextCursor}`, own.adminKey);
    expect(names(rest)).toEqual(['Delta SCADA', 'Epsilon 100% Telecom_']);
    const byUpdate = await list('?sort=updatedAt', own.adminKey);
    expect(byUpdate.data).toHaveLength(5);
  });

  it('filters by status, country, tag, owner, critical function, text and update time', async () => {
    expect(names(await list('?status=active', own.adminKey))).toEqual(['Alpha Cloud', 'Beta PLC Werke']);
    expect(names(await list('?country=DE', own.adminKey))).toEqual(['Beta PLC Werke', 'Delta SCADA']);
    expect(names(await list('?tag=ot', own.adminKey))).toEqual(['Beta PLC Werke', 'Delta SCADA']);
    expect(names(await list('?tag=OT&owner=ben&status=onboarding', own.adminKey))).toEqual(['Delta SCADA']);
    expect(names(await list('?owner=anna', own.adminKey))).toEqual(['Alpha Cloud', 'Gamma Payroll']);
    expect(names(await list('?supportsCriticalFunction=true', own.adminKey))).toEqual(['Alpha Cloud']);
    expect((await list('?supportsCriticalFunction=false', own.adminKey)).data).toHaveLength(4);
    expect(names(await list('?q=plc', own.adminKey))).toEqual(['Beta PLC Werke']);
    expect(names(await list('?q=529900T8BM', own.adminKey))).toEqual(['Beta PLC Werke']);
    expect(names(await list('?q=sap-delta', own.adminKey))).toEqual(['Delta SCADA']);
    expect(names(await list('?q=100%25', own.adminKey))).toEqual(['Epsilon 100% Telecom_']);
    expect(names(await list('?q=m_', own.adminKey))).toEqual(['Epsilon 100% Telecom_']);
    expect((await list('?updatedSince=2999-01-01T00:00:00Z', own.adminKey)).data).toHaveLength(0);
    expect((await list('?updatedSince=2000-01-01T00:00:00Z', own.adminKey)).data).toHaveLength(5);
    const tier = (await list('?tier=critical', own.adminKey)).data;
    expect(tier.every((item) => item.tier === 'critical')).toBe(true);
  });

  it('refuses bad filters with the parameter named', async () => {
    for (const [query, path] of [
      ['?status=dead', 'status'],
      ['?country=ZZ', 'country'],
      ['?sort=spend', 'sort'],
      ['?supportsCriticalFunction=yes', 'supportsCriticalFunction'],
      ['?updatedSince=last-week', 'updatedSince'],
      ['?q=a', 'q'],
      ['?cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ] as const) {
      const response = await t.request(`/v1/suppliers${query}`, { key: own.adminKey });
      expect(response.status, query).toBe(422);
      expect((await problemOf(response)).errors![0]!.path, query).toBe(path);
    }
  });

  it('shows only the caller\'s suppliers', async () => {
    const all = await list('?limit=200', own.adminKey);
    expect(all.data).toHaveLength(5);
    const other = await t.createTenant();
    expect((await list('', other.adminKey)).data).toHaveLength(0);
    const someone = all.data[0]!;
    expect((await t.request(`/v1/suppliers/${someone.id}`, { key: other.adminKey })).status).toBe(404);
    expect((await t.request('/v1/suppliers/by-external-ref/SAP-DELTA', { key: other.adminKey })).status).toBe(404);
  });

});
