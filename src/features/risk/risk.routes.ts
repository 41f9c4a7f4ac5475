import { z } from '@hono/zod-openapi';
import { defineRoute } from '../../lib/router';
import { RecalculationIdParams, RecalculationSchema, RiskHistoryQuery, RiskScorePageSchema, RiskScoreSchema, SupplierRiskParams } from './risk.schemas';

const tags = ['Risk'];
const recalculationContent = { 'application/json': { schema: RecalculationSchema } };
const location = z.object({ Location: z.string().openapi({ example: '/v1/risk/recalculations/rcl_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }) });

export const getSupplierRiskRoute = defineRoute({
  method: 'get',
  path: '/v1/suppliers/{supplierId}/risk',
  operationId: 'getSupplierRisk',
  summary: 'Get a supplier\'s risk score',
  description: [
    'The current score with its explanation: inherent risk, tier, control strength, residual risk, rating, every factor with its input and contribution, the factor to act on first and a summary.',
    'Scores are kept current: a change to the supplier\'s profile, services, subcontractors, accepted answers, findings or evidence re-scores it in the same transaction, a daily job catches evidence that expired and assessments that fell overdue, and `POST /v1/risk/recalculate` re-scores everyone after a model change. A supplier never scored yet is scored on this read.',
  ].join('\n\n'),
  tags,
  access: 'findings:read',
  request: { params: SupplierRiskParams },
  responses: { 200: { description: 'The current score.', content: { 'application/json': { schema: RiskScoreSchema } } } },
});

export const listSupplierRiskHistoryRoute = defineRoute({
  method: 'get',
  path: '/v1/suppliers/{supplierId}/risk/history',
  operationId: 'listSupplierRiskHistory',
  summary: 'List a supplier\'s past scores',
  description:
    'Keyset-paginated, newest first. A score is added only when the result changes (inputs or model version), so each entry is a change, with the `trigger` that caused it.',
  tags,
  access: 'findings:read',
  request: { params: SupplierRiskParams, query: RiskHistoryQuery },
  responses: { 200: { description: 'A page of scores.', content: { 'application/json': { schema: RiskScorePageSchema } } } },
});

export const recalculateRiskRoute = defineRoute({
  method: 'post',
  path: '/v1/risk/recalculate',
  operationId: 'recalculateRisk',
  summary: 'Re-score every supplier',
  description: [
    'Queues a re-score of the tenant\'s suppliers (archived ones are left out) with the current risk model and answers 202 with the recalculation; `Location` names it, and its progress (`processed` of `total`, `changed`) is readable there. A background job does the work in batches.',
    'One recalculation runs per tenant at a time: while one is queued or running, another request answers 200 with that one instead of queuing a second. Saving the risk model queues one by itself.',
  ].join('\n\n'),
  tags,
  access: 'findings:write',
  responses: {
    200: { description: 'A recalculation was already queued or running; this is it.', headers: location, content: recalculationContent },
    202: { description: 'Queued.', headers: location, content: recalculationContent },
  },
});

export const getRecalculationRoute = defineRoute({
  method: 'get',
  path: '/v1/risk/recalculations/{recalculationId}',
  operationId: 'getRiskRecalculation',
  summary: 'Get a recalculation\'s progress',
  description: 'Status (`queued`, `running`, `completed`, `failed`), progress and timing.',
  tags,
  access: 'findings:read',
  request: { params: RecalculationIdParams },
  responses: { 200: { description: 'The recalculation.', content: recalculationContent } },
});
