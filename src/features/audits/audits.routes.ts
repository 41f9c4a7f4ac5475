import { z } from '@hono/zod-openapi';
import { defineRoute } from '../../lib/router';
import { FindingSchema } from '../findings/findings.schemas';
import { AuditIdParams, AuditPageSchema, AuditSchema, CreateAuditFindingSchema, CreateAuditSchema, ListAuditsQuery, UpdateAuditSchema } from './audits.schemas';

const tags = ['Audits'];
const auditResponse = (description: string) => ({ description, content: { 'application/json': { schema: AuditSchema } } });

export const listAuditsRoute = defineRoute({
  method: 'get',
  path: '/v1/audits',
  operationId: 'listAudits',
  summary: 'List audits',
  description: 'Keyset-paginated, newest first. Filter by supplier, status and type.',
  tags,
  access: 'evidence:read',
  request: { query: ListAuditsQuery },
  responses: { 200: { description: 'A page of audits.', content: { 'application/json': { schema: AuditPageSchema } } } },
});

export const createAuditRoute = defineRoute({
  method: 'post',
  path: '/v1/audits',
  operationId: 'createAudit',
  summary: 'Record an audit',
  description: [
    'An audit of a supplier, or of one of its ICT services (NIS2 IR 2024/2690 5.1.4(e)). The supplier must exist and not be archived, `serviceId` must be its service and `reportEvidenceId` live evidence of it (422 naming the field otherwise).',
    'Status defaults to `planned`; `completed` needs `performedDate`, which must not be in the future. Audited as `audit.created`.',
  ].join('\n\n'),
  tags,
  access: 'evidence:write',
  request: { body: { required: true, content: { 'application/json': { schema: CreateAuditSchema } } } },
  responses: {
    201: {
      description: 'The new audit; `Location` names it.',
      headers: z.object({ Location: z.string().openapi({ example: '/v1/audits/adt_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }) }),
      content: { 'application/json': { schema: AuditSchema } },
    },
  },
});

export const getAuditRoute = defineRoute({
  method: 'get',
  path: '/v1/audits/{auditId}',
  operationId: 'getAudit',
  summary: 'Get an audit',
  description: 'With the ids of the findings it raised. Carries an ETag for If-Match.',
  tags,
  access: 'evidence:read',
  request: { params: AuditIdParams },
  responses: { 200: auditResponse('The audit.') },
});

export const updateAuditRoute = defineRoute({
  method: 'patch',
  path: '/v1/audits/{auditId}',
  operationId: 'updateAudit',
  summary: 'Update an audit',
  description: [
    'Fields left out keep their value; null clears one. Status moves: planned ↔ in_progress, either → completed, completed → in_progress; any other move answers 409 `invalid_transition`.',
    'A completed audit needs `performedDate` (given now or already set; 422 naming it otherwise). Audited as `audit.updated` with each field\'s old and new value.',
  ].join('\n\n'),
  tags,
  access: 'evidence:write',
  ifMatch: true,
  errors: [409],
  request: { params: AuditIdParams, body: { required: true, content: { 'application/json': { schema: UpdateAuditSchema } } } },
  responses: { 200: auditResponse('The updated audit.') },
});

export const createAuditFindingRoute = defineRoute({
  method: 'post',
  path: '/v1/audits/{auditId}/findings',
  operationId: 'createAuditFinding',
  summary: 'Raise a finding from an audit',
  description:
    'A weakness the audit found: a finding at the audit\'s supplier with source `audit`, linked through `auditId`; `sourceRef` is `audit:<auditId>:<ref>` (a generated ref when none is given), so posting the same `ref` again answers the same finding (reopened if it was resolved). The audit must be in progress or completed (409 `invalid_transition` for a planned one). Re-scores the supplier.',
  tags,
  access: 'findings:write',
  request: { params: AuditIdParams, body: { required: true, content: { 'application/json': { schema: CreateAuditFindingSchema } } } },
  responses: {
    201: { description: 'The finding.', content: { 'application/json': { schema: FindingSchema } } },
  },
});
