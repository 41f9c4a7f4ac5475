import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { PgSelect } from 'drizzle-orm/pg-core';
import {
  assessmentAnswers,
  assessments,
  portalInvitations,
  questionnaireTemplates,
  questionnaireTemplateVersions,
  supplierContacts,
  suppliers,
} from '../../db/schema';
import type { Db } from '../../db/types';
import type { Actor } from '../../lib/context';
import { base64url, randomBytes, sha256Hex } from '../../lib/crypto';
import { ApiError, problems, type FieldError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { unusableEvidenceIds } from '../evidence/evidence.queries';
import { findVersion } from '../questionnaire-templates/questionnaire-templates.queries';
import type { TemplateDocument, TemplateQuestion } from '../questionnaire-templates/template-document.schemas';
import { allQuestions, checkAnswerValue, computeProgress, type StoredAnswer } from './answer-rules';

export type AssessmentRow = typeof assessments.$inferSelect;
export type AnswerRow = typeof assessmentAnswers.$inferSelect;
export type InvitationRow = typeof portalInvitations.$inferSelect;

export const ASSESSMENT_STATUSES = [
  'draft',
  'sent',
  'in_progress',
  'submitted',
  'under_review',
  'returned',
  'accepted',
  'cancelled',
  'expired',
] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

/** States in which the supplier still has to act: reminders, overdue and expiry look at these. */
export const SUPPLIER_OPEN_STATUSES = ['sent', 'in_progress', 'returned'] as const satisfies readonly AssessmentStatus[];
/** Every state that is not final. */
export const OPEN_STATUSES = ['draft', 'sent', 'in_progress', 'submitted', 'under_review', 'returned'] as const satisfies readonly AssessmentStatus[];

/**
 * The state machine. `to: null` keeps the status (remind, extend). Anything not listed is an
 * illegal transition (409 invalid_transition).
 */
export const TRANSITIONS = {
  send: { from: ['draft'], to: 'sent' },
  remind: { from: SUPPLIER_OPEN_STATUSES, to: null },
  cancel: { from: OPEN_STATUSES, to: 'cancelled' },
  extend: { from: ['draft', ...SUPPLIER_OPEN_STATUSES], to: null },
  // Only the expiry job takes it (no route): the due date plus the grace period has passed.
  expire: { from: SUPPLIER_OPEN_STATUSES, to: 'expired' },
  save_answers: { from: SUPPLIER_OPEN_STATUSES, to: 'in_progress' },
  submit: { from: SUPPLIER_OPEN_STATUSES, to: 'submitted' },
  review: { from: ['submitted', 'under_review'], to: 'under_review' },
  return: { from: ['submitted', 'under_review'], to: 'returned' },
  accept: { from: ['submitted', 'under_review'], to: 'accepted' },
} as const satisfies Record<string, { from: readonly AssessmentStatus[]; to: AssessmentStatus | null }>;
export type AssessmentAction = keyof typeof TRANSITIONS;

/** The status after `action`, or 409 `invalid_transition` naming the current status and the action. */
export function assertTransition(assessment: Pick<AssessmentRow, 'status'>, action: AssessmentAction): AssessmentStatus {
  const transition = TRANSITIONS[action];
  const current = assessment.status as AssessmentStatus;
  if (!(transition.from as readonly string[]).includes(current)) {
    throw problems.conflict(
      `Cannot ${action.replace('_', ' ')} an assessment that is ${current} (allowed from: ${transition.from.join(', ')}).`,
      'invalid_transition',
    );
  }
  return transition.to ?? current;
}

export function isOverdue(row: Pick<AssessmentRow, 'status' | 'dueAt'>, now: Date): boolean {
  return row.dueAt.getTime() < now.getTime() && (SUPPLIER_OPEN_STATUSES as readonly string[]).includes(row.status);
}

/**
 * Portal links stay valid this long after the due date: as long as the assessment can still be
 * answered before the expiry job closes it. Callers pass ASSESSMENT_EXPIRY_GRACE_DAYS; the default
 * is that setting's default.
 */
export const INVITATION_GRACE_MS = 30 * 24 * 3_600_000;
export const invitationExpiry = (dueAt: Date, graceDays?: number) =>
  new Date(dueAt.getTime() + (graceDays === undefined ? INVITATION_GRACE_MS : graceDays * 24 * 3_600_000));

// ---------------------------------------------------------------------------------------------
// Assessments

const byId = (tenantId: string, id: string) => and(eq(assessments.tenantId, tenantId), eq(assessments.id, id));

export async function findAssessment(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}) {
  const query = db.select().from(assessments).where(byId(tenantId, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

/** The assessment, or 404 (also for another tenant's id). */
export async function requireAssessment(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<AssessmentRow> {
  const row = await findAssessment(db, tenantId, id, options);
  if (!row) throw problems.notFound('Assessment');
  return row;
}

export interface TemplateRef {
  id: string;
  key: string;
  name: string;
}

/** The template's key and name for presenting an assessment. */
export async function templateRefOf(db: Db, tenantId: string, templateId: string): Promise<TemplateRef> {
  const [row] = await db
    .select({ id: questionnaireTemplates.id, key: questionnaireTemplates.key, name: questionnaireTemplates.name })
    .from(questionnaireTemplates)
    .where(and(eq(questionnaireTemplates.tenantId, tenantId), eq(questionnaireTemplates.id, templateId)));
  return row ?? { id: templateId, key: '', name: '' };
}

export async function insertAssessment(
  db: Db,
  input: Pick<AssessmentRow, 'tenantId' | 'supplierId' | 'contactId' | 'templateId' | 'templateVersion' | 'dueAt' | 'message' | 'requiredMissingCount' | 'evidenceMissingCount'> & {
    actor: Actor;
    now: Date;
  },
): Promise<AssessmentRow> {
  const { actor, now, ...fields } = input;
  const [row] = await db
    .insert(assessments)
    .values({
      ...fields,
      id: newId('assessment', now),
      status: 'draft',
      createdByType: actor.type,
      createdById: actor.id,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return row!;
}

/** Writes changes over a locked row and bumps its version. */
export async function updateAssessment(
  db: Db,
  current: AssessmentRow,
  changes: Partial<Omit<AssessmentRow, 'tenantId' | 'id' | 'version' | 'createdAt'>>,
  now: Date,
): Promise<AssessmentRow> {
  const [row] = await db
    .update(assessments)
    .set({ ...changes, version: current.version + 1, updatedAt: now })
    .where(and(byId(current.tenantId, current.id), eq(assessments.version, current.version)))
    .returning();
  if (!row) throw problems.conflict('The assessment changed while this request ran. Read it again and retry.', 'concurrent_update');
  return row;
}

/** The immutable document the assessment is answered against. */
// Published template versions never change, so their documents (tens of KB of JSON) are read once
// per process and shared; callers must not mutate them.
const DOCUMENT_CACHE_SIZE = 200;
const documentCache = new Map<string, TemplateDocument>();

export async function documentOf(db: Db, assessment: Pick<AssessmentRow, 'tenantId' | 'id' | 'templateId' | 'templateVersion'>): Promise<TemplateDocument> {
  const key = `${assessment.tenantId}/${assessment.templateId}/${assessment.templateVersion}`;
  const cached = documentCache.get(key);
  if (cached) {
    // Map order is insertion order: re-inserting keeps the most recently used last.
    documentCache.delete(key);
    documentCache.set(key, cached);
    return cached;
  }
  const version = await findVersion(db, assessment.tenantId, assessment.templateId, assessment.templateVersion);
  if (!version) throw new Error(`Template version ${assessment.templateId}@${assessment.templateVersion} missing for ${assessment.id}`);
  documentCache.set(key, version.document);
  if (documentCache.size > DOCUMENT_CACHE_SIZE) documentCache.delete(documentCache.keys().next().value!);
  return version.document;
}

export const ASSESSMENT_SORTS = ['createdAt', 'dueAt'] as const;
export type AssessmentSort = (typeof ASSESSMENT_SORTS)[number];

export interface AssessmentFilter {
  tenantId: string;
  limit: number;
  now: Date;
  sort: AssessmentSort;
  order: 'asc' | 'desc';
  after?: { value: string; id: string };
  status?: AssessmentStatus;
  supplierId?: string;
  templateId?: string;
  overdue?: boolean;
  dueBefore?: Date;
  dueAfter?: Date;
}

const SORT_COLUMNS = { createdAt: assessments.createdAt, dueAt: assessments.dueAt } as const;

/**
 * The filter of `GET /v1/assessments` and its export from the query: the order defaults to
 * ascending for `dueAt` (soonest first) and descending for `createdAt` (newest first).
 */
export function assessmentFilter(
  tenantId: string,
  now: Date,
  query: Omit<AssessmentFilter, 'tenantId' | 'now' | 'limit' | 'after' | 'order' | 'dueBefore' | 'dueAfter'> & {
    order?: 'asc' | 'desc' | undefined;
    dueBefore?: string | undefined;
    dueAfter?: string | undefined;
  },
): Omit<AssessmentFilter, 'limit' | 'after'> {
  const { order, dueBefore, dueAfter, ...filters } = query;
  return {
    ...filters,
    tenantId,
    now,
    order: order ?? (query.sort === 'dueAt' ? 'asc' : 'desc'),
    ...(dueBefore ? { dueBefore: new Date(dueBefore) } : {}),
    ...(dueAfter ? { dueAfter: new Date(dueAfter) } : {}),
  };
}

/** The list's filters and keyset, shared by the JSON list and the CSV export so that they cannot drift. */
function assessmentsWhere(filter: AssessmentFilter): SQL | undefined {
  const column = SORT_COLUMNS[filter.sort];
  const compare = filter.order === 'asc' ? gt : lt;
  const openStatuses = [...SUPPLIER_OPEN_STATUSES];
  const after = filter.after ? new Date(filter.after.value) : undefined;
  return and(
    eq(assessments.tenantId, filter.tenantId),
    filter.status ? eq(assessments.status, filter.status) : undefined,
    filter.supplierId ? eq(assessments.supplierId, filter.supplierId) : undefined,
    filter.templateId ? eq(assessments.templateId, filter.templateId) : undefined,
    filter.dueBefore ? lt(assessments.dueAt, filter.dueBefore) : undefined,
    filter.dueAfter ? gte(assessments.dueAt, filter.dueAfter) : undefined,
    filter.overdue === true ? and(lt(assessments.dueAt, filter.now), inArray(assessments.status, openStatuses)) : undefined,
    filter.overdue === false ? or(gte(assessments.dueAt, filter.now), notInArray(assessments.status, openStatuses)) : undefined,
    filter.after && after ? or(compare(column, after), and(eq(column, after), compare(assessments.id, filter.after.id))) : undefined,
  );
}

/** One page of the list over any select from `assessments` (keyset over (sort column, id)), limit + 1 rows. */
function assessmentsPage<Query extends PgSelect>(query: Query, filter: AssessmentFilter) {
  const column = SORT_COLUMNS[filter.sort];
  const ascending = filter.order === 'asc';
  return query
    .where(assessmentsWhere(filter))
    .orderBy(ascending ? asc(column) : desc(column), ascending ? asc(assessments.id) : desc(assessments.id))
    .limit(filter.limit + 1);
}

const templateOfAssessment = and(eq(questionnaireTemplates.tenantId, assessments.tenantId), eq(questionnaireTemplates.id, assessments.templateId));

/** Keyset pagination over (sort column, id), with the template's key and name; fetches limit + 1 rows. */
export function listAssessments(db: Db, filter: AssessmentFilter) {
  return assessmentsPage(
    db
      .select({ assessment: assessments, templateKey: questionnaireTemplates.key, templateName: questionnaireTemplates.name })
      .from(assessments)
      .leftJoin(questionnaireTemplates, templateOfAssessment)
      .$dynamic(),
    filter,
  );
}

/**
 * The same page for the export, with what a spreadsheet reader needs beside the ids, joined in
 * one query: the supplier's name, the recipient contact, the template and its number of questions.
 */
export function listAssessmentsForExport(db: Db, filter: AssessmentFilter) {
  return assessmentsPage(
    db
      .select({
        assessment: assessments,
        templateKey: questionnaireTemplates.key,
        templateName: questionnaireTemplates.name,
        questionCount: questionnaireTemplateVersions.questionCount,
        supplierName: suppliers.name,
        contactName: supplierContacts.name,
        contactEmail: supplierContacts.email,
      })
      .from(assessments)
      .leftJoin(questionnaireTemplates, templateOfAssessment)
      .leftJoin(
        questionnaireTemplateVersions,
        and(
          eq(questionnaireTemplateVersions.tenantId, assessments.tenantId),
          eq(questionnaireTemplateVersions.templateId, assessments.templateId),
          eq(questionnaireTemplateVersions.version, assessments.templateVersion),
        ),
      )
      .leftJoin(suppliers, and(eq(suppliers.tenantId, assessments.tenantId), eq(suppliers.id, assessments.supplierId)))
      .leftJoin(supplierContacts, and(eq(supplierContacts.tenantId, assessments.tenantId), eq(supplierContacts.id, assessments.contactId)))
      .$dynamic(),
    filter,
  );
}

// ---------------------------------------------------------------------------------------------
// Answers

export function listAnswers(db: Db, tenantId: string, assessmentId: string): Promise<AnswerRow[]> {
  return db
    .select()
    .from(assessmentAnswers)
    .where(and(eq(assessmentAnswers.tenantId, tenantId), eq(assessmentAnswers.assessmentId, assessmentId)));
}

export function answerMap(rows: readonly AnswerRow[]): Map<string, StoredAnswer> {
  return new Map(rows.map((row) => [row.questionKey, { value: row.value, evidenceIds: row.evidenceIds }]));
}

const answerKey = (assessment: AssessmentRow, questionKey: string) =>
  and(
    eq(assessmentAnswers.tenantId, assessment.tenantId),
    eq(assessmentAnswers.assessmentId, assessment.id),
    eq(assessmentAnswers.questionKey, questionKey),
  );

/**
 * Recomputes the progress counters from the stored answers and writes them with `changes`. Every
 * answer or review write ends here, so lists read progress from the row.
 */
export async function refreshProgress(
  db: Db,
  assessment: AssessmentRow,
  document: TemplateDocument,
  changes: Partial<Omit<AssessmentRow, 'tenantId' | 'id' | 'version' | 'createdAt'>>,
  now: Date,
  /** Every answer of the assessment as it now stands, when the caller already has them. */
  known?: AnswerRow[],
): Promise<{ assessment: AssessmentRow; answers: AnswerRow[] }> {
  const answers = known ?? (await listAnswers(db, assessment.tenantId, assessment.id));
  const progress = computeProgress(document, answerMap(answers));
  const updated = await updateAssessment(
    db,
    assessment,
    {
      ...changes,
      answeredCount: progress.answered,
      requiredMissingCount: progress.requiredMissing.length,
      evidenceMissingCount: progress.evidenceMissing.length,
      clarificationCount: answers.filter((answer) => answer.reviewStatus === 'needs_clarification').length,
    },
    now,
  );
  return { assessment: updated, answers };
}

/** Counters of an assessment with no answers yet. */
export function initialProgress(document: TemplateDocument) {
  const progress = computeProgress(document, new Map());
  return { requiredMissingCount: progress.requiredMissing.length, evidenceMissingCount: progress.evidenceMissing.length };
}

export interface AnswerInput {
  questionKey: string;
  value?: unknown;
  /** Left out: unchanged. null: cleared. */
  comment?: string | null | undefined;
  /** Left out: unchanged. */
  evidenceIds?: string[] | undefined;
  /** The answer version the caller saw (0: none). Left out: last write wins. */
  expectedVersion?: number | undefined;
}

/** A save based on an old version of an answer: 409 carrying the answer as it is now. */
export class StaleAnswerError extends ApiError {
  readonly current: { questionKey: string; value: unknown; comment: string | null; evidenceIds: string[]; version: number };

  constructor(questionKey: string, current: AnswerRow | undefined, expectedVersion: number) {
    super({
      status: 409,
      code: 'stale_answer',
      title: 'Conflict',
      detail: `The answer to "${questionKey}" is at version ${current?.version ?? 0}, not ${expectedVersion}: someone saved it in the meantime. \`current\` holds it as it is now.`,
    });
    this.current = {
      questionKey,
      value: current?.value ?? null,
      comment: current?.comment ?? null,
      evidenceIds: current?.evidenceIds ?? [],
      version: current?.version ?? 0,
    };
  }
}

export function questionsByKey(document: TemplateDocument): Map<string, TemplateQuestion> {
  return new Map(allQuestions(document).map((question) => [question.key, question]));
}

/**
 * Saves answers (staff on the supplier's behalf, or the portal). The caller holds the assessment's
 * row lock (requireAssessment with forUpdate), so concurrent saves are serialised; each answer's
 * `expectedVersion` decides whether a save was based on what is stored (else StaleAnswerError).
 * Values are checked with `checkAnswerValue` (422 naming `answers.<i>.value` and the question).
 * An answer that changes goes back to review status `pending`. The first save of a sent (or
 * returned) assessment moves it to in_progress. The caller records the audit entry.
 */
export async function saveAnswers(
  tx: Db,
  assessment: AssessmentRow,
  document: TemplateDocument,
  inputs: readonly AnswerInput[],
  actor: Actor,
  now: Date,
): Promise<{ assessment: AssessmentRow; saved: AnswerRow[]; changedKeys: string[]; answers: AnswerRow[] }> {
  const nextStatus = assertTransition(assessment, 'save_answers');
  const questions = questionsByKey(document);
  const errors: FieldError[] = [];
  const values = new Map<number, unknown>();
  const seen = new Set<string>();
  inputs.forEach((input, index) => {
    const question = questions.get(input.questionKey);
    if (!question) {
      errors.push({ location: 'body', path: `answers.${index}.questionKey`, message: `"${input.questionKey}" is not a question of this questionnaire.` });
      return;
    }
    if (seen.has(input.questionKey)) {
      errors.push({ location: 'body', path: `answers.${index}.questionKey`, message: `"${input.questionKey}" appears more than once.` });
      return;
    }
    seen.add(input.questionKey);
    const checked = checkAnswerValue(question, input.value === undefined ? null : input.value);
    if (!checked.ok) errors.push({ location: 'body', path: `answers.${index}.value`, message: `${input.questionKey}: ${checked.message}` });
    else values.set(index, checked.value);
  });
  const existing = new Map((await listAnswers(tx, assessment.tenantId, assessment.id)).map((row) => [row.questionKey, row]));
  // Newly attached evidence must be live evidence of this supplier (one query for every id); ids
  // already on the answer stay, so archiving a file does not block later saves of its answer.
  const added = (input: AnswerInput) => (input.evidenceIds ?? []).filter((id) => !existing.get(input.questionKey)?.evidenceIds.includes(id));
  const unusable = await unusableEvidenceIds(tx, assessment.tenantId, assessment.supplierId, inputs.flatMap(added));
  inputs.forEach((input, index) => {
    const bad = added(input).filter((id) => unusable.has(id));
    if (bad.length > 0) {
      errors.push({ location: 'body', path: `answers.${index}.evidenceIds`, message: `Not evidence of this supplier (unknown or archived): ${[...new Set(bad)].join(', ')}.` });
    }
  });
  if (errors.length > 0) throw problems.validation(errors, 'Some answers are not valid for their questions.');

  const saved: AnswerRow[] = [];
  const changedKeys: string[] = [];
  for (const [index, input] of inputs.entries()) {
    const current = existing.get(input.questionKey);
    if (input.expectedVersion !== undefined && input.expectedVersion !== (current?.version ?? 0)) {
      throw new StaleAnswerError(input.questionKey, current, input.expectedVersion);
    }
    const value = values.get(index) ?? null;
    const comment = input.comment === undefined ? (current?.comment ?? null) : input.comment?.trim() || null;
    const evidenceIds = input.evidenceIds === undefined ? (current?.evidenceIds ?? []) : [...new Set(input.evidenceIds)];
    if (current) {
      const unchanged =
        JSON.stringify(current.value ?? null) === JSON.stringify(value) &&
        current.comment === comment &&
        JSON.stringify(current.evidenceIds) === JSON.stringify(evidenceIds);
      if (unchanged) {
        saved.push(current);
        continue;
      }
      const [row] = await tx
        .update(assessmentAnswers)
        .set({
          value,
          comment,
          evidenceIds,
          // Changed after review: the reviewer looks again.
          reviewStatus: 'pending',
          answeredByType: actor.type,
          answeredById: actor.id,
          version: current.version + 1,
          updatedAt: now,
        })
        .where(and(answerKey(assessment, input.questionKey), eq(assessmentAnswers.version, current.version)))
        .returning();
      if (!row) throw new StaleAnswerError(input.questionKey, current, current.version);
      saved.push(row);
    } else {
      const [row] = await tx
        .insert(assessmentAnswers)
        .values({
          tenantId: assessment.tenantId,
          assessmentId: assessment.id,
          questionKey: input.questionKey,
          value,
          comment,
          evidenceIds,
          answeredByType: actor.type,
          answeredById: actor.id,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      saved.push(row!);
    }
    changedKeys.push(input.questionKey);
  }
  if (changedKeys.length === 0 && nextStatus === assessment.status) return { assessment, saved, changedKeys, answers: [...existing.values()] };
  // The answers as they now stand: what was read under the row lock, with this save's rows over it.
  const current = new Map(existing);
  for (const row of saved) current.set(row.questionKey, row);
  const refreshed = await refreshProgress(tx, assessment, document, { status: nextStatus }, now, [...current.values()]);
  return { assessment: refreshed.assessment, saved, changedKeys, answers: refreshed.answers };
}

/**
 * Submits: sent, in_progress or returned → submitted. 422 `required_answers_missing` lists the
 * shown required questions without an answer. The caller holds the row lock and audits.
 */
export async function submitAssessment(tx: Db, assessment: AssessmentRow, document: TemplateDocument, now: Date): Promise<AssessmentRow> {
  const nextStatus = assertTransition(assessment, 'submit');
  const answers = await listAnswers(tx, assessment.tenantId, assessment.id);
  const progress = computeProgress(document, answerMap(answers));
  if (progress.requiredMissing.length > 0) {
    const questions = questionsByKey(document);
    throw problems.unprocessable(
      'required_answers_missing',
      `${progress.requiredMissing.length} required question(s) still have no answer.`,
      progress.requiredMissing.map((key) => ({ location: 'answers', path: key, message: `Required: ${questions.get(key)?.text ?? key}` })),
    );
  }
  const refreshed = await refreshProgress(tx, assessment, document, { status: nextStatus, submittedAt: now, returnMessage: null }, now);
  return refreshed.assessment;
}

export interface ReviewInput {
  questionKey: string;
  status: 'accepted' | 'needs_clarification';
  comment?: string | undefined;
}

/**
 * Sets the review status of answers. A question without an answer gets an empty answer carrying
 * the review (so a reviewer can ask for an optional question to be answered). Unknown keys: 422
 * naming `<field>.<i>.questionKey`.
 */
export async function markReviews(
  tx: Db,
  assessment: AssessmentRow,
  document: TemplateDocument,
  reviews: readonly ReviewInput[],
  field: string,
  actor: Actor,
  now: Date,
): Promise<void> {
  const questions = questionsByKey(document);
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  reviews.forEach((review, index) => {
    if (!questions.has(review.questionKey)) {
      errors.push({ location: 'body', path: `${field}.${index}.questionKey`, message: `"${review.questionKey}" is not a question of this questionnaire.` });
    } else if (seen.has(review.questionKey)) {
      errors.push({ location: 'body', path: `${field}.${index}.questionKey`, message: `"${review.questionKey}" appears more than once.` });
    }
    seen.add(review.questionKey);
  });
  if (errors.length > 0) throw problems.validation(errors);
  const existing = new Map((await listAnswers(tx, assessment.tenantId, assessment.id)).map((row) => [row.questionKey, row]));
  for (const review of reviews) {
    const reviewFields = {
      reviewStatus: review.status,
      reviewComment: review.comment ?? null,
      reviewedByType: actor.type,
      reviewedById: actor.id,
      reviewedAt: now,
    };
    const current = existing.get(review.questionKey);
    if (current) {
      await tx
        .update(assessmentAnswers)
        .set({ ...reviewFields, version: sql`${assessmentAnswers.version} + 1`, updatedAt: now })
        .where(answerKey(assessment, review.questionKey));
    } else {
      await tx.insert(assessmentAnswers).values({
        tenantId: assessment.tenantId,
        assessmentId: assessment.id,
        questionKey: review.questionKey,
        value: null,
        ...reviewFields,
        answeredByType: actor.type,
        answeredById: actor.id,
        createdAt: now,
        updatedAt: now,
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Portal invitations

/**
 * A new portal invitation: 32 random bytes as base64url. Only the SHA-256 is stored; the token
 * is returned once, for the e-mail.
 */
export async function createInvitation(
  tx: Db,
  input: { assessment: AssessmentRow; email: string; name: string | null; actor: Actor; now: Date; forwardedFromId?: string; graceDays?: number },
): Promise<{ invitation: InvitationRow; token: string }> {
  const token = base64url(randomBytes(32));
  const [invitation] = await tx
    .insert(portalInvitations)
    .values({
      tenantId: input.assessment.tenantId,
      id: newId('invitation', input.now),
      assessmentId: input.assessment.id,
      email: input.email,
      name: input.name,
      tokenHash: await sha256Hex(token),
      expiresAt: invitationExpiry(input.assessment.dueAt, input.graceDays),
      forwardedFromId: input.forwardedFromId ?? null,
      createdByType: input.actor.type,
      createdById: input.actor.id,
      createdAt: input.now,
    })
    .returning();
  return { invitation: invitation!, token };
}

/** Moves the expiry of the assessment's live invitations to follow a new due date. */
export async function extendInvitations(tx: Db, assessment: AssessmentRow, dueAt: Date, graceDays?: number): Promise<number> {
  const rows = await tx
    .update(portalInvitations)
    .set({ expiresAt: invitationExpiry(dueAt, graceDays) })
    .where(
      and(
        eq(portalInvitations.tenantId, assessment.tenantId),
        eq(portalInvitations.assessmentId, assessment.id),
        isNull(portalInvitations.revokedAt),
      ),
    )
    .returning({ id: portalInvitations.id });
  return rows.length;
}

/** Revokes every live invitation of the assessment (on cancel). */
export async function revokeInvitations(tx: Db, assessment: AssessmentRow, now: Date): Promise<number> {
  const rows = await tx
    .update(portalInvitations)
    .set({ revokedAt: now })
    .where(
      and(
        eq(portalInvitations.tenantId, assessment.tenantId),
        eq(portalInvitations.assessmentId, assessment.id),
        isNull(portalInvitations.revokedAt),
      ),
    )
    .returning({ id: portalInvitations.id });
  return rows.length;
}

/** Every link sent for an assessment, oldest first (an assessment has a handful). */
export async function listInvitations(db: Db, assessment: AssessmentRow): Promise<InvitationRow[]> {
  return db
    .select()
    .from(portalInvitations)
    .where(and(eq(portalInvitations.tenantId, assessment.tenantId), eq(portalInvitations.assessmentId, assessment.id)))
    .orderBy(asc(portalInvitations.createdAt), asc(portalInvitations.id));
}

/** Revokes one link of the assessment; undefined when it is not one of its links. Already revoked stays as it was. */
export async function revokeInvitation(tx: Db, assessment: AssessmentRow, invitationId: string, now: Date): Promise<{ invitation: InvitationRow; revoked: boolean } | undefined> {
  const key = and(
    eq(portalInvitations.tenantId, assessment.tenantId),
    eq(portalInvitations.assessmentId, assessment.id),
    eq(portalInvitations.id, invitationId),
  );
  const [revoked] = await tx.update(portalInvitations).set({ revokedAt: now }).where(and(key, isNull(portalInvitations.revokedAt))).returning();
  if (revoked) return { invitation: revoked, revoked: true };
  const [existing] = await tx.select().from(portalInvitations).where(key);
  return existing ? { invitation: existing, revoked: false } : undefined;
}
