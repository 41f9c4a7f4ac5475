import { defineRoute } from '../../lib/router';
import { SupplierIdParams } from '../suppliers/suppliers.schemas';
import { OnboardingCaseSchema, OnboardingDecisionSchema, OnboardingPolicyResponseSchema, OnboardingPolicySchema, StartOnboardingSchema } from './onboarding.schemas';

const tags = ['Onboarding'];
const json = <T>(schema: T) => ({ 'application/json': { schema } });

export const getOnboardingPolicyRoute = defineRoute({
  method: 'get',
  path: '/v1/onboarding-policy',
  operationId: 'getOnboardingPolicy',
  summary: 'Get the onboarding policy',
  description:
    'What a supplier needs before it may be approved, by tier, category and access level (questionnaires accepted, evidence valid, clauses present), and which roles decide per tier, with one or two approvers. Version 0 is the built-in policy, used until the tenant stores its own. Carries the version as ETag for If-Match on PUT.',
  tags,
  access: 'suppliers:read',
  responses: { 200: { description: 'The current onboarding policy.', content: json(OnboardingPolicyResponseSchema) } },
});

export const putOnboardingPolicyRoute = defineRoute({
  method: 'put',
  path: '/v1/onboarding-policy',
  operationId: 'putOnboardingPolicy',
  summary: 'Replace the onboarding policy',
  description: [
    'Stores the whole document as a new version (start from `GET`). Besides its shape, every template key must name a questionnaire template of the tenant, every clause key a clause of the library, rule ids must be unique, every rule must ask for something, and every approving role must hold the `suppliers:approve` scope; each problem is named by its path in a 422.',
    'Send `If-Match` with the ETag you read (`"0"` for the built-in policy). Open cases keep the version they started with. Audited as `onboarding_policy.updated` with the changed paths.',
  ].join('\n\n'),
  tags,
  access: 'settings:write',
  ifMatch: true,
  request: { body: { required: true, content: json(OnboardingPolicySchema) } },
  responses: { 200: { description: 'The stored policy, with its new version.', content: json(OnboardingPolicyResponseSchema) } },
});

export const startOnboardingRoute = defineRoute({
  method: 'post',
  path: '/v1/suppliers/{supplierId}/onboarding',
  operationId: 'startOnboarding',
  summary: 'Start onboarding a supplier',
  description:
    'Opens an onboarding case with the current policy and moves a prospect to `onboarding`. The checklist follows from the policy and the supplier\'s tier, category and access level, and is re-derived whenever the case is read, so a supplier whose tier rises gets the stricter list. Only from `prospect` or `onboarding` (409 `supplier_not_onboardable`), one open case at a time (409 `onboarding_in_progress`). Audited as `supplier.onboarding_started`; webhook `supplier.onboarding_started`.',
  tags,
  access: 'suppliers:write',
  errors: [409],
  request: { params: SupplierIdParams, body: { required: false, content: json(StartOnboardingSchema) } },
  responses: { 201: { description: 'The new case with its gates.', content: json(OnboardingCaseSchema) } },
});

export const getOnboardingRoute = defineRoute({
  method: 'get',
  path: '/v1/suppliers/{supplierId}/onboarding',
  operationId: 'getOnboarding',
  summary: 'Get a supplier\'s onboarding case',
  description:
    'The latest onboarding case with every gate, its state and what satisfies it or is missing: intake complete, tier set, each required assessment accepted, each required evidence valid, each required clause present, no open critical finding. Gates are evaluated from the records when read, so they follow them by themselves. Before any case, `status` is `not_started` and the gates are what onboarding would ask of the supplier today.',
  tags,
  access: 'suppliers:read',
  request: { params: SupplierIdParams },
  responses: { 200: { description: 'The case.', content: json(OnboardingCaseSchema) } },
});

export const decideOnboardingRoute = defineRoute({
  method: 'post',
  path: '/v1/suppliers/{supplierId}/onboarding/decision',
  operationId: 'decideOnboarding',
  summary: 'Approve or reject a supplier',
  description: [
    '`approved` or `approved_with_conditions` move the supplier to `active`; `rejected` moves it back to `prospect`. Only people (or keys) holding a role the policy allows for the supplier\'s tier may decide (403 otherwise). Where the policy asks for two approvers, the first approval is recorded and the case stays open until a different person approves; a rejection decides at once.',
    'With gates unmet an approval answers 409 `onboarding_gates_unmet`, listing each unmet gate in `unmetGates`, unless `override.justification` is given: the override is audited and shown on the supplier (`approval.override`). Each condition of `approved_with_conditions` becomes a finding (source `onboarding_condition`) with its due date and owner. Audited as `supplier.approved` or `supplier.rejected`; webhooks of the same names.',
  ].join('\n\n'),
  tags,
  access: 'suppliers:approve',
  errors: [409],
  request: { params: SupplierIdParams, body: { required: true, content: json(OnboardingDecisionSchema) } },
  responses: { 200: { description: 'The case after the decision (or the recorded first approval).', content: json(OnboardingCaseSchema) } },
});
