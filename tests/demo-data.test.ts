import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDemoSummary, loadDemo, type DemoResult } from '../scripts/demo/load-demo';
import { ASSESSMENT_STATUSES } from '../src/features/assessments/assessments.queries';
import { createTestContext, queryRows, type TestContext } from './support/context';

let t: TestContext;
let demo: DemoResult;

beforeAll(async () => {
  t = await createTestContext();
  demo = await loadDemo({ config: t.config, db: t.db });
});
afterAll(() => t.close());

interface Answer {
  questionKey: string;
  answered: boolean;
  visible: boolean;
  required: boolean;
  reviewStatus: string;
  reviewComment: string | null;
}

const admin = () => demo.keys[0]![1];
const byStatus = (status: string) => demo.assessments.filter((assessment) => assessment.status === status);
const answersOf = async (id: string) =>
  ((await (await t.request(`/v1/assessments/${id}/answers`, { key: admin() })).json()) as { data: Answer[] }).data;

describe('demo data (npm start on an empty database, npm run seed:demo)', () => {
  it('loads about 25 suppliers with contacts, services and subcontracting through the API', () => {
    expect(demo.counts.suppliers).toBeGreaterThanOrEqual(25);
    expect(demo.counts.contacts).toBeGreaterThanOrEqual(demo.counts.suppliers);
    expect(demo.counts.services).toBeGreaterThanOrEqual(demo.counts.suppliers);
    expect(demo.counts.links).toBeGreaterThanOrEqual(15);
    expect(demo.keys.map(([role]) => role)).toEqual(['admin', 'risk_manager', 'reviewer', 'auditor', 'integration']);
  });

  it('gives a register with every tier and the OT integrator as critical', async () => {
    const page = (await (await t.request('/v1/suppliers?limit=200&archived=include', { key: admin() })).json()) as { data: { name: string; tier: string }[] };
    const tiers = new Set(page.data.map((supplier) => supplier.tier));
    expect(tiers).toEqual(new Set(['critical', 'strategic', 'routine']));
    expect(page.data.find((supplier) => supplier.name === 'Ruhr Automation Systems GmbH')!.tier).toBe('critical');
    const verify = (await (await t.request('/v1/audit-log/verify', { key: admin() })).json()) as { valid: boolean; checked: number };
    expect(verify.valid).toBe(true);
    expect(verify.checked).toBeGreaterThan(100);
  });

  it('has assessments in every state, each where the plan puts it', async () => {
    expect(demo.assessments.map((assessment) => assessment.status)).toEqual(demo.assessments.map((assessment) => assessment.expected));
    expect(new Set(demo.assessments.map((assessment) => assessment.status))).toEqual(new Set(ASSESSMENT_STATUSES));
    const counts = Object.fromEntries(ASSESSMENT_STATUSES.map((status) => [status, byStatus(status).length]));
    expect(counts).toEqual({ draft: 1, sent: 2, in_progress: 1, submitted: 1, under_review: 1, returned: 1, accepted: 1, cancelled: 1, expired: 1 });
    expect(demo.counts.assessments).toBe(10);
    // The API agrees (the list filter), and the three built-in supplier templates are in use.
    const page = (await (await t.request('/v1/assessments?limit=100', { key: admin() })).json()) as { data: { status: string; overdue: boolean; template: { key: string } }[] };
    expect(page.data).toHaveLength(10);
    expect(new Set(page.data.map((row) => row.template.key))).toEqual(
      new Set(['builtin.nis2-supplier-baseline', 'builtin.ot-service-provider', 'builtin.product-secure-development']),
    );
    expect(page.data.filter((row) => row.overdue).map((row) => row.status)).toEqual(['sent']);
  });

  it('has complete answers where the supplier submitted, and partial ones in progress', async () => {
    for (const status of ['submitted', 'under_review', 'returned', 'accepted']) {
      const answers = await answersOf(byStatus(status)[0]!.id);
      const missing = answers.filter((answer) => answer.visible && answer.required && !answer.answered);
      expect(missing, status).toEqual([]);
      expect(answers.filter((answer) => answer.answered).length, status).toBeGreaterThan(35);
    }
    const inProgress = await answersOf(byStatus('in_progress')[0]!.id);
    const answered = inProgress.filter((answer) => answer.answered).length;
    expect(answered).toBeGreaterThan(5);
    expect(answered).toBeLessThan(inProgress.filter((answer) => answer.visible).length);
    expect((await answersOf(byStatus('draft')[0]!.id)).some((answer) => answer.answered)).toBe(false);
  });

  it('carries the reviewers\' work: clarification requests on the returned one, reviews on the others', async () => {
    const returned = await answersOf(byStatus('returned')[0]!.id);
    const clarifications = returned.filter((answer) => answer.reviewStatus === 'needs_clarification');
    expect(clarifications.length).toBeGreaterThanOrEqual(2);
    for (const answer of clarifications) expect(answer.reviewComment!.length).toBeGreaterThan(20);

    const underReview = await answersOf(byStatus('under_review')[0]!.id);
    expect(underReview.filter((answer) => answer.reviewStatus === 'accepted').length).toBeGreaterThan(10);
    expect(underReview.filter((answer) => answer.reviewStatus === 'needs_clarification')).toHaveLength(1);

    const accepted = await answersOf(byStatus('accepted')[0]!.id);
    expect(accepted.filter((answer) => answer.answered).every((answer) => answer.reviewStatus === 'accepted')).toBe(true);
    const get = async (id: string) => (await (await t.request(`/v1/assessments/${id}`, { key: admin() })).json()) as Record<string, unknown>;
    const acceptedRow = await get(byStatus('accepted')[0]!.id);
    // It went through a return and a second submission before acceptance, all in the past.
    expect(acceptedRow.returnedAt).not.toBeNull();
    expect(Date.parse(acceptedRow.acceptedAt as string)).toBeLessThan(Date.now() - 30 * 24 * 3_600_000);
    expect((await get(byStatus('expired')[0]!.id)).closedAt).not.toBeNull();
  });

  it('finds the portal link of the assessment that is open to the supplier, and the link works', async () => {
    expect(demo.portalLink).toBeDefined();
    expect(demo.portalLink!.status).toBe('in_progress');
    const path = new URL(demo.portalLink!.url).pathname;
    const page = await t.request(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Nordlicht SCADA');
  });

  it('prints the portal link only in development with MAIL_TRANSPORT=log (tokens are secrets)', () => {
    const summary = (nodeEnv: 'development' | 'test' | 'production', transport: 'log' | 'smtp' | 'http') =>
      formatDemoSummary(demo, { publicBaseUrl: 'http://localhost:3000', nodeEnv, mail: { ...t.config.mail, transport } });
    const url = demo.portalLink!.url;
    expect(summary('development', 'log')).toContain(url);
    expect(summary('production', 'log')).not.toContain(url);
    expect(summary('test', 'log')).not.toContain(url);
    expect(summary('development', 'smtp')).not.toContain(url);
    for (const [, key] of demo.keys) expect(summary('development', 'log')).toContain(key);
  });

  it('scores every supplier, and ranks the OT integrator with plant access above a low-risk SaaS tool', async () => {
    const page = (await (await t.request('/v1/suppliers?limit=200&archived=include', { key: admin() })).json()) as { data: { id: string; name: string }[] };
    const [{ unscored } = { unscored: -1 }] = await queryRows<{ unscored: number }>(
      t.db,
      sql`select count(*)::int as unscored from suppliers where tenant_id = ${demo.tenant.id} and risk_score_id is null`,
    );
    expect(Number(unscored)).toBe(0);
    const residual = async (name: string) => {
      const supplier = page.data.find((row) => row.name === name)!;
      const response = await t.request(`/v1/suppliers/${supplier.id}/risk`, { key: admin() });
      expect(response.status).toBe(200);
      return (await response.json()) as { residualRisk: number; summary: string };
    };
    // Ruhr Automation: OT network access, remote support, accepted OT assessment with weak answers.
    // CyberAware Academy: security-awareness training SaaS, no access, internal data, easy to replace.
    const integrator = await residual('Ruhr Automation Systems GmbH');
    const saas = await residual('CyberAware Academy GmbH');
    expect(integrator.residualRisk).toBeGreaterThan(saas.residualRisk);
    expect(integrator.summary.length).toBeGreaterThan(20);
  });

  it('keeps the demo\'s mail out of the outbox: delivered to the demo, not left for a real transport', async () => {
    expect(demo.counts.mails).toBeGreaterThanOrEqual(9);
  });
});
