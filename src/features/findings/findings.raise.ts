import { emitFindingCreated } from './findings.events';
import type { FindingSource } from '../../catalog/findings';
import type { Db } from '../../db/types';
import { recordAudit, type AuditContext } from '../../lib/audit';
import { newId } from '../../lib/ids';
import { SEVERITIES, type Severity } from '../../scoring/types';
import { visibleQuestionKeys } from '../assessments/answer-rules';
import { answerMap, documentOf, listAnswers, templateRefOf, type AssessmentRow } from '../assessments/assessments.queries';
import type { TemplateQuestion } from '../questionnaire-templates/template-document.schemas';
import { findFindingBySource, insertFindingUnlessRaised, NO_ACCEPTANCE, updateFinding, type FindingChanges, type FindingRow } from './findings.queries';

/** What a finding can point at besides its supplier. */
export interface FindingLinks {
  assessmentId?: string;
  questionKey?: string;
  serviceId?: string;
  evidenceId?: string;
  contractId?: string;
  clauseKey?: string;
  auditId?: string;
  incidentId?: string;
}

export interface RaiseFindingInput {
  supplierId: string;
  source: Exclude<FindingSource, 'manual'>;
  /** Identifies the cause; unique per tenant and source. Raising the same cause again never duplicates. */
  sourceRef: string;
  title: string;
  description?: string | null;
  severity: Severity;
  links?: FindingLinks;
  /** For a new finding only (an onboarding condition comes with both). */
  dueDate?: string | null;
  owner?: string | null;
}

/**
 * - `created`: a new finding.
 * - `reopened`: the cause had been resolved and came back; the finding is open again with the new severity.
 * - `relinked`: still open, in remediation or risk-accepted; now points at the newest cause (e.g. assessment).
 * - `kept`: nothing changed.
 */
export type RaiseOutcome = 'created' | 'reopened' | 'relinked' | 'kept';

const LINK_COLUMNS = ['assessmentId', 'questionKey', 'serviceId', 'evidenceId', 'contractId', 'clauseKey', 'auditId', 'incidentId'] as const;

/** Whether the outcome changes what the supplier's score sees (open findings by severity). */
export const changesScore = (outcome: RaiseOutcome) => outcome === 'created' || outcome === 'reopened';

/**
 * Raises a finding for a cause, at most once per (tenant, source, sourceRef): an active finding
 * for the same cause is kept (its links follow the newest cause), a resolved one is reopened.
 * Runs in the caller's transaction and audits every change with the context's actor; the caller
 * re-scores the supplier (once, after raising all it has to raise) when `changesScore(outcome)`.
 * For features that find weaknesses: answers, clause gaps, audits, expired evidence, incidents.
 */
export async function raiseFinding(tx: Db, audit: AuditContext, input: RaiseFindingInput): Promise<{ finding: FindingRow; outcome: RaiseOutcome }> {
  const { now, tenantId } = audit;
  const links = input.links ?? {};
  const created = await insertFindingUnlessRaised(tx, {
    tenantId,
    id: newId('finding', now),
    supplierId: input.supplierId,
    title: input.title,
    description: input.description ?? null,
    severity: input.severity,
    status: 'open',
    dueDate: input.dueDate ?? null,
    owner: input.owner ?? null,
    source: input.source,
    sourceRef: input.sourceRef,
    ...Object.fromEntries(LINK_COLUMNS.map((column) => [column, links[column] ?? null])),
    createdByType: audit.actor.type,
    createdById: audit.actor.id,
    createdAt: now,
    updatedAt: now,
  });
  if (created) {
    await recordAudit(tx, audit, {
      action: 'finding.created',
      entityType: 'finding',
      entityId: created.id,
      changes: { supplierId: created.supplierId, source: created.source, sourceRef: created.sourceRef, severity: created.severity, title: created.title, ...links },
    });
    await emitFindingCreated(tx, created);
    return { finding: created, outcome: 'created' };
  }

  const current = await findFindingBySource(tx, tenantId, input.source, input.sourceRef, { forUpdate: true });
  // The conflicting row is committed (the insert waited for it) and findings are never deleted.
  if (!current) throw new Error(`finding for ${input.source} ${input.sourceRef} vanished`);
  const changes: FindingChanges = {};
  for (const column of LINK_COLUMNS) {
    const value = links[column];
    if (value !== undefined && value !== current[column]) (changes as Record<string, unknown>)[column] = value;
  }
  const reopen = current.status === 'resolved';
  if (reopen) {
    changes.status = 'open';
    changes.resolvedAt = null;
    if (input.severity !== current.severity) changes.severity = input.severity;
  }
  if (Object.keys(changes).length === 0) return { finding: current, outcome: 'kept' };
  const updated = await updateFinding(tx, current, changes, now);
  await recordAudit(tx, audit, {
    action: reopen ? 'finding.reopened' : 'finding.relinked',
    entityType: 'finding',
    entityId: current.id,
    changes: {
      ...diff(current, changes),
      ...(reopen ? { reason: `Raised again by its source (${input.source}).` } : {}),
    },
  });
  return { finding: updated, outcome: reopen ? 'reopened' : 'relinked' };
}

/** `{ field: { from, to } }` for the audit log, dates as ISO strings. */
export function diff(current: FindingRow, changes: FindingChanges): Record<string, { from: unknown; to: unknown }> {
  const show = (value: unknown) => (value instanceof Date ? value.toISOString() : (value ?? null));
  return Object.fromEntries(
    Object.entries(changes).map(([field, to]) => [field, { from: show(current[field as keyof FindingRow]), to: show(to) }]),
  );
}

const severityRank = (severity: Severity) => SEVERITIES.indexOf(severity);

/** The most severe expectation the chosen option(s) of a question fail, if any. */
export function failedExpectation(question: TemplateQuestion, value: unknown) {
  const chosen = new Set(typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
  let worst: { severity: Severity; title: string | undefined } | undefined;
  const labels: string[] = [];
  for (const option of question.options ?? []) {
    if (!chosen.has(option.value) || !option.finding) continue;
    labels.push(option.label);
    if (!worst || severityRank(option.finding.severity) > severityRank(worst.severity)) {
      worst = { severity: option.finding.severity, title: option.finding.title };
    }
  }
  return worst ? { ...worst, labels } : undefined;
}

const truncate = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

export const answerSourceRef = (supplierId: string, templateKey: string, questionKey: string) => `answer:${supplierId}:${templateKey}:${questionKey}`;

/**
 * On acceptance of an assessment: every shown answer whose chosen option declares a failed
 * expectation raises a finding (source `answer`). The caller re-scores the supplier once afterwards
 * (the accept handler does for every assessment transition, in the same transaction). The
 * reference names supplier, template key and question, not the assessment: the same bad answer in
 * next year's assessment is the same finding, linked to the newer assessment.
 */
export async function raiseFindingsFromAnswers(tx: Db, audit: AuditContext, assessment: AssessmentRow) {
  const [document, answers, template] = await Promise.all([
    documentOf(tx, assessment),
    listAnswers(tx, assessment.tenantId, assessment.id),
    templateRefOf(tx, assessment.tenantId, assessment.templateId),
  ]);
  const stored = answerMap(answers);
  const visible = visibleQuestionKeys(document, stored);
  const outcomes: { finding: FindingRow; outcome: RaiseOutcome }[] = [];
  for (const section of document.sections) {
    for (const question of section.questions) {
      if (!visible.has(question.key)) continue;
      const failed = failedExpectation(question, stored.get(question.key)?.value);
      if (!failed) continue;
      outcomes.push(
        await raiseFinding(tx, audit, {
          supplierId: assessment.supplierId,
          source: 'answer',
          sourceRef: answerSourceRef(assessment.supplierId, template.key || assessment.templateId, question.key),
          title: failed.title ?? truncate(question.text, 200),
          description: truncate(
            `Answered "${failed.labels.join('", "')}" to: ${question.text}${question.controls.length > 0 ? ` (${question.controls.join(', ')})` : ''}`,
            10_000,
          ),
          severity: failed.severity,
          links: { assessmentId: assessment.id, questionKey: question.key },
        }),
      );
    }
  }
  return outcomes;
}

/**
 * Resolves a finding whose cause went away (the clause became satisfied, the contract ended, the
 * supplier left the tier the rule is for), audited with the reason. A risk acceptance on it ends
 * with it. The caller re-scores the supplier.
 */
export async function resolveRaisedFinding(tx: Db, audit: AuditContext, finding: FindingRow, reason: string): Promise<FindingRow> {
  const resolved = await updateFinding(tx, finding, { status: 'resolved', resolvedAt: audit.now, ...(finding.status === 'risk_accepted' ? NO_ACCEPTANCE : {}) }, audit.now);
  await recordAudit(tx, audit, {
    action: 'finding.resolved',
    entityType: 'finding',
    entityId: finding.id,
    changes: { status: { from: finding.status, to: 'resolved' }, reason },
  });
  return resolved;
}
