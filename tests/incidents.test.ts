import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RISK_MODEL } from '../src/catalog/risk-model';
import { addMonthsUtc } from '../src/features/incidents/incidents.deadlines';
import { RiskModelSchema } from '../src/scoring/risk-model';
import { scoreSupplier } from '../src/scoring/score-supplier';
import type { SupplierRiskInputs } from '../src/scoring/types';
import { sql } from 'drizzle-orm';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';
import { createSupplier } from './support/fixtures';

let t: TestContext;
let tenant: TestTenant;
let other: TestTenant;

interface Milestone {
  dueAt: string;
  completedAt: string | null;
  overdue: boolean;
}

interface Incident {
  id: string;
  supplierId: string;
  title: string;
  severity: string;
  significant: boolean;
  status: string;
  awareAt: string;
  serviceIds: string[];
  deadlines: { earlyWarning: Milestone; notification: Milestone; finalReport: Milestone };
  overdue: boolean;
  resolvedAt: string | null;
  reportedBy: { type: string; id: string };
  version: number;
}

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();

async function json<T>(response: Response, status: number): Promise<T> {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const post = (path: string, body: unknown, key = tenant.adminKey) => t.request(path, { method: 'POST', key, json: body });
const patch = (id: string, body: unknown, headers: Record<string, string> = {}, key = tenant.adminKey) =>
  t.request(`/v1/incidents/${id}`, { method: 'PATCH', key, json: body, headers });

async function createIncident(body: Record<string, unknown>, owner: TestTenant = tenant) {
  return json<Incident>(
    await post('/v1/incidents', { title: 'Ransomware at the maintenance provider', awareAt: ago(2), severity: 'high', significant: true, ...body }, owner.adminKey),
    201,
  );
}

async function riskOf(supplierId: string) {
  return json<{ residualRisk: number; factors: { key: string; contribution: number }[] }>(await t.request(`/v1/suppliers/${supplierId}/risk`, { key: tenant.adminKey }), 200);
}

async function auditOf(entityId: string) {
  const page = await json<{ data: { action: string; changes: Record<string, unknown> }[] }>(
    await t.request(`/v1/audit-log?entityId=${entityId}&order=asc&limit=100`, { key: tenant.adminKey }),
    200,
  );
  return page.data;
}

async function findingsOf(supplierId: string) {
  return (await json<Page<{ id: string; source: string; sourceRef: string; severity: string; status: string; incidentId: string | null }>>(
    await t.request(`/v1/findings?supplierId=${supplierId}&source=incident`, { key: tenant.adminKey }),
    200,
  )).data;
}

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
  other = await t.createTenant();
});
afterAll(() => t.close());

describe('deadlines', () => {
  it('adds calendar months in UTC, ending on the last day of a shorter month', () => {
    expect(addMonthsUtc(new Date('2026-01-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonthsUtc(new Date('2028-01-31T10:00:00Z'), 1).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(addMonthsUtc(new Date('2026-12-15T23:30:00Z'), 1).toISOString()).toBe('2027-01-15T23:30:00.000Z');
  });

  it('computes 24 h, 72 h and one month from awareAt, across a month boundary', async () => {
    const supplier = await createSupplier(t, tenant);
    const incident = await createIncident({ supplierId: supplier.id, awareAt: '2026-01-31T10:00:00.000Z' });
    expect(incident.deadlines.earlyWarning.dueAt).toBe('2026-02-01T10:00:00.000Z');
    expect(incident.deadlines.notification.dueAt).toBe('2026-02-03T10:00:00.000Z');
    expect(incident.deadlines.finalReport.dueAt).toBe('2026-02-28T10:00:00.000Z');
    expect(incident.deadlines.earlyWarning).toMatchObject({ completedAt: null, overdue: true });
    expect(incident.overdue).toBe(true);

    const fresh = await createIncident({ supplierId: supplier.id, awareAt: ago(1) });
    expect(Object.values(fresh.deadlines).every((milestone) => !milestone.overdue)).toBe(true);
    expect(fresh.overdue).toBe(false);
  });

  it('records milestone completion through PATCH, not before awareAt nor in the future', async () => {
    const supplier = await createSupplier(t, tenant);
    const incident = await createIncident({ supplierId: supplier.id, awareAt: ago(30) });
    expect(incident.deadlines.earlyWarning.overdue).toBe(true);
    const tooEarly = await patch(incident.id, { earlyWarningCompletedAt: ago(31), notificationCompletedAt: new Date(Date.now() + HOUR).toISOString() });
    expect(tooEarly.status).toBe(422);
    expect((await problemOf(tooEarly)).errors?.map((error: { path: string }) => error.path).sort()).toEqual(['earlyWarningCompletedAt', 'notificationCompletedAt']);

    const stale = await patch(incident.id, { earlyWarningCompletedAt: ago(10) }, { 'If-Match': '"99"' });
    expect(stale.status).toBe(412);
    const completedAt = ago(10);
    const done = await json<Incident>(await patch(incident.id, { earlyWarningCompletedAt: completedAt }, { 'If-Match': '"1"' }), 200);
    expect(done.deadlines.earlyWarning).toEqual({ dueAt: incident.deadlines.earlyWarning.dueAt, completedAt, overdue: false });
    expect(done.overdue).toBe(false);
    expect(done.version).toBe(2);
    const audit = await auditOf(incident.id);
    expect(audit.map((entry) => entry.action)).toEqual(['incident.created', 'incident.updated']);
    expect(audit[1]!.changes.earlyWarningCompletedAt).toMatchObject({ from: null });
  });
});

describe('scoring', () => {
  const inputs: SupplierRiskInputs = {
    profile: { supportsCriticalFunction: true, hasCriticalService: false, dataSensitivity: 'internal', accessLevel: 'remote', substitutability: 'easy', outsideEea: false, subcontractingDepth: 0, dependentSuppliers: 0 },
    tierOverride: null,
    answers: [],
    certifications: [],
    clauses: null,
    openFindings: { low: 0, medium: 0, high: 0, critical: 0 },
    expiredEvidence: 0,
    overdueAssessments: 0,
    asOf: '2026-11-20',
  };

  it('charges open incidents, capped, and names them; a model stored before incidents uses the built-in penalty', () => {
    const base = scoreSupplier(inputs, DEFAULT_RISK_MODEL, 0);
    const one = scoreSupplier({ ...inputs, openIncidents: 1 }, DEFAULT_RISK_MODEL, 0);
    const many = scoreSupplier({ ...inputs, openIncidents: 9 }, DEFAULT_RISK_MODEL, 0);
    expect(one.residualRisk - base.residualRisk).toBe(5);
    expect(many.residualRisk - base.residualRisk).toBe(15);
    expect(one.summary).toContain('1 open incident');

    const { openIncidents: _dropped, ...legacyPenalties } = DEFAULT_RISK_MODEL.penalties;
    const legacy = RiskModelSchema.parse({ ...DEFAULT_RISK_MODEL, penalties: legacyPenalties });
    expect(legacy.penalties.openIncidents).toBeUndefined();
    expect(scoreSupplier({ ...inputs, openIncidents: 1 }, legacy, 3).residualRisk).toBe(one.residualRisk);
    expect(scoreSupplier(inputs, legacy, 3).residualRisk).toBe(base.residualRisk);
  });
});

describe('create, read, list', () => {
  it('refuses text with a lone surrogate with 422, writing nothing (found by the fuzz suite: PostgreSQL answered 500)', async () => {
    const supplier = await createSupplier(t, tenant);
    const incident = await createIncident({ supplierId: supplier.id });
    const before = await auditOf(incident.id);
    for (const description of ['a\udfffb', '\ud800', 'paired 😀 then \udbff']) {
      const response = await patch(incident.id, { description });
      expect(response.status, JSON.stringify(description)).toBe(422);
      expect((await problemOf(response)).code).toBe('invalid_text');
    }
    const created = await post('/v1/incidents', { supplierId: supplier.id, title: 'Outage \ud800', awareAt: ago(1), severity: 'low', significant: false });
    expect(created.status).toBe(422);
    expect(await auditOf(incident.id)).toEqual(before);
    expect((await patch(incident.id, { description: 'Paired surrogates are fine: 😀' })).status).toBe(200);
  });

  it('validates supplier, services and awareAt', async () => {
    const supplier = await createSupplier(t, tenant);
    const otherSupplier = await createSupplier(t, tenant);
    const foreignService = await json<{ id: string }>(await post(`/v1/suppliers/${otherSupplier.id}/services`, { name: 'Remote support', serviceType: 'S19' }), 201);
    const refused = await post('/v1/incidents', {
      supplierId: supplier.id,
      title: 'x',
      awareAt: new Date(Date.now() + 10 * HOUR).toISOString(),
      severity: 'low',
      significant: false,
      serviceIds: [foreignService.id],
    });
    expect(refused.status).toBe(422);
    expect((await problemOf(refused)).errors?.map((error: { path: string }) => error.path).sort()).toEqual(['awareAt', 'serviceIds.0']);

    const unknown = await post('/v1/incidents', { supplierId: 'sup_nope', title: 'x', awareAt: ago(1), severity: 'low', significant: false });
    expect(unknown.status).toBe(422);
    const badSeverity = await post('/v1/incidents', { supplierId: supplier.id, title: 'x', awareAt: ago(1), severity: 'dire', significant: false });
    expect(badSeverity.status).toBe(422);

    const service = await json<{ id: string }>(await post(`/v1/suppliers/${supplier.id}/services`, { name: 'Remote support', serviceType: 'S19' }), 201);
    const incident = await createIncident({ supplierId: supplier.id, serviceIds: [service.id], severity: 'critical' });
    expect(incident).toMatchObject({ status: 'open', serviceIds: [service.id], severity: 'critical', reportedBy: { type: 'api_key', id: tenant.adminKeyId } });

    const read = await t.request(`/v1/incidents/${incident.id}`, { key: tenant.adminKey });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect((await t.request(`/v1/incidents/${incident.id}`, { key: other.adminKey })).status).toBe(404);
  });

  it('lists with filters and keyset pagination', async () => {
    const supplier = await createSupplier(t, tenant);
    const old = await createIncident({ supplierId: supplier.id, awareAt: '2026-03-01T08:00:00.000Z', severity: 'low', significant: false });
    const recent = await createIncident({ supplierId: supplier.id, awareAt: ago(1), severity: 'high' });
    const contained = await createIncident({ supplierId: supplier.id, awareAt: ago(3), severity: 'medium', status: 'contained' });

    const all = await json<Page<Incident>>(await t.request(`/v1/incidents?supplierId=${supplier.id}`, { key: tenant.adminKey }), 200);
    expect(all.data.map((incident) => incident.id)).toEqual([recent.id, contained.id, old.id]);

    const first = await json<Page<Incident>>(await t.request(`/v1/incidents?supplierId=${supplier.id}&limit=2`, { key: tenant.adminKey }), 200);
    expect(first.data.map((incident) => incident.id)).toEqual([recent.id, contained.id]);
    const second = await json<Page<Incident>>(await t.request(`/v1/incidents?supplierId=${supplier.id}&limit=2&cursor=${first.nextCursor}`, { key: tenant.adminKey }), 200);
    expect(second.data.map((incident) => incident.id)).toEqual([old.id]);
    expect(second.nextCursor).toBeNull();

    const ids = async (query: string) =>
      (await json<Page<Incident>>(await t.request(`/v1/incidents?supplierId=${supplier.id}&${query}`, { key: tenant.adminKey }), 200)).data.map((incident) => incident.id);
    expect(await ids('status=contained')).toEqual([contained.id]);
    expect(await ids('severity=low')).toEqual([old.id]);
    expect(await ids('significant=false')).toEqual([old.id]);
    expect(await ids('overdue=true')).toEqual([old.id]);
    expect(await ids('overdue=false')).toEqual([recent.id, contained.id]);
    expect((await t.request('/v1/incidents?status=closed', { key: tenant.adminKey })).status).toBe(422);
    expect((await t.request('/v1/incidents?cursor=nope', { key: tenant.adminKey })).status).toBe(422);
    expect((await json<Page<Incident>>(await t.request(`/v1/incidents?supplierId=${supplier.id}`, { key: other.adminKey }), 200)).data).toEqual([]);
  });

  it('needs evidence:write to record and evidence:read to read', async () => {
    const supplier = await createSupplier(t, tenant);
    const reader = await t.createKey(tenant, ['evidence:read'], 'reader');
    const refused = await post('/v1/incidents', { supplierId: supplier.id, title: 'x', awareAt: ago(1), severity: 'low', significant: false }, reader.key);
    expect(refused.status).toBe(403);
    expect((await t.request('/v1/incidents', { key: reader.key })).status).toBe(200);
    const writerOnly = await t.createKey(tenant, ['suppliers:read'], 'no evidence');
    expect((await t.request('/v1/incidents', { key: writerOnly.key })).status).toBe(403);
  });
});

describe('effects', () => {
  it('makes the review due, raises a finding and lowers the score until resolved', async () => {
    const supplier = await createSupplier(t, tenant, { profile: { accessLevel: 'remote', dataSensitivity: 'internal' } });
    const before = await riskOf(supplier.id);

    const incident = await createIncident({ supplierId: supplier.id, severity: 'high' });
    const supplierNow = await json<{ nextReviewAt: string; reviewDueReason: string }>(await t.request(`/v1/suppliers/${supplier.id}`, { key: tenant.adminKey }), 200);
    expect(supplierNow.reviewDueReason).toBe('incident');
    expect(Date.parse(supplierNow.nextReviewAt)).toBeLessThanOrEqual(Date.now());

    const [finding] = await findingsOf(supplier.id);
    expect(finding).toMatchObject({ source: 'incident', sourceRef: `incident:${incident.id}`, severity: 'high', status: 'open', incidentId: incident.id });

    const during = await riskOf(supplier.id);
    expect(during.residualRisk).toBeGreaterThan(before.residualRisk);
    expect(during.factors.find((factor) => factor.key === 'openIncidents')?.contribution).toBe(5);

    const supplierAudit = await auditOf(supplier.id);
    expect(supplierAudit.map((entry) => entry.action)).toContain('supplier.review_due');

    // A severity change carries over to the finding while it is worked, and to the score.
    await json<Incident>(await patch(incident.id, { severity: 'critical' }), 200);
    expect((await findingsOf(supplier.id))[0]).toMatchObject({ severity: 'critical', status: 'open' });
    expect((await riskOf(supplier.id)).residualRisk).toBeGreaterThan(during.residualRisk);
    await json<Incident>(await patch(incident.id, { severity: 'high' }), 200);
    expect((await findingsOf(supplier.id))[0]).toMatchObject({ severity: 'high' });

    // Containing keeps it counting; resolving stops it and resolves the finding.
    const contained = await json<Incident>(await patch(incident.id, { status: 'contained' }), 200);
    expect((await riskOf(supplier.id)).residualRisk).toBe(during.residualRisk);
    const bad = await patch(incident.id, { status: 'bogus' });
    expect(bad.status).toBe(422);
    const resolved = await json<Incident>(await patch(incident.id, { status: 'resolved' }, { 'If-Match': `"${contained.version}"` }), 200);
    expect(resolved.resolvedAt).not.toBeNull();
    expect((await riskOf(supplier.id)).residualRisk).toBe(before.residualRisk);
    expect((await findingsOf(supplier.id))[0]).toMatchObject({ status: 'resolved' });
    const findingAudit = await auditOf(finding!.id);
    expect(findingAudit.map((entry) => entry.action)).toEqual(['finding.created', 'finding.updated', 'finding.updated', 'finding.updated']);

    // Reopening brings both back.
    await json<Incident>(await patch(incident.id, { status: 'open' }), 200);
    expect((await findingsOf(supplier.id))[0]).toMatchObject({ status: 'open' });
    expect((await riskOf(supplier.id)).residualRisk).toBe(during.residualRisk);

    const invalid = await patch(incident.id, { status: 'open' });
    expect(invalid.status).toBe(200);
    await json<Incident>(await patch(incident.id, { status: 'resolved' }), 200);
    const backwards = await patch(incident.id, { status: 'contained' });
    expect(backwards.status).toBe(409);
    expect((await problemOf(backwards)).code).toBe('invalid_transition');
  });

  it('refuses an archived supplier and writes nothing', async () => {
    const supplier = await createSupplier(t, tenant);
    expect((await t.request(`/v1/suppliers/${supplier.id}`, { method: 'DELETE', key: tenant.adminKey })).status).toBeLessThan(300);
    const refused = await post('/v1/incidents', { supplierId: supplier.id, title: 'x', awareAt: ago(1), severity: 'low', significant: false });
    expect(refused.status).toBe(422);
    expect((await json<Page<Incident>>(await t.request(`/v1/incidents?supplierId=${supplier.id}`, { key: tenant.adminKey }), 200)).data).toEqual([]);
  });
});

describe('supplier incident report links', () => {
  const report = (token: string | undefined, body: Record<string, unknown> = {}) =>
    t.request('/portal/api/incident-reports', {
      method: 'POST',
      json: { title: 'Ransomware on our jump hosts', awareAt: ago(1), ...body },
      headers: token === undefined ? {} : { 'x-portal-token': token },
    });

  async function createLink(supplierId: string, body: Record<string, unknown> = {}) {
    return json<{ id: string; url: string; email: string | null; expiresAt: string }>(await post(`/v1/suppliers/${supplierId}/incident-links`, body), 201);
  }
  const tokenOf = (url: string) => url.split('/').pop()!;

  it('creates a link shown once, stores only its hash, and mails it', async () => {
    const supplier = await createSupplier(t, tenant, { name: 'Rhein Automation GmbH' });
    const link = await createLink(supplier.id, { email: 'security@rhein-automation.example' });
    expect(link.url).toMatch(new RegExp(`^${t.config.publicBaseUrl}/portal/incidents/[A-Za-z0-9_-]{43}$`));
    expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(364 * 24 * HOUR);
    const token = tokenOf(link.url);
    const stored = await queryRows<{ token_hash: string }>(t.db, sql`select token_hash from incident_report_links where id = ${link.id}`);
    expect(stored[0]!.token_hash).not.toContain(token);
    expect(JSON.stringify(await auditOf(link.id))).not.toContain(token);
    const mails = await queryRows<{ subject: string; text_body: string; html_body: string }>(
      t.db,
      sql`select subject, text_body, html_body from mail_outbox where entity_id = ${link.id}`,
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text_body).toContain(link.url);
    expect(mails[0]!.html_body).toContain('Rhein Automation GmbH');

    expect((await post(`/v1/suppliers/${supplier.id}/incident-links`, { email: 'not-an-address' })).status).toBe(422);
    expect((await t.request(`/v1/suppliers/${supplier.id}/incident-links`, { method: 'POST', key: other.adminKey, json: {} })).status).toBe(404);
  });

  it('lets the supplier report an incident with the same effects', async () => {
    const supplier = await createSupplier(t, tenant);
    const link = await createLink(supplier.id);
    const before = await riskOf(supplier.id);
    const received = await json<{ incidentId: string; receivedAt: string }>(await report(tokenOf(link.url), { severity: 'high', description: 'Sessions suspended.' }), 201);
    const incident = await json<Incident>(await t.request(`/v1/incidents/${received.incidentId}`, { key: tenant.adminKey }), 200);
    expect(incident).toMatchObject({ supplierId: supplier.id, severity: 'high', significant: false, status: 'open', reportedBy: { type: 'supplier_contact', id: link.id } });
    expect((await findingsOf(supplier.id))[0]).toMatchObject({ sourceRef: `incident:${incident.id}`, severity: 'high' });
    expect((await riskOf(supplier.id)).residualRisk).toBeGreaterThan(before.residualRisk);
    const supplierNow = await json<{ reviewDueReason: string }>(await t.request(`/v1/suppliers/${supplier.id}`, { key: tenant.adminKey }), 200);
    expect(supplierNow.reviewDueReason).toBe('incident');

    const future = await report(tokenOf(link.url), { awareAt: new Date(Date.now() + 5 * HOUR).toISOString() });
    expect(future.status).toBe(422);
  });

  it('refuses missing, wrong, revoked and expired tokens alike, and API keys', async () => {
    const supplier = await createSupplier(t, tenant);
    const revoked = await createLink(supplier.id);
    expect((await t.request(`/v1/suppliers/${supplier.id}/incident-links/${revoked.id}`, { method: 'DELETE', key: other.adminKey })).status).toBe(404);
    expect((await t.request(`/v1/suppliers/${supplier.id}/incident-links/${revoked.id}`, { method: 'DELETE', key: tenant.adminKey })).status).toBe(204);
    expect((await t.request(`/v1/suppliers/${supplier.id}/incident-links/${revoked.id}`, { method: 'DELETE', key: tenant.adminKey })).status).toBe(204);
    expect((await auditOf(revoked.id)).map((entry) => entry.action)).toEqual(['incident_link.created', 'incident_link.revoked']);
    const expired = await createLink(supplier.id);
    await t.db.execute(sql`update incident_report_links set expires_at = now() - interval '1 minute' where id = ${expired.id}`);

    // The supplier's links, newest first, with their state and never a token.
    const listed = await json<{ data: { id: string; revokedAt: string | null; expiresAt: string }[] }>(
      await t.request(`/v1/suppliers/${supplier.id}/incident-links`, { key: tenant.adminKey }),
      200,
    );
    expect(listed.data.map((link) => link.id)).toEqual([expired.id, revoked.id]);
    expect(listed.data[1]!.revokedAt).not.toBeNull();
    expect(new Date(listed.data[0]!.expiresAt).getTime()).toBeLessThan(Date.now());
    expect(JSON.stringify(listed)).not.toContain(tokenOf(revoked.url));
    expect((await t.request(`/v1/suppliers/${supplier.id}/incident-links`, { key: other.adminKey })).status).toBe(404);
    for (const token of [undefined, '', 'A'.repeat(43), 'short', tokenOf(revoked.url), tokenOf(expired.url)]) {
      const response = await report(token);
      expect(response.status, String(token).slice(0, 8)).toBe(401);
      expect((await problemOf(response)).code).toBe('unauthenticated');
    }
    const staff = await t.request('/portal/api/incident-reports', { method: 'POST', key: tenant.adminKey, json: { title: 'x', awareAt: ago(1) } });
    expect(staff.status).toBe(401);
    // A bad body without a token says nothing about the body.
    expect((await report(undefined, { title: 42 })).status).toBe(401);
    // Nothing was recorded by any of them.
    expect((await json<Page<Incident>>(await t.request(`/v1/incidents?supplierId=${supplier.id}`, { key: tenant.adminKey }), 200)).data).toEqual([]);
  });

  it('rate-limits reports per link and failed tokens per address', async () => {
    const supplier = await createSupplier(t, tenant);
    const link = await createLink(supplier.id);
    for (let index = 0; index < 10; index += 1) expect((await report(tokenOf(link.url), { title: `Report ${index}` })).status).toBe(201);
    const limited = await report(tokenOf(link.url));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();

    const strict = await createTestContext({ AUTH_FAILURE_LIMIT_PER_MINUTE: '3' });
    try {
      const call = () => strict.request('/portal/api/incident-reports', { method: 'POST', json: { title: 'x', awareAt: ago(1) }, headers: { 'x-portal-token': 'B'.repeat(43) } });
      for (let index = 0; index < 3; index += 1) expect((await call()).status).toBe(401);
      expect((await call()).status).toBe(429);
    } finally {
      await strict.close();
    }
  });
});

describe('supplier incident report page', () => {
  const form = (fields: Record<string, string>) => {
    const body = new URLSearchParams(fields);
    return { method: 'POST', body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' } };
  };

  it('serves a form with the portal headers, and records a report posted without JavaScript', async () => {
    const supplier = await createSupplier(t, tenant);
    const link = await json<{ id: string; url: string }>(await post(`/v1/suppliers/${supplier.id}/incident-links`, {}), 201);
    const path = new URL(link.url).pathname;
    const page = await t.request(path);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-robots-tag')).toContain('noindex');
    const html = await page.text();
    expect(html).toContain('<form method="post">');
    expect(html).not.toContain('<script');

    const invalid = await t.request(path, form({ title: '', awareAt: '2999-01-01T10:00' }));
    expect(invalid.status).toBe(422);
    expect(await invalid.text()).toContain('class="err"');

    const future = await t.request(path, form({ title: 'Outage', awareAt: new Date(Date.now() + 5 * HOUR).toISOString().slice(0, 16) }));
    expect(future.status).toBe(422);
    expect(await future.text()).toContain('Must not be in the future.');

    const sent = await t.request(path, form({ title: 'Phishing <b>wave</b>', awareAt: ago(2).slice(0, 16), severity: 'critical', significant: 'true', description: 'Two mailboxes taken over.' }));
    expect(sent.status).toBe(303);
    const location = sent.headers.get('location')!;
    expect(location).toMatch(/\?reported=inc_/);
    const incidentId = new URL(location, 'http://x').searchParams.get('reported')!;
    const incident = await json<Incident>(await t.request(`/v1/incidents/${incidentId}`, { key: tenant.adminKey }), 200);
    expect(incident).toMatchObject({ title: 'Phishing <b>wave</b>', severity: 'critical', significant: true, reportedBy: { type: 'supplier_contact', id: link.id } });
    const confirmation = await (await t.request(location)).text();
    expect(confirmation).toContain(incidentId);

    const crossSite = await t.request(path, { ...form({ title: 'x', awareAt: ago(1).slice(0, 16) }), headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
  });

  it('answers an unusable link with the same page, revoked or unknown', async () => {
    const supplier = await createSupplier(t, tenant);
    const link = await json<{ id: string; url: string }>(await post(`/v1/suppliers/${supplier.id}/incident-links`, {}), 201);
    await t.request(`/v1/suppliers/${supplier.id}/incident-links/${link.id}`, { method: 'DELETE', key: tenant.adminKey });
    const revoked = await t.request(new URL(link.url).pathname);
    const unknown = await t.request(`/portal/incidents/${'C'.repeat(43)}`);
    expect(revoked.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await revoked.text()).toBe(await unknown.text());
  });
});
