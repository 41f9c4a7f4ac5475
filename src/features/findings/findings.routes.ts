import { z } from '@hono/zod-openapi';
import { MAX_RISK_ACCEPTANCE_DAYS, MIN_JUSTIFICATION_CHARS } from '../../catalog/findings';
import { csvExportDescription, csvExportResponse, csvHeaders } from '../../lib/csv';
import { defineRoute } from '../../lib/router';
import { FINDING_EXPORT_COLUMNS } from './findings.export';
import {
  AcceptFindingRiskSchema,
  CreateFindingCommentSchema,
  CreateFindingSchema,
  ExportFindingsQuery,
  FINDING_EXPORT_EXAMPLE,
  FindingCommentPageSchema,
  FindingCommentSchema,
  FindingIdParams,
  FindingPageSchema,
  FindingSchema,
  ListFindingCommentsQuery,
  ListFindingsQuery,
  UpdateFindingSchema,
} from './findings.schemas';

const tags = ['Findings'];
const findingResponse = (description: string) => ({ description, content: { 'application/json': { schema: FindingSchema } } });

export const listFindingsRoute = defineRoute({
  method: 'get',
  path: '/v1/findings',
  operationId: 'listFindings',
  summary: 'List findings',
  description:
    'Keyset-paginated, newest first. Filter by supplier, severity, status, source, and `overdue=true` (open or in remediation with the due date passed): the remediation worklist.',
  tags,
  access: 'findings:read',
  request: { query: ListFindingsQuery },
  responses: { 200: { description: 'A page of findings.', content: { 'application/json': { schema: FindingPageSchema } } } },
});

export const exportFindingsRoute = defineRoute({
  method: 'get',
  path: '/v1/findings/export',
  operationId: 'exportFindings',
  summary: 'Export findings (CSV)',
  description: csvExportDescription(
    'Every finding the filters of `GET /v1/findings` match, newest first, as CSV: one row per finding with its supplier (id and name), severity, status, `overdue`, due date, owner, source, remediation plan, the risk acceptance in force (approver as `type:id`, dates, justification) and the ids of what raised it.',
  ),
  tags,
  access: 'findings:read',
  request: { query: ExportFindingsQuery },
  responses: {
    200: csvExportResponse({ name: 'findings', description: 'The findings.', headers: csvHeaders(FINDING_EXPORT_COLUMNS), example: FINDING_EXPORT_EXAMPLE }),
  },
});

export const createFindingRoute = defineRoute({
  method: 'post',
  path: '/v1/findings',
  operationId: 'createFinding',
  summary: 'Record a finding by hand',
  description:
    'A weakness found outside the automatic sources (source `manual`), status `open`. The supplier must exist and not be archived, and a `serviceId` must be one of its ICT services (422 naming the field otherwise). Re-scores the supplier. Audited as `finding.created`.',
  tags,
  access: 'findings:write',
  request: { body: { required: true, content: { 'application/json': { schema: CreateFindingSchema } } } },
  responses: {
    201: {
      description: 'The new finding; `Location` names it.',
      headers: z.object({ Location: z.string().openapi({ example: '/v1/findings/fnd_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }) }),
      content: { 'application/json': { schema: FindingSchema } },
    },
  },
});

export const getFindingRoute = defineRoute({
  method: 'get',
  path: '/v1/findings/{findingId}',
  operationId: 'getFinding',
  summary: 'Get a finding',
  description: 'With its current risk acceptance, if any. Carries an ETag for If-Match.',
  tags,
  access: 'findings:read',
  request: { params: FindingIdParams },
  responses: { 200: findingResponse('The finding.') },
});

export const updateFindingRoute = defineRoute({
  method: 'patch',
  path: '/v1/findings/{findingId}',
  operationId: 'updateFinding',
  summary: 'Work on a finding',
  description: [
    'Title, description, severity, owner, due date, remediation plan and status. Fields left out keep their value; null clears one.',
    'Status moves: open ↔ in_remediation; open or in_remediation → resolved (sets `resolvedAt`); resolved → open (reopen). Any other move answers 409 `invalid_transition`; `risk_accepted` is reached only through accept-risk (422 `use_accept_risk`). Moving a risk-accepted finding to open or resolved withdraws the acceptance.',
    'A change of status or severity re-scores the supplier. Audited as `finding.updated` with each field\'s old and new value.',
  ].join('\n\n'),
  tags,
  access: 'findings:write',
  ifMatch: true,
  errors: [409],
  request: { params: FindingIdParams, body: { required: true, content: { 'application/json': { schema: UpdateFindingSchema } } } },
  responses: { 200: findingResponse('The updated finding.') },
});

export const acceptFindingRiskRoute = defineRoute({
  method: 'post',
  path: '/v1/findings/{findingId}/accept-risk',
  operationId: 'acceptFindingRisk',
  summary: 'Accept the risk of a finding',
  description: [
    'Needs `findings:accept_risk` (the admin and risk manager roles). Records the caller as approver, the justification (at least ' +
      `${MIN_JUSTIFICATION_CHARS} characters) and the expiry date (after today, at most ${MAX_RISK_ACCEPTANCE_DAYS} days ahead). The status becomes \`risk_accepted\` and the finding stops counting against the supplier's score until the acceptance expires; then the jobs reopen it and the score drops back.`,
    'Open and in-remediation findings can be accepted; accepting an accepted finding again renews the acceptance. A resolved finding answers 409 `invalid_transition`. Audited as `finding.risk_accepted`.',
  ].join('\n\n'),
  tags,
  access: 'findings:accept_risk',
  ifMatch: true,
  request: { params: FindingIdParams, body: { required: true, content: { 'application/json': { schema: AcceptFindingRiskSchema } } } },
  responses: { 200: findingResponse('The finding, now risk-accepted.') },
});

export const listFindingCommentsRoute = defineRoute({
  method: 'get',
  path: '/v1/findings/{findingId}/comments',
  operationId: 'listFindingComments',
  summary: 'List comments on a finding',
  description: 'Oldest first, keyset-paginated.',
  tags,
  access: 'findings:read',
  request: { params: FindingIdParams, query: ListFindingCommentsQuery },
  responses: { 200: { description: 'A page of comments.', content: { 'application/json': { schema: FindingCommentPageSchema } } } },
});

export const createFindingCommentRoute = defineRoute({
  method: 'post',
  path: '/v1/findings/{findingId}/comments',
  operationId: 'createFindingComment',
  summary: 'Comment on a finding',
  description: 'Comments are kept as written: no edit, no delete. Audited as `finding.commented`.',
  tags,
  access: 'findings:write',
  request: { params: FindingIdParams, body: { required: true, content: { 'application/json': { schema: CreateFindingCommentSchema } } } },
  responses: {
    201: {
      description: 'The new comment.',
      content: { 'application/json': { schema: FindingCommentSchema } },
    },
  },
});
