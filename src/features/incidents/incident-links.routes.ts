import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../lib/context';
import { defineRoute } from '../../lib/router';
import { PORTAL_TOKEN_HEADER } from '../../portal/portal.session';
import {
  CreatedIncidentLinkSchema,
  CreateIncidentLinkSchema,
  IncidentLinkListSchema,
  IncidentLinkParams,
  IncidentReportReceiptSchema,
  ReportIncidentSchema,
  SupplierIncidentLinksParams,
} from './incident-links.schemas';
import { incidentLinkOf, invalidIncidentLink, type IncidentLinkRow } from './incident-links.service';

const tags = ['Incidents'];

export const createIncidentLinkRoute = defineRoute({
  method: 'post',
  path: '/v1/suppliers/{supplierId}/incident-links',
  operationId: 'createIncidentLink',
  summary: 'Create a supplier\'s incident report link',
  description: [
    'A link with which the supplier reports incidents itself, without an account (`/portal/incidents/{token}`, a form that works without JavaScript, and `POST /portal/api/incident-reports` with the token in `X-Portal-Token`). The URL is returned this once; only a hash of its token is stored.',
    'With `email`, the link is mailed there through the outbox. The supplier must not be archived (409 `supplier_archived`). Audited as `incident_link.created` (never with the token).',
  ].join('\n\n'),
  tags,
  access: 'evidence:write',
  request: { params: SupplierIncidentLinksParams, body: { required: true, content: { 'application/json': { schema: CreateIncidentLinkSchema } } } },
  responses: { 201: { description: 'The link, with its URL.', content: { 'application/json': { schema: CreatedIncidentLinkSchema } } } },
});

export const listIncidentLinksRoute = defineRoute({
  method: 'get',
  path: '/v1/suppliers/{supplierId}/incident-links',
  operationId: 'listIncidentLinks',
  summary: 'List a supplier\'s incident report links',
  description:
    'Every link made for the supplier, newest first, with when it expires, whether it was revoked and when it was last used. Tokens are never stored, so never shown; a lost link is revoked and replaced.',
  tags,
  access: 'evidence:read',
  request: { params: SupplierIncidentLinksParams },
  responses: { 200: { description: 'The links.', content: { 'application/json': { schema: IncidentLinkListSchema } } } },
});

export const revokeIncidentLinkRoute = defineRoute({
  method: 'delete',
  path: '/v1/suppliers/{supplierId}/incident-links/{incidentLinkId}',
  operationId: 'revokeIncidentLink',
  summary: 'Revoke a supplier\'s incident report link',
  description: 'The link stops working at once; revoking it again changes nothing. Audited as `incident_link.revoked`.',
  tags,
  access: 'evidence:write',
  request: { params: IncidentLinkParams },
  responses: { 204: { description: 'Revoked.' } },
});

// The link a request's token resolved to; set by the middleware below, never from input.
const linksOfRequests = new WeakMap<Request, IncidentLinkRow>();

export const linkOfRequest = (request: Request): IncidentLinkRow => {
  const link = linksOfRequests.get(request);
  if (!link) throw new Error('incident report route without its link middleware');
  return link;
};

/** Before body validation, so a caller without a valid link learns nothing about the body. */
const requireIncidentLink: MiddlewareHandler<AppEnv> = async (c, next) => {
  const link = await incidentLinkOf(c, c.req.header(PORTAL_TOKEN_HEADER));
  if (!link) throw invalidIncidentLink();
  linksOfRequests.set(c.req.raw, link);
  return next();
};

const reportRoute = defineRoute({
  method: 'post',
  path: '/portal/api/incident-reports',
  operationId: 'reportIncident',
  summary: 'Report an incident (supplier)',
  description: [
    'For suppliers, with the token of their incident report link in `X-Portal-Token` (the same header as the assessment portal; the two kinds of token open different things). Records an incident at that supplier, reported by `supplier_contact` (the link), with the same effects as one recorded by staff: the review becomes due, a finding is raised and the score drops until it is resolved.',
    'Failed tokens count against the client address like the portal\'s (429 when over); each link may report `INCIDENT_REPORT_LIMIT_PER_HOUR` (default 10) incidents an hour. `awareAt` must not be in the future.',
  ].join('\n\n'),
  tags: ['Portal'],
  access: 'public',
  errors: [401, 429],
  middleware: [requireIncidentLink],
  request: { body: { required: true, content: { 'application/json': { schema: ReportIncidentSchema } } } },
  responses: { 201: { description: 'Received.', content: { 'application/json': { schema: IncidentReportReceiptSchema } } } },
});

/** `public` above skips the assessment-portal check; the link middleware authenticates, so document the token. */
export const reportIncidentRoute = { ...reportRoute, security: [{ portalToken: [] }] } as typeof reportRoute;
