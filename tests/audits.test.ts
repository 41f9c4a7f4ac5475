import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problemOf, type TestContext, type TestTenant } from './support/context';
import { createSupplier } from './support/fixtures';

let t: TestContext;
let tenant: TestTenant;
let other: TestTenant;

interface Audit {
  id: string;
  supplierId: string;
  serviceId: string | null;
  type: string;
  status: string;
  plannedDate: string | null;
  performedDate: string | null;
  reportEvidenceId: string | null;
  findingIds: string[];
  version: number;
}

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

async function json<T>(response: Response, status: number): Promise<T> {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const post = (path: string, body: unknown, key = tenant.adminKey) => t.request(path, { method: 'POST', key, json: body });
const patch = (id: string, body: unknown, headers: Record<string, string> = {}) =>
  t.request(`/v1/audits/${id}`, { method: 'PATCH', key: tenant.adminKey, json: body, headers });
const createAudit = async (body: Record<string, unknown>) => json<Audit>(await post('/v1/audits', { type: 'on_site', ...body }), 201);
const paths = async (response: Response) => ((await problemOf(response)).errors ?? []).map((error: { path: string }) => error.path).sort();

async function uploadEvidence(supplierId: string) {
  const form = new FormData();
  form.set('file', new Blob([new TextEncoder().encode(`%PDF-1.4\n% ${crypto.randomUUID()}\n%%EOF\n`)], { type: 'application/pdf' }), 'soc2.pdf');
  form.set('supplierId', supplierId);
  form.set('kind', 'soc2_report');
  return json<{ id: string }>(await t.request('/v1/evidence', { method: 'POST', key: tenant.adminKey, body: form }), 201);
}

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
  other = await t.createTenant();
});
afterAll(() => t.close());

describe('audits', () => {
  it('creates with checked links; completing needs performedDate', async () => {
    const supplier = await createSupplier(t, tenant);
    const otherSupplier = await createSupplier(t, tenant);
    const foreignEvidence = await uploadEvidence(otherSupplier.id);
    const foreignService = await json<{ id: string }>(await post(`/v1/suppliers/${otherSupplier.id}/services`, { name: 'Cloud', serviceType: 'S19' }), 201);

    const refused = await post('/v1/audits', { supplierId: supplier.id, type: 'remote', status: 'completed', serviceId: foreignService.id, reportEvidenceId: foreignEvidence.id });
    expect(refused.status).toBe(422);
    expect(await paths(refused)).toEqual(['performedDate', 'reportEvidenceId', 'serviceId']);
    expect((await post('/v1/audits', { supplierId: supplier.id, type: 'penetration' })).status).toBe(422);
    expect((await post('/v1/audits', { supplierId: supplier.id, type: 'remote', status: 'completed', performedDate: day(3) })).status).toBe(422);

    const evidence = await uploadEvidence(supplier.id);
    const audit = await createAudit({ supplierId: supplier.id, type: 'third_party_report', status: 'completed', performedDate: day(-10), reportEvidenceId: evidence.id, result: 'Unqualified opinion.' });
    expect(audit).toMatchObject({ status: 'completed', performedDate: day(-10), reportEvidenceId: evidence.id, findingIds: [] });

    const read = await t.request(`/v1/audits/${audit.id}`, { key: tenant.adminKey });
    expect(read.headers.get('etag')).toBe('"1"');
    expect((await t.request(`/v1/audits/${audit.id}`, { key: other.adminKey })).status).toBe(404);
  });

  it('moves through its states with If-Match, audited', async () => {
    const supplier = await createSupplier(t, tenant);
    const audit = await createAudit({ supplierId: supplier.id, plannedDate: day(20) });
    expect(audit.status).toBe('planned');
    const missing = await patch(audit.id, { status: 'completed' });
    expect(missing.status).toBe(422);
    expect(await paths(missing)).toEqual(['performedDate']);
    expect((await patch(audit.id, { status: 'in_progress' }, { 'If-Match': '"7"' })).status).toBe(412);
    const started = await json<Audit>(await patch(audit.id, { status: 'in_progress' }, { 'If-Match': '"1"' }), 200);
    expect(started.version).toBe(2);
    const done = await json<Audit>(await patch(audit.id, { status: 'completed', performedDate: day(0) }), 200);
    expect(done.status).toBe('completed');
    const back = await patch(audit.id, { status: 'planned' });
    expect(back.status).toBe(409);
    expect((await problemOf(back)).code).toBe('invalid_transition');
    expect((await patch(audit.id, { performedDate: null })).status).toBe(422);

    const log = await json<{ data: { action: string }[] }>(await t.request(`/v1/audit-log?entityId=${audit.id}&order=asc`, { key: tenant.adminKey }), 200);
    expect(log.data.map((entry) => entry.action)).toEqual(['audit.created', 'audit.updated', 'audit.updated']);
  });

  it('raises findings linked to the audit, listed on it, and re-scores', async () => {
    const supplier = await createSupplier(t, tenant, { profile: { accessLevel: 'remote' } });
    const planned = await createAudit({ supplierId: supplier.id, plannedDate: day(5) });
    const early = await post(`/v1/audits/${planned.id}/findings`, { title: 'x', severity: 'low' });
    expect(early.status).toBe(409);

    const audit = await createAudit({ supplierId: supplier.id, status: 'in_progress' });
    const riskBefore = await json<{ residualRisk: number }>(await t.request(`/v1/suppliers/${supplier.id}/risk`, { key: tenant.adminKey }), 200);
    const first = await json<{ id: string; source: string; sourceRef: string; auditId: string; severity: string }>(
      await post(`/v1/audits/${audit.id}/findings`, { title: 'Shared admin account', severity: 'high', ref: '4.2' }),
      201,
    );
    expect(first).toMatchObject({ source: 'audit', sourceRef: `audit:${audit.id}:4.2`, auditId: audit.id, severity: 'high' });
    const again = await json<{ id: string }>(await post(`/v1/audits/${audit.id}/findings`, { title: 'Shared admin account', severity: 'high', ref: '4.2' }), 201);
    expect(again.id).toBe(first.id);
    const second = await json<{ id: string }>(await post(`/v1/audits/${audit.id}/findings`, { title: 'No log review', severity: 'medium' }), 201);

    const riskAfter = await json<{ residualRisk: number }>(await t.request(`/v1/suppliers/${supplier.id}/risk`, { key: tenant.adminKey }), 200);
    expect(riskAfter.residualRisk).toBeGreaterThan(riskBefore.residualRisk);

    const read = await json<Audit>(await t.request(`/v1/audits/${audit.id}`, { key: tenant.adminKey }), 200);
    expect(read.findingIds).toEqual([first.id, second.id]);
    const listed = await json<Page<Audit>>(await t.request(`/v1/audits?supplierId=${supplier.id}`, { key: tenant.adminKey }), 200);
    expect(listed.data.map((item) => [item.id, item.findingIds])).toEqual([
      [audit.id, [first.id, second.id]],
      [planned.id, []],
    ]);

    const reader = await t.createKey(tenant, ['evidence:read', 'evidence:write'], 'no findings scope');
    expect((await post(`/v1/audits/${audit.id}/findings`, { title: 'x', severity: 'low' }, reader.key)).status).toBe(403);
  });

  it('lists with filters and keyset pagination', async () => {
    const supplier = await createSupplier(t, tenant);
    const a = await createAudit({ supplierId: supplier.id, type: 'remote' });
    const b = await createAudit({ supplierId: supplier.id, type: 'document_review', status: 'in_progress' });
    const c = await createAudit({ supplierId: supplier.id, type: 'remote', status: 'completed', performedDate: day(-1) });
    const ids = async (query: string) =>
      (await json<Page<Audit>>(await t.request(`/v1/audits?supplierId=${supplier.id}&${query}`, { key: tenant.adminKey }), 200)).data.map((audit) => audit.id);
    expect(await ids('type=remote')).toEqual([c.id, a.id]);
    expect(await ids('status=in_progress')).toEqual([b.id]);
    const first = await json<Page<Audit>>(await t.request(`/v1/audits?supplierId=${supplier.id}&limit=2`, { key: tenant.adminKey }), 200);
    expect(first.data.map((audit) => audit.id)).toEqual([c.id, b.id]);
    const second = await json<Page<Audit>>(await t.request(`/v1/audits?supplierId=${supplier.id}&limit=2&cursor=${first.nextCursor}`, { key: tenant.adminKey }), 200);
    expect(second.data.map((audit) => audit.id)).toEqual([a.id]);
    expect((await t.request('/v1/audits?type=nope', { key: tenant.adminKey })).status).toBe(422);
  });

  it('shows the last completed and the next planned audit on the supplier', async () => {
    const supplier = await createSupplier(t, tenant);
    const empty = await json<{ lastAudit: unknown; nextAudit: unknown }>(await t.request(`/v1/suppliers/${supplier.id}`, { key: tenant.adminKey }), 200);
    expect(empty).toMatchObject({ lastAudit: null, nextAudit: null });

    await createAudit({ supplierId: supplier.id, status: 'completed', performedDate: day(-400) });
    const last = await createAudit({ supplierId: supplier.id, status: 'completed', performedDate: day(-30) });
    await createAudit({ supplierId: supplier.id, plannedDate: day(-3) });
    const next = await createAudit({ supplierId: supplier.id, plannedDate: day(10) });
    await createAudit({ supplierId: supplier.id, plannedDate: day(90) });
    const read = await json<{ lastAudit: { id: string; performedDate: string }; nextAudit: { id: string; plannedDate: string } }>(
      await t.request(`/v1/suppliers/${supplier.id}`, { key: tenant.adminKey }),
      200,
    );
    expect(read.lastAudit).toMatchObject({ id: last.id, performedDate: day(-30), status: 'completed' });
    expect(read.nextAudit).toMatchObject({ id: next.id, plannedDate: day(10), status: 'planned' });
    const list = await json<Page<Record<string, unknown>>>(await t.request(`/v1/suppliers?limit=1`, { key: tenant.adminKey }), 200);
    expect(list.data[0]).not.toHaveProperty('lastAudit');
  });
});
