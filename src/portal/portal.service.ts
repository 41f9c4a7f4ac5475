import { emitAssessmentEvent } from '../features/assessments/assessment-events';
import type { EvidenceKind } from '../catalog/evidence-kinds';
import type { Config } from '../config';
import type { Db } from '../db/types';
import { computeProgress, isAnswered, visibleQuestionKeys } from '../features/assessments/answer-rules';
import { inviteByMail } from '../features/assessments/assessment-invitations';
import {
  documentOf,
  listAnswers,
  questionsByKey,
  requireAssessment,
  saveAnswers,
  submitAssessment,
  type AnswerInput,
  type AnswerRow,
  type AssessmentRow,
} from '../features/assessments/assessments.queries';
import type { TemplateDocument } from '../features/questionnaire-templates/template-document.schemas';
import { ingestEvidence } from '../features/evidence/evidence.ingest';
import { recordAudit, type AuditContext } from '../lib/audit';
import { withBlobUploads } from '../lib/blobs';
import type { Logger } from '../lib/logger';
import { ApiError, problems } from '../lib/errors';
import type { PortalSession } from './portal.auth';
import { evidenceOfAssessment, toPortalAnswer, type EvidenceSummary, type PortalAnswer, type PortalView } from './portal.queries';
import { spendBudget } from './portal.session';
import { limitersOf } from '../lib/rate-limit';
import { rescoreSupplier } from '../features/risk/risk.rescore';

/** States in which the supplier may still change answers; the portal is read-only in the others. */
export const EDITABLE_STATUSES: ReadonlySet<string> = new Set(['sent', 'in_progress', 'returned']);

/** What every portal action needs: the session the token resolved to, and how to audit as its supplier contact. */
export interface PortalCall {
  db: Db;
  session: PortalSession;
  audit: AuditContext;
  config: Config;
  /** For what cannot go into the answer, such as a failed clean-up after a refused upload. */
  logger?: Logger;
}

function assertEditable(assessment: AssessmentRow) {
  if (!EDITABLE_STATUSES.has(assessment.status)) {
    throw problems.conflict(`The questionnaire is ${assessment.status.replace('_', ' ')} and can no longer be changed.`, 'read_only');
  }
}

/** Runs `work` with the assessment row locked, so portal writes and staff writes are serialised. */
async function withLockedAssessment<T>(call: PortalCall, work: (tx: Db, assessment: AssessmentRow, document: TemplateDocument) => Promise<T>) {
  return call.db.transaction(async (tx) => {
    const assessment = await requireAssessment(tx, call.session.tenantId, call.session.assessmentId, { forUpdate: true });
    assertEditable(assessment);
    return work(tx, assessment, await documentOf(tx, assessment));
  });
}

export interface PortalProgress {
  answered: number;
  total: number;
  requiredMissing: string[];
  evidenceMissing: string[];
}

export function progressOf(document: TemplateDocument, answers: ReadonlyMap<string, { value: unknown; evidenceIds: readonly string[] }>): PortalProgress {
  const progress = computeProgress(document, answers);
  return { answered: progress.answered, total: progress.visible, requiredMissing: progress.requiredMissing, evidenceMissing: progress.evidenceMissing };
}

export function presentPortalAnswer(questionKey: string, answer: PortalAnswer | undefined, visible: boolean, answered: boolean) {
  return {
    questionKey,
    value: answer?.value ?? null,
    comment: answer?.comment ?? null,
    evidence: answer?.evidence ?? [],
    version: answer?.version ?? 0,
    reviewStatus: (answer?.reviewStatus ?? 'pending') as 'pending' | 'accepted' | 'needs_clarification',
    reviewComment: answer?.reviewComment ?? null,
    visible,
    answered,
  };
}

/** The page's data as JSON: the questionnaire without scores, every question's answer, progress. */
export function presentPortalView(view: PortalView, session: PortalSession) {
  const { assessment, document, answers } = view;
  const visible = visibleQuestionKeys(document, answers);
  return {
    assessmentId: assessment.id,
    organisation: { name: view.tenantName },
    supplier: { name: view.supplierName },
    recipient: { email: session.email },
    template: { name: document.name, version: assessment.templateVersion },
    dueAt: assessment.dueAt.toISOString(),
    status: assessment.status,
    readOnly: !EDITABLE_STATUSES.has(assessment.status),
    message: assessment.message,
    returnMessage: assessment.returnMessage,
    sections: document.sections.map((section) => ({
      key: section.key,
      title: section.title,
      description: section.description ?? null,
      questions: section.questions.map((question) => ({
        key: question.key,
        text: question.text,
        help: question.help ?? null,
        type: question.type,
        required: question.required,
        evidenceRequired: question.evidenceRequired,
        // Scores stay with the organisation: the supplier sees values and labels only.
        options: (question.options ?? []).map((option) => ({ value: option.value, label: option.label })),
        dependsOn: question.dependsOn ? { question: question.dependsOn.question, anyOf: [...question.dependsOn.anyOf] } : null,
        ...(question.type === 'number' ? { min: question.min ?? null, max: question.max ?? null, unit: question.unit ?? null } : {}),
      })),
    })),
    answers: document.sections.flatMap((section) =>
      section.questions.map((question) => {
        const answer = answers.get(question.key);
        return presentPortalAnswer(question.key, answer, visible.has(question.key), isAnswered(question, answer));
      }),
    ),
    progress: progressOf(document, answers),
  };
}

/** The state after a write: the answers named, as stored, with the progress they lead to. */
async function stateAfter(tx: Db, assessment: AssessmentRow, document: TemplateDocument, keys: readonly string[], known?: AnswerRow[]) {
  const rows = known ?? (await listAnswers(tx, assessment.tenantId, assessment.id));
  // File names are only shown for the answers returned; most saves carry none.
  const withFiles = rows.some((row) => keys.includes(row.questionKey) && row.evidenceIds.length > 0);
  const files = withFiles ? await evidenceOfAssessment(tx, assessment.tenantId, assessment.id) : new Map<string, EvidenceSummary>();
  const answers = new Map(rows.map((row) => [row.questionKey, toPortalAnswer(row, files)]));
  const visible = visibleQuestionKeys(document, answers);
  const questions = questionsByKey(document);
  return {
    status: assessment.status,
    readOnly: !EDITABLE_STATUSES.has(assessment.status),
    answers: keys.map((key) => presentPortalAnswer(key, answers.get(key), visible.has(key), isAnswered(questions.get(key)!, answers.get(key)))),
    progress: progressOf(document, answers),
  };
}

export type PortalWriteResult = Awaited<ReturnType<typeof stateAfter>>;

async function auditAnswers(tx: Db, call: PortalCall, before: AssessmentRow, after: AssessmentRow, changedKeys: readonly string[]) {
  if (changedKeys.length === 0 && after.status === before.status) return;
  await recordAudit(tx, call.audit, {
    action: 'assessment.answers_saved',
    entityType: 'assessment',
    entityId: before.id,
    changes: {
      questionKeys: changedKeys,
      ...(after.status !== before.status ? { status: { from: before.status, to: after.status } } : {}),
    },
  });
}

/**
 * Saves answers as the supplier contact. With `skipStale`, answers whose version moved on are left
 * out and returned in `stale` instead of failing the whole save (the form has no way to merge).
 */
export async function savePortalAnswers(call: PortalCall, inputs: readonly AnswerInput[], options: { skipStale?: boolean } = {}) {
  return withLockedAssessment(call, async (tx, assessment, document) => {
    let toSave = inputs;
    const stale: AnswerRow[] = [];
    if (options.skipStale) {
      const current = new Map((await listAnswers(tx, assessment.tenantId, assessment.id)).map((row) => [row.questionKey, row]));
      toSave = inputs.filter((input) => {
        const row = current.get(input.questionKey);
        if (input.expectedVersion === undefined || input.expectedVersion === (row?.version ?? 0)) return true;
        if (row) stale.push(row);
        return false;
      });
    }
    const saved = toSave.length > 0 ? await saveAnswers(tx, assessment, document, toSave, call.audit.actor, call.audit.now) : undefined;
    const state = await stateAfter(tx, saved?.assessment ?? assessment, document, [...new Set(inputs.map((input) => input.questionKey))], saved?.answers);
    // Last: the audit entry locks the tenant's chain head until commit, and every write of the tenant waits on it.
    if (saved) await auditAnswers(tx, call, assessment, saved.assessment, saved.changedKeys);
    return { ...state, stale: stale.map((row) => row.questionKey) };
  });
}

/** Submits as the supplier contact: 422 `required_answers_missing` lists every shown required question without an answer. */
export async function submitPortal(call: PortalCall) {
  return withLockedAssessment(call, async (tx, assessment, document) => {
    const submitted = await submitAssessment(tx, assessment, document, call.audit.now);
    await recordAudit(tx, call.audit, {
      action: 'assessment.submit',
      entityType: 'assessment',
      entityId: assessment.id,
      changes: { status: { from: assessment.status, to: submitted.status } },
    });
    await emitAssessmentEvent(tx, submitted, 'submit', call.audit.now);
    // A submitted assessment is no longer overdue.
    await rescoreSupplier(tx, { tenantId: assessment.tenantId, supplierId: assessment.supplierId, now: call.audit.now, trigger: 'assessment' });
    return stateAfter(tx, submitted, document, []);
  });
}

export interface ForwardInput {
  email: string;
  name?: string | undefined;
  note?: string | undefined;
}

/**
 * A colleague gets their own link to the same assessment (revocable on its own, traceable to the
 * link it came from), with the same expiry as a link sent by the organisation.
 */
export async function forwardPortal(call: PortalCall, input: ForwardInput) {
  spendBudget(limitersOf(call.config).portalForwards, call.session, call.audit.now);
  return withLockedAssessment(call, async (tx, assessment) => {
    const sender = call.session.email;
    const { invitation, mailId } = await inviteByMail(tx, {
      assessment,
      recipient: { email: input.email, name: input.name ?? null },
      kind: 'forwarded',
      actor: call.audit.actor,
      now: call.audit.now,
      publicBaseUrl: call.config.publicBaseUrl,
      graceDays: call.config.assessments.expiryGraceDays,
      forwardedFrom: { invitationId: call.session.invitationId, sender },
      message: input.note ?? null,
    });
    await recordAudit(tx, call.audit, {
      action: 'assessment.forwarded',
      entityType: 'assessment',
      entityId: assessment.id,
      changes: { invitationId: invitation.id, forwardedFromId: call.session.invitationId, to: input.email, mailId },
    });
    return { invitationId: invitation.id, email: invitation.email, expiresAt: invitation.expiresAt.toISOString() };
  });
}

function requireQuestion(document: TemplateDocument, questionKey: string) {
  const question = questionsByKey(document).get(questionKey);
  if (!question) throw problems.notFound('Question');
  return question;
}

/** Removes one file from an answer. The evidence itself stays on record; only the link goes. */
export async function detachPortalEvidence(call: PortalCall, questionKey: string, evidenceId: string) {
  return withLockedAssessment(call, async (tx, assessment, document) => {
    requireQuestion(document, questionKey);
    const current = (await listAnswers(tx, assessment.tenantId, assessment.id)).find((row) => row.questionKey === questionKey);
    if (!current?.evidenceIds.includes(evidenceId)) throw problems.notFound('Evidence');
    const saved = await saveAnswers(
      tx,
      assessment,
      document,
      [{ questionKey, value: current.value, evidenceIds: current.evidenceIds.filter((id) => id !== evidenceId) }],
      call.audit.actor,
      call.audit.now,
    );
    await recordAudit(tx, call.audit, {
      action: 'assessment.evidence_detached',
      entityType: 'assessment',
      entityId: assessment.id,
      changes: { questionKey, evidenceId },
    });
    const state = await stateAfter(tx, saved.assessment, document, [questionKey]);
    return { answer: state.answers[0]!, progress: state.progress };
  });
}

export interface UploadedFile {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** The upload limit for one file (EVIDENCE_MAX_BYTES). */
export const evidenceMaxBytes = (config: Config): number => config.evidenceMaxBytes;

/**
 * A refused file is a bad answer to its question: 422 naming the question, like a bad value, even
 * where the evidence API says 413 for the same file (a body over the hard limit still gets 413).
 */
function asAnswerError(error: unknown, questionKey: string): unknown {
  if (!(error instanceof ApiError) || (error.status !== 413 && error.status !== 422) || !error.errors) return error;
  return new ApiError({
    status: 422,
    code: error.code,
    title: 'Validation failed',
    detail: `The file for question "${questionKey}" was refused: ${error.detail ?? error.title}`,
    errors: error.errors.map((field) => ({ ...field, message: `${questionKey}: ${field.message}` })),
  });
}

/**
 * Stores a file as evidence of the supplier, linked to the assessment and question, and attaches
 * it to the answer (whose value stays as it is).
 */
export async function attachPortalEvidence(call: PortalCall, questionKey: string, file: UploadedFile, kind: EvidenceKind) {
  spendBudget(limitersOf(call.config).portalUploads, call.session, call.audit.now);
  return withBlobUploads(call.db, call.config, (storeFor) => withLockedAssessment(call, async (tx, assessment, document) => {
    requireQuestion(document, questionKey);
    const row = await ingestEvidence(tx, storeFor(tx), {
      tenantId: assessment.tenantId,
      supplierId: assessment.supplierId,
      file,
      kind,
      links: { assessmentId: assessment.id, questionKey },
      uploadedBy: call.audit.actor,
      now: call.audit.now,
      maxBytes: evidenceMaxBytes(call.config),
    }).catch((error: unknown) => {
      throw asAnswerError(error, questionKey);
    });
    const current = (await listAnswers(tx, assessment.tenantId, assessment.id)).find((answer) => answer.questionKey === questionKey);
    const saved = await saveAnswers(
      tx,
      assessment,
      document,
      [{ questionKey, value: current?.value ?? null, evidenceIds: [...(current?.evidenceIds ?? []), row.id] }],
      call.audit.actor,
      call.audit.now,
    );
    await recordAudit(tx, call.audit, {
      action: 'assessment.evidence_uploaded',
      entityType: 'assessment',
      entityId: assessment.id,
      changes: { questionKey, evidenceId: row.id, fileName: row.fileName, size: row.size, contentType: row.contentType, sha256: row.sha256 },
    });
    // A certificate uploaded here counts towards control strength at once.
    await rescoreSupplier(tx, { tenantId: assessment.tenantId, supplierId: assessment.supplierId, now: call.audit.now, trigger: 'evidence' });
    const state = await stateAfter(tx, saved.assessment, document, [questionKey]);
    const evidence: EvidenceSummary = { id: row.id, name: row.fileName, size: row.size, type: row.contentType };
    return { evidence, answer: state.answers[0]!, progress: state.progress };
  }), call.logger);
}

export type { EvidenceSummary };
