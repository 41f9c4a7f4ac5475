import { defineRoute } from '../../lib/router';
import { CreatedTenantSchema, CreateTenantSchema, TenantSchema, UpdateTenantSchema } from './tenants.schemas';

const tags = ['Tenants'];

export const createTenantRoute = defineRoute({
  method: 'post',
  path: '/v1/tenants',
  operationId: 'createTenant',
  summary: 'Create a tenant',
  description: 'For the platform operator. Creates the tenant and returns its first admin API key, shown once.',
  tags,
  access: 'platform',
  request: { body: { required: true, content: { 'application/json': { schema: CreateTenantSchema } } } },
  responses: {
    201: { description: 'The tenant and its first admin key.', content: { 'application/json': { schema: CreatedTenantSchema } } },
  },
});

export const getCurrentTenantRoute = defineRoute({
  method: 'get',
  path: '/v1/tenant',
  operationId: 'getCurrentTenant',
  summary: 'Get the caller\'s tenant',
  description: 'The tenant is the one the credential belongs to.',
  tags,
  access: 'tenant:read',
  responses: {
    200: { description: 'The tenant.', content: { 'application/json': { schema: TenantSchema } } },
  },
});

export const updateCurrentTenantRoute = defineRoute({
  method: 'patch',
  path: '/v1/tenant',
  operationId: 'updateCurrentTenant',
  summary: 'Change the caller\'s tenant settings',
  description: [
    '`regime` decides which contract clauses apply (NIS2, DORA or both): clause lists, gaps and clause coverage follow it at once, a background recalculation of every supplier\'s score is queued (`GET /v1/risk/recalculations/{recalculationId}`), and the clause-gap findings of critical suppliers follow at the next job run.',
    '`notificationEmail`, `contractAlertDays` and `evidenceAlertDays` decide where and when deadline alerts go (GET /v1/deadline-alerts). Changed lead times apply from the next job run to deadlines not yet alerted at them.',
    '`lei`, `country`, `entityType` and `competentAuthority` identify the entity in the DORA Register of Information (B_01.01; GET /v1/exports/dora-register-of-information). The LEI\'s check digits are verified; null clears a field.',
    'Audited as `tenant.updated` with each changed field.',
  ].join('\n\n'),
  tags,
  access: 'settings:write',
  ifMatch: true,
  request: { body: { required: true, content: { 'application/json': { schema: UpdateTenantSchema } } } },
  responses: {
    200: { description: 'The tenant.', content: { 'application/json': { schema: TenantSchema } } },
  },
});
