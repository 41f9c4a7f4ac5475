import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../src/jobs/run-due-jobs';
import { createLogger } from '../src/lib/logger';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';
import { createSupplier } from './support/fixtures';
import { minimalPdf } from './support/files';

let t: TestContext;

beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

interface Alert {
  id: string;
  kind: string;
  subjectType: string;
  subjectId: string;
  supplierId: string;
  deadline: string;
  leadDays: number;
  daysLeft: number;
  summary: string;
  mailedTo: string | null;
}
interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
interface Mail {
  to_address: string;
  kind: string;
  subject: string;
  text_body: string;
  entity_id: string;
}

async function json<T>(response: Response, status: number): Promise<T> {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const DAY = 86_400_000;
const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const day = (offset: number, from = new Date()) => dayOf(new Date(from.getTime() + offset * DAY));
const silent = createLogger(process.env.JOB_LOG ? 'error' : 'silent');

const runJobs = (tenant: TestTenant, now: Date) =>
  runDueJobs(t.db, now, silent, {
    config: t.config,
    assessmentJobs: { tenantId: tenant.id },
    findingJobs: { tenantId: tenant.id },
    riskJobs: { tenantId: tenant.id },
    alertJobs: { tenantId: tenant.id }, webhookDelivery: { tenantId: tenant.id },
  });
const alertsRaised = (results: { job: string; processed: number }[]) => results.find((result) => result.job === 'deadline-alerts')!.processed;

const alerts = async (tenant: TestTenant, query = '') => json<Page<Alert>>(await t.request(`/v1/deadline-alerts${query}`, { key: tenant.adminKey }), 200);

const mails = (tenant: TestTenant) =>
  queryRows<Mail>(
    t.db,
    sql`select to_address, kind, subject, text_body, entity_id from mail_outbox where tenant_id = ${tenant.id} and kind like 'deadline_alert.%' order by created_at, id`,
  );

async function activeContract(tenant: TestTenant, supplierId: string, body: Record<string, unknown>) {
  const response = await t.request('/v1/contracts', {
    method: 'POST',
    key: tenant.adminKey,
    json: { supplierId, reference: `DL-${crypto.randomUUID().slice(0, 8)}`, title: 'Remote maintenance agreement', status: 'active', ...body },
  });
  return json<{ id: string; reference: string; version: number }>(response, 201);
}

async function evidence(tenant: TestTenant, supplierId: string, fields: Record<string, string>) {
  const form = new FormData();
  form.set('file', new Blob([minimalPdf()], { type: 'application/pdf' }), 'certificate.pdf');
  form.set('supplierId', supplierId);
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return json<{ id: string }>(await t.request('/v1/evidence', { method: 'POST', key: tenant.adminKey, body: form }), 201);
}

describe('tenant alert settings', () => {
  it('has defaults, takes an address and lead times, and refuses bad ones naming the field', async () => {
    const tenant = await t.createTenant('Stadtwerke Fristen');
    const initial = await json<Record<string, unknown>>(await t.request('/v1/tenant', { key: tenant.adminKey }), 200);
    expect(initial).toMatchObject({ notificationEmail: null, contractAlertDays: [90, 30, 7], evidenceAlertDays: [60, 30, 0] });

    const patch = (body: unknown) => t.request('/v1/tenant', { method: 'PATCH', key: tenant.adminKey, json: body });
    const updated = await json<Record<string, unknown>>(await patch({ notificationEmail: 'lieferanten@stadtwerke.example', contractAlertDays: [14, 120, 60] }), 200);
    expect(updated).toMatchObject({ notificationEmail: 'lieferanten@stadtwerke.example', contractAlertDays: [120, 60, 14], evidenceAlertDays: [60, 30, 0] });

    for (const [body, path] of [
      [{ notificationEmail: 'not an address' }, 'notificationEmail'],
      [{ notificationEmail: 'a@b.example\r\nBcc: x@evil.example' }, 'notificationEmail'],
      [{ contractAlertDays: [30, 30] }, 'contractAlertDays'],
      [{ contractAlertDays: [] }, 'contractAlertDays'],
      [{ evidenceAlertDays: [-1] }, 'evidenceAlertDays.0'],
      [{ evidenceAlertDays: [1, 2, 3, 4, 5, 6, 7] }, 'evidenceAlertDays'],
      [{ evidenceAlertDays: [1000] }, 'evidenceAlertDays.0'],
    ] as const) {
      const response = await patch(body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      const problem = await problemOf(response);
      expect((problem.errors ?? []).map((error: { path: string }) => error.path)).toContain(path);
    }

    const cleared = await json<Record<string, unknown>>(await patch({ notificationEmail: null }), 200);
    expect(cleared.notificationEmail).toBeNull();
    const [entry] = await queryRows<{ changes: Record<string, unknown> }>(
      t.db,
      sql`select changes from audit_log where tenant_id = ${tenant.id} and action = 'tenant.updated' order by seq limit 1`,
    );
    expect(entry!.changes).toMatchObject({ contractAlertDays: { from: [90, 30, 7], to: [120, 60, 14] }, notificationEmail: { from: null, to: 'lieferanten@stadtwerke.example' } });
  });
});

describe('contract deadline alerts', () => {
  it('alerts the end date and the notice deadline at the due lead time, once, and mails the tenant address', async () => {
    const tenant = await t.createTenant('Stadtwerke Vertragsfristen');
    await json(await t.request('/v1/tenant', { method: 'PATCH', key: tenant.adminKey, json: { notificationEmail: 'einkauf@stadtwerke.example' } }), 200);
    const supplier = await createSupplier(t, tenant, { name: 'Rheinland Automation GmbH', status: 'active', owner: 'Team Einkauf' });
    const now = new Date();
    // Ends in 25 days: the 30-day alert is due (not the 90-day one as well). The notice deadline
    // (end minus 30 days) passed 5 days ago, within the grace period: alerted at the 7-day lead.
    const contract = await activeContract(tenant, supplier.id, { endDate: day(25, now), noticePeriodDays: 30, autoRenewal: true });
    const far = await activeContract(tenant, supplier.id, { endDate: day(400, now), noticePeriodDays: 30 });
    await activeContract(tenant, supplier.id, { endDate: day(20, now), status: 'terminated' });

    expect(alertsRaised(await runJobs(tenant, now))).toBe(2);
    const page = await alerts(tenant);
    const byKind = Object.fromEntries(page.data.map((alert) => [alert.kind, alert]));
    expect(byKind.contract_end).toMatchObject({
      subjectType: 'contract',
      subjectId: contract.id,
      supplierId: supplier.id,
      deadline: day(25, now),
      leadDays: 30,
      daysLeft: 25,
      mailedTo: 'einkauf@stadtwerke.example',
    });
    expect(byKind.contract_end!.summary).toBe(`Contract ${contract.reference} with Rheinland Automation GmbH ends in 25 days (${day(25, now)})`);
    expect(byKind.contract_notice).toMatchObject({ deadline: day(-5, now), leadDays: 7, daysLeft: -5 });
    expect(byKind.contract_notice!.summary).toContain('passed 5 days ago');
    expect(page.data.some((alert) => alert.subjectId === far.id)).toBe(false);

    const sent = await mails(tenant);
    expect(sent).toHaveLength(2);
    expect(sent.every((mail) => mail.to_address === 'einkauf@stadtwerke.example')).toBe(true);
    const notice = sent.find((mail) => mail.kind === 'deadline_alert.contract_notice')!;
    expect(notice.subject).toBe(byKind.contract_notice!.summary);
    expect(notice.text_body).toContain('(it renews automatically)');
    expect(notice.entity_id).toBe(contract.id);

    // Running again, or twice at once, raises nothing new.
    const again = await Promise.all([runJobs(tenant, now), runJobs(tenant, now)]);
    expect(again.map(alertsRaised)).toEqual([0, 0]);

    // Twenty days on, the 7-day end alert falls due; the notice deadline is past its grace.
    const later = new Date(now.getTime() + 20 * DAY);
    expect(alertsRaised(await runJobs(tenant, later))).toBe(1);
    const [latest] = (await alerts(tenant, '?kind=contract_end')).data;
    expect(latest).toMatchObject({ leadDays: 7, daysLeft: 5, deadline: day(25, now) });

    // An extended contract has a new deadline, alerted afresh from the lead time now due.
    const extended = await t.request(`/v1/contracts/${contract.id}`, {
      method: 'PATCH',
      key: tenant.adminKey,
      headers: { 'If-Match': `"${contract.version}"` },
      json: { endDate: day(80, now) },
    });
    expect(extended.status).toBe(200);
    expect(alertsRaised(await runJobs(tenant, later))).toBe(2);
    const fresh = (await alerts(tenant)).data.filter((alert) => alert.deadline === day(80, now) || alert.deadline === day(50, now));
    expect(fresh.map((alert) => [alert.kind, alert.leadDays, alert.daysLeft]).sort()).toEqual([
      ['contract_end', 90, 60],
      ['contract_notice', 30, 30],
    ]);

    const [audit] = await queryRows<{ actor_type: string; changes: Record<string, unknown> }>(
      t.db,
      sql`select actor_type, changes from audit_log where tenant_id = ${tenant.id} and action = 'deadline_alert.raised' order by seq limit 1`,
    );
    expect(audit).toMatchObject({ actor_type: 'system', changes: { mailed: true } });
  });

  it('mails the supplier owner when the owner is an address, and only lists the alert when there is no address', async () => {
    const tenant = await t.createTenant('Stadtwerke Ohne Adresse');
    const owned = await createSupplier(t, tenant, { name: 'Owned GmbH', status: 'active', owner: 'j.weber@stadtwerke.example' });
    const unowned = await createSupplier(t, tenant, { name: 'Unowned GmbH', status: 'active' });
    const now = new Date();
    await activeContract(tenant, owned.id, { endDate: day(6, now) });
    await activeContract(tenant, unowned.id, { endDate: day(6, now) });
    expect(alertsRaised(await runJobs(tenant, now))).toBe(2);
    const page = await alerts(tenant);
    expect(Object.fromEntries(page.data.map((alert) => [alert.supplierId, alert.mailedTo]))).toEqual({ [owned.id]: 'j.weber@stadtwerke.example', [unowned.id]: null });
    expect((await mails(tenant)).map((mail) => mail.to_address)).toEqual(['j.weber@stadtwerke.example']);
  });
});

describe('evidence expiry alerts', () => {
  it('alerts at 60, 30 and 0 days, skips lead times already overtaken, and stops once a renewal arrives', async () => {
    const tenant = await t.createTenant('Stadtwerke Nachweise');
    const supplier = await createSupplier(t, tenant, { name: 'Zertifiziert GmbH', status: 'active', owner: 'isms@stadtwerke.example' });
    const terminated = await createSupplier(t, tenant, { name: 'Ehemalig GmbH', status: 'terminated' });
    const now = new Date();
    const certificate = await evidence(tenant, supplier.id, { kind: 'iec62443_certificate', title: 'IEC 62443-2-4', validUntil: day(45, now) });
    const policy = await evidence(tenant, supplier.id, { kind: 'policy', validUntil: day(10, now) });
    await evidence(tenant, terminated.id, { kind: 'iso27001_certificate', validUntil: day(10, now) });

    expect(alertsRaised(await runJobs(tenant, now))).toBe(2);
    const first = await alerts(tenant, '?kind=evidence_expiry');
    expect(Object.fromEntries(first.data.map((alert) => [alert.subjectId, [alert.leadDays, alert.daysLeft]]))).toEqual({
      [certificate.id]: [60, 45],
      [policy.id]: [30, 10],
    });
    expect(first.data.find((alert) => alert.subjectId === certificate.id)!.summary).toBe(
      `IEC 62443 certificate "IEC 62443-2-4" of Zertifiziert GmbH expires in 45 days (${day(45, now)})`,
    );

    // 20 days on: the certificate's 30-day alert; the policy expired 10 days ago, past the grace.
    expect(alertsRaised(await runJobs(tenant, new Date(now.getTime() + 20 * DAY)))).toBe(1);
    // On the day: the 0-day alert.
    const onTheDay = new Date(now.getTime() + 45 * DAY);
    expect(alertsRaised(await runJobs(tenant, onTheDay))).toBe(1);
    const certificateAlerts = (await alerts(tenant, `?supplierId=${supplier.id}`)).data.filter((alert) => alert.subjectId === certificate.id);
    expect(certificateAlerts.map((alert) => [alert.leadDays, alert.daysLeft])).toEqual([
      [0, 0],
      [30, 25],
      [60, 45],
    ]);
    expect(certificateAlerts[0]!.summary).toContain('expires today');
    expect((await mails(tenant)).every((mail) => mail.to_address === 'isms@stadtwerke.example')).toBe(true);

    // A renewed certificate supersedes the old one: no alerts for the old one any more.
    const renewedTenant = await t.createTenant('Stadtwerke Erneuert');
    const renewedSupplier = await createSupplier(t, renewedTenant, { name: 'Erneuert GmbH', status: 'active' });
    await evidence(renewedTenant, renewedSupplier.id, { kind: 'iso27001_certificate', validUntil: day(20, now) });
    await evidence(renewedTenant, renewedSupplier.id, { kind: 'iso27001_certificate', validUntil: day(1100, now) });
    expect(alertsRaised(await runJobs(renewedTenant, now))).toBe(0);
  });
});

describe('deadline alert list', () => {
  it('pages newest first, filters, checks its query and keeps tenants apart', async () => {
    const tenant = await t.createTenant('Stadtwerke Liste');
    const other = await t.createTenant('Stadtwerke Andere');
    const a = await createSupplier(t, tenant, { name: 'A GmbH', status: 'active' });
    const b = await createSupplier(t, tenant, { name: 'B GmbH', status: 'active' });
    const now = new Date();
    for (const supplier of [a, b]) await activeContract(tenant, supplier.id, { endDate: day(5, now), noticePeriodDays: 1 });
    const foreign = await createSupplier(t, other, { name: 'Fremd GmbH', status: 'active' });
    await activeContract(other, foreign.id, { endDate: day(5, now) });
    await runJobs(tenant, now);
    await runJobs(other, now);

    const first = await alerts(tenant, '?limit=3');
    expect(first.data).toHaveLength(3);
    const second = await alerts(tenant, `?limit=3&cursor=${first.nextCursor}`);
    expect(second).toMatchObject({ nextCursor: null });
    const all = [...first.data, ...second.data];
    expect(all).toHaveLength(4);
    expect(all.map((alert) => alert.id)).toEqual([...all.map((alert) => alert.id)].sort().reverse());
    expect((await alerts(tenant, `?supplierId=${a.id}&kind=contract_notice`)).data.map((alert) => [alert.supplierId, alert.kind])).toEqual([[a.id, 'contract_notice']]);
    expect((await alerts(other)).data.map((alert) => alert.supplierId)).toEqual([foreign.id]);
    expect((await alerts(tenant, `?supplierId=${foreign.id}`)).data).toEqual([]);

    expect((await t.request('/v1/deadline-alerts?kind=soon', { key: tenant.adminKey })).status).toBe(422);
    expect((await t.request('/v1/deadline-alerts?cursor=nonsense', { key: tenant.adminKey })).status).toBe(422);
  });
});
