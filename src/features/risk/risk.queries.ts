import { sql } from 'drizzle-orm';
import { SUPPLIER_TIERS, type SupplierTier } from '../../catalog/supplier-profile';
import { ACTIVE_INCIDENT_STATUSES } from '../../catalog/incidents';
import { assessmentAnswers, assessments, evidence, findings, incidents, riskScores, subcontractingLinks, suppliers } from '../../db/schema';
import type { Db } from '../../db/types';
import type { Severity, SupplierRiskInputs } from '../../scoring/types';
import { allQuestions, visibleQuestionKeys, type StoredAnswer } from '../assessments/answer-rules';
import { documentOf, SUPPLIER_OPEN_STATUSES } from '../assessments/assessments.queries';
import type { TemplateDocument, TemplateQuestion } from '../questionnaire-templates/template-document.schemas';
import { supplierClauseCoverage } from '../contracts/clause-sql';
import { named, rowsOf } from '../../db/rows';
import { dayOf } from '../../lib/dates';

/*
 * Gathering a batch of suppliers' risk inputs with a fixed number of queries, whatever the batch
 * size (ids travel as ONE jsonb parameter, as the import does): profile, chain, answers, evidence,
 * findings and overdue assessments. Template documents come from documentOf's process cache.
 */

const idList = (ids: readonly string[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

/**
 * How far the chain is followed, up and down. The graph is acyclic (links refuse cycles) but a
 * diamond-shaped chain has many paths; beyond a few levels concentration and depth say nothing new.
 */
export const CHAIN_DEPTH_LIMIT = 6;

/** Open findings count; risk-accepted ones do not while the acceptance lasts (the findings job reopens them). */
export const OPEN_FINDING_STATUSES = ['open', 'in_remediation'] as const;

export interface SupplierRiskState {
  id: string;
  inherentScore: number;
  computedTier: string;
  tier: string;
  riskScoreId: string | null;
  residualRisk: number | null;
  riskRating: string | null;
  /** The inputs hash of the current score, null when never scored. */
  currentHash: string | null;
  inputs: SupplierRiskInputs;
}

interface ProfileRow {
  id: string;
  supports_critical_function: boolean;
  has_critical_service: boolean;
  data_sensitivity: string | null;
  access_level: string | null;
  substitutability: string | null;
  outside_eea: boolean;
  tier_override: string | null;
  tier_override_reason: string | null;
  inherent_score: number;
  computed_tier: string;
  tier: string;
  risk_score_id: string | null;
  residual_risk: number | null;
  risk_rating: string | null;
  inputs_hash: string | null;
}

/** The day (UTC) a score is for. */

// A document's questions in order, per (cached, immutable) document: flattened once per process.
const questionLists = new WeakMap<TemplateDocument, TemplateQuestion[]>();
function questionsOf(document: TemplateDocument): TemplateQuestion[] {
  let list = questionLists.get(document);
  if (!list) {
    list = allQuestions(document);
    questionLists.set(document, list);
  }
  return list;
}

/**
 * The score an answer earns, or null when it does not count: questions of weight 0, types without
 * options (text, number, date, file), and options scored null ("not applicable"). A multiple-choice
 * answer earns the MEAN of its chosen options' scores: ticking one strong option among weak ones
 * should not read as strong (max would), and one weak among strong should not read as failing (min).
 */
export function answerScore(question: TemplateQuestion, value: unknown): number | null {
  if (question.weight <= 0 || !question.options) return null;
  const scoreOf = (chosen: unknown) => question.options!.find((option) => option.value === chosen)?.score ?? null;
  if (question.type === 'multiple_choice') {
    if (!Array.isArray(value)) return null;
    const scores = value.map(scoreOf).filter((score): score is number => score !== null);
    return scores.length === 0 ? null : scores.reduce((sum, score) => sum + score, 0) / scores.length;
  }
  return typeof value === 'string' ? scoreOf(value) : null;
}

/**
 * Everything the suppliers' scores depend on. Suppliers not in the tenant are left out.
 *
 * Answers that count: those of each supplier's latest ACCEPTED assessment per template (a newer
 * accepted assessment of the same questionnaire replaces the older one; different questionnaires
 * add up), minus answers the reviewer marked `needs_clarification`, minus answers to questions
 * hidden by their condition. Submitted or in-review answers do not count until accepted.
 */
export async function loadRiskInputs(
  db: Db,
  input: { tenantId: string; supplierIds: readonly string[]; now: Date; certifyingKinds: readonly string[] },
): Promise<SupplierRiskState[]> {
  const { tenantId, supplierIds, now } = input;
  if (supplierIds.length === 0) return [];
  const asOf = dayOf(now);
  const ids = idList(supplierIds);

  const [profiles, chain, answerRows, evidenceRows, findingRows, overdueRows, incidentRows, clauseCoverage] = await Promise.all([
    rowsOf<ProfileRow>(
      db,
      named(sql`select s.id, s.supports_critical_function, s.has_critical_service, s.data_sensitivity, s.access_level,
                 s.substitutability, s.outside_eea, s.tier_override, s.tier_override_reason, s.inherent_score,
                 s.computed_tier, s.tier, s.risk_score_id, s.residual_risk, s.risk_rating, r.inputs_hash
          from ${suppliers} s
          left join ${riskScores} r on r.tenant_id = s.tenant_id and r.id = s.risk_score_id
          where s.tenant_id = ${tenantId} and s.id in ${ids}
          order by s.id`),
    ),
    // Depth: the longest chain of subcontractors below each supplier. Dependents: how many other
    // suppliers reach it from above (transitively), its concentration. Both bounded in depth.
    rowsOf<{ id: string; depth: number; dependents: number }>(
      db,
      named(sql`with recursive
            down(root, node, depth) as (
              select id, id, 0 from ${ids} as b(id)
              union
              select d.root, l.subcontractor_id, d.depth + 1
              from down d join ${subcontractingLinks} l on l.tenant_id = ${tenantId} and l.supplier_id = d.node
              where d.depth < ${CHAIN_DEPTH_LIMIT}
            ),
            up(root, node, depth) as (
              select id, id, 0 from ${ids} as b(id)
              union
              select u.root, l.supplier_id, u.depth + 1
              from up u join ${subcontractingLinks} l on l.tenant_id = ${tenantId} and l.subcontractor_id = u.node
              where u.depth < ${CHAIN_DEPTH_LIMIT}
            )
          select b.id,
                 coalesce((select max(depth) from down where root = b.id), 0)::int as depth,
                 coalesce((select count(distinct node) from up where root = b.id and node <> b.id), 0)::int as dependents
          from ${ids} as b(id)
          where exists (select 1 from ${subcontractingLinks} l where l.tenant_id = ${tenantId} and (l.supplier_id = b.id or l.subcontractor_id = b.id))`),
    ),
    // One row per counted assessment, its answers as one JSON object: 60 answers × 500 suppliers
    // as 30,000 driver rows cost several times more than 500 rows of JSON parsed natively.
    rowsOf<{ supplier_id: string; assessment_id: string; template_id: string; template_version: number; answers: Record<string, unknown> | string }>(
      db,
      named(sql`with latest as (
            select distinct on (a.supplier_id, a.template_id) a.id, a.supplier_id, a.template_id, a.template_version
            from ${assessments} a
            where a.tenant_id = ${tenantId} and a.supplier_id in ${ids} and a.status = 'accepted'
            order by a.supplier_id, a.template_id, a.accepted_at desc nulls last, a.id desc
          )
          select latest.supplier_id, latest.id as assessment_id, latest.template_id, latest.template_version,
                 (select coalesce(jsonb_object_agg(x.question_key, x.value), '{}'::jsonb)
                  from ${assessmentAnswers} x
                  where x.tenant_id = ${tenantId} and x.assessment_id = latest.id
                    and x.review_status <> 'needs_clarification' and x.value is not null)::text as answers
          from latest
          order by latest.supplier_id, latest.template_id`),
    ),
    rowsOf<{ supplier_id: string; kind: string; valid_until: string | null; expired: boolean; certifying: boolean }>(
      db,
      named(sql`select e.supplier_id, e.kind, e.valid_until::text as valid_until,
                 coalesce(e.valid_until < ${asOf}::date, false) as expired,
                 e.kind in (select jsonb_array_elements_text(${JSON.stringify(input.certifyingKinds)}::jsonb)) as certifying
          from ${evidence} e
          where e.tenant_id = ${tenantId} and e.supplier_id in ${ids} and e.archived_at is null
            and (e.valid_until < ${asOf}::date
                 or e.kind in (select jsonb_array_elements_text(${JSON.stringify(input.certifyingKinds)}::jsonb)))
          order by e.supplier_id, e.kind, e.valid_until nulls first, e.id`),
    ),
    rowsOf<{ supplier_id: string; severity: string; count: number }>(
      db,
      named(sql`select f.supplier_id, f.severity, count(*)::int as count
          from ${findings} f
          where f.tenant_id = ${tenantId} and f.supplier_id in ${ids}
            and f.status in (select jsonb_array_elements_text(${JSON.stringify(OPEN_FINDING_STATUSES)}::jsonb))
          group by f.supplier_id, f.severity`),
    ),
    rowsOf<{ supplier_id: string; count: number }>(
      db,
      named(sql`select a.supplier_id, count(*)::int as count
          from ${assessments} a
          where a.tenant_id = ${tenantId} and a.supplier_id in ${ids}
            and a.status in (select jsonb_array_elements_text(${JSON.stringify(SUPPLIER_OPEN_STATUSES)}::jsonb))
            and a.due_at < ${now.toISOString()}::timestamptz
          group by a.supplier_id`),
    ),
    rowsOf<{ supplier_id: string; count: number }>(
      db,
      named(sql`select i.supplier_id, count(*)::int as count
          from ${incidents} i
          where i.tenant_id = ${tenantId} and i.supplier_id in ${ids}
            and i.status in (select jsonb_array_elements_text(${JSON.stringify(ACTIVE_INCIDENT_STATUSES)}::jsonb))
          group by i.supplier_id`),
    ),
    // Applicable and satisfied clauses over each supplier's active contracts (clause-sql.ts).
    supplierClauseCoverage(db, tenantId, ids),
  ]);

  const chainById = new Map(chain.map((row) => [row.id, row]));

  // Visibility (conditions) is decided per questionnaire with every answer it has; answers the
  // reviewer sent back for clarification were left out above and count as unanswered here too.
  const answersBySupplier = new Map<string, SupplierRiskInputs['answers']>();
  for (const row of answerRows) {
    const document = await documentOf(db, { tenantId, id: row.assessment_id, templateId: row.template_id, templateVersion: row.template_version });
    const values = (typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers) as Record<string, unknown>;
    const stored = new Map<string, StoredAnswer>(Object.entries(values).map(([key, value]) => [key, { value, evidenceIds: [] }]));
    const visible = visibleQuestionKeys(document, stored);
    const list = answersBySupplier.get(row.supplier_id) ?? [];
    // Document order, so the list (and the inputs hash) does not depend on how the database returned it.
    for (const question of questionsOf(document)) {
      if (!visible.has(question.key) || !stored.has(question.key)) continue;
      const score = answerScore(question, stored.get(question.key)!.value);
      if (score === null) continue;
      list.push({ domain: question.domain, weight: question.weight, score });
    }
    answersBySupplier.set(row.supplier_id, list);
  }

  const certificationsBySupplier = new Map<string, SupplierRiskInputs['certifications']>();
  const expiredBySupplier = new Map<string, number>();
  for (const row of evidenceRows) {
    if (row.expired) expiredBySupplier.set(row.supplier_id, (expiredBySupplier.get(row.supplier_id) ?? 0) + 1);
    if (row.certifying) {
      const list = certificationsBySupplier.get(row.supplier_id) ?? [];
      list.push({ kind: row.kind, validUntil: row.valid_until });
      certificationsBySupplier.set(row.supplier_id, list);
    }
  }

  const findingsBySupplier = new Map<string, Record<Severity, number>>();
  for (const row of findingRows) {
    const counts = findingsBySupplier.get(row.supplier_id) ?? { low: 0, medium: 0, high: 0, critical: 0 };
    if (row.severity in counts) counts[row.severity as Severity] += Number(row.count);
    findingsBySupplier.set(row.supplier_id, counts);
  }
  const overdueBySupplier = new Map(overdueRows.map((row) => [row.supplier_id, Number(row.count)]));
  const incidentsBySupplier = new Map(incidentRows.map((row) => [row.supplier_id, Number(row.count)]));

  return profiles.map((row) => {
    const override = row.tier_override && (SUPPLIER_TIERS as readonly string[]).includes(row.tier_override) ? (row.tier_override as SupplierTier) : null;
    return {
      id: row.id,
      inherentScore: row.inherent_score,
      computedTier: row.computed_tier,
      tier: row.tier,
      riskScoreId: row.risk_score_id,
      residualRisk: row.residual_risk,
      riskRating: row.risk_rating,
      currentHash: row.inputs_hash,
      inputs: {
        profile: {
          supportsCriticalFunction: row.supports_critical_function,
          hasCriticalService: row.has_critical_service,
          dataSensitivity: row.data_sensitivity,
          accessLevel: row.access_level,
          substitutability: row.substitutability,
          outsideEea: row.outside_eea,
          subcontractingDepth: Number(chainById.get(row.id)?.depth ?? 0),
          dependentSuppliers: Number(chainById.get(row.id)?.dependents ?? 0),
        },
        tierOverride: override ? { tier: override, reason: row.tier_override_reason ?? '' } : null,
        answers: answersBySupplier.get(row.id) ?? [],
        certifications: certificationsBySupplier.get(row.id) ?? [],
        clauses: clauseCoverage.get(row.id) ?? null,
        openFindings: findingsBySupplier.get(row.id) ?? { low: 0, medium: 0, high: 0, critical: 0 },
        expiredEvidence: expiredBySupplier.get(row.id) ?? 0,
        overdueAssessments: overdueBySupplier.get(row.id) ?? 0,
        // Only when there are some: suppliers without incidents keep their inputs hash.
        ...(incidentsBySupplier.has(row.id) ? { openIncidents: incidentsBySupplier.get(row.id)! } : {}),
        asOf,
      },
    };
  });
}
