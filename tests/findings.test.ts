import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_TEMPLATES } from '../src/catalog/questionnaires';
import { reopenExpiredRiskAcceptances } from '../src/features/findings/findings.jobs';
import { runDueJobs } from '../src/jobs/run-due-jobs';
import { createLogger } from '../src/lib/logger';
import { createTestContext, problemOf, type TestContext, type TestTenant } from './support/context';
import { createSupplier, sampleTemplate } from './support/fixtures';

let t: TestContext;
let tenant: TestTenant;
let other: TestTenant;

interface Finding {
  id: string;
  supplierId: string;
  title: string;
  description: string | null;
  severity: string;
  status: string;
  source: string;
  sourceRef: string | null;
  assessmentId: string | null;
  questionKey: string | null;
  serviceId: string | null;
  owner: string | null;
  dueDate: string | null;
  overdue: boolean;
  remediationPlan: string | null;
  resolvedAt: string | null;
  riskAcceptance: { acceptedBy: { type: string; id: string }; acceptedAt: string; justification: string; expiresAt: string } | null;
  version: number;
}

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const JUSTIFICATION = 'Compensating control: jump host with MFA until the migration in Q3.';

async function json<T>(response: Response, status: number): Promise<T> {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const post = (path: string, body: unknown, key = tenant.adminKey, headers: Record<string, string> = {}) =>
  t.request(path, { method: 'POST', key, json: body, headers });
const patch = (id: string, body: unknown, key = tenant.adminKey, headers: Record<string, string> = {}) =>
  t.request(`/v1/findings/${id}`, { method: 'PATCH', key, json: body, headers });

async function createFinding(body: Record<string, unknown>, owner: TestTenant = tenant) {
  return json<Finding>(await post('/v1/findings', { title: 'Shared admin account on the gateway', severity: 'high', ...body }, owner.adminKey), 201);
}

async function list(query: string, owner: TestTenant = tenant) {
  return json<Page<Finding>>(await t.request(`/v1/findings?${query}`, { key: owner.adminKey }), 200);
}

async function auditOf(entityId: string, owner: TestTenant = tenant) {
  const page = await json<{ data: { action: string; actor: { type: string; id: string }; changes: Record<string, unknown> }[] }>(
    await t.request(`/v1/audit-log?entityId=${entityId}&order=asc&limit=100`, { key: owner.adminKey }),
    200,
  );
  return page.data;
}

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
  other = await t.createTenant();
});
afterAll(() => t.close());

describe('findings by hand', () => {
  it('creates, reads with an ETag, and checks supplier and service', async () => {
    const supplier = await createSupplier(t, tenant);
    const service = await json<{ id: string }>(
      await post(`/v1/suppliers/${supplier.id}/services`, { name: 'Remote support', serviceType: 'S19' }),
      201,
    );
    const response = await post('/v1/findings', {
      supplierId: supplier.id,
      title: '  Shared admin account  ',
      severity: 'high',
      owner: 'OT security team',
      dueDate: '2030-01-31',
      remediationPlan: 'Personal accounts.',
      serviceId: service.id,
    });
    const created = await json<Finding>(response, 201);
    expect(response.headers.get('location')).toBe(`/v1/findings/${created.id}`);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(created).toMatchObject({
      supplierId: supplier.id,
      title: 'Shared admin account',
      severity: 'high',
      status: 'open',
      source: 'manual',
      sourceRef: null,
      serviceId: service.id,
      owner: 'OT security team',
      dueDate: '2030-01-31',
      overdue: false,
      riskAcceptance: null,
      version: 1,
    });

    const read = await t.request(`/v1/findings/${created.id}`, { key: tenant.adminKey });
    expect(read.headers.get('etag')).toBe('"1"');
    expect(await read.json()).toEqual(created);
    expect((await t.request(`/v1/findings/${created.id}`, { key: other.adminKey })).status).toBe(404);

    const audit = await auditOf(created.id);
    expect(audit).toEqual([expect.objectContaining({ action: 'finding.created', changes: expect.objectContaining({ source: 'manual', severity: 'high' }) })]);
  });

  it('refuses unknown, archived and foreign suppliers, foreign services and bad values with 422', async () => {
    const supplier = await createSupplier(t, tenant);
    const otherSupplier = await createSupplier(t, tenant);
    const foreignService = await json<{ id: string }>(
      await post(`/v1/suppliers/${otherSupplier.id}/services`, { name: 'Hosting', serviceType: 'S19' }),
      201,
    );
    const foreign = await createSupplier(t, other);
    const cases: [Record<string, unknown>, string][] = [
      [{ supplierId: foreign.id }, 'supplierId'],
      [{ supplierId: 'sup_nope' }, 'supplierId'],
      [{ supplierId: supplier.id, serviceId: foreignService.id }, 'serviceId'],
      [{ supplierId: supplier.id, severity: 'huge' }, 'severity'],
      [{ supplierId: supplier.id, title: '   ' }, 'title'],
      [{ supplierId: supplier.id, dueDate: '2030-02-30' }, 'dueDate'],
      [{ supplierId: supplier.id, status: 'resolved' }, ''],
    ];
    for (const [body, path] of cases) {
      const response = await post('/v1/findings', { title: 'Weak', severity: 'low', ...body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      const problem = await problemOf(response);
      expect(problem.errors!.map((error) => error.path), JSON.stringify(body)).toContain(path);
    }
    const archived = await createSupplier(t, tenant);
    expect((await t.request(`/v1/suppliers/${archived.id}`, { method: 'DELETE', key: tenant.adminKey })).status).toBe(200);
    const refused = await post('/v1/findings', { supplierId: archived.id, title: 'Weak', severity: 'low' });
    expect(refused.status).toBe(422);
    expect((await problemOf(refused)).errors![0]!.message).toContain('archived');
  });

  it('updates fields with If-Match, audits a diff, and clears with null', async () => {
    const supplier = await createSupplier(t, tenant);
    const finding = await createFinding({ supplierId: supplier.id, owner: 'Anna' });
    expect((await patch(finding.id, { owner: 'Ben' }, tenant.adminKey, { 'if-match': '"7"' })).status).toBe(412);
    const updated = await json<Finding>(
      await patch(finding.id, { owner: 'Ben', severity: 'critical', description: 'Seen on site.', dueDate: '2031-05-01' }, tenant.adminKey, { 'if-match': '"1"' }),
      200,
    );
    expect(updated).toMatchObject({ owner: 'Ben', severity: 'critical', description: 'Seen on site.', dueDate: '2031-05-01', version: 2 });
    const cleared = await json<Finding>(await patch(finding.id, { owner: null, dueDate: null }), 200);
    expect(cleared).toMatchObject({ owner: null, dueDate: null, version: 3 });
    // Nothing changed: no new version, no audit entry.
    expect(await json<Finding>(await patch(finding.id, { owner: null }), 200)).toMatchObject({ version: 3 });
    expect((await patch(finding.id, { source: 'audit' })).status).toBe(422);

    const audit = await auditOf(finding.id);
    expect(audit.map((entry) => entry.action)).toEqual(['finding.created', 'finding.updated', 'finding.updated']);
    expect(audit[1]!.changes).toEqual({
      owner: { from: 'Anna', to: 'Ben' },
      severity: { from: 'high', to: 'critical' },
      description: { from: null, to: 'Seen on site.' },
      dueDate: { from: null, to: '2031-05-01' },
    });
  });

  it('moves through the statuses and refuses illegal moves with a clear code', async () => {
    const supplier = await createSupplier(t, tenant);
    const finding = await createFinding({ supplierId: supplier.id });
    expect(await json<Finding>(await patch(finding.id, { status: 'in_remediation' }), 200)).toMatchObject({ status: 'in_remediation' });
    expect(await json<Finding>(await patch(finding.id, { status: 'open' }), 200)).toMatchObject({ status: 'open' });
    await json(await patch(finding.id, { status: 'in_remediation' }), 200);
    const resolved = await json<Finding>(await patch(finding.id, { status: 'resolved' }), 200);
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolvedAt).not.toBeNull();

    const illegal = await patch(finding.id, { status: 'in_remediation' });
    expect(illegal.status).toBe(409);
    expect(await problemOf(illegal)).toMatchObject({ code: 'invalid_transition' });
    const accept = await patch(finding.id, { status: 'risk_accepted' });
    expect(accept.status).toBe(422);
    expect(await problemOf(accept)).toMatchObject({ code: 'use_accept_risk' });

    const reopened = await json<Finding>(await patch(finding.id, { status: 'open' }), 200);
    expect(reopened).toMatchObject({ status: 'open', resolvedAt: null });
    const audit = await auditOf(finding.id);
    expect(audit.at(-1)!.changes).toMatchObject({ status: { from: 'resolved', to: 'open' } });
  });
});

describe('listing', () => {
  it('filters by supplier, severity, status, source and overdue, and pages', async () => {
    const lister = await t.createTenant();
    const a = await createSupplier(t, lister);
    const b = await createSupplier(t, lister);
    const late = await createFinding({ supplierId: a.id, severity: 'high', dueDate: day(-3) }, lister);
    const lateResolved = await createFinding({ supplierId: a.id, severity: 'low', dueDate: day(-3) }, lister);
    await json(await patch(lateResolved.id, { status: 'resolved' }, lister.adminKey), 200);
    const future = await createFinding({ supplierId: b.id, severity: 'low', dueDate: day(30) }, lister);
    const noDate = await createFinding({ supplierId: b.id, severity: 'medium' }, lister);
    await json(await patch(noDate.id, { status: 'in_remediation' }, lister.adminKey), 200);

    const ids = (page: Page<Finding>) => page.data.map((finding) => finding.id);
    expect(ids(await list('', lister))).toEqual([noDate.id, future.id, lateResolved.id, late.id]);
    expect(ids(await list(`supplierId=${a.id}`, lister))).toEqual([lateResolved.id, late.id]);
    expect(ids(await list('severity=low', lister))).toEqual([future.id, lateResolved.id]);
    expect(ids(await list('status=in_remediation', lister))).toEqual([noDate.id]);
    expect(ids(await list('source=manual', lister))).toHaveLength(4);
    expect(ids(await list('source=answer', lister))).toEqual([]);
    const overdue = await list('overdue=true', lister);
    expect(ids(overdue)).toEqual([late.id]);
    expect(overdue.data[0]!.overdue).toBe(true);
    expect(ids(await list('overdue=false', lister))).toEqual([noDate.id, future.id, lateResolved.id]);
    expect(ids(await list(`overdue=true&supplierId=${b.id}`, lister))).toEqual([]);

    const first = await list('limit=3', lister);
    expect(first.data).toHaveLength(3);
    const second = await list(`limit=3&cursor=${first.nextCursor}`, lister);
    expect(ids(second)).toEqual([late.id]);
    expect(second.nextCursor).toBeNull();

    expect((await t.request('/v1/findings?status=closed', { key: lister.adminKey })).status).toBe(422);
    expect((await t.request('/v1/findings?cursor=bogus', { key: lister.adminKey })).status).toBe(422);
    // Another tenant sees none of them.
    expect(ids(await list(`supplierId=${a.id}`, other))).toEqual([]);
  });
});

describe('comments', () => {
  it('adds and lists comments oldest first, audited, tenant-scoped', async () => {
    const supplier = await createSupplier(t, tenant);
    const finding = await createFinding({ supplierId: supplier.id });
    for (const body of ['First note', 'Second note', 'Third note']) {
      const comment = await json<{ id: string; body: string; author: { type: string } }>(await post(`/v1/findings/${finding.id}/comments`, { body }), 201);
      expect(comment).toMatchObject({ body, findingId: finding.id, author: { type: 'api_key' } });
    }
    const first = await json<Page<{ body: string }>>(await t.request(`/v1/findings/${finding.id}/comments?limit=2`, { key: tenant.adminKey }), 200);
    expect(first.data.map((comment) => comment.body)).toEqual(['First note', 'Second note']);
    const rest = await json<Page<{ body: string }>>(
      await t.request(`/v1/findings/${finding.id}/comments?limit=2&cursor=${first.nextCursor}`, { key: tenant.adminKey }),
      200,
    );
    expect(rest.data.map((comment) => comment.body)).toEqual(['Third note']);
    expect((await post(`/v1/findings/${finding.id}/comments`, { body: '  ' })).status).toBe(422);
    expect((await post(`/v1/findings/${finding.id}/comments`, { body: 'x' }, other.adminKey)).status).toBe(404);
    expect((await t.request(`/v1/findings/${finding.id}/comments`, { key: other.adminKey })).status).toBe(404);
    const audit = await auditOf(finding.id);
    expect(audit.filter((entry) => entry.action === 'finding.commented')).toHaveLength(3);
  });
});

describe('risk acceptance', () => {
  it('needs findings:accept_risk: a reviewer or a narrower key gets 403', async () => {
    const supplier = await createSupplier(t, tenant);
    const finding = await createFinding({ supplierId: supplier.id });
    const reviewer = await t.signJwt({ sub: 'reviewer-1', tenant_id: tenant.id, roles: ['reviewer'] });
    const writer = (await t.createKey(tenant, ['findings:read', 'findings:write'], 'writer')).key;
    for (const key of [reviewer, writer]) {
      const refused = await post(`/v1/findings/${finding.id}/accept-risk`, { justification: JUSTIFICATION, expiresAt: day(90) }, key);
      expect(refused.status).toBe(403);
      expect((await problemOf(refused)).detail).toContain('findings:accept_risk');
    }
    // A reviewer can still work on the finding.
    expect((await patch(finding.id, { status: 'in_remediation' }, reviewer)).status).toBe(200);
    const riskManager = await t.signJwt({ sub: 'risk-manager-1', tenant_id: tenant.id, roles: ['risk_manager'] });
    const accepted = await json<Finding>(await post(`/v1/findings/${finding.id}/accept-risk`, { justification: JUSTIFICATION, expiresAt: day(90) }, riskManager), 200);
    expect(accepted.riskAcceptance).toMatchObject({ acceptedBy: { type: 'user', id: 'risk-manager-1' }, justification: JUSTIFICATION, expiresAt: day(90) });
  });

  it('validates justification and expiry, records the approver, and refuses resolved findings', async () => {
    const supplier = await createSupplier(t, tenant);
    const finding = await createFinding({ supplierId: supplier.id });
    const accept = (body: unknown, headers: Record<string, string> = {}) => post(`/v1/findings/${finding.id}/accept-risk`, body, tenant.adminKey, headers);
    const invalid: [unknown, string][] = [
      [{ justification: 'Too short', expiresAt: day(30) }, 'justification'],
      [{ expiresAt: day(30) }, 'justification'],
      [{ justification: JUSTIFICATION, expiresAt: day(0) }, 'expiresAt'],
      [{ justification: JUSTIFICATION, expiresAt: day(-5) }, 'expiresAt'],
      [{ justification: JUSTIFICATION, expiresAt: day(4 * 365) }, 'expiresAt'],
      [{ justification: JUSTIFICATION, expiresAt: 'soon' }, 'expiresAt'],
    ];
    for (const [body, path] of invalid) {
      const response = await accept(body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect((await problemOf(response)).errors!.map((error) => error.path)).toContain(path);
    }
    expect((await accept({ justification: JUSTIFICATION, expiresAt: day(30) }, { 'if-match': '"9"' })).status).toBe(412);
    const accepted = await json<Finding>(await accept({ justification: JUSTIFICATION, expiresAt: day(3 * 365) }), 200);
    expect(accepted).toMatchObject({
      status: 'risk_accepted',
      riskAcceptance: { acceptedBy: { type: 'api_key', id: tenant.adminKeyId }, justification: JUSTIFICATION, expiresAt: day(3 * 365) },
    });
    // Renewing keeps the status and records the previous acceptance.
    const renewed = await json<Finding>(await accept({ justification: `${JUSTIFICATION} Renewed.`, expiresAt: day(60) }), 200);
    expect(renewed.riskAcceptance!.expiresAt).toBe(day(60));

    // Withdrawing by hand clears the acceptance; the audit log keeps it.
    const withdrawn = await json<Finding>(await patch(finding.id, { status: 'resolved' }), 200);
    expect(withdrawn).toMatchObject({ status: 'resolved', riskAcceptance: null });
    const refused = await accept({ justification: JUSTIFICATION, expiresAt: day(30) });
    expect(refused.status).toBe(409);
    expect((await problemOf(refused)).code).toBe('invalid_transition');

    const audit = await auditOf(finding.id);
    expect(audit.map((entry) => entry.action)).toEqual(['finding.created', 'finding.risk_accepted', 'finding.risk_accepted', 'finding.updated']);
    expect(audit[1]!.changes).toMatchObject({ status: { from: 'open', to: 'risk_accepted' }, justification: JUSTIFICATION });
    expect(audit[2]!.changes).toMatchObject({ renewed: { expiresAt: day(3 * 365) } });
    expect(audit[3]!.changes).toMatchObject({ withdrawnAcceptance: { expiresAt: day(60) }, status: { from: 'risk_accepted', to: 'resolved' } });
  });

  it('reopens expired acceptances exactly once, even from two job runs at once', async () => {
    const jobs = await t.createTenant();
    const supplier = await createSupplier(t, jobs);
    const expiring = await createFinding({ supplierId: supplier.id }, jobs);
    const lasting = await createFinding({ supplierId: supplier.id }, jobs);
    await json(await post(`/v1/findings/${expiring.id}/accept-risk`, { justification: JUSTIFICATION, expiresAt: day(2) }, jobs.adminKey), 200);
    await json(await post(`/v1/findings/${lasting.id}/accept-risk`, { justification: JUSTIFICATION, expiresAt: day(40) }, jobs.adminKey), 200);
    const logger = createLogger('silent');
    const residual = async () => (await json<{ residualRisk: number }>(await t.request(`/v1/suppliers/${supplier.id}/risk`, { key: jobs.adminKey }), 200)).residualRisk;
    const whileAccepted = await residual();
    await json(await patch(lasting.id, { status: 'open' }, jobs.adminKey), 200);
    const withBothOpen = await residual();
    expect(withBothOpen).toBeGreaterThan(whileAccepted);
    await json(await post(`/v1/findings/${lasting.id}/accept-risk`, { justification: JUSTIFICATION, expiresAt: day(40) }, jobs.adminKey), 200);
    expect(await residual()).toBe(whileAccepted);

    // The day before expiry nothing happens.
    expect(await reopenExpiredRiskAcceptances(t.db, new Date(Date.now() + DAY), logger, { tenantId: jobs.id })).toBe(0);

    const later = new Date(Date.now() + 3 * DAY);
    const runs = await Promise.all([
      reopenExpiredRiskAcceptances(t.db, later, logger, { tenantId: jobs.id }),
      reopenExpiredRiskAcceptances(t.db, later, logger, { tenantId: jobs.id }),
      runDueJobs(t.db, later, logger, { config: t.config, assessmentJobs: { tenantId: jobs.id }, findingJobs: { tenantId: jobs.id }, alertJobs: { tenantId: jobs.id }, webhookDelivery: { tenantId: jobs.id } }),
    ]);
    const fromRunDueJobs = runs[2].find((result) => result.job === 'reopen-expired-risk-acceptances')!.processed;
    expect(runs[0] + runs[1] + fromRunDueJobs).toBe(1);

    const reopened = await json<Finding>(await t.request(`/v1/findings/${expiring.id}`, { key: jobs.adminKey }), 200);
    expect(reopened).toMatchObject({ status: 'open', riskAcceptance: null });
    expect(await json<Finding>(await t.request(`/v1/findings/${lasting.id}`, { key: jobs.adminKey }), 200)).toMatchObject({ status: 'risk_accepted' });
    const audit = await auditOf(expiring.id, jobs);
    const expired = audit.filter((entry) => entry.action === 'finding.risk_acceptance_expired');
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({
      actor: { type: 'system', id: 'jobs' },
      changes: { status: { from: 'risk_accepted', to: 'open' }, expiredAcceptance: { justification: JUSTIFICATION, expiresAt: day(2) } },
    });
    // The reopened finding counts against the score again.
    expect(await residual()).toBeGreaterThan(whileAccepted);
    // A later run finds nothing more to do.
    expect(await reopenExpiredRiskAcceptances(t.db, later, logger, { tenantId: jobs.id })).toBe(0);
    const verify = await json<{ valid: boolean }>(await t.request('/v1/audit-log/verify', { key: jobs.adminKey }), 200);
    expect(verify.valid).toBe(true);
  });
});

describe('findings from expired evidence', () => {
  it('raises one finding per expired record of an active supplier, once, and re-scores', async () => {
    const owner = await t.createTenant('Stadtwerke Ablauf');
    const active = await createSupplier(t, owner, { name: 'Ablauf Automation GmbH', status: 'active' });
    const prospect = await createSupplier(t, owner, { name: 'Vielleicht Systems GmbH', status: 'prospect' });
    const uploadFor = async (supplierId: string, fields: Record<string, string>) => {
      const form = new FormData();
      form.set('file', new Blob([new TextEncoder().encode('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), 'certificate.pdf');
      form.set('supplierId', supplierId);
      for (const [name, value] of Object.entries(fields)) form.set(name, value);
      return json<{ id: string }>(await t.request('/v1/evidence', { method: 'POST', key: owner.adminKey, body: form }), 201);
    };
    const lapsed = await uploadFor(active.id, { kind: 'iso27001_certificate', title: 'ISO 27001 2023', validUntil: day(-3) });
    const current = await uploadFor(active.id, { kind: 'iso27001_certificate', validUntil: day(300) });
    const archived = await uploadFor(active.id, { kind: 'policy', validUntil: day(-10) });
    expect((await t.request(`/v1/evidence/${archived.id}`, { method: 'DELETE', key: owner.adminKey })).status).toBe(204);
    await uploadFor(prospect.id, { kind: 'soc2_report', validUntil: day(-3) });
    const residual = async () => (await json<{ residualRisk: number }>(await t.request(`/v1/suppliers/${active.id}/risk`, { key: owner.adminKey }), 200)).residualRisk;
    const before = await residual();

    const logger = createLogger('silent');
    const options = { config: t.config, assessmentJobs: { tenantId: owner.id }, findingJobs: { tenantId: owner.id }, alertJobs: { tenantId: owner.id }, webhookDelivery: { tenantId: owner.id } };
    const runs = await Promise.all([runDueJobs(t.db, new Date(), logger, options), runDueJobs(t.db, new Date(), logger, options)]);
    const raised = runs.flat().filter((result) => result.job === 'expired-evidence-findings').reduce((sum, result) => sum + result.processed, 0);
    expect(raised).toBe(1);

    const found = await list(`source=evidence_expired`, owner);
    expect(found.data).toHaveLength(1);
    expect(found.data[0]).toMatchObject({ supplierId: active.id, severity: 'medium', status: 'open', evidenceId: lapsed.id });
    expect(found.data[0]!.title).toContain('valid until');
    expect(current.id).not.toBe(lapsed.id);
    expect(await residual()).toBeGreaterThan(before);

    // Resolved by hand, it stays resolved: the same record never raises it again.
    await json(await patch(found.data[0]!.id, { status: 'resolved' }, owner.adminKey), 200);
    const again = await runDueJobs(t.db, new Date(), logger, options);
    expect(again.find((result) => result.job === 'expired-evidence-findings')!.processed).toBe(0);
    expect((await list(`source=evidence_expired`, owner)).data.map((finding) => finding.status)).toEqual(['resolved']);
  });
});

describe('findings from answers', () => {
  /** sampleTemplate with expectations on `mfa` and a multiple-choice question with two failing options. */
  function templateWithExpectations(key: string) {
    const document = sampleTemplate(key) as unknown as { sections: { questions: Record<string, unknown>[] }[] };
    const mfa = document.sections[0]!.questions[0]!;
    mfa.options = [
      { value: 'yes', label: 'Yes', score: 100 },
      { value: 'no', label: 'No', score: 0, finding: { severity: 'high', title: 'No MFA for administrators' } },
    ];
    document.sections[0]!.questions.push({
      key: 'remote-path',
      text: 'How do your staff reach our systems?',
      type: 'multiple_choice',
      domain: 'access-control',
      controls: ['ISO27001:A.8.5'],
      options: [
        { value: 'gateway', label: 'Our gateway', score: 100 },
        { value: 'vpn', label: 'Their VPN', score: 20, finding: { severity: 'medium' } },
        { value: 'shared', label: 'A shared login', score: 0, finding: { severity: 'critical', title: 'Shared login into our systems' } },
      ],
    });
    return document;
  }

  async function acceptedAssessment(owner: TestTenant, s: { supplierId: string; contactId: string; templateId: string }, answers: { questionKey: string; value: unknown }[]) {
    const created = await json<{ id: string }>(await post('/v1/assessments', { ...s, dueAt: new Date(Date.now() + 14 * DAY).toISOString() }, owner.adminKey), 201);
    await json(await post(`/v1/assessments/${created.id}/send`, undefined, owner.adminKey), 200);
    await json(await t.request(`/v1/assessments/${created.id}/answers`, { method: 'PUT', key: owner.adminKey, json: { answers } }), 200);
    await json(await post(`/v1/assessments/${created.id}/submit`, undefined, owner.adminKey), 200);
    await json(await post(`/v1/assessments/${created.id}/accept`, undefined, owner.adminKey), 200);
    return created.id;
  }

  it('raises one finding per failed expectation, never duplicates, relinks, and reopens resolved ones', async () => {
    const owner = await t.createTenant();
    const supplier = await createSupplier(t, owner);
    const contact = await json<{ id: string }>(await post(`/v1/suppliers/${supplier.id}/contacts`, { name: 'Jan', email: 'jan@supplier.example' }, owner.adminKey), 201);
    const key = `findings-${crypto.randomUUID().slice(0, 8)}`;
    const template = await json<{ id: string; key: string }>(await post('/v1/questionnaire-templates?publish=true', templateWithExpectations(key), owner.adminKey), 201);
    const s = { supplierId: supplier.id, contactId: contact.id, templateId: template.id };
    const bad = [
      { questionKey: 'mfa', value: 'no' },
      { questionKey: 'notify-hours', value: 24 },
      { questionKey: 'remote-path', value: ['vpn', 'shared'] },
    ];

    const first = await acceptedAssessment(owner, s, bad);
    const raised = await list(`supplierId=${supplier.id}&source=answer`, owner);
    expect(raised.data).toHaveLength(2);
    const byQuestion = new Map(raised.data.map((finding) => [finding.questionKey, finding]));
    expect(byQuestion.get('mfa')).toMatchObject({
      title: 'No MFA for administrators',
      severity: 'high',
      status: 'open',
      source: 'answer',
      sourceRef: `answer:${supplier.id}:${template.key}:mfa`,
      assessmentId: first,
    });
    // Several failing options: the most severe counts, and the description names the answers.
    expect(byQuestion.get('remote-path')).toMatchObject({ title: 'Shared login into our systems', severity: 'critical' });
    expect(byQuestion.get('remote-path')!.description).toContain('Their VPN');
    const mfaFinding = byQuestion.get('mfa')!;
    const acceptAudit = await auditOf(first, owner);
    expect(acceptAudit.at(-1)).toMatchObject({ action: 'assessment.accept', changes: { findingIds: expect.arrayContaining([mfaFinding.id]) } });

    // The same bad answer in a second assessment: no duplicate, linked to the newer assessment.
    const second = await acceptedAssessment(owner, s, bad);
    const again = await list(`supplierId=${supplier.id}&source=answer`, owner);
    expect(again.data).toHaveLength(2);
    expect(again.data.find((finding) => finding.id === mfaFinding.id)).toMatchObject({ status: 'open', assessmentId: second });

    // Fixed, then the bad answer comes back: the same finding reopens.
    await json(await patch(mfaFinding.id, { status: 'resolved' }, owner.adminKey), 200);
    await acceptedAssessment(owner, s, [
      { questionKey: 'mfa', value: 'yes' },
      { questionKey: 'mfa-method', value: 'fido2' },
      { questionKey: 'notify-hours', value: 24 },
      { questionKey: 'remote-path', value: ['gateway'] },
    ]);
    expect(await json<Finding>(await t.request(`/v1/findings/${mfaFinding.id}`, { key: owner.adminKey }), 200)).toMatchObject({ status: 'resolved' });
    const third = await acceptedAssessment(owner, s, bad);
    const reopened = await json<Finding>(await t.request(`/v1/findings/${mfaFinding.id}`, { key: owner.adminKey }), 200);
    expect(reopened).toMatchObject({ status: 'open', resolvedAt: null, assessmentId: third });
    expect((await list(`supplierId=${supplier.id}&source=answer`, owner)).data).toHaveLength(2);

    const audit = await auditOf(mfaFinding.id, owner);
    expect(audit.map((entry) => entry.action)).toEqual(['finding.created', 'finding.relinked', 'finding.updated', 'finding.reopened']);
    expect(audit[3]!.changes).toMatchObject({ status: { from: 'resolved', to: 'open' }, assessmentId: { to: third } });
  });

  it('raises nothing for hidden questions or templates without expectations', async () => {
    const owner = await t.createTenant();
    const supplier = await createSupplier(t, owner);
    const contact = await json<{ id: string }>(await post(`/v1/suppliers/${supplier.id}/contacts`, { name: 'Jan', email: 'jan@supplier.example' }, owner.adminKey), 201);
    const plain = await json<{ id: string }>(await post('/v1/questionnaire-templates?publish=true', sampleTemplate(`plain-${crypto.randomUUID().slice(0, 8)}`), owner.adminKey), 201);
    await acceptedAssessment(owner, { supplierId: supplier.id, contactId: contact.id, templateId: plain.id }, [
      { questionKey: 'mfa', value: 'no' },
      { questionKey: 'notify-hours', value: 24 },
    ]);
    expect((await list(`supplierId=${supplier.id}`, owner)).data).toEqual([]);
  });

  it('built-in supplier templates declare expectations, e.g. no MFA on remote access into OT is high', () => {
    const questions = new Map(BUILT_IN_TEMPLATES.flatMap((template) => template.sections.flatMap((section) => section.questions)).map((question) => [question.key, question]));
    const expectation = (questionKey: string, value: string) => questions.get(questionKey)?.options?.find((option) => option.value === value)?.finding;
    expect(expectation('sp07.mfa', 'no')).toMatchObject({ severity: 'high' });
    expect(expectation('inc.notify-commitment', 'no')).toMatchObject({ severity: 'high' });
    expect(expectation('dev.sbom', 'no')).toMatchObject({ severity: 'medium' });
    expect(expectation('sp07.mfa', 'yes')).toBeUndefined();
  });
});
