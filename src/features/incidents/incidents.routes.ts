import { z } from '@hono/zod-openapi';
import { defineRoute } from '../../lib/router';
import { CreateIncidentSchema, IncidentIdParams, IncidentPageSchema, IncidentSchema, ListIncidentsQuery, UpdateIncidentSchema } from './incidents.schemas';

const tags = ['Incidents'];
const incidentResponse = (description: string) => ({ description, content: { 'application/json': { schema: IncidentSchema } } });

export const listIncidentsRoute = defineRoute({
  method: 'get',
  path: '/v1/incidents',
  operationId: 'listIncidents',
  summary: 'List supplier incidents',
  description:
    'Keyset-paginated, most recent awareness first. Filter by supplier, status, severity, `significant`, and `overdue=true` (a NIS2 milestone past due and not completed): the reporting worklist.',
  tags,
  access: 'evidence:read',
  request: { query: ListIncidentsQuery },
  responses: { 200: { description: 'A page of incidents.', content: { 'application/json': { schema: IncidentPageSchema } } } },
});

export const createIncidentRoute = defineRoute({
  method: 'post',
  path: '/v1/incidents',
  operationId: 'createIncident',
  summary: 'Record a supplier incident',
  description: [
    'An incident at or caused by a supplier (NIS2 IR 2024/2690 5.1.7(b), NIS2 Art. 23). The milestones are computed from `awareAt`: early warning at 24 hours, notification at 72 hours, final report one calendar month later.',
    'The supplier must exist and not be archived, `serviceIds` must be its ICT services, and `awareAt` must not be in the future (422 naming the field otherwise).',
    'In the same transaction the supplier\'s review becomes due now (reason `incident`), a finding of the incident\'s severity is raised (source `incident`, `sourceRef` `incident:<incidentId>`), and the supplier is re-scored: the open incident adds a penalty until it is resolved. Audited as `incident.created`.',
  ].join('\n\n'),
  tags,
  access: 'evidence:write',
  request: { body: { required: true, content: { 'application/json': { schema: CreateIncidentSchema } } } },
  responses: {
    201: {
      description: 'The new incident; `Location` names it.',
      headers: z.object({ Location: z.string().openapi({ example: '/v1/incidents/inc_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }) }),
      content: { 'application/json': { schema: IncidentSchema } },
    },
  },
});

export const getIncidentRoute = defineRoute({
  method: 'get',
  path: '/v1/incidents/{incidentId}',
  operationId: 'getIncident',
  summary: 'Get a supplier incident',
  description: 'With its milestones and whether each is overdue. Carries an ETag for If-Match.',
  tags,
  access: 'evidence:read',
  request: { params: IncidentIdParams },
  responses: { 200: incidentResponse('The incident.') },
});

export const updateIncidentRoute = defineRoute({
  method: 'patch',
  path: '/v1/incidents/{incidentId}',
  operationId: 'updateIncident',
  summary: 'Update a supplier incident',
  description: [
    'Title, description, severity, significance, affected services, status, and the completion times of the milestones (`earlyWarningCompletedAt`, `notificationCompletedAt`, `finalReportCompletedAt`: not before `awareAt`, not in the future; null marks one outstanding again). Fields left out keep their value.',
    'Status moves: open ↔ contained; open or contained → resolved (sets `resolvedAt`); resolved → open. Any other move answers 409 `invalid_transition`. Resolving re-scores the supplier without the incident and resolves the incident\'s finding if it is still open or in remediation; reopening raises the finding again and re-scores.',
    'Audited as `incident.updated` with each field\'s old and new value.',
  ].join('\n\n'),
  tags,
  access: 'evidence:write',
  ifMatch: true,
  errors: [409],
  request: { params: IncidentIdParams, body: { required: true, content: { 'application/json': { schema: UpdateIncidentSchema } } } },
  responses: { 200: incidentResponse('The updated incident.') },
});
