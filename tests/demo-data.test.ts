import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFile } from '../scripts/demo/demo-files';
import evidencePlan from '../scripts/demo/evidence.json';
import { formatDemoSummary, loadDemo, type DemoResult } from '../scripts/demo/load-demo';
import { CLAUSE_STATUS_CODES } from '../src/catalog/clauses';
import { ASSESSMENT_STATUSES } from '../src/features/assessments/assessments.queries';
import { sha256Hex } from '../src/lib/crypto';
import { createTestContext, queryRows, type TestContext } from './support/context';

let t: TestContext;
let demo: DemoResult;

// The demo is about 330 requests through the app; on a busy machine that takes longer than the default hook timeout.
beforeAll(async () => {
  t = await createTestContext();
  demo = await loadDemo({ config: t.config, db: t.db });
}, 180_000);
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

  it('prints what the oversight part loaded and the reviewer\'s question to try', () => {
    expect(demo.oversight).toMatchObject({ regime: 'nis2' });
    for (const count of ['evidence', 'contracts', 'clauseStates', 'audits', 'incidents'] as const) expect(demo.oversight[count], count).toBeGreaterThan(0);
    const summary = formatDemoSummary(demo, t.config);
    expect(summary).toContain(`${demo.oversight.contracts} contracts (${demo.oversight.clauseStates} clause states, regime nis2)`);
    expect(summary).toContain('/v1/clause-gaps?tier=critical&topic=right_to_audit,incident_notification');
  });
});

interface Supplier {
  id: string;
  name: string;
  tier: string;
  status: string;
}

const DAY_MS = 24 * 3_600_000;
const dayIn = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
const list = async <T>(path: string) => {
  const response = await t.request(path, { key: admin() });
  expect(response.status, path).toBe(200);
  const page = (await response.json()) as { data: T[]; nextCursor?: string | null };
  expect(page.nextCursor ?? null, `${path} fits one page`).toBeNull();
  return page.data;
};
const suppliers = () => list<Supplier>('/v1/suppliers?limit=200&archived=include');
/** Where a contract, evidence and a completed audit fit: the active suppliers that matter most. */
const fitting = async () => (await suppliers()).filter((supplier) => supplier.status === 'active' && ['critical', 'strategic'].includes(supplier.tier));

describe('demo oversight data: contracts, evidence, audits, incidents (issue 6)', () => {
  it('puts the tenant under NIS2 and gives each fitting supplier a contract with a mix of clause states', async () => {
    const tenant = (await (await t.request('/v1/tenant', { key: admin() })).json()) as { regime: string };
    expect(tenant.regime).toBe('nis2');
    const fit = await fitting();
    expect(fit.length).toBeGreaterThanOrEqual(12);
    const contracts = await list<{ id: string; supplierId: string; status: string; clauses: { applicable: number; satisfied: number; gaps: number } }>('/v1/contracts?limit=100');
    expect(contracts).toHaveLength(demo.oversight.contracts);
    expect(new Set(contracts.map((contract) => contract.status))).toEqual(new Set(['active', 'draft', 'terminated']));

    const seen = new Set<string>();
    for (const supplier of fit) {
      const own = contracts.filter((contract) => contract.supplierId === supplier.id);
      expect(own.filter((contract) => contract.status === 'active'), supplier.name).toHaveLength(1);
      const states = new Set<string>();
      for (const contract of own) {
        expect(contract.clauses.applicable, supplier.name).toBe(8); // NIS2 IR 5.1.4 (a)-(h)
        const clauses = await list<{ clause: { key: string }; status: string; justification: string | null }>(`/v1/contracts/${contract.id}/clauses`);
        for (const clause of clauses.filter((row) => row.status !== 'unassessed')) {
          states.add(clause.status);
          seen.add(clause.status);
          if (clause.status === 'waived' || clause.status === 'not_applicable') expect(clause.justification!.length, clause.clause.key).toBeGreaterThan(40);
        }
      }
      expect(states.size, `${supplier.name}: ${[...states].join(', ')}`).toBeGreaterThanOrEqual(2);
    }
    expect(seen).toEqual(new Set(CLAUSE_STATUS_CODES));
    // The critical suppliers' contracts are reviewed in full: no clause left unassessed.
    for (const supplier of fit.filter((row) => row.tier === 'critical')) {
      const [contract] = contracts.filter((row) => row.supplierId === supplier.id);
      const clauses = await list<{ status: string }>(`/v1/contracts/${contract!.id}/clauses`);
      expect(clauses.filter((row) => row.status === 'unassessed'), supplier.name).toEqual([]);
    }
  });

  it('answers the reviewer\'s question: critical suppliers lacking a right-to-audit or incident-notification clause', async () => {
    const gaps = await list<{ supplierName: string; supplierTier: string; topic: string; clauseKey: string; status: string; contractStatus: string }>(
      '/v1/clause-gaps?tier=critical&topic=right_to_audit,incident_notification',
    );
    expect(new Set(gaps.map((gap) => gap.supplierName))).toEqual(new Set(['Ruhr Automation Systems GmbH', 'SecureBridge Remote Access Ltd', 'SmartMeter Connect GmbH']));
    expect(gaps.map((gap) => `${gap.supplierName.split(' ')[0]} ${gap.clauseKey} ${gap.status}`).sort()).toEqual([
      'Ruhr nis2-ir-5.1.4-d partial',
      'Ruhr nis2-ir-5.1.4-e missing',
      'SecureBridge nis2-ir-5.1.4-d negotiating',
      'SmartMeter nis2-ir-5.1.4-e partial',
    ]);
    for (const gap of gaps) {
      expect(gap.supplierTier).toBe('critical');
      expect(gap.contractStatus).toBe('active');
      expect(['right_to_audit', 'incident_notification']).toContain(gap.topic);
    }
    // The other critical suppliers have both clauses: they are in the register, with contracts, and not in the answer.
    const critical = (await suppliers()).filter((supplier) => supplier.tier === 'critical').map((supplier) => supplier.name);
    expect(critical).toEqual(expect.arrayContaining(['Nimbus Cloud Services', 'Sentinel SOC B.V.', 'Rheinland Managed IT GmbH']));
    // A missing clause at a critical supplier raised its high finding.
    const findings = await list<{ source: string; severity: string; status: string; title: string }>('/v1/findings?source=clause_gap&limit=100');
    expect(findings.filter((finding) => finding.status === 'open' && finding.severity === 'high').map((finding) => finding.title)).toContain(
      'Contract RRE-CA-0007 lacks: Right to audit',
    );
  });

  it('holds real evidence files for each fitting supplier, some expiring within 60 days, one expired with its finding', async () => {
    const evidence = await list<{ id: string; supplierId: string; kind: string; contentType: string; sha256: string; fileName: string; validUntil: string | null }>(
      '/v1/evidence?limit=100',
    );
    // The demo's evidence plus the confirmation of data destruction kept by an offboarding.
    expect(evidence).toHaveLength(demo.oversight.evidence + demo.lifecycle.evidence);
    for (const supplier of await fitting()) expect(evidence.filter((row) => row.supplierId === supplier.id).length, supplier.name).toBeGreaterThan(0);
    expect(new Set(evidence.map((row) => row.contentType))).toEqual(new Set(['application/pdf', 'application/vnd.cyclonedx+json', 'text/csv; charset=utf-8']));

    // The stored bytes are the generated files: sniffed as what they are, hashed, and downloadable.
    const pdf = evidence.find((row) => row.fileName === 'nimbus-soc2-type2-eu-central.pdf')!;
    const content = await t.request(`/v1/evidence/${pdf.id}/content`, { key: admin() });
    expect(content.status).toBe(200);
    const bytes = new Uint8Array(await content.arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('%PDF-1.4');
    expect(new TextDecoder('latin1').decode(bytes)).toContain('%%EOF');
    expect(await sha256Hex(bytes)).toBe(pdf.sha256);
    // Files without dates in their text come out the same whenever the demo is seeded.
    const sbomSpec = evidencePlan.evidence.find((entry) => entry.key === 'plc-sbom')!;
    const sbom = evidence.find((row) => row.fileName === sbomSpec.file.name)!;
    expect(sbom.sha256).toBe(await sha256Hex(demoFile(sbomSpec.file).bytes));

    const today = dayIn(0);
    const expiring = await list<{ supplierId: string; validUntil: string }>(`/v1/evidence?expiringBefore=${dayIn(60)}&limit=100`);
    const upcoming = expiring.filter((row) => row.validUntil >= today);
    expect(upcoming.length).toBeGreaterThanOrEqual(5);
    expect(new Set(upcoming.map((row) => row.supplierId)).size).toBeGreaterThanOrEqual(5);
    expect(evidence.filter((row) => row.validUntil !== null && row.validUntil >= dayIn(60)).length).toBeGreaterThanOrEqual(10);

    const expired = expiring.filter((row) => row.validUntil < today);
    expect(expired).toHaveLength(1);
    const cirrus = (await suppliers()).find((supplier) => supplier.id === expired[0]!.supplierId)!;
    expect(cirrus).toMatchObject({ name: 'Cirrus Hosting GmbH', status: 'active' });
    const findings = await list<{ supplierId: string; status: string }>(`/v1/findings?source=evidence_expired&limit=100`);
    expect(findings).toEqual([expect.objectContaining({ supplierId: cirrus.id, status: 'open' })]);
  });

  it('has one completed audit per fitting supplier, with reports as evidence, findings raised and follow-ups planned', async () => {
    const audits = await list<{ id: string; supplierId: string; status: string; performedDate: string | null; reportEvidenceId: string | null; findingIds: string[] }>(
      '/v1/audits?limit=100',
    );
    expect(audits).toHaveLength(demo.oversight.audits);
    const completed = audits.filter((audit) => audit.status === 'completed');
    for (const supplier of await fitting()) expect(completed.filter((audit) => audit.supplierId === supplier.id), supplier.name).toHaveLength(1);
    for (const audit of completed) expect(audit.performedDate! < dayIn(0)).toBe(true);
    const withReport = completed.filter((audit) => audit.reportEvidenceId);
    expect(withReport.length).toBeGreaterThanOrEqual(10);
    for (const audit of withReport) {
      const report = (await (await t.request(`/v1/evidence/${audit.reportEvidenceId}`, { key: admin() })).json()) as { supplierId: string };
      expect(report.supplierId).toBe(audit.supplierId);
    }
    expect(completed.reduce((sum, audit) => sum + audit.findingIds.length, 0)).toBe(demo.oversight.auditFindings);
    const findings = await list<{ severity: string; status: string }>('/v1/findings?source=audit&limit=100');
    expect(findings).toHaveLength(demo.oversight.auditFindings);
    expect(findings.some((finding) => finding.severity === 'high')).toBe(true);

    const ruhr = (await suppliers()).find((supplier) => supplier.name === 'Ruhr Automation Systems GmbH')!;
    const detail = (await (await t.request(`/v1/suppliers/${ruhr.id}`, { key: admin() })).json()) as {
      lastAudit: { status: string; performedDate: string } | null;
      nextAudit: { status: string; plannedDate: string } | null;
    };
    expect(detail.lastAudit).toMatchObject({ status: 'completed' });
    expect(detail.nextAudit).toMatchObject({ status: 'planned' });
    expect(detail.nextAudit!.plannedDate > dayIn(0)).toBe(true);
  });

  it('has open supplier incidents with their NIS2 milestones partly completed, at some suppliers only', async () => {
    type Milestone = { dueAt: string; completedAt: string | null; overdue: boolean };
    const incidents = await list<{ supplierId: string; status: string; significant: boolean; overdue: boolean; deadlines: Record<string, Milestone>; title: string }>(
      '/v1/incidents?limit=100',
    );
    expect(incidents).toHaveLength(demo.oversight.incidents);
    expect(new Set(incidents.map((incident) => incident.status))).toEqual(new Set(['open', 'contained', 'resolved']));
    const open = incidents.filter((incident) => incident.status === 'open');
    expect(open.length).toBeGreaterThanOrEqual(2);
    for (const incident of open) {
      const milestones = Object.values(incident.deadlines);
      expect(milestones.some((milestone) => milestone.completedAt !== null), incident.title).toBe(true);
      expect(milestones.some((milestone) => milestone.completedAt === null), incident.title).toBe(true);
    }
    // The reporting worklist: one significant incident whose 72-hour notification is late.
    const overdue = await list<{ title: string; deadlines: Record<string, Milestone> }>('/v1/incidents?overdue=true');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]!.deadlines.notification!.overdue).toBe(true);
    expect(overdue[0]!.deadlines.earlyWarning!.completedAt).not.toBeNull();

    const all = await suppliers();
    const withIncidents = new Set(incidents.map((incident) => incident.supplierId));
    expect(withIncidents.size).toBeLessThan(all.length / 4);
    // Each active incident raised its finding and made its supplier's review due.
    const findings = await list<{ supplierId: string; status: string }>('/v1/findings?source=incident&limit=100');
    expect(findings.filter((finding) => finding.status === 'open')).toHaveLength(incidents.filter((incident) => incident.status !== 'resolved').length);
  });

  it('has suppliers mid-onboarding, approved with conditions, offboarded with proof and mid-offboarding', async () => {
    const get = async <T>(path: string) => {
      const response = await t.request(path, { key: admin() });
      expect(response.status, path).toBe(200);
      return (await response.json()) as T;
    };
    const id = (key: string) => demo.supplierIds.get(key)!;
    expect(demo.lifecycle).toEqual({ onboardingCases: 2, decisions: 1, offboardingCases: 2, offboarded: 1, evidence: 1 });

    const gis = await get<{ status: string; unmetGates: string[] }>(`/v1/suppliers/${id('gisvendor')}/onboarding`);
    expect(gis.status).toBe('open');
    expect(gis.unmetGates.length).toBeGreaterThan(0);

    const drones = await get<{ status: string; decision: { override: string | null; conditionFindingIds: string[] } }>(`/v1/suppliers/${id('drones')}/onboarding`);
    expect(drones).toMatchObject({ status: 'approved_with_conditions' });
    expect(drones.decision.override).toContain('Storm damage');
    expect(drones.decision.conditionFindingIds).toHaveLength(2);
    const condition = await get<{ source: string; dueDate: string | null; owner: string | null }>(`/v1/findings/${drones.decision.conditionFindingIds[0]}`);
    expect(condition).toMatchObject({ source: 'onboarding_condition', owner: 'ot-security@rre-netz.example' });
    expect(condition.dueDate).not.toBeNull();
    expect(await get(`/v1/suppliers/${id('drones')}`)).toMatchObject({ status: 'active', category: 'ot_integrator', approval: { decision: 'approved_with_conditions' } });

    const consulting = await get<{ status: string; items: { key: string; met: boolean; evidenceIds: string[] }[] }>(`/v1/suppliers/${id('consulting')}/offboarding`);
    expect(consulting.status).toBe('completed');
    expect(consulting.items.find((item) => item.key === 'data_returned_or_destroyed')!.evidenceIds).toHaveLength(1);
    expect(await get(`/v1/suppliers/${id('consulting')}`)).toMatchObject({ status: 'terminated' });
    expect(await get(`/v1/suppliers/${id('printfleet')}/offboarding`)).toMatchObject({ status: 'open' });

    const dashboard = await get<{ lifecycle: { onboarding: { open: number }; offboarding: { open: number } } }>('/v1/dashboard');
    expect(dashboard.lifecycle).toMatchObject({ onboarding: { open: 1 }, offboarding: { open: 1 } });
  });

  it('has a DORA Register of Information with only a few realistic problems, and downloads it', async () => {
    const response = await t.request('/v1/exports/dora-register-of-information/validation', { key: admin() });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { counts: { contracts: number; functions: number }; problems: { code: string; severity: string; record: { href: string } }[] };
    expect(result.counts.functions).toBe(4);
    expect(result.counts.contracts).toBeGreaterThanOrEqual(18);
    const errors = result.problems.filter((problem) => problem.severity === 'error').map((problem) => problem.code).sort();
    expect(errors).toEqual(['function_licensed_activity_missing', 'provider_identifier_missing', 'provider_identifier_missing', 'service_assessment_missing']);
    expect(result.problems.map((problem) => problem.code)).toContain('tenant_entity_type_not_financial');
    const zip = await t.request('/v1/exports/dora-register-of-information', { key: admin() });
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-disposition')).toMatch(/^attachment; filename="529900RHEINRUHREN041\.IND_DE_DORA010100_DORA_\d{4}-12-31_\d{17}\.zip"$/);
    expect(zip.headers.get('chainproof-register-problems')).toBe('4');
    expect((await zip.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });
});
