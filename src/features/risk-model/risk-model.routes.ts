import { RiskModelSchema } from '../../scoring/risk-model';
import { defineRoute } from '../../lib/router';
import { RiskModelResponseSchema } from './risk-model.schemas';

const tags = ['Risk'];
const modelResponse = (description: string) => ({ description, content: { 'application/json': { schema: RiskModelResponseSchema } } });

export const getRiskModelRoute = defineRoute({
  method: 'get',
  path: '/v1/risk-model',
  operationId: 'getRiskModel',
  summary: 'Get the risk model',
  description:
    'The model scores are computed with: inherent factor points, tier and rating thresholds, control-strength weights (answers per domain, certifications, contract clauses), penalties and review cadence per tier. Version 0 is the built-in model, used until the tenant stores its own. Carries the version as ETag for If-Match on PUT.',
  tags,
  access: 'findings:read',
  responses: { 200: modelResponse('The current risk model.') },
});

export const putRiskModelRoute = defineRoute({
  method: 'put',
  path: '/v1/risk-model',
  operationId: 'putRiskModel',
  summary: 'Replace the risk model',
  description: [
    'Stores the whole document as a new version (start from `GET` and change what you need). Besides its shape, the model must be coherent: `tiers.critical` above `tiers.strategic`, rating thresholds strictly descending, every profile value priced, at least one control source weighted, review cadence shortest for critical suppliers; each problem is named by its path in a 422.',
    'Send `If-Match` with the ETag you read (`"0"` for the built-in model) so two edits do not overwrite each other. Storing a version queues a re-score of every supplier (`POST /v1/risk/recalculate`), audited as `risk_model.updated` with the changed paths.',
  ].join('\n\n'),
  tags,
  access: 'settings:write',
  ifMatch: true,
  request: { body: { required: true, content: { 'application/json': { schema: RiskModelSchema } } } },
  responses: { 200: modelResponse('The stored risk model, with its new version.') },
});
