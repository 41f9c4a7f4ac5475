import { defineRoute } from '../lib/router';
import {
  EvidenceOfQuestionParams,
  PortalAssessmentSchema,
  PortalDetachResultSchema,
  PortalForwardResultSchema,
  PortalForwardSchema,
  PortalSaveAnswersSchema,
  PortalUploadResultSchema,
  PortalUploadSchema,
  PortalWriteResultSchema,
  QuestionKeyParams,
} from './portal.schemas';

const tags = ['Portal'];
const json = <T>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const READ_ONLY_NOTE = 'Once the questionnaire is submitted (or under review, or accepted) it answers 409 `read_only`.';

export const getPortalAssessmentRoute = defineRoute({
  method: 'get',
  path: '/portal/api/assessment',
  operationId: 'getPortalAssessment',
  summary: 'Get the questionnaire and its answers',
  description:
    'What the portal page shows: who asks, for which supplier, the due date and status, the questions (without scores) and every answer with its version, review status and the reviewer\'s comment, and progress.',
  tags,
  access: 'portal',
  responses: { 200: json(PortalAssessmentSchema, 'The assessment as the supplier sees it.') },
});

export const savePortalAnswersRoute = defineRoute({
  method: 'put',
  path: '/portal/api/answers',
  operationId: 'savePortalAnswers',
  summary: 'Save answers',
  description: `Saves the answers given (others are untouched). Each value is checked against its question: 422 naming \`answers.<i>.value\` and the question. With \`version\`, a change based on an answer someone else has saved since answers 409 \`stale_answer\` with the answer as it is now in \`current\`; nothing is saved then. ${READ_ONLY_NOTE}`,
  tags,
  access: 'portal',
  errors: [409],
  request: { body: { required: true, content: { 'application/json': { schema: PortalSaveAnswersSchema } } } },
  responses: { 200: json(PortalWriteResultSchema, 'The saved answers with their new versions, and progress.') },
});

export const submitPortalAssessmentRoute = defineRoute({
  method: 'post',
  path: '/portal/api/submit',
  operationId: 'submitPortalAssessment',
  summary: 'Submit the questionnaire',
  description: `Hands the answers to the organisation; the questionnaire is then read-only. Required questions still unanswered answer 422 \`required_answers_missing\` with one error per question key, in order. ${READ_ONLY_NOTE}`,
  tags,
  access: 'portal',
  errors: [422],
  responses: { 200: json(PortalWriteResultSchema, 'Submitted.') },
});

export const forwardPortalAssessmentRoute = defineRoute({
  method: 'post',
  path: '/portal/api/forward',
  operationId: 'forwardPortalAssessment',
  summary: 'Forward the questionnaire to a colleague',
  description: `Sends a colleague their own link to the same questionnaire (valid as long as this one). At most \`PORTAL_FORWARD_LIMIT_PER_HOUR\` (default 10) an hour per link, then 429 with Retry-After. ${READ_ONLY_NOTE}`,
  tags,
  access: 'portal',
  request: { body: { required: true, content: { 'application/json': { schema: PortalForwardSchema } } } },
  responses: { 201: json(PortalForwardResultSchema, 'The new invitation; its link is only in the e-mail.') },
});

export const uploadPortalEvidenceRoute = defineRoute({
  method: 'post',
  path: '/portal/api/questions/{questionKey}/evidence',
  operationId: 'uploadPortalEvidence',
  summary: 'Attach a file to an answer',
  description: `\`multipart/form-data\` with the document in \`file\` and optionally its \`kind\`. The type is checked from the content (422 naming \`file\`), the size against EVIDENCE_MAX_BYTES (413). At most \`PORTAL_UPLOAD_LIMIT_PER_MINUTE\` (default 30) uploads a minute per link, then 429 with Retry-After. ${READ_ONLY_NOTE}`,
  tags,
  access: 'portal',
  request: { params: QuestionKeyParams, body: { required: true, content: { 'multipart/form-data': { schema: PortalUploadSchema } } } },
  errors: [502, 503],
  responses: { 201: json(PortalUploadResultSchema, 'The stored file and the answer it is attached to.') },
});

export const detachPortalEvidenceRoute = defineRoute({
  method: 'delete',
  path: '/portal/api/questions/{questionKey}/evidence/{evidenceId}',
  operationId: 'detachPortalEvidence',
  summary: 'Remove a file from an answer',
  description: `Detaches the file from the answer; a file not attached to this answer answers 404. ${READ_ONLY_NOTE}`,
  tags,
  access: 'portal',
  errors: [409],
  request: { params: EvidenceOfQuestionParams },
  responses: { 200: json(PortalDetachResultSchema, 'The answer without the file.') },
});
