import { emitAssessmentEvent } from './assessment-events';
import type { RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import type { Db } from '../../db/types';
import { auditContextOf, recordAudit } from '../../lib/audit';
import type { AppContext, AppEnv } from '../../lib/context';
import { problemResponse, problems, type FieldError } from '../../lib/errors';
import { assertIfMatch, setEtag } from '../../lib/etag';
import { csvAttachment } from '../../lib/csv';
import { decodeCursor, toPage } from '../../lib/pagination';
import { assessmentExportStream } from './assessments.export';
import { findTemplate, findVersion, syncBuiltInTemplates } from '../questionnaire-templates/questionnaire-templates.queries';
import type { TemplateDocument } from '../questionnaire-templates/template-document.schemas';
import { findContact } from '../supplier-contacts/supplier-contacts.queries';
import { recordReview, reviewChanges } from '../reviews/reviews.queries';
import { raiseFindingsFromAnswers } from '../findings/findings.raise';
import { rescoreSupplier } from '../risk/risk.rescore';
import { findSupplier } from '../suppliers/suppliers.queries';
import { inviteByMail } from './assessment-invitations';
import type { AssessmentMailKind } from './assessment-mail';
import { isAnswered, visibleQuestionKeys } from './answer-rules';
import {
  answerMap,
  assessmentFilter,
  assertTransition,
  documentOf,
  extendInvitations,
  initialProgress,
  insertAssessment,
  isOverdue,
  listAnswers,
  listInvitations,
  listAssessments,
  markReviews,
  refreshProgress,
  requireAssessment,
  revokeInvitation,
  revokeInvitations,
  saveAnswers,
  StaleAnswerError,
  submitAssessment,
  templateRefOf,
  updateAssessment,
  type AnswerRow,
  type AssessmentAction,
  type AssessmentRow,
  type AssessmentStatus,
  type InvitationRow,
  type TemplateRef,
} from './assessments.queries';
import type {
  acceptAssessmentRoute,
  cancelAssessmentRoute,
  createAssessmentRoute,
  exportAssessmentsRoute,
  extendAssessmentRoute,
  getAssessmentRoute,
  listAnswersRoute,
  listInvitationsRoute,
  listAssessmentsRoute,
  remindAssessmentRoute,
  returnAssessmentRoute,
  reviewAnswersRoute,
  revokeInvitationRoute,
  saveAnswersRoute,
  sendAssessmentRoute,
  submitAssessmentRoute,
} from './assessments.routes';

const iso = (date: Date | null) => date?.toISOString() ?? null;

function presentAssessment(row: AssessmentRow, template: TemplateRef, now: Date) {
  return {
    id: row.id,
    status: row.status as AssessmentStatus,
    supplierId: row.supplierId,
    contactId: row.contactId,
    template: { id: template.id, key: template.key, name: template.name, version: row.templateVersion },
    dueAt: row.dueAt.toISOString(),
    overdue: isOverdue(row, now),
    message: row.message,
    returnMessage: row.returnMessage,
    progress: {
      answered: row.answeredCount,
      requiredMissing: row.requiredMissingCount,
      evidenceMissing: row.evidenceMissingCount,
      clarificationsOpen: row.clarificationCount,
    },
    sentAt: iso(row.sentAt),
    submittedAt: iso(row.submittedAt),
    returnedAt: iso(row.returnedAt),
    acceptedAt: iso(row.acceptedAt),
    closedAt: iso(row.closedAt),
    lastRemindedAt: iso(row.lastRemindedAt),
    reminderCount: row.reminderCount,
    createdBy: { type: row.createdByType, id: row.createdById },
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function respond(c: AppContext, row: AssessmentRow) {
  setEtag(c, row.version);
  return presentAssessment(row, await templateRefOf(c.get('db'), row.tenantId, row.templateId), c.get('now'));
}

/** Every question of the document with its answer, in order. */
function presentAnswers(document: TemplateDocument, rows: readonly AnswerRow[], only?: ReadonlySet<string>) {
  const byKey = new Map(rows.map((row) => [row.questionKey, row]));
  const visible = visibleQuestionKeys(document, answerMap(rows));
  return document.sections.flatMap((section) =>
    section.questions
      .filter((question) => !only || only.has(question.key))
      .map((question) => {
        const answer = byKey.get(question.key);
        return {
          questionKey: question.key,
          sectionKey: section.key,
          questionText: question.text,
          questionType: question.type,
          required: question.required,
          evidenceRequired: question.evidenceRequired,
          visible: visible.has(question.key),
          answered: isAnswered(question, answer ? { value: answer.value, evidenceIds: answer.evidenceIds } : undefined),
          value: answer?.value ?? null,
          comment: answer?.comment ?? null,
          evidenceIds: answer?.evidenceIds ?? [],
          reviewStatus: (answer?.reviewStatus ?? 'pending') as 'pending' | 'accepted' | 'needs_clarification',
          reviewComment: answer?.reviewComment ?? null,
          reviewedAt: iso(answer?.reviewedAt ?? null),
          answeredBy: answer ? { type: answer.answeredByType, id: answer.answeredById } : null,
          version: answer?.version ?? 0,
          updatedAt: iso(answer?.updatedAt ?? null),
        };
      }),
  );
}

/**
 * Runs one lifecycle action in a transaction: locks the assessment, honours If-Match, checks the
 * transition, lets `run` make the change, and records `assessment.<action>`.
 */
async function act(
  c: AppContext,
  assessmentId: string,
  action: AssessmentAction,
  run: (tx: Db, current: AssessmentRow, next: AssessmentStatus) => Promise<{ row: AssessmentRow; changes?: Record<string, unknown> }>,
) {
  const row = await c.get('db').transaction(async (tx) => {
    const current = await requireAssessment(tx, c.get('principal').tenantId, assessmentId, { forUpdate: true });
    assertIfMatch(c, current.version);
    const next = assertTransition(current, action);
    const result = await run(tx, current, next);
    // Accepted answers, clarifications and due dates feed the supplier's score (remind changes none).
    if (action !== 'remind') await rescoreSupplier(tx, { tenantId: current.tenantId, supplierId: current.supplierId, now: c.get('now'), trigger: 'assessment' });
    await recordAudit(tx, auditContextOf(c), {
      action: `assessment.${action}`,
      entityType: 'assessment',
      entityId: assessmentId,
      changes: {
        ...(result.row.status !== current.status ? { status: { from: current.status, to: result.row.status } } : {}),
        ...result.changes,
      },
    });
    await emitAssessmentEvent(tx, result.row, action, c.get('now'));
    return result.row;
  });
  return c.json(await respond(c, row), 200);
}

// ---------------------------------------------------------------------------------------------

const cursorSchema = z.tuple([z.string().max(40), z.string().max(40)]);

export const listAssessmentsHandler: RouteHandler<typeof listAssessmentsRoute, AppEnv> = async (c) => {
  const { limit, cursor, ...query } = c.req.valid('query');
  const after = cursor ? decodeCursor(cursor, cursorSchema) : undefined;
  if (after && Number.isNaN(Date.parse(after[0]))) {
    throw problems.validation([{ location: 'query', path: 'cursor', message: 'Not a cursor from this list.' }]);
  }
  const now = c.get('now');
  const rows = await listAssessments(c.get('db'), {
    ...assessmentFilter(c.get('principal').tenantId, now, query),
    limit,
    ...(after ? { after: { value: after[0], id: after[1] } } : {}),
  });
  return c.json(
    toPage(
      rows,
      limit,
      (row) =>
        presentAssessment(row.assessment, { id: row.assessment.templateId, key: row.templateKey ?? '', name: row.templateName ?? '' }, now),
      (row) => [row.assessment[query.sort].toISOString(), row.assessment.id],
    ),
    200,
  );
};

export const exportAssessmentsHandler: RouteHandler<typeof exportAssessmentsRoute, AppEnv> = async (c) => {
  const filter = assessmentFilter(c.get('principal').tenantId, c.get('now'), c.req.valid('query'));
  return csvAttachment(c, 'assessments', (hooks) => assessmentExportStream(c.get('db'), filter, hooks));
};

export const createAssessmentHandler: RouteHandler<typeof createAssessmentRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const { principal, now, db } = c.var;
  const tenantId = principal.tenantId;
  const errors: FieldError[] = [];
  const fail = (path: string, message: string) => errors.push({ location: 'body', path, message });

  const dueAt = new Date(input.dueAt);
  if (dueAt.getTime() <= now.getTime()) fail('dueAt', 'Must be in the future.');

  const supplier = await findSupplier(db, tenantId, input.supplierId);
  if (!supplier) fail('supplierId', 'No such supplier.');
  else if (supplier.archivedAt) fail('supplierId', 'The supplier is archived.');
  const contact = supplier ? await findContact(db, { tenantId, supplierId: supplier.id, contactId: input.contactId }) : undefined;
  if (supplier && !contact) fail('contactId', 'No such contact of this supplier.');

  let template = await findTemplate(db, tenantId, input.templateId);
  if (template?.builtIn) {
    // A built-in's latest version follows the catalog: publish what changed before resolving it.
    await syncBuiltInTemplates(db, { tenantId, requestId: c.get('requestId'), now });
    template = await findTemplate(db, tenantId, input.templateId);
  }
  let document: TemplateDocument | undefined;
  let templateVersion = 0;
  if (!template) fail('templateId', 'No such questionnaire template.');
  else if (template.archivedAt) fail('templateId', 'The template is archived.');
  else if (template.audience !== 'supplier') fail('templateId', `The template is for the "${template.audience}" audience; assessments need a "supplier" template.`);
  else if (template.latestVersion === 0) fail('templateId', 'The template has no published version yet. Publish it first.');
  else {
    templateVersion = input.templateVersion ?? template.latestVersion;
    const version = await findVersion(db, tenantId, template.id, templateVersion);
    if (!version) fail('templateVersion', `The template has no published version ${templateVersion} (latest: ${template.latestVersion}).`);
    else document = version.document;
  }
  if (errors.length > 0 || !supplier || !contact || !document) throw problems.validation(errors);

  const row = await db.transaction(async (tx) => {
    const created = await insertAssessment(tx, {
      tenantId,
      supplierId: supplier.id,
      contactId: contact.id,
      templateId: input.templateId,
      templateVersion,
      dueAt,
      message: input.message ?? null,
      ...initialProgress(document),
      actor: principal.actor,
      now,
    });
    await recordAudit(tx, auditContextOf(c), {
      action: 'assessment.created',
      entityType: 'assessment',
      entityId: created.id,
      changes: { supplierId: supplier.id, contactId: contact.id, templateId: input.templateId, templateVersion, dueAt: created.dueAt.toISOString() },
    });
    return created;
  });
  c.header('Location', `/v1/assessments/${row.id}`);
  return c.json(await respond(c, row), 201);
};

export const getAssessmentHandler: RouteHandler<typeof getAssessmentRoute, AppEnv> = async (c) => {
  const row = await requireAssessment(c.get('db'), c.get('principal').tenantId, c.req.valid('param').assessmentId);
  return c.json(await respond(c, row), 200);
};

export const listAnswersHandler: RouteHandler<typeof listAnswersRoute, AppEnv> = async (c) => {
  const row = await requireAssessment(c.get('db'), c.get('principal').tenantId, c.req.valid('param').assessmentId);
  const [document, answers] = await Promise.all([documentOf(c.get('db'), row), listAnswers(c.get('db'), row.tenantId, row.id)]);
  setEtag(c, row.version);
  return c.json({ data: presentAnswers(document, answers), nextCursor: null }, 200);
};

function staleAnswerResponse(c: AppContext, error: StaleAnswerError) {
  const response = problemResponse(c, error);
  return response
    .json()
    .then((body: Record<string, unknown>) => new Response(JSON.stringify({ ...body, current: error.current }), { status: 409, headers: response.headers }));
}

export const saveAnswersHandler: RouteHandler<typeof saveAnswersRoute, AppEnv> = async (c) => {
  const { assessmentId } = c.req.valid('param');
  const { answers } = c.req.valid('json');
  try {
    const result = await c.get('db').transaction(async (tx) => {
      const current = await requireAssessment(tx, c.get('principal').tenantId, assessmentId, { forUpdate: true });
      assertIfMatch(c, current.version);
      const document = await documentOf(tx, current);
      const saved = await saveAnswers(tx, current, document, answers, c.get('principal').actor, c.get('now'));
      if (saved.changedKeys.length > 0 || saved.assessment.status !== current.status) {
        await recordAudit(tx, auditContextOf(c), {
          action: 'assessment.answers_saved',
          entityType: 'assessment',
          entityId: assessmentId,
          changes: {
            questionKeys: saved.changedKeys,
            ...(saved.assessment.status !== current.status ? { status: { from: current.status, to: saved.assessment.status } } : {}),
          },
        });
      }
      return { ...saved, document };
    });
    const keys = new Set(answers.map((answer) => answer.questionKey));
    const all = await listAnswers(c.get('db'), result.assessment.tenantId, assessmentId);
    return c.json({ assessment: await respond(c, result.assessment), answers: presentAnswers(result.document, all, keys) }, 200);
  } catch (error) {
    if (error instanceof StaleAnswerError) return (await staleAnswerResponse(c, error)) as never;
    throw error;
  }
};

export const submitAssessmentHandler: RouteHandler<typeof submitAssessmentRoute, AppEnv> = async (c) =>
  act(c, c.req.valid('param').assessmentId, 'submit', async (tx, current) => ({
    row: await submitAssessment(tx, current, await documentOf(tx, current), c.get('now')),
  }));

// ---------------------------------------------------------------------------------------------
// Invitations and reminders

async function mailInvitation(c: AppContext, tx: Db, assessment: AssessmentRow, kind: AssessmentMailKind) {
  const tenantId = assessment.tenantId;
  const contact = await findContact(tx, { tenantId, supplierId: assessment.supplierId, contactId: assessment.contactId });
  if (!contact) {
    throw problems.conflict('The recipient contact no longer exists. Create a new assessment for another contact.', 'contact_missing');
  }
  const { invitation, mailId } = await inviteByMail(tx, {
    assessment,
    recipient: { email: contact.email, name: contact.name },
    kind,
    actor: c.get('principal').actor,
    now: c.get('now'),
    publicBaseUrl: c.get('deps').config.publicBaseUrl,
    graceDays: c.get('deps').config.assessments.expiryGraceDays,
  });
  return { invitationId: invitation.id, mailId, to: contact.email };
}

export const sendAssessmentHandler: RouteHandler<typeof sendAssessmentRoute, AppEnv> = async (c) =>
  act(c, c.req.valid('param').assessmentId, 'send', async (tx, current, next) => {
    const sent = await mailInvitation(c, tx, current, 'invitation');
    const row = await updateAssessment(tx, current, { status: next, sentAt: c.get('now') }, c.get('now'));
    return { row, changes: sent };
  });

export const remindAssessmentHandler: RouteHandler<typeof remindAssessmentRoute, AppEnv> = async (c) =>
  act(c, c.req.valid('param').assessmentId, 'remind', async (tx, current) => {
    const sent = await mailInvitation(c, tx, current, 'reminder');
    const row = await updateAssessment(tx, current, { reminderCount: current.reminderCount + 1, lastRemindedAt: c.get('now') }, c.get('now'));
    return { row, changes: { ...sent, reminderCount: row.reminderCount } };
  });

export const cancelAssessmentHandler: RouteHandler<typeof cancelAssessmentRoute, AppEnv> = async (c) =>
  act(c, c.req.valid('param').assessmentId, 'cancel', async (tx, current, next) => {
    const revoked = await revokeInvitations(tx, current, c.get('now'));
    const row = await updateAssessment(tx, current, { status: next, closedAt: c.get('now') }, c.get('now'));
    return { row, changes: { invitationsRevoked: revoked } };
  });

export const extendAssessmentHandler: RouteHandler<typeof extendAssessmentRoute, AppEnv> = async (c) => {
  const { dueAt: dueText, reason } = c.req.valid('json');
  const dueAt = new Date(dueText);
  return act(c, c.req.valid('param').assessmentId, 'extend', async (tx, current) => {
    if (dueAt.getTime() <= current.dueAt.getTime() || dueAt.getTime() <= c.get('now').getTime()) {
      throw problems.validation([
        { location: 'body', path: 'dueAt', message: `Must be in the future and later than the current due date (${current.dueAt.toISOString()}).` },
      ]);
    }
    const extended = await extendInvitations(tx, current, dueAt, c.get('deps').config.assessments.expiryGraceDays);
    // A new due date can be missed again: the overdue job sends a notice for it too.
    const row = await updateAssessment(tx, current, { dueAt, overdueNotifiedAt: null }, c.get('now'));
    return {
      row,
      changes: { dueAt: { from: current.dueAt.toISOString(), to: dueAt.toISOString() }, invitationsExtended: extended, ...(reason ? { reason } : {}) },
    };
  });
};

// ---------------------------------------------------------------------------------------------
// Review

export const reviewAnswersHandler: RouteHandler<typeof reviewAnswersRoute, AppEnv> = async (c) => {
  const { reviews } = c.req.valid('json');
  return act(c, c.req.valid('param').assessmentId, 'review', async (tx, current, next) => {
    const document = await documentOf(tx, current);
    await markReviews(tx, current, document, reviews, 'reviews', c.get('principal').actor, c.get('now'));
    const { assessment } = await refreshProgress(tx, current, document, { status: next }, c.get('now'));
    return { row: assessment, changes: { reviews: reviews.map(({ questionKey, status }) => ({ questionKey, status })) } };
  });
};

export const returnAssessmentHandler: RouteHandler<typeof returnAssessmentRoute, AppEnv> = async (c) => {
  const { clarifications, message } = c.req.valid('json');
  return act(c, c.req.valid('param').assessmentId, 'return', async (tx, current, next) => {
    const document = await documentOf(tx, current);
    const reviews = clarifications.map((item) => ({ questionKey: item.questionKey, status: 'needs_clarification' as const, comment: item.comment }));
    await markReviews(tx, current, document, reviews, 'clarifications', c.get('principal').actor, c.get('now'));
    // Replaced on every return, cleared on resubmission: the supplier sees the latest request only.
    const { assessment } = await refreshProgress(tx, current, document, { status: next, returnedAt: c.get('now'), returnMessage: message ?? null }, c.get('now'));
    return { row: assessment, changes: { questionKeys: clarifications.map((item) => item.questionKey), ...(message ? { message } : {}) } };
  });
};

export const acceptAssessmentHandler: RouteHandler<typeof acceptAssessmentRoute, AppEnv> = async (c) =>
  act(c, c.req.valid('param').assessmentId, 'accept', async (tx, current, next) => {
    const answers = await listAnswers(tx, current.tenantId, current.id);
    const open = answers.filter((answer) => answer.reviewStatus === 'needs_clarification').map((answer) => answer.questionKey);
    if (open.length > 0) {
      throw problems.conflict(`Answers still need clarification: ${open.join(', ')}. Accept them in a review, or return the assessment.`, 'clarifications_open');
    }
    const row = await updateAssessment(tx, current, { status: next, acceptedAt: c.get('now'), closedAt: c.get('now') }, c.get('now'));
    // Answers that fail their template's expectation become findings, in this transaction.
    const findings = await raiseFindingsFromAnswers(tx, auditContextOf(c), row);
    // An accepted assessment is a review of the supplier (NIS2 IR 5.1.5): it restarts the cadence.
    const supplier = await findSupplier(tx, current.tenantId, current.supplierId);
    if (supplier) {
      const reviewed = await recordReview(tx, supplier, c.get('now'));
      await recordAudit(tx, auditContextOf(c), {
        action: 'supplier.reviewed',
        entityType: 'supplier',
        entityId: supplier.id,
        changes: { source: 'assessment', assessmentId: current.id, ...reviewChanges(supplier, reviewed) },
      });
    }
    const raised = findings.filter(({ outcome }) => outcome === 'created' || outcome === 'reopened').map(({ finding }) => finding.id);
    return { row, ...(raised.length > 0 ? { changes: { findingIds: raised } } : {}) };
  });

// ---------------------------------------------------------------------------------------------
// Portal links

function presentInvitation(row: InvitationRow, now: Date) {
  return {
    id: row.id,
    assessmentId: row.assessmentId,
    email: row.email,
    name: row.name,
    state: row.revokedAt ? ('revoked' as const) : row.expiresAt <= now ? ('expired' as const) : ('active' as const),
    forwardedFromId: row.forwardedFromId,
    createdBy: { type: row.createdByType, id: row.createdById },
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: iso(row.revokedAt),
    lastUsedAt: iso(row.lastUsedAt),
  };
}

export const listInvitationsHandler: RouteHandler<typeof listInvitationsRoute, AppEnv> = async (c) => {
  const assessment = await requireAssessment(c.get('db'), c.get('principal').tenantId, c.req.valid('param').assessmentId);
  const rows = await listInvitations(c.get('db'), assessment);
  return c.json({ data: rows.map((row) => presentInvitation(row, c.get('now'))), nextCursor: null }, 200);
};

export const revokeInvitationHandler: RouteHandler<typeof revokeInvitationRoute, AppEnv> = async (c) => {
  const { assessmentId, invitationId } = c.req.valid('param');
  const invitation = await c.get('db').transaction(async (tx) => {
    const assessment = await requireAssessment(tx, c.get('principal').tenantId, assessmentId, { forUpdate: true });
    const result = await revokeInvitation(tx, assessment, invitationId, c.get('now'));
    if (!result) throw problems.notFound('Invitation');
    if (result.revoked) {
      await recordAudit(tx, auditContextOf(c), {
        action: 'assessment.invitation_revoked',
        entityType: 'assessment',
        entityId: assessment.id,
        changes: { invitationId, email: result.invitation.email },
      });
    }
    return result.invitation;
  });
  return c.json(presentInvitation(invitation, c.get('now')), 200);
};
