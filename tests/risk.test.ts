import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRecalculations } from '../src/features/risk/risk.recalculate';
import { runDueJobs } from '../src/jobs/run-due-jobs';
import { createLogger } from '../src/lib/logger';
import { createTestContext, queryRows, type TestContext, type TestTenant } from './support/context';
import { createSupplier, sentAssessment } from './support/fixtures';

let t: TestContext;
let tenant: TestTenant;
let other: TestTenant;
let readerKey: string;
const jobErrors: string[] = [];
const jobLogger = createLogger('warn', (line) => jobErrors.push(line));

interface Factor {
  group: string;
  key: string;
  label: string;
  input: unknown;
  contribution: number;
}
interface Score {
  id: string;
  supplierId: string;
  modelVersion: number;
  inherentRisk: number;
  tier: string;
  computedTier: string;
  tierOverridden: boolean;
  controlStrength: number;
  residualRisk: number;
  rating: string;
  summary: string;
  topFactor: Factor | null;
  factors: Factor[];
  trigger: string;
  computedAt: string;
}
interface Recalculation {
  id: string;
  status: string;
  total: number;
  processed: number;
  changed: number;
  modelVersion: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant('Risk tenant');
  other = await t.createTenant('Other risk tenant');
  readerKey = (await t.createKey(tenant, ['findings:read'], 'risk reader')).key;
});

afterAll(async () => {
  await t.close();
});

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

const risk = (supplierId: string, key = tenant.adminKey) => t.request(`/v1/suppliers/${supplierId}/risk`, { key });
const history = async (supplierId: string, query = '') =>
  json<{ data: Score[]; nextCursor: string | null }>(await t.request(`/v1/suppliers/${supplierId}/risk/history${query}`, { key: readerKey }), 200);

async function patchSupplier(id: string, body: Record<string, unknown>) {
  const response = await t.request(`/v1/suppliers/${id}`, { method: 'PATCH', key: tenant.adminKey, json: body });
  expect(response.status, await response.clone().text()).toBe(200);
}

describe('scores follow the supplier', () => {
  it('scores a new supplier with an explanation, and changes only when an input changes', async () => {
    const supplier = await createSupplier(t, tenant, { profile: { dataSensitivity: 'internal', accessLevel: 'remote', substitutability: 'easy' } });
    const first = await json<Score>(await risk(supplier.id, readerKey), 200);
    expect(first).toMatchObject({ supplierId: supplier.id, modelVersion: 0, trigger: 'profile' });
    for (const value of [first.inherentRisk, first.controlStrength, first.residualRisk]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(100);
    }
    expect(['low', 'medium', 'high', 'critical']).toContain(first.rating);
    expect(first.summary.length).toBeGreaterThan(20);
    const access = first.factors.find((factor) => factor.key === 'accessLevel');
    expect(access).toMatchObject({ group: 'inherent', input: 'remote' });
    expect(access!.contribution).toBeGreaterThan(0);
    // The supplier's own columns agree with the score.
    const row = await json<{ inherentScore: number; tier: string }>(await t.request(`/v1/suppliers/${supplier.id}`, { key: tenant.adminKey }), 200);
    expect(row.inherentScore).toBe(first.inherentRisk);
    expect(row.tier).toBe(first.tier);

    // Owner and tags do not feed the score: no new history entry.
    await patchSupplier(supplier.id, { owner: 'someone@example.com', tags: ['x'] });
    expect((await history(supplier.id)).data).toHaveLength(1);

    await patchSupplier(supplier.id, { profile: { accessLevel: 'ot_network' } });
    const second = await json<Score>(await risk(supplier.id), 200);
    expect(second.id).not.toBe(first.id);
    expect(second.inherentRisk).toBeGreaterThan(first.inherentRisk);
    const page = await history(supplier.id);
    expect(page.data.map((score) => score.id)).toEqual([second.id, first.id]);

    // Keyset pages, newest first.
    const one = await history(supplier.id, '?limit=1');
    expect(one.data[0]!.id).toBe(second.id);
    const two = await history(supplier.id, `?limit=1&cursor=${one.nextCursor}`);
    expect(two.data[0]!.id).toBe(first.id);
    expect(two.nextCursor).toBeNull();
  });

  it('a tier override is in force and explained', async () => {
    const supplier = await createSupplier(t, tenant, { tierOverride: { tier: 'critical', reason: 'Sole supplier of the SCADA platform' } });
    const score = await json<Score>(await risk(supplier.id), 200);
    expect(score.tier).toBe('critical');
    expect(score.tierOverridden).toBe(true);
  });

  it('accepted answers raise control strength and lower residual risk; unaccepted ones do not count', async () => {
    const { assessmentId, supplierId } = await sentAssessment(t, tenant);
    await patchSupplier(supplierId, { profile: { accessLevel: 'privileged', dataSensitivity: 'confidential', supportsCriticalFunction: true } });
    const before = await json<Score>(await risk(supplierId), 200);
    const saved = await t.request(`/v1/assessments/${assessmentId}/answers`, {
      method: 'PUT',
      key: tenant.adminKey,
      json: { answers: [{ questionKey: 'mfa', value: 'yes' }, { questionKey: 'mfa-method', value: 'fido2' }, { questionKey: 'notify-hours', value: 24 }] },
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
    expect((await t.request(`/v1/assessments/${assessmentId}/submit`, { method: 'POST', key: tenant.adminKey })).status).toBe(200);
    const submitted = await json<Score>(await risk(supplierId), 200);
    expect(submitted.controlStrength).toBe(before.controlStrength);

    expect((await t.request(`/v1/assessments/${assessmentId}/accept`, { method: 'POST', key: tenant.adminKey })).status).toBe(200);
    const after = await json<Score>(await risk(supplierId), 200);
    expect(after.controlStrength).toBeGreaterThan(before.controlStrength);
    expect(after.residualRisk).toBeLessThan(before.residualRisk);
    expect(after.trigger).toBe('assessment');
    expect(after.factors.some((factor) => factor.group === 'control' && factor.key.startsWith('domain:') && factor.contribution > 0)).toBe(true);
  });

  it('scores a supplier that was never scored on first read', async () => {
    const supplier = await createSupplier(t, tenant);
    await t.db.execute(sql`update suppliers set risk_score_id = null, residual_risk = null, risk_rating = null where tenant_id = ${tenant.id} and id = ${supplier.id}`);
    const score = await json<Score>(await risk(supplier.id), 200);
    expect(score.supplierId).toBe(supplier.id);
    const [row] = await queryRows<{ risk_score_id: string | null }>(t.db, sql`select risk_score_id from suppliers where tenant_id = ${tenant.id} and id = ${supplier.id}`);
    expect(row!.risk_score_id).toBe(score.id);
  });

  it('expired evidence is picked up by the daily job', async () => {
    const supplier = await createSupplier(t, tenant);
    const form = new FormData();
    form.set('file', new Blob([new TextEncoder().encode('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), 'cert.pdf');
    form.set('supplierId', supplier.id);
    form.set('kind', 'iso27001_certificate');
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    form.set('validUntil', tomorrow);
    expect((await t.request('/v1/evidence', { method: 'POST', key: tenant.adminKey, body: form })).status).toBe(201);
    const before = await json<Score>(await risk(supplier.id), 200);
    const later = new Date(Date.now() + 3 * 86_400_000);
    await runDueJobs(t.db, later, jobLogger, { config: t.config, assessmentJobs: { tenantId: tenant.id }, findingJobs: { tenantId: tenant.id }, alertJobs: { tenantId: tenant.id }, webhookDelivery: { tenantId: tenant.id }, riskJobs: { tenantId: tenant.id } });
    const after = await json<Score>(await risk(supplier.id), 200);
    expect(after.id).not.toBe(before.id);
    expect(after.trigger).toBe('date');
    expect(after.residualRisk).toBeGreaterThan(before.residualRisk);
    // Once re-scored, the next run leaves it alone.
    await runDueJobs(t.db, later, jobLogger, { config: t.config, riskJobs: { tenantId: tenant.id }, findingJobs: { tenantId: tenant.id }, alertJobs: { tenantId: tenant.id }, webhookDelivery: { tenantId: tenant.id }, assessmentJobs: { tenantId: tenant.id } });
    expect((await json<Score>(await risk(supplier.id), 200)).id).toBe(after.id);
  });

  it('answers 404 for unknown and foreign suppliers, and 403 without the scope', async () => {
    const foreign = await createSupplier(t, other);
    expect((await risk(foreign.id)).status).toBe(404);
    expect((await t.request(`/v1/suppliers/${foreign.id}/risk/history`, { key: tenant.adminKey })).status).toBe(404);
    expect((await risk('sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A')).status).toBe(404);
    const noScope = (await t.createKey(tenant, ['suppliers:read'], 'no findings')).key;
    expect((await risk(foreign.id, noScope)).status).toBe(403);
    expect((await t.request('/v1/suppliers/sup_bad/risk', { key: tenant.adminKey })).status).toBe(422);
  });
});

describe('recalculation', () => {
  it('queues one per tenant, runs in the background with readable progress, and completes', async () => {
    const own = await t.createTenant('Recalculation tenant');
    for (let index = 0; index < 5; index += 1) await createSupplier(t, own);
    // Forget the scores, so the recalculation has something to change.
    await t.db.execute(sql`update suppliers set risk_score_id = null where tenant_id = ${own.id}`);

    const queued = await t.request('/v1/risk/recalculate', { method: 'POST', key: own.adminKey });
    const body = await json<Recalculation>(queued, 202);
    expect(queued.headers.get('location')).toBe(`/v1/risk/recalculations/${body.id}`);
    expect(body).toMatchObject({ status: 'queued', total: 5, processed: 0, changed: 0, modelVersion: 0, startedAt: null, finishedAt: null });

    // While queued, another request gets the same one.
    const again = await t.request('/v1/risk/recalculate', { method: 'POST', key: own.adminKey });
    expect((await json<Recalculation>(again, 200)).id).toBe(body.id);

    // Batches of 2: after one run with a tiny time budget, progress is partial and readable.
    await runRecalculations(t.db, new Date(), jobLogger, { tenantId: own.id, batchSize: 2, timeBudgetMs: 0 });
    const partial = await json<Recalculation>(await t.request(`/v1/risk/recalculations/${body.id}`, { key: own.adminKey }), 200);
    expect(partial.status).toBe('running');
    expect(partial.processed).toBe(2);
    expect(partial.startedAt).not.toBeNull();

    await runDueJobs(t.db, new Date(), jobLogger, { config: t.config, riskJobs: { tenantId: own.id, batchSize: 2 }, findingJobs: { tenantId: own.id }, alertJobs: { tenantId: own.id }, webhookDelivery: { tenantId: own.id }, assessmentJobs: { tenantId: own.id } });
    const done = await json<Recalculation>(await t.request(`/v1/risk/recalculations/${body.id}`, { key: own.adminKey }), 200);
    expect(done).toMatchObject({ status: 'completed', processed: 5, changed: 5 });
    expect(done.finishedAt).not.toBeNull();

    // Completed: a new request queues a new one, which changes nothing.
    const next = await json<Recalculation>(await t.request('/v1/risk/recalculate', { method: 'POST', key: own.adminKey }), 202);
    expect(next.id).not.toBe(body.id);
    await runRecalculations(t.db, new Date(), jobLogger, { tenantId: own.id });
    expect(await json<Recalculation>(await t.request(`/v1/risk/recalculations/${next.id}`, { key: own.adminKey }), 200)).toMatchObject({
      status: 'completed',
      processed: 5,
      changed: 0,
    });
    expect(jobErrors).toEqual([]);
  });

  it('two concurrent runs do not process a supplier twice', async () => {
    const own = await t.createTenant('Lease tenant');
    for (let index = 0; index < 6; index += 1) await createSupplier(t, own);
    await t.db.execute(sql`update suppliers set risk_score_id = null where tenant_id = ${own.id}`);
    const body = await json<Recalculation>(await t.request('/v1/risk/recalculate', { method: 'POST', key: own.adminKey }), 202);
    const now = new Date();
    const [a, b] = await Promise.all([
      runRecalculations(t.db, now, jobLogger, { tenantId: own.id, batchSize: 2 }),
      runRecalculations(t.db, now, jobLogger, { tenantId: own.id, batchSize: 2 }),
    ]);
    expect(a + b).toBe(6);
    const done = await json<Recalculation>(await t.request(`/v1/risk/recalculations/${body.id}`, { key: own.adminKey }), 200);
    expect(done).toMatchObject({ status: 'completed', processed: 6, changed: 6 });
    const [{ count } = { count: 0 }] = await queryRows<{ count: number }>(
      t.db,
      sql`select count(*)::int as count from risk_scores where tenant_id = ${own.id} and trigger = 'recalculation'`,
    );
    expect(Number(count)).toBe(6);
  });

  it('keeps tenants apart and needs the right scopes', async () => {
    const body = await json<Recalculation>(await t.request('/v1/risk/recalculate', { method: 'POST', key: tenant.adminKey }), 202);
    expect((await t.request(`/v1/risk/recalculations/${body.id}`, { key: other.adminKey })).status).toBe(404);
    expect((await t.request('/v1/risk/recalculations/rcl_01JD6S9Q7Y3M8V5R2T4W6X8Z0A', { key: tenant.adminKey })).status).toBe(404);
    expect((await t.request('/v1/risk/recalculate', { method: 'POST', key: readerKey })).status).toBe(403);
    await runRecalculations(t.db, new Date(), jobLogger, { tenantId: tenant.id });
  });
});
