import { csvExportDescription, csvExportResponse, csvHeaders } from '../../lib/csv';
import { defineRoute } from '../../lib/router';
import { ASSESSMENT_EXPORT_COLUMNS } from './assessments.export';
import {
  AnswerListSchema,
  ASSESSMENT_EXPORT_EXAMPLE,
  AssessmentIdParams,
  AssessmentPageSchema,
  AssessmentSchema,
  CreateAssessmentSchema,
  ExportAssessmentsQuery,
  ExtendAssessmentSchema,
  InvitationListSchema,
  InvitationParams,
  InvitationSchema,
  ListAssessmentsQuery,
  ReturnAssessmentSchema,
  ReviewAnswersSchema,
  SaveAnswersResultSchema,
  SaveAnswersSchema,
} from './assessments.schemas';

const tags = ['Assessments'];
const assessmentResponse = (description: string) => ({ description, content: { 'application/json': { schema: AssessmentSchema } } });
const jsonBody = <T>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const TRANSITION_NOTE = 'An action the current status does not allow answers 409 `invalid_transition`. Audited.';

export const listAssessmentsRoute = defineRoute({
  method: 'get',
  path: '/v1/assessments',
  operationId: 'listAssessments',
  summary: 'List assessments',
  description:
    'Keyset-paginated. Filter by status, supplier, template, due date and `overdue` (due date passed while the supplier still has to act: sent, in_progress or returned). Each item carries its progress counts.',
  tags,
  access: 'assessments:read',
  request: { query: ListAssessmentsQuery },
  responses: { 200: { description: 'A page of assessments.', content: { 'application/json': { schema: AssessmentPageSchema } } } },
});

export const exportAssessmentsRoute = defineRoute({
  method: 'get',
  path: '/v1/assessments/export',
  operationId: 'exportAssessments',
  summary: 'Export assessments (CSV)',
  description: csvExportDescription(
    'Every assessment the filters and sort of `GET /v1/assessments` match, as CSV: one row per assessment with its supplier (id and name), recipient contact, template (key, name, version), status, `overdue`, due date, progress (`answered` of `questions` — every question of the template version, including those that earlier answers hide —, required answers and evidence missing, open clarifications), lifecycle dates and reminders.',
  ),
  tags,
  access: 'assessments:read',
  request: { query: ExportAssessmentsQuery },
  responses: {
    200: csvExportResponse({ name: 'assessments', description: 'The assessments.', headers: csvHeaders(ASSESSMENT_EXPORT_COLUMNS), example: ASSESSMENT_EXPORT_EXAMPLE }),
  },
});

export const createAssessmentRoute = defineRoute({
  method: 'post',
  path: '/v1/assessments',
  operationId: 'createAssessment',
  summary: 'Create an assessment',
  description:
    'Creates a draft for one supplier contact, pinned to a published template version (the latest unless `templateVersion` is given). The template must be for the `supplier` audience and not archived. The ids come in the body, so an unknown id, another tenant\'s id, a contact of another supplier or an archived supplier all answer 422 naming the field (not 404). `dueAt` must be in the future. Send it with `POST /v1/assessments/{assessmentId}/send`.',
  tags,
  access: 'assessments:write',
  request: { body: jsonBody(CreateAssessmentSchema) },
  responses: { 201: assessmentResponse('The new draft assessment.') },
});

export const getAssessmentRoute = defineRoute({
  method: 'get',
  path: '/v1/assessments/{assessmentId}',
  operationId: 'getAssessment',
  summary: 'Get an assessment',
  description: 'With its template version, status, dates and progress. Carries an ETag for If-Match on the actions.',
  tags,
  access: 'assessments:read',
  request: { params: AssessmentIdParams },
  responses: { 200: assessmentResponse('The assessment.') },
});

export const listAnswersRoute = defineRoute({
  method: 'get',
  path: '/v1/assessments/{assessmentId}/answers',
  operationId: 'listAssessmentAnswers',
  summary: 'List the answers',
  description: 'One entry per question of the template version, in order: the question, the answer (if any) and its review status and comment.',
  tags,
  access: 'assessments:read',
  request: { params: AssessmentIdParams },
  responses: { 200: { description: 'The answers.', content: { 'application/json': { schema: AnswerListSchema } } } },
});

export const saveAnswersRoute = defineRoute({
  method: 'put',
  path: '/v1/assessments/{assessmentId}/answers',
  operationId: 'saveAssessmentAnswers',
  summary: 'Save answers on the supplier\'s behalf',
  description:
    'For staff answering for the supplier (for example from a call). Only while sent, in_progress or returned; a save moves a sent or returned assessment to in_progress. Each value is checked against its question (422 naming `answers.<i>.value` and the question key). With `expectedVersion`, a save based on an outdated answer answers 409 `stale_answer` with the answer as it is now in `current`. A changed answer goes back to review status `pending`.',
  tags,
  access: 'assessments:write',
  ifMatch: true,
  errors: [409],
  request: { params: AssessmentIdParams, body: jsonBody(SaveAnswersSchema) },
  responses: { 200: { description: 'The saved answers and the assessment.', content: { 'application/json': { schema: SaveAnswersResultSchema } } } },
});

export const submitAssessmentRoute = defineRoute({
  method: 'post',
  path: '/v1/assessments/{assessmentId}/submit',
  operationId: 'submitAssessment',
  summary: 'Submit on the supplier\'s behalf',
  description: `sent, in_progress or returned → submitted. Required questions still unanswered answer 422 \`required_answers_missing\`, listing them. ${TRANSITION_NOTE}`,
  tags,
  access: 'assessments:write',
  ifMatch: true,
  request: { params: AssessmentIdParams },
  responses: { 200: assessmentResponse('The submitted assessment.') },
});

export const sendAssessmentRoute = defineRoute({
  method: 'post',
  path: '/v1/assessments/{assessmentId}/send',
  operationId: 'sendAssessment',
  summary: 'Send the invitation',
  description: `draft → sent. Creates a portal invitation for the contact (the token is only in the e-mail; only its hash is stored; it expires \`ASSESSMENT_EXPIRY_GRACE_DAYS\`, by default 30, after the due date) and queues the invitation e-mail with the link \`{PUBLIC_BASE_URL}/portal/a/{token}\`. ${TRANSITION_NOTE}`,
  tags,
  access: 'assessments:write',
  ifMatch: true,
  request: { params: AssessmentIdParams },
  responses: { 200: assessmentResponse('The sent assessment.') },
});

export const remindAssessmentRoute = defineRoute({
  method: 'post',
  path: '/v1/assessments/{assessmentId}/remind',
  operationId: 'remindAssessment',
  summary: 'Send a reminder now',
  description: `While sent, in_progress or returned. Only token hashes are stored, so a reminder carries a fresh portal link: a new invitation for the same contact. Earlier links keep working until they expire. ${TRANSITION_NOTE}`,
  tags,
  access: 'assessments:write',
  ifMatch: true,
  request: { params: AssessmentIdParams },
  responses: { 200: assessmentResponse('The assessment, with its reminder count.') },
});

export const cancelAssessmentRoute = defineRoute({
  method: 'post',
  path: '/v1/assessments/{assessmentId}/cancel',
  operationId: 'cancelAssessment',
  summary: 'Cancel',
  description: `Any open status → cancelled. Its portal links are revoked. ${TRANSITION_NOTE}`,
  tags,
  access: 'assessments:write',
  ifMatch: true,
  request: { params: AssessmentIdParams },
  responses: { 200: assessmentResponse('The cancelled assessment.') },
});

export const extendAssessmentRoute = defineRoute({
  method: 'post',
  path: '/v1/assessments/{assessmentId}/extend',
  operationId: 'extendAssessment',
  summary: 'Move the due date',
  description: `While draft, sent, in_progress or returned. The new due date must be later than the current one and in the future (422). Live portal links then expire \`ASSESSMENT_EXPIRY_GRACE_DAYS\` (default 30) after the new date, and a new overdue notice can follow it. ${TRANSITION_NOTE}`,
  tags,
  access: 'assessments:write',
  ifMatch: true,
  request: { params: AssessmentIdParams, body: jsonBody(ExtendAssessmentSchema) },
  responses: { 200: assessmentResponse('The assessment with its new due date.') },
});

export const reviewAnswersRoute = defineRoute({
  method: 'post',
  path: '/v1/assessments/{assessmentId}/review',
  operationId: 'reviewAssessmentAnswers',
  summary: 'Review answers',
  description: `Marks answers accepted or needing clarification (a comment is then required). submitted → under_review. Unknown question keys: 422. ${TRANSITION_NOTE}`,
  tags,
  access: 'assessments:review',
  ifMatch: true,
  request: { params: AssessmentIdParams, body: jsonBody(ReviewAnswersSchema) },
  responses: { 200: assessmentResponse('The assessment under review.') },
});

export const returnAssessmentRoute = defineRoute({
  method: 'post',
  path: '/v1/assessments/{assessmentId}/return',
  operationId: 'returnAssessment',
  summary: 'Return to the supplier for clarification',
  description: `submitted or under_review → returned. Marks the named answers as needing clarification with the comment (unknown question keys: 422). The supplier sees the requests beside the answers. ${TRANSITION_NOTE}`,
  tags,
  access: 'assessments:review',
  ifMatch: true,
  request: { params: AssessmentIdParams, body: jsonBody(ReturnAssessmentSchema) },
  responses: { 200: assessmentResponse('The returned assessment.') },
});

export const acceptAssessmentRoute = defineRoute({
  method: 'post',
  path: '/v1/assessments/{assessmentId}/accept',
  operationId: 'acceptAssessment',
  summary: 'Accept',
  description: `submitted or under_review → accepted. Refused with 409 \`clarifications_open\` while any answer still needs clarification. ${TRANSITION_NOTE}`,
  tags,
  access: 'assessments:review',
  ifMatch: true,
  request: { params: AssessmentIdParams },
  responses: { 200: assessmentResponse('The accepted assessment.') },
});

export const listInvitationsRoute = defineRoute({
  method: 'get',
  path: '/v1/assessments/{assessmentId}/invitations',
  operationId: 'listAssessmentInvitations',
  summary: 'List portal links',
  description:
    'Every portal link sent for the assessment: the invitation, reminders (each mail carries a new link) and links the supplier forwarded to colleagues, with whether each still works and when it was last used. Tokens themselves are never stored or shown.',
  tags,
  access: 'assessments:read',
  request: { params: AssessmentIdParams },
  responses: { 200: { description: 'The links, oldest first.', content: { 'application/json': { schema: InvitationListSchema } } } },
});

export const revokeInvitationRoute = defineRoute({
  method: 'post',
  path: '/v1/assessments/{assessmentId}/invitations/{invitationId}/revoke',
  operationId: 'revokeAssessmentInvitation',
  summary: 'Revoke a portal link',
  description:
    'The link stops working at once (the portal answers it like an unknown link); the others stay. For a questionnaire forwarded to the wrong person, or a mail sent to an old address. Revoking a revoked link changes nothing. Audited.',
  tags,
  access: 'assessments:write',
  request: { params: InvitationParams },
  responses: { 200: { description: 'The revoked link.', content: { 'application/json': { schema: InvitationSchema } } } },
});
