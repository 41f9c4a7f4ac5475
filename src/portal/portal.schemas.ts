import { z } from '@hono/zod-openapi';
import { EVIDENCE_KIND_CODES } from '../catalog/evidence-kinds';
import { DateTimeSchema, idParam, PG_INTEGER_MAX } from '../lib/schemas';

const QuestionKey = z.string().min(1).max(80).openapi({ example: 'mfa' });

export const QuestionKeyParams = z.object({
  questionKey: QuestionKey.openapi({ param: { name: 'questionKey', in: 'path' }, description: 'A question of the questionnaire.' }),
});

export const EvidenceOfQuestionParams = QuestionKeyParams.extend({
  evidenceId: idParam('evidenceId', 'evidence', 'evd_01JD6S9Q7Y3M8V5R2T4W6X8Z0A'),
});

export const PortalEvidenceSchema = z
  .object({
    id: z.string().openapi({ example: 'evd_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    name: z.string().openapi({ example: 'iso27001-certificate.pdf' }),
    size: z.number().int().openapi({ description: 'Bytes.', example: 482113 }),
    type: z.string().openapi({ description: 'Content type detected from the bytes.', example: 'application/pdf' }),
  })
  .openapi('PortalEvidence');

const ReviewStatus = z.enum(['pending', 'accepted', 'needs_clarification']);

export const PortalAnswerSchema = z
  .object({
    questionKey: QuestionKey,
    value: z.unknown().openapi({ description: 'An option value, a list of them, text, a number or a YYYY-MM-DD date; null when unanswered.', example: 'yes' }),
    comment: z.string().nullable(),
    evidence: z.array(PortalEvidenceSchema),
    version: z.number().int().openapi({ description: 'Send it back as `version` with the next save of this answer; 0 when never answered.', example: 1 }),
    reviewStatus: ReviewStatus,
    reviewComment: z.string().nullable().openapi({ description: 'The reviewer\'s request or note about this answer.' }),
    visible: z.boolean().openapi({ description: 'Shown under the current answers (dependsOn).' }),
    answered: z.boolean(),
  })
  .openapi('PortalAnswer');

export const PortalProgressSchema = z
  .object({
    answered: z.number().int().openapi({ description: 'Shown questions with an answer.', example: 12 }),
    total: z.number().int().openapi({ description: 'Questions shown under the current answers.', example: 57 }),
    requiredMissing: z.array(z.string()).openapi({ description: 'Keys of shown required questions without an answer, in order.', example: ['mfa'] }),
    evidenceMissing: z.array(z.string()).openapi({ description: 'Keys of shown questions that need a file and have none.', example: [] }),
  })
  .openapi('PortalProgress');

const PortalQuestionSchema = z
  .object({
    key: QuestionKey,
    text: z.string(),
    help: z.string().nullable(),
    type: z.enum(['yes_no', 'single_choice', 'multiple_choice', 'text', 'number', 'date', 'file']),
    required: z.boolean(),
    evidenceRequired: z.boolean(),
    options: z.array(z.object({ value: z.string(), label: z.string() })).openapi({ description: 'For choice questions; empty otherwise.' }),
    dependsOn: z
      .object({ question: z.string(), anyOf: z.array(z.string()) })
      .nullable()
      .openapi({ description: 'Shown only when that earlier question is shown and answered with one of these options.' }),
    min: z.number().nullable().optional(),
    max: z.number().nullable().optional(),
    unit: z.string().nullable().optional(),
  })
  .openapi('PortalQuestion');

export const PortalAssessmentSchema = z
  .object({
    assessmentId: z.string().openapi({ example: 'asm_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    organisation: z.object({ name: z.string().openapi({ example: 'Stadtwerke Beispiel GmbH' }) }),
    supplier: z.object({ name: z.string().openapi({ example: 'Ruhr Automation Systems GmbH' }) }),
    recipient: z.object({ email: z.string().openapi({ description: 'Whom this link was sent to.', example: 'security@supplier.example' }) }),
    template: z.object({ name: z.string(), version: z.number().int() }),
    dueAt: DateTimeSchema,
    status: z.string().openapi({ example: 'in_progress' }),
    readOnly: z.boolean().openapi({ description: 'True once submitted (and while under review or accepted): saves, uploads and submit answer 409.' }),
    message: z.string().nullable().openapi({ description: 'The organisation\'s message sent with the questionnaire.' }),
    returnMessage: z.string().nullable().openapi({ description: 'The reviewer\'s note when the questionnaire was returned for clarification.' }),
    sections: z.array(
      z.object({ key: z.string(), title: z.string(), description: z.string().nullable(), questions: z.array(PortalQuestionSchema) }),
    ),
    answers: z.array(PortalAnswerSchema).openapi({ description: 'One per question, in order.' }),
    progress: PortalProgressSchema,
  })
  .openapi('PortalAssessment');

export const PortalSaveAnswersSchema = z
  .object({
    answers: z
      .array(
        z
          .object({
            questionKey: QuestionKey,
            value: z.unknown().openapi({ description: 'The value for the question type; null clears it.', example: 'yes' }),
            comment: z.string().max(4000).nullable().optional().openapi({ description: 'Left out: unchanged. null or empty: cleared.' }),
            version: z
              .number()
              .int()
              .min(0)
              .max(PG_INTEGER_MAX)
              .optional()
              .openapi({ description: 'The answer version this change is based on (0: never answered). Another current version answers 409 `stale_answer` with `current`.', example: 0 }),
          })
          .strict(),
      )
      .min(1)
      .max(500),
  })
  .strict()
  .openapi('PortalSaveAnswers', { example: { answers: [{ questionKey: 'mfa', value: 'yes', version: 0 }] } });

export const PortalWriteResultSchema = z
  .object({
    status: z.string().openapi({ example: 'in_progress' }),
    readOnly: z.boolean(),
    answers: z.array(PortalAnswerSchema).openapi({ description: 'The answers this request touched, as stored now.' }),
    progress: PortalProgressSchema,
  })
  .openapi('PortalWriteResult');

export const PortalForwardSchema = z
  .object({
    email: z.string().trim().min(3).max(254).openapi({ example: 'ot-security@supplier.example' }),
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      // eslint-disable-next-line no-control-regex -- the name goes into a mail header
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'Must not contain line breaks or control characters.')
      .optional()
      .openapi({ example: 'Petra Schulz' }),
    note: z.string().trim().min(1).max(2000).optional().openapi({ description: 'Put in the e-mail as your note.', example: 'Could you answer the OT network section?' }),
  })
  .strict()
  .openapi('PortalForward', { example: { email: 'ot-security@supplier.example', name: 'Petra Schulz', note: 'Could you answer the OT network section?' } });

export const PortalForwardResultSchema = z
  .object({
    invitationId: z.string().openapi({ example: 'inv_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    email: z.string(),
    expiresAt: DateTimeSchema,
  })
  .openapi('PortalForwardResult');

export const PortalUploadSchema = z
  .object({
    file: z
      .file({ error: 'Attach the document as the multipart field "file".' })
      .openapi({ type: 'string', format: 'binary', description: 'The document; its type is checked from its content (PDF, images, office documents, text).' }),
    kind: z.enum(EVIDENCE_KIND_CODES).default('other').openapi({ description: 'What the document is.', example: 'iso27001_certificate' }),
  })
  .openapi('PortalUpload', { example: { file: '(the bytes of iso27001-certificate.pdf)', kind: 'iso27001_certificate' } });

export const PortalUploadResultSchema = z
  .object({ evidence: PortalEvidenceSchema, answer: PortalAnswerSchema, progress: PortalProgressSchema })
  .openapi('PortalUploadResult');

export const PortalDetachResultSchema = z.object({ answer: PortalAnswerSchema, progress: PortalProgressSchema }).openapi('PortalDetachResult');
