import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findings, riskScores } from '../src/db/schema';
import { newId } from '../src/lib/ids';
import { createTestContext, type TestContext, type TestTenant } from './support/context';
import { createSupplier, sampleTemplate } from './support/fixtures';

let t: TestContext;

beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

interface Dashboard {
  generatedAt: string;
  suppliers: { total: number; byTier: Record<string, number>; byRating: Record<string, number> };
  assessments: { total: number; byStatus: Record<string, number>; overdue: number };
  findings: { open: number; overdue: number; riskAccepted: number; bySeverity: Record<string, { open: number; overdue: number }> };
  evidence: { expired: number; expiringWithin30Days: number; expiringWithin60Days: number; expiringWithin90Days: number };
  reviews: { due: number; dueEarly: number; dueWithin30Days: number };
  riskiestSuppliers: { id: string; name: string; tier: string; residualRisk: number; rating: string | null; topFactor: unknown }[];
  concentrationHotSpots: { supplierId: string; criticalServices: number; direct: number; indirect: number }[];
}

async function json<T>(response: Response, status: number): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
}

const dashboard = async (owner: TestTenant) => json<Dashboard>(await t.request('/v1/dashboard', { key: owner.adminKey }), 200);
const override = (tier: string) => ({ tierOverride: { tier, reason: `Treated as ${tier} for the dashboard test.` } });
const DAY = 86_400_000;
const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

const EMPTY = {
  suppliers: { total: 0, byTier: { critical: 0, strategic: 0, routine: 0 }, byRating: { low: 0, medium: 0, high: 0, critical: 0, unscored: 0 } },
  assessments: {
    total: 0,
    overdue: 0,
    byStatus: { draft: 0, sent: 0, in_progress: 0, submitted: 0, under_review: 0, returned: 0, accepted: 0, cancelled: 0, expired: 0 },
  },
  findings: {
    open: 0,
    overdue: 0,
    riskAccepted: 0,
    bySeverity: { low: { open: 0, overdue: 0 }, medium: { open: 0, overdue: 0 }, high: { open: 0, overdue: 0 }, critical: { open: 0, overdue: 0 } },
  },
  evidence: { expired: 0, expiringWithin30Days: 0, expiringWithin60Days: 0, expiringWithin90Days: 0 },
  reviews: { due: 0, dueEarly: 0, dueWithin30Days: 0 },
  riskiestSuppliers: [],
  concentrationHotSpots: [],
};

describe('GET /v1/dashboard', () => {
  it('an empty tenant: every count zero, nothing listed', async () => {
    const empty = await t.createTenant();
    const body = await dashboard(empty);
    expect(body).toMatchObject(EMPTY);
    expect(Date.parse(body.generatedAt)).not.toBeNaN();
  });

  it('needs findings:read', async () => {
    const owner = await t.createTenant();
    const reader = await t.createKey(owner, ['suppliers:read']);
    expect((await t.request('/v1/dashboard', { key: reader.key })).status).toBe(403);
    expect((await t.request('/v1/dashboard', { key: null })).status).toBe(401);
    const findingsReader = await t.createKey(owner, ['findings:read']);
    expect((await t.request('/v1/dashboard', { key: findingsReader.key })).status).toBe(200);
  });

  it('counts a small crafted portfolio exactly, leaving out archived suppliers and other tenants', async () => {
    const owner = await t.createTenant();
    const other = await t.createTenant();
    const key = owner.adminKey;
    const supplier = async (name: string, tier: string) => (await createSupplier(t, owner, { name, status: 'active', ...override(tier) })).id;
    const alpha = await supplier('Alpha OT Integration', 'critical');
    const bravo = await supplier('Bravo Cloud', 'strategic');
    const charlie = await supplier('Charlie Newsletter', 'routine');
    const provider = await supplier('Papa Hosting', 'routine');
    const archived = await supplier('Zulu Archived', 'critical');
    await createSupplier(t, other, { name: 'Other tenant', ...override('critical') });

    // Critical services: two of Alpha's and one of Bravo's, all hosted by Papa; Alpha's own two make it a hot spot too.
    const service = async (supplierId: string, criticalOrImportant: boolean) =>
      (
        await json<{ id: string }>(
          await t.request(`/v1/suppliers/${supplierId}/services`, { method: 'POST', key, json: { name: 'Service', serviceType: 'S19', criticalOrImportant } }),
          201,
        )
      ).id;
    await service(alpha, true);
    await service(alpha, true);
    await service(bravo, true);
    await service(charlie, false);
    for (const customer of [alpha, bravo]) {
      await json(await t.request(`/v1/suppliers/${customer}/subcontractors/${provider}`, { method: 'PUT', key, json: {} }), 201);
    }

    // Assessments: two drafts, one sent and overdue, one sent on time, one cancelled; one of the archived supplier.
    const template = await json<{ id: string }>(
      await t.request('/v1/questionnaire-templates?publish=true', { method: 'POST', key, json: sampleTemplate(`dash-${crypto.randomUUID().slice(0, 8)}`) }),
      201,
    );
    const assessment = async (supplierId: string, action?: 'send' | 'cancel') => {
      const contact = await json<{ id: string }>(
        await t.request(`/v1/suppliers/${supplierId}/contacts`, { method: 'POST', key, json: { name: 'Security Desk', email: 'security@supplier.example' } }),
        201,
      );
      const created = await json<{ id: string }>(
        await t.request('/v1/assessments', {
          method: 'POST',
          key,
          json: { supplierId, templateId: template.id, contactId: contact.id, dueAt: new Date(Date.now() + 14 * DAY).toISOString() },
        }),
        201,
      );
      if (action) await json(await t.request(`/v1/assessments/${created.id}/${action}`, { method: 'POST', key }), 200);
      return created.id;
    };
    await assessment(alpha);
    await assessment(charlie);
    const overdue = await assessment(bravo, 'send');
    await assessment(alpha, 'send');
    await assessment(charlie, 'cancel');
    await assessment(archived, 'send');
    await t.db.execute(sql`update assessments set due_at = now() - interval '3 days' where id = ${overdue}`);

    // Evidence: expired, ending in 10, 45 and 80 days, one beyond 90; an archived record and the archived supplier's are left out.
    const upload = async (supplierId: string, validUntil: string) => {
      const form = new FormData();
      form.set('file', new Blob([new TextEncoder().encode(`%PDF-1.4\n% ${crypto.randomUUID()}\n%%EOF\n`)], { type: 'application/pdf' }), 'cert.pdf');
      form.set('supplierId', supplierId);
      form.set('kind', 'policy');
      form.set('validUntil', validUntil);
      return (await json<{ id: string }>(await t.request('/v1/evidence', { method: 'POST', key, body: form }), 201)).id;
    };
    await upload(alpha, isoDay(-5));
    await upload(alpha, isoDay(10));
    await upload(bravo, isoDay(45));
    await upload(charlie, isoDay(80));
    await upload(charlie, isoDay(200));
    const gone = await upload(bravo, isoDay(5));
    expect((await t.request(`/v1/evidence/${gone}`, { method: 'DELETE', key })).status).toBe(204);
    await upload(archived, isoDay(5));

    await json(await t.request(`/v1/suppliers/${archived}`, { method: 'DELETE', key }), 200);

    // Findings and scores are written straight into the tables, after every API write, so that
    // the counts and ratings do not depend on what the generators and the scorer make of them.
    const now = new Date();
    const finding = (supplierId: string, severity: string, status: string, dueDate: string | null = null) => ({
      tenantId: owner.id,
      id: newId('finding'),
      supplierId,
      title: `${severity} finding`,
      severity,
      status,
      source: 'manual',
      dueDate,
      createdByType: 'api_key',
      createdById: 'test',
      createdAt: now,
      updatedAt: now,
    });
    await t.db.execute(sql`delete from findings where tenant_id = ${owner.id}`);
    await t.db.insert(findings).values([
      finding(alpha, 'high', 'open', isoDay(-2)),
      finding(alpha, 'high', 'in_remediation', isoDay(20)),
      finding(alpha, 'critical', 'open'),
      finding(bravo, 'medium', 'open', isoDay(-1)),
      finding(bravo, 'low', 'risk_accepted'),
      finding(charlie, 'low', 'resolved', isoDay(-30)),
      finding(archived, 'critical', 'open', isoDay(-3)),
    ]);
    const topFactor = { group: 'inherent', key: 'accessLevel', label: 'Access to our systems', input: 'ot_network', contribution: 25 };
    const scoreId = newId('riskScore');
    await t.db.insert(riskScores).values({
      tenantId: owner.id,
      id: scoreId,
      supplierId: alpha,
      modelVersion: 0,
      inherentRisk: 90,
      tier: 'critical',
      controlStrength: 10,
      residualRisk: 88,
      rating: 'critical',
      explanation: { topFactor, factors: [topFactor], summary: 'test' },
      inputsHash: 'test',
      trigger: 'test',
      computedAt: now,
    });
    const score = (id: string, residual: number | null, rating: string | null, riskScoreId: string | null = null) =>
      t.db.execute(sql`update suppliers set residual_risk = ${residual}, risk_rating = ${rating}, risk_score_id = ${riskScoreId} where id = ${id}`);
    await score(alpha, 88, 'critical', scoreId);
    await score(bravo, 61, 'high');
    await score(charlie, null, null);
    await score(provider, 15, 'low');
    await score(archived, 99, 'critical');
    const schedule = (id: string, offsetDays: number, reason: string | null) =>
      t.db.execute(sql`update suppliers set next_review_at = now() + ${offsetDays} * interval '1 day', review_due_reason = ${reason} where id = ${id}`);
    await schedule(alpha, -10, null);
    await schedule(bravo, -1, 'service_added');
    await schedule(charlie, 12, null);
    await schedule(provider, 300, null);
    await schedule(archived, -50, null);

    const body = await dashboard(owner);
    expect(body).toMatchObject({
      suppliers: { total: 4, byTier: { critical: 1, strategic: 1, routine: 2 }, byRating: { critical: 1, high: 1, medium: 0, low: 1, unscored: 1 } },
      assessments: {
        total: 5,
        overdue: 1,
        byStatus: { draft: 2, sent: 2, in_progress: 0, submitted: 0, under_review: 0, returned: 0, accepted: 0, cancelled: 1, expired: 0 },
      },
      findings: {
        open: 4,
        overdue: 2,
        riskAccepted: 1,
        bySeverity: { low: { open: 0, overdue: 0 }, medium: { open: 1, overdue: 1 }, high: { open: 2, overdue: 1 }, critical: { open: 1, overdue: 0 } },
      },
      evidence: { expired: 1, expiringWithin30Days: 1, expiringWithin60Days: 2, expiringWithin90Days: 3 },
      reviews: { due: 2, dueEarly: 1, dueWithin30Days: 1 },
    });
    expect(body.riskiestSuppliers).toEqual([
      { id: alpha, name: 'Alpha OT Integration', tier: 'critical', residualRisk: 88, rating: 'critical', topFactor },
      { id: bravo, name: 'Bravo Cloud', tier: 'strategic', residualRisk: 61, rating: 'high', topFactor: null },
      { id: provider, name: 'Papa Hosting', tier: 'routine', residualRisk: 15, rating: 'low', topFactor: null },
    ]);
    expect(body.concentrationHotSpots.map(({ supplierId, criticalServices, direct, indirect }) => ({ supplierId, criticalServices, direct, indirect }))).toEqual([
      { supplierId: provider, criticalServices: 3, direct: 0, indirect: 3 },
      { supplierId: alpha, criticalServices: 2, direct: 2, indirect: 0 },
    ]);

    // The other tenant sees only its own supplier.
    const theirs = await dashboard(other);
    expect(theirs.suppliers.total).toBe(1);
    expect(theirs.assessments.total + theirs.findings.open + theirs.evidence.expiringWithin90Days).toBe(0);
    expect(theirs.riskiestSuppliers.map((row) => row.id)).not.toContain(alpha);
    expect(theirs.concentrationHotSpots).toEqual([]);
  });
});
