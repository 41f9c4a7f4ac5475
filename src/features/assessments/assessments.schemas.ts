import { z } from '@hono/zod-openapi';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { DateTimeSchema, idParam, idString, OffsetDateTimeSchema, orNull, PG_INTEGER_MAX } from '../../lib/schemas';
import { ASSESSMENT_STATUSES } from './assessments.queries';

const QuestionKeySchema = z
  .string()
  .min(1)
  .max(80)
  .openapi({ description: 'The question\'s key in the template version.', example: 'mfa' });

const FutureDateTimeSchema = OffsetDateTimeSchema.openapi({ example: '2027-03-31T17:00:00Z' });

export const AssessmentStatusSchema = z.enum(ASSESSMENT_STATUSES).openapi('AssessmentStatus', {
  description:
    'draft → sent → in_progress → submitted → under_review → accepted; returned → in_progress; cancelled and expired end it. `expired` is set by a job after the grace period.',
  example: 'sent',
});

export const AssessmentIdParams = z.object({ assessmentId: idParam('assessmentId', 'assessment', 'asm_01JD6S9Q7Y3M8V5R2T4W6X8Z0A') });

export const ProgressSchema = z
  .object({
    answered: z.number().int().openapi({ description: 'Shown questions with an answer.', example: 31 }),
    requiredMissing: z.number().int().openapi({ description: 'Shown required questions without an answer.', example: 9 }),
    evidenceMissing: z.number().int().openapi({ description: 'Shown questions that need evidence and have none attached.', example: 2 }),
    clarificationsOpen: z.number().int().openapi({ description: 'Answers the reviewer marked as needing clarification.', example: 0 }),
  })
  .openapi('AssessmentProgress');

export const AssessmentSchema = z
  .object({
    id: z.string().openapi({ example: 'asm_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    status: AssessmentStatusSchema,
    supplierId: z.string().openapi({ example: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    contactId: z.string().openapi({ example: 'con_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    template: z
      .object({
        id: z.string().openapi({ example: 'tpl_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
        key: z.string().openapi({ example: 'builtin.nis2-supplier-baseline' }),
        name: z.string().openapi({ example: 'NIS2 supplier security baseline' }),
        version: z.number().int().openapi({ description: 'The immutable template version this assessment was created with.', example: 1 }),
      })
      .openapi({ description: 'The template version the supplier answers; it never changes after creation.' }),
    dueAt: DateTimeSchema,
    overdue: z.boolean().openapi({ description: 'Past its due date while the supplier still has to act (sent, in_progress, returned).' }),
    message: z.string().nullable().openapi({ example: 'Please complete this before our contract renewal.' }),
    returnMessage: z
      .string()
      .nullable()
      .openapi({ description: 'The reviewer\'s note from the last return, shown to the supplier; cleared when the supplier submits again.', example: 'Two questions need more detail.' }),
    progress: ProgressSchema,
    sentAt: DateTimeSchema.nullable(),
    submittedAt: DateTimeSchema.nullable(),
    returnedAt: DateTimeSchema.nullable(),
    acceptedAt: DateTimeSchema.nullable(),
    closedAt: DateTimeSchema.nullable().openapi({ description: 'When it was accepted, cancelled or expired.' }),
    lastRemindedAt: DateTimeSchema.nullable(),
    reminderCount: z.number().int().openapi({ example: 0 }),
    createdBy: z.object({ type: z.string(), id: z.string() }),
    version: z.number().int().openapi({ description: 'Row version, for If-Match.', example: 3 }),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  })
  .openapi('Assessment');

export const AssessmentPageSchema = pageSchema(AssessmentSchema, 'AssessmentPage');

export const CreateAssessmentSchema = z
  .object({
    supplierId: z.string().min(1).max(40).openapi({ example: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    templateId: z.string().min(1).max(40).openapi({ example: 'tpl_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    templateVersion: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .openapi({ description: 'A published version of the template. Default: the latest published version.', example: 1 }),
    contactId: z.string().min(1).max(40).openapi({ description: 'The recipient: a contact of this supplier.', example: 'con_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    dueAt: FutureDateTimeSchema.openapi({ description: 'Must be in the future.' }),
    message: z.string().trim().min(1).max(4000).nullable().optional().openapi({ description: 'Shown in the invitation e-mail.', example: 'Please complete this before our contract renewal.' }),
  })
  .strict()
  .openapi('CreateAssessment', {
    example: {
      supplierId: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A',
      templateId: 'tpl_01JD6S9Q7Y3M8V5R2T4W6X8Z0A',
      contactId: 'con_01JD6S9Q7Y3M8V5R2T4W6X8Z0A',
      dueAt: '2027-03-31T17:00:00Z',
      message: 'Please complete this before our contract renewal.',
    },
  });

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

export const ListAssessmentsQuery = z.object({
  ...paginationQuery,
  status: AssessmentStatusSchema.optional().openapi({ description: 'Only this status.' }),
  // A supplier id or nothing: the export streams, so a value Postgres refuses (NUL) would break the stream, not answer 422.
  supplierId: idString('supplier').optional().openapi({ description: 'Only this supplier\'s assessments.', example: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
  templateId: z.string().min(1).max(40).optional().openapi({ description: 'Only assessments of this template.', example: 'tpl_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
  overdue: booleanQuery.optional().openapi({
    description: 'true: due date passed while sent, in_progress or returned. false: all others.',
    example: 'true',
  }),
  dueBefore: OffsetDateTimeSchema.optional().openapi({ description: 'Due strictly before this time.', example: '2027-01-01T00:00:00Z' }),
  dueAfter: OffsetDateTimeSchema.optional().openapi({ description: 'Due at or after this time.', example: '2026-01-01T00:00:00Z' }),
  sort: z.enum(['createdAt', 'dueAt']).default('createdAt').openapi({ description: 'Sort key; ties break on id.', example: 'dueAt' }),
  order: z.enum(['asc', 'desc']).optional().openapi({ description: 'Default: asc for dueAt, desc for createdAt.', example: 'asc' }),
});

const ReviewStatusSchema = z.enum(['pending', 'accepted', 'needs_clarification']).openapi('AnswerReviewStatus', { example: 'pending' });

export const AnswerSchema = z
  .object({
    questionKey: z.string().openapi({ example: 'mfa' }),
    sectionKey: z.string().openapi({ example: 'access' }),
    questionText: z.string().openapi({ example: 'Do administrators use multi-factor authentication?' }),
    questionType: z.enum(['yes_no', 'single_choice', 'multiple_choice', 'text', 'number', 'date', 'file']),
    required: z.boolean(),
    evidenceRequired: z.boolean(),
    visible: z.boolean().openapi({ description: 'Shown under the current answers (dependsOn).' }),
    answered: z.boolean(),
    value: z.unknown().openapi({ description: 'The answer: an option value, a list of them, text, a number or a date; null if none.', example: 'yes' }),
    comment: z.string().nullable(),
    evidenceIds: z.array(z.string()),
    reviewStatus: ReviewStatusSchema,
    reviewComment: z.string().nullable(),
    reviewedAt: DateTimeSchema.nullable(),
    answeredBy: z.object({ type: z.string(), id: z.string() }).nullable(),
    version: z.number().int().openapi({ description: 'Answer version for `expectedVersion`; 0 when never answered.', example: 1 }),
    updatedAt: DateTimeSchema.nullable(),
  })
  .openapi('AssessmentAnswer');

export const AnswerListSchema = z
  .object({
    data: z.array(AnswerSchema).openapi({ description: 'One entry per question of the template version, in order.' }),
    nextCursor: z.null().openapi({ description: 'Always null: the list is complete.' }),
  })
  .openapi('AssessmentAnswerList');

export const SaveAnswersSchema = z
  .object({
    answers: z
      .array(
        z
          .object({
            questionKey: QuestionKeySchema,
            value: z.unknown().optional().openapi({ description: 'The value for the question type; null (or left out) clears it.', example: 'yes' }),
            comment: z.string().max(4000).nullable().optional().openapi({ description: 'Left out: unchanged. null: cleared.' }),
            evidenceIds: z
              .array(idString('evidence', 'Not an evidence id.'))
              .max(50)
              .optional()
              .openapi({ description: 'Evidence attached to the answer. Left out: unchanged.' }),
            expectedVersion: z
              .number()
              .int()
              .min(0)
              .max(PG_INTEGER_MAX)
              .optional()
              .openapi({ description: 'The answer version this save is based on (0: not answered yet). A different current version answers 409 with the current answer.', example: 1 }),
          })
          .strict(),
      )
      .min(1)
      .max(500),
  })
  .strict()
  .openapi('SaveAnswers', { example: { answers: [{ questionKey: 'mfa', value: 'yes', expectedVersion: 0 }] } });

export const SaveAnswersResultSchema = z
  .object({ assessment: AssessmentSchema, answers: z.array(AnswerSchema).openapi({ description: 'The answers saved, as stored.' }) })
  .openapi('SaveAnswersResult');

export const ExtendAssessmentSchema = z
  .object({
    dueAt: FutureDateTimeSchema.openapi({ description: 'Later than the current due date and in the future.' }),
    reason: z.string().trim().min(1).max(1000).optional().openapi({ example: 'Supplier asked for two more weeks.' }),
  })
  .strict()
  .openapi('ExtendAssessment', { example: { dueAt: '2027-04-30T17:00:00Z', reason: 'Supplier asked for two more weeks.' } });

export const ReturnAssessmentSchema = z
  .object({
    clarifications: z
      .array(z.object({ questionKey: QuestionKeySchema, comment: z.string().trim().min(1).max(4000) }).strict())
      .min(1)
      .max(500),
    message: z.string().trim().min(1).max(4000).optional().openapi({ description: 'Shown to the supplier at the top of the portal page until they submit again.' }),
  })
  .strict()
  .openapi('ReturnAssessment', {
    example: { clarifications: [{ questionKey: 'mfa', comment: 'Please name the MFA product used for administrator accounts.' }], message: 'Two questions need more detail.' },
  });

export const ReviewAnswersSchema = z
  .object({
    reviews: z
      .array(
        z
          .object({
            questionKey: QuestionKeySchema,
            status: z.enum(['accepted', 'needs_clarification']),
            comment: z.string().trim().min(1).max(4000).optional().openapi({ description: 'Required for needs_clarification.' }),
          })
          .strict()
          .superRefine((review, ctx) => {
            if (review.status === 'needs_clarification' && !review.comment) {
              ctx.addIssue({ code: 'custom', path: ['comment'], message: 'A comment is required when asking for clarification.' });
            }
          }),
      )
      .min(1)
      .max(500),
  })
  .strict()
  .openapi('ReviewAnswers', { example: { reviews: [{ questionKey: 'mfa', status: 'accepted' }] } });

export const InvitationParams = z.object({
  assessmentId: idParam('assessmentId', 'assessment', 'asm_01JD6S9Q7Y3M8V5R2T4W6X8Z0A'),
  invitationId: idParam('invitationId', 'invitation', 'inv_01JD6SB2C4E6G8J0K2M4P6R8T0'),
});

export const InvitationSchema = z
  .object({
    id: z.string().openapi({ example: 'inv_01JD6SB2C4E6G8J0K2M4P6R8T0' }),
    assessmentId: z.string(),
    email: z.string().openapi({ example: 'petra.lang@cirrus-hosting.example' }),
    name: orNull(z.string()),
    state: z.enum(['active', 'expired', 'revoked']).openapi({ description: 'Whether the link still opens the portal (while the assessment is open to the supplier).' }),
    forwardedFromId: orNull(z.string()).openapi({ description: 'The invitation whose holder forwarded the questionnaire to this person.' }),
    createdBy: z.object({ type: z.string(), id: z.string() }),
    createdAt: DateTimeSchema,
    expiresAt: DateTimeSchema,
    revokedAt: orNull(DateTimeSchema),
    lastUsedAt: orNull(DateTimeSchema).openapi({ description: 'When the link was last used (to the minute).' }),
  })
  .openapi('Invitation');

export const InvitationListSchema = z
  .object({ data: z.array(InvitationSchema), nextCursor: orNull(z.string()) })
  .openapi('InvitationList');

/** The list's filters and sort; an export has no page size or cursor: it streams every match. */
export const ExportAssessmentsQuery = ListAssessmentsQuery.omit({ limit: true, cursor: true });

/** A row of the assessments export as its cells, for the documented example (columns: ASSESSMENT_EXPORT_COLUMNS). */
export const ASSESSMENT_EXPORT_EXAMPLE = [
  [
    'asm_01JD6S9Q7Y3M8V5R2T4W6X8Z0A', 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A', 'Cirrus Hosting GmbH', 'Petra Lang', 'p.lang@cirrus.example',
    'builtin.nis2-supplier-baseline', 'NIS2 supplier security baseline', 1, 'in_progress', true, '2026-11-15T17:00:00.000Z', 31, 90, 9, 2, 0,
    '2026-10-18T08:00:00.000Z', null, null, null, null, '2026-11-14T07:00:00.000Z', 3, '2026-10-18T07:55:00.000Z', '2026-11-16T12:30:00.000Z',
  ],
];
