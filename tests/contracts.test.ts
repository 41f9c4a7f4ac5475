import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRiskInputs } from '../src/features/risk/risk.queries';
import { runDueJobs } from '../src/jobs/run-due-jobs';
import { createLogger } from '../src/lib/logger';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';
import { createSupplier } from './support/fixtures';

let t: TestContext;

beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

interface Contract {
  id: string;
  supplierId: string;
  serviceIds: string[];
  reference: string;
  status: string;
  endDate: string | null;
  version: number;
  clauses: { applicable: number; satisfied: number; gaps: number };
}
interface Gap {
  contractId: string;
  supplierId: string;
  supplierTier: string;
  clauseKey: string;
  topic: string | null;
  status: string;
}
interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

async function json<T>(response: Response, status: number): Promise<T> {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const critical = { tierOverride: { tier: 'critical', reason: 'Treated as critical for the contract tests.' } };
const routine = { tierOverride: { tier: 'routine', reason: 'Treated as routine for the contract tests.' } };

async function addService(tenant: TestTenant, supplierId: string, criticalOrImportant: boolean) {
  const response = await t.request(`/v1/suppliers/${supplierId}/services`, {
    method: 'POST',
    key: tenant.adminKey,
    json: { name: `Service ${crypto.randomUUID().slice(0, 6)}`, serviceType: 'S19', criticalOrImportant },
  });
  return (await json<{ id: string }>(response, 201)).id;
}

const createContract = (tenant: TestTenant, body: Record<string, unknown>, key = tenant.adminKey) =>
  t.request('/v1/contracts', { method: 'POST', key, json: { reference: `CA-${crypto.randomUUID().slice(0, 8)}`, title: 'Services agreement', ...body } });

const setClause = (tenant: TestTenant, contractId: string, clauseKey: string, body: Record<string, unknown>) =>
  t.request(`/v1/contracts/${contractId}/clauses/${clauseKey}`, { method: 'PUT', key: tenant.adminKey, json: body });

describe('clause library', () => {
  let tenant: TestTenant;
  beforeAll(async () => {
    tenant = await t.createTenant('Clause library tenant');
  });

  it('lists the built-ins, filters by regime and topic, and adds custom clauses', async () => {
    const all = await json<{ data: { key: string; builtIn: boolean; topic: string | null }[] }>(await t.request('/v1/clause-library', { key: tenant.adminKey }), 200);
    expect(all.data).toHaveLength(23);
    const audit = await json<{ data: { key: string }[] }>(await t.request('/v1/clause-library?topic=right_to_audit', { key: tenant.adminKey }), 200);
    expect(audit.data.map((clause) => clause.key)).toEqual(['nis2-ir-5.1.4-e', 'dora-30.3-e']);
    expect((await t.request('/v1/clause-library?topic=bogus', { key: tenant.adminKey })).status).toBe(422);

    const body = { key: 'custom-ot-jump-host', title: 'OT access only through our jump host', regime: 'both', criticalOnly: false };
    const created = await json<{ key: string; builtIn: boolean; source: string }>(
      await t.request('/v1/clause-library', { method: 'POST', key: tenant.adminKey, json: body }),
      201,
    );
    expect(created).toMatchObject({ key: 'custom-ot-jump-host', builtIn: false, source: 'custom' });
    const duplicate = await t.request('/v1/clause-library', { method: 'POST', key: tenant.adminKey, json: body });
    expect(duplicate.status).toBe(409);
    expect((await problemOf(duplicate)).code).toBe('duplicate_key');
    const badKey = await t.request('/v1/clause-library', { method: 'POST', key: tenant.adminKey, json: { ...body, key: 'nis2-ir-5.1.4-a' } });
    expect(badKey.status).toBe(422);
    const dora = await json<{ data: { key: string }[] }>(await t.request('/v1/clause-library?regime=dora', { key: tenant.adminKey }), 200);
    expect(dora.data).toHaveLength(16);
    expect(dora.data.at(-1)!.key).toBe('custom-ot-jump-host');
    const reader = await t.createKey(tenant, ['contracts:read'], 'reader');
    expect((await t.request('/v1/clause-library', { method: 'POST', key: reader.key, json: { ...body, key: 'custom-x' } })).status).toBe(403);

    // A custom clause with a topic is found with the built-in ones of that topic.
    const withTopic = await json<{ key: string; topic: string | null }>(
      await t.request('/v1/clause-library', { method: 'POST', key: tenant.adminKey, json: { ...body, key: 'custom-ot-audit-window', topic: 'right_to_audit' } }),
      201,
    );
    expect(withTopic.topic).toBe('right_to_audit');
    const audits = await json<{ data: { key: string }[] }>(await t.request('/v1/clause-library?topic=right_to_audit', { key: tenant.adminKey }), 200);
    expect(audits.data.map((clause) => clause.key)).toContain('custom-ot-audit-window');
    expect(audits.data.map((clause) => clause.key)).not.toContain('custom-ot-jump-host');
  });
});

describe('tenant regime', () => {
  it('shows and changes the regime, with If-Match and settings:write, audited, queuing a recalculation', async () => {
    const tenant = await t.createTenant('Regime tenant');
    const before = await t.request('/v1/tenant', { key: tenant.adminKey });
    expect(((await before.json()) as { regime: string }).regime).toBe('nis2');
    const etag = before.headers.get('etag')!;
    const stale = await t.request('/v1/tenant', { method: 'PATCH', key: tenant.adminKey, json: { regime: 'dora' }, headers: { 'if-match': '"99"' } });
    expect(stale.status).toBe(412);
    const reader = await t.createKey(tenant, ['tenant:read', 'contracts:read'], 'reader');
    expect((await t.request('/v1/tenant', { method: 'PATCH', key: reader.key, json: { regime: 'dora' } })).status).toBe(403);
    expect((await t.request('/v1/tenant', { method: 'PATCH', key: tenant.adminKey, json: { regime: 'eu' } })).status).toBe(422);
    const changed = await json<{ regime: string; version: number }>(
      await t.request('/v1/tenant', { method: 'PATCH', key: tenant.adminKey, json: { regime: 'dora' }, headers: { 'if-match': etag } }),
      200,
    );
    expect(changed.regime).toBe('dora');
    const audit = await queryRows<{ changes: unknown }>(t.db, sql`select changes from audit_log where tenant_id = ${tenant.id} and action = 'tenant.updated'`);
    expect(audit).toEqual([{ changes: { regime: { from: 'nis2', to: 'dora' } } }]);
    const queued = await queryRows<{ count: number }>(t.db, sql`select count(*)::int as count from risk_recalculations where tenant_id = ${tenant.id}`);
    expect(Number(queued[0]!.count)).toBe(1);
  });
});

describe('contracts', () => {
  let tenant: TestTenant;
  let supplierId: string;
  let serviceId: string;

  beforeAll(async () => {
    tenant = await t.createTenant('Contracts tenant');
    supplierId = (await createSupplier(t, tenant, routine)).id;
    serviceId = await addService(tenant, supplierId, false);
  });

  it('creates, reads with an ETag, lists with filters and patches with If-Match, audited', async () => {
    const response = await createContract(tenant, {
      supplierId,
      reference: 'CA-2026-0001',
      status: 'active',
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      noticePeriodDays: 90,
      autoRenewal: true,
      governingLaw: 'DE',
      annualValueAmount: '120000.00',
      annualValueCurrency: 'EUR',
      serviceIds: [serviceId],
    });
    const contract = await json<Contract>(response, 201);
    expect(response.headers.get('location')).toBe(`/v1/contracts/${contract.id}`);
    expect(contract).toMatchObject({ supplierId, serviceIds: [serviceId], reference: 'CA-2026-0001', clauses: { applicable: 8, satisfied: 0, gaps: 8 } });

    const got = await t.request(`/v1/contracts/${contract.id}`, { key: tenant.adminKey });
    expect(got.headers.get('etag')).toBe('"1"');
    const later = await json<Contract>(await createContract(tenant, { supplierId, status: 'draft', endDate: '2030-06-30' }), 201);

    const ending = await json<Page<Contract>>(await t.request('/v1/contracts?endingBefore=2031-01-01&limit=1', { key: tenant.adminKey }), 200);
    expect(ending.data.map((row) => row.id)).toEqual([contract.id]);
    const next = await json<Page<Contract>>(await t.request(`/v1/contracts?endingBefore=2031-01-01&limit=1&cursor=${ending.nextCursor}`, { key: tenant.adminKey }), 200);
    expect(next.data.map((row) => row.id)).toEqual([later.id]);
    const drafts = await json<Page<Contract>>(await t.request(`/v1/contracts?status=draft&supplierId=${supplierId}`, { key: tenant.adminKey }), 200);
    expect(drafts.data.map((row) => row.id)).toEqual([later.id]);

    // A covered service cannot be deleted from under the contract.
    const removeService = () => t.request(`/v1/suppliers/${supplierId}/services/${serviceId}`, { method: 'DELETE', key: tenant.adminKey });
    const inUse = await removeService();
    expect(inUse.status).toBe(409);
    expect((await problemOf(inUse)).code).toBe('service_in_use');

    const stale = await t.request(`/v1/contracts/${contract.id}`, { method: 'PATCH', key: tenant.adminKey, json: { title: 'x' }, headers: { 'if-match': '"7"' } });
    expect(stale.status).toBe(412);
    const patched = await json<Contract>(
      await t.request(`/v1/contracts/${contract.id}`, { method: 'PATCH', key: tenant.adminKey, json: { endDate: '2027-12-31', serviceIds: [] }, headers: { 'if-match': '"1"' } }),
      200,
    );
    expect(patched).toMatchObject({ endDate: '2027-12-31', serviceIds: [], version: 2 });
    // No contract covers it any more: now it can go.
    expect((await removeService()).status).toBe(204);
    const dupe = await t.request(`/v1/contracts/${later.id}`, { method: 'PATCH', key: tenant.adminKey, json: { reference: 'CA-2026-0001' } });
    expect(dupe.status).toBe(409);
    expect((await problemOf(dupe)).code).toBe('duplicate_reference');
    const actions = await queryRows<{ action: string }>(t.db, sql`select action from audit_log where tenant_id = ${tenant.id} and entity_id = ${contract.id} order by seq`);
    expect(actions.map((row) => row.action)).toEqual(['contract.created', 'contract.updated']);
  });

  it('refuses bad input cleanly', async () => {
    const otherSupplier = (await createSupplier(t, tenant)).id;
    const foreignService = await addService(tenant, otherSupplier, false);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ supplierId: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }, 422, 'supplierId'],
      [{ supplierId, serviceIds: [foreignService] }, 422, 'serviceIds'],
      [{ supplierId, startDate: '2027-01-01', endDate: '2026-01-01' }, 422, 'endDate'],
      [{ supplierId, annualValueAmount: '10.00' }, 422, 'annualValueCurrency'],
      [{ supplierId, status: 'signed' }, 422, 'status'],
      [{ supplierId, governingLaw: 'XX' }, 422, 'governingLaw'],
    ];
    for (const [body, status, path] of cases) {
      const response = await createContract(tenant, body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect((await problemOf(response)).errors?.map((error: { path: string }) => error.path), JSON.stringify(body)).toContain(path);
    }
    await createContract(tenant, { supplierId, reference: 'CA-DUP' });
    const duplicate = await createContract(tenant, { supplierId, reference: 'CA-DUP' });
    expect(duplicate.status).toBe(409);
    expect((await problemOf(duplicate)).code).toBe('duplicate_reference');
    expect((await t.request(`/v1/suppliers/${otherSupplier}`, { method: 'DELETE', key: tenant.adminKey })).status).toBe(200);
    const archived = await createContract(tenant, { supplierId: otherSupplier });
    expect(archived.status).toBe(422);
  });
});

describe('clause status, gaps and their effects', () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await t.createTenant('Clause gaps tenant');
  });

  it('records clause states with their rules, lists them and the gaps', async () => {
    const supplierId = (await createSupplier(t, tenant, routine)).id;
    const contract = await json<Contract>(await createContract(tenant, { supplierId, status: 'active' }), 201);
    expect((await setClause(tenant, contract.id, 'nis2-ir-5.1.4-z', { status: 'present' })).status).toBe(404);
    const notApplicable = await setClause(tenant, contract.id, 'dora-30.2-a', { status: 'present' });
    expect(notApplicable.status).toBe(422);
    expect((await problemOf(notApplicable)).code).toBe('clause_not_applicable');
    const unjustified = await setClause(tenant, contract.id, 'nis2-ir-5.1.4-c', { status: 'waived' });
    expect(unjustified.status).toBe(422);
    expect((await problemOf(unjustified)).errors?.[0]?.path).toBe('justification');

    const otherSupplier = (await createSupplier(t, tenant)).id;
    const form = new FormData();
    form.set('file', new Blob([new TextEncoder().encode('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), 'contract.pdf');
    form.set('supplierId', otherSupplier);
    form.set('kind', 'other');
    const foreignEvidence = await json<{ id: string }>(await t.request('/v1/evidence', { method: 'POST', key: tenant.adminKey, body: form }), 201);
    const badEvidence = await setClause(tenant, contract.id, 'nis2-ir-5.1.4-e', { status: 'present', evidenceId: foreignEvidence.id });
    expect(badEvidence.status).toBe(422);
    expect((await problemOf(badEvidence)).errors?.[0]?.path).toBe('evidenceId');

    const present = await json<{ status: string; satisfied: boolean; sectionRef: string }>(
      await setClause(tenant, contract.id, 'nis2-ir-5.1.4-e', { status: 'present', sectionRef: '§ 12.3' }),
      200,
    );
    expect(present).toMatchObject({ status: 'present', satisfied: true, sectionRef: '§ 12.3' });
    await json(await setClause(tenant, contract.id, 'nis2-ir-5.1.4-c', { status: 'waived', justification: 'No staff on site; remote service only.' }), 200);
    await json(await setClause(tenant, contract.id, 'nis2-ir-5.1.4-d', { status: 'partial', notes: '72 h, we asked for 24 h.' }), 200);

    const clauses = await json<{ data: { clause: { key: string }; status: string }[] }>(await t.request(`/v1/contracts/${contract.id}/clauses`, { key: tenant.adminKey }), 200);
    expect(clauses.data).toHaveLength(8);
    expect(Object.fromEntries(clauses.data.map((row) => [row.clause.key, row.status]))).toMatchObject({
      'nis2-ir-5.1.4-a': 'unassessed',
      'nis2-ir-5.1.4-c': 'waived',
      'nis2-ir-5.1.4-d': 'partial',
      'nis2-ir-5.1.4-e': 'present',
    });
    const got = await json<Contract>(await t.request(`/v1/contracts/${contract.id}`, { key: tenant.adminKey }), 200);
    expect(got.clauses).toEqual({ applicable: 8, satisfied: 2, gaps: 6 });

    const gaps = await json<Page<Gap>>(await t.request(`/v1/contracts/${contract.id}/gaps?limit=4`, { key: tenant.adminKey }), 200);
    expect(gaps.data.map((gap) => gap.clauseKey)).toEqual(['nis2-ir-5.1.4-a', 'nis2-ir-5.1.4-b', 'nis2-ir-5.1.4-d', 'nis2-ir-5.1.4-f']);
    const rest = await json<Page<Gap>>(await t.request(`/v1/contracts/${contract.id}/gaps?limit=4&cursor=${gaps.nextCursor}`, { key: tenant.adminKey }), 200);
    expect(rest.data.map((gap) => gap.clauseKey)).toEqual(['nis2-ir-5.1.4-g', 'nis2-ir-5.1.4-h']);
    expect(rest.nextCursor).toBeNull();

    const audit = await queryRows<{ count: number }>(t.db, sql`select count(*)::int as count from audit_log where tenant_id = ${tenant.id} and action = 'contract_clause.updated'`);
    expect(Number(audit[0]!.count)).toBe(3);
  });

  it('answers "which critical suppliers lack a right-to-audit or incident-notification clause?" in one request', async () => {
    const gapsTenant = await t.createTenant('Reviewer question tenant');
    await t.request('/v1/tenant', { method: 'PATCH', key: gapsTenant.adminKey, json: { regime: 'both' } });
    const criticalSupplier = (await createSupplier(t, gapsTenant, critical)).id;
    const cifService = await addService(gapsTenant, criticalSupplier, true);
    const routineSupplier = (await createSupplier(t, gapsTenant, routine)).id;
    const criticalContract = await json<Contract>(await createContract(gapsTenant, { supplierId: criticalSupplier, status: 'active', serviceIds: [cifService] }), 201);
    expect(criticalContract.clauses.applicable).toBe(23);
    const routineContract = await json<Contract>(await createContract(gapsTenant, { supplierId: routineSupplier, status: 'active' }), 201);
    expect(routineContract.clauses.applicable).toBe(17);
    await json(await setClause(gapsTenant, criticalContract.id, 'nis2-ir-5.1.4-e', { status: 'present' }), 200);
    await json(await setClause(gapsTenant, criticalContract.id, 'dora-30.3-b', { status: 'negotiating' }), 200);
    // Ended contracts are left out by default.
    await json(await createContract(gapsTenant, { supplierId: criticalSupplier, status: 'terminated' }), 201);

    const answer = await json<Page<Gap>>(
      await t.request('/v1/clause-gaps?tier=critical&topic=right_to_audit,incident_notification', { key: gapsTenant.adminKey }),
      200,
    );
    expect(answer.data.map((gap) => [gap.contractId, gap.clauseKey, gap.status])).toEqual([
      [criticalContract.id, 'dora-30.3-b', 'negotiating'],
      [criticalContract.id, 'dora-30.3-e', 'unassessed'],
      [criticalContract.id, 'nis2-ir-5.1.4-d', 'unassessed'],
    ]);
    expect(new Set(answer.data.map((gap) => gap.supplierTier))).toEqual(new Set(['critical']));

    const routineOnly = await json<Page<Gap>>(await t.request(`/v1/clause-gaps?supplierId=${routineSupplier}&clauseKey=nis2-ir-5.1.4-e`, { key: gapsTenant.adminKey }), 200);
    expect(routineOnly.data.map((gap) => gap.contractId)).toEqual([routineContract.id]);
    const all = await json<Page<Gap>>(await t.request('/v1/clause-gaps?limit=200', { key: gapsTenant.adminKey }), 200);
    expect(all.data).toHaveLength(22 + 17);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Gap> = await json<Page<Gap>>(await t.request(`/v1/clause-gaps?limit=7${cursor ? `&cursor=${cursor}` : ''}`, { key: gapsTenant.adminKey }), 200);
      paged.push(...page.data.map((gap) => `${gap.contractId}/${gap.clauseKey}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all.data.map((gap) => `${gap.contractId}/${gap.clauseKey}`));
    expect((await t.request('/v1/clause-gaps?tier=gold', { key: gapsTenant.adminKey })).status).toBe(422);
    expect((await t.request('/v1/clause-gaps?cursor=nonsense', { key: gapsTenant.adminKey })).status).toBe(422);
  });

  it('raises a finding for a missing clause at a critical supplier, resolves it when satisfied, and feeds the score', async () => {
    const supplierId = (await createSupplier(t, tenant, critical)).id;
    const contract = await json<Contract>(await createContract(tenant, { supplierId, status: 'active' }), 201);
    await json(await setClause(tenant, contract.id, 'nis2-ir-5.1.4-e', { status: 'missing' }), 200);
    const sourceRef = `clause:${contract.id}:nis2-ir-5.1.4-e`;
    const findingOf = async () =>
      (await queryRows<{ id: string; status: string; severity: string; contract_id: string; clause_key: string }>(
        t.db,
        sql`select id, status, severity, contract_id, clause_key from findings where tenant_id = ${tenant.id} and source = 'clause_gap' and source_ref = ${sourceRef}`,
      ))[0];
    expect(await findingOf()).toMatchObject({ status: 'open', severity: 'high', contract_id: contract.id, clause_key: 'nis2-ir-5.1.4-e' });
    await json(await setClause(tenant, contract.id, 'nis2-ir-5.1.4-e', { status: 'negotiating' }), 200);
    expect((await findingOf())!.status).toBe('open');
    await json(await setClause(tenant, contract.id, 'nis2-ir-5.1.4-e', { status: 'present', sectionRef: '§ 9' }), 200);
    const resolved = await findingOf();
    expect(resolved!.status).toBe('resolved');
    const audit = await queryRows<{ action: string }>(t.db, sql`select action from audit_log where tenant_id = ${tenant.id} and entity_id = ${resolved!.id} order by seq`);
    expect(audit.map((row) => row.action)).toEqual(['finding.created', 'finding.resolved']);

    // A contract that ends takes its open clause findings with it.
    const ending = await json<Contract>(await createContract(tenant, { supplierId, status: 'active' }), 201);
    await json(await setClause(tenant, ending.id, 'nis2-ir-5.1.4-d', { status: 'missing' }), 200);
    const endingRef = `clause:${ending.id}:nis2-ir-5.1.4-d`;
    const statusOf = async () =>
      (await queryRows<{ status: string }>(t.db, sql`select status from findings where tenant_id = ${tenant.id} and source_ref = ${endingRef}`))[0]?.status;
    expect(await statusOf()).toBe('open');
    await json(await t.request(`/v1/contracts/${ending.id}`, { method: 'PATCH', key: tenant.adminKey, json: { status: 'terminated' } }), 200);
    expect(await statusOf()).toBe('resolved');

    // A routine supplier's missing clause is a gap, not a finding.
    const routineSupplier = (await createSupplier(t, tenant, routine)).id;
    const routineContract = await json<Contract>(await createContract(tenant, { supplierId: routineSupplier, status: 'active' }), 201);
    await json(await setClause(tenant, routineContract.id, 'nis2-ir-5.1.4-e', { status: 'missing' }), 200);
    const none = await queryRows(t.db, sql`select id from findings where tenant_id = ${tenant.id} and source_ref = ${`clause:${routineContract.id}:nis2-ir-5.1.4-e`}`);
    expect(none).toHaveLength(0);

    // Coverage over active contracts: 1 of 8 satisfied; a draft does not count; no active contract: null.
    await json(await createContract(tenant, { supplierId, status: 'draft' }), 201);
    const noContracts = (await createSupplier(t, tenant)).id;
    const inputs = await loadRiskInputs(t.db, { tenantId: tenant.id, supplierIds: [supplierId, noContracts], now: new Date(), certifyingKinds: [] });
    const byId = new Map(inputs.map((row) => [row.id, row.inputs.clauses]));
    expect(byId.get(supplierId)).toEqual({ applicable: 8, satisfied: 1 });
    expect(byId.get(noContracts)).toBeNull();
    const trigger = await queryRows<{ count: number }>(t.db, sql`select count(*)::int as count from risk_scores where tenant_id = ${tenant.id} and supplier_id = ${supplierId} and trigger = 'contract'`);
    expect(Number(trigger[0]!.count)).toBeGreaterThan(0);
  });
});

describe('clause-gap findings follow tier and regime changes', () => {
  it('raises, resolves and reopens them in the jobs, audited with the reason, and leaves a hand-resolved one alone', async () => {
    const tenant = await t.createTenant('Clause gap follow-up');
    const patchTenant = (body: unknown) => t.request('/v1/tenant', { method: 'PATCH', key: tenant.adminKey, json: body });
    const patchSupplier = (id: string, body: unknown) => t.request(`/v1/suppliers/${id}`, { method: 'PATCH', key: tenant.adminKey, json: body });
    const runJobs = () =>
      runDueJobs(t.db, new Date(), createLogger('silent'), {
        config: t.config,
        assessmentJobs: { tenantId: tenant.id },
        findingJobs: { tenantId: tenant.id },
        riskJobs: { tenantId: tenant.id },
        alertJobs: { tenantId: tenant.id }, webhookDelivery: { tenantId: tenant.id },
      });
    const synced = async () => (await runJobs()).find((result) => result.job === 'clause-gap-findings')!.processed;
    await json(await patchTenant({ regime: 'both' }), 200);
    const supplierId = (await createSupplier(t, tenant, routine)).id;
    const contract = await json<Contract>(await createContract(tenant, { supplierId, status: 'active' }), 201);
    await json(await setClause(tenant, contract.id, 'nis2-ir-5.1.4-e', { status: 'missing' }), 200);
    await json(await setClause(tenant, contract.id, 'dora-30.2-a', { status: 'missing' }), 200);
    const statuses = async () =>
      Object.fromEntries(
        (
          await queryRows<{ clause_key: string; status: string }>(
            t.db,
            sql`select clause_key, status from findings where tenant_id = ${tenant.id} and source = 'clause_gap' order by clause_key`,
          )
        ).map((row) => [row.clause_key, row.status]),
      );
    expect(await statuses()).toEqual({});
    expect(await synced()).toBe(0);

    // The supplier becomes critical: both missing clauses are findings now.
    await json(await patchSupplier(supplierId, critical), 200);
    expect(await synced()).toBe(2);
    expect(await statuses()).toEqual({ 'dora-30.2-a': 'open', 'nis2-ir-5.1.4-e': 'open' });
    expect(await synced()).toBe(0);

    // NIS2 only: the DORA clause no longer applies.
    await json(await patchTenant({ regime: 'nis2' }), 200);
    expect(await synced()).toBe(1);
    expect(await statuses()).toEqual({ 'dora-30.2-a': 'resolved', 'nis2-ir-5.1.4-e': 'open' });
    const [reason] = await queryRows<{ changes: { reason: string }; actor_type: string }>(
      t.db,
      sql`select a.changes, a.actor_type from audit_log a join findings f on f.tenant_id = a.tenant_id and f.id = a.entity_id
          where a.tenant_id = ${tenant.id} and a.action = 'finding.resolved' and f.clause_key = 'dora-30.2-a'`,
    );
    expect(reason).toMatchObject({ actor_type: 'system', changes: { reason: expect.stringContaining('no longer applies') } });

    // Out of the critical tier, and back in: resolved, then reopened.
    await json(await patchSupplier(supplierId, routine), 200);
    expect(await synced()).toBe(1);
    expect((await statuses())['nis2-ir-5.1.4-e']).toBe('resolved');
    await json(await patchSupplier(supplierId, critical), 200);
    expect(await synced()).toBe(1);
    expect((await statuses())['nis2-ir-5.1.4-e']).toBe('open');

    // Resolved by hand while the clause is still missing: the job does not fight the person.
    const [open] = await queryRows<{ id: string; version: number }>(
      t.db,
      sql`select id, version from findings where tenant_id = ${tenant.id} and clause_key = 'nis2-ir-5.1.4-e'`,
    );
    const byHand = await t.request(`/v1/findings/${open!.id}`, { method: 'PATCH', key: tenant.adminKey, json: { status: 'resolved' } });
    expect(byHand.status).toBe(200);
    expect(await synced()).toBe(0);
    expect((await statuses())['nis2-ir-5.1.4-e']).toBe('resolved');
  });
});

