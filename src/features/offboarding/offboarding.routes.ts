import { defineRoute } from '../../lib/router';
import { SupplierIdParams } from '../suppliers/suppliers.schemas';
import { CompleteOffboardingSchema, OffboardingCaseSchema, OffboardingItemParams, RecordOffboardingItemSchema, StartOffboardingSchema } from './offboarding.schemas';

const tags = ['Offboarding'];
const json = <T>(schema: T) => ({ 'application/json': { schema } });
const caseResponse = (description: string) => ({ description, content: json(OffboardingCaseSchema) });

export const startOffboardingRoute = defineRoute({
  method: 'post',
  path: '/v1/suppliers/{supplierId}/offboarding',
  operationId: 'startOffboarding',
  summary: 'Start offboarding a supplier',
  description:
    'Opens the exit checklist (NIS2 2024/2690 point 5.1.4(h), DORA Art. 28(8)) and moves the supplier to `offboarding`: data returned and/or destroyed with confirmation evidence; access and accounts revoked, including remote access into OT; contracts ended or notice given; subcontractors informed (only when it has subcontractors); the exit plan executed (only for critical or important functions). Only from `active` or `onboarding` (409 `supplier_not_offboardable`), one open case at a time (409 `offboarding_in_progress`). Audited as `supplier.offboarding_started`.',
  tags,
  access: 'suppliers:write',
  errors: [409],
  request: { params: SupplierIdParams, body: { required: false, content: json(StartOffboardingSchema) } },
  responses: { 201: caseResponse('The new case with its checklist.') },
});

export const getOffboardingRoute = defineRoute({
  method: 'get',
  path: '/v1/suppliers/{supplierId}/offboarding',
  operationId: 'getOffboarding',
  summary: 'Get a supplier\'s offboarding case',
  description: 'The latest offboarding case with every item: whether it applies, what was recorded and whether it is met. Items follow the records (a contract that ends meets `contracts_ended`). Before any case, `status` is `not_started` and the items are what an exit would ask today.',
  tags,
  access: 'suppliers:read',
  request: { params: SupplierIdParams },
  responses: { 200: caseResponse('The case.') },
});

export const recordOffboardingItemRoute = defineRoute({
  method: 'put',
  path: '/v1/suppliers/{supplierId}/offboarding/items/{itemKey}',
  operationId: 'recordOffboardingItem',
  summary: 'Record an offboarding checklist item',
  description:
    'Records `done`, `not_applicable` (with a `note` saying why) or `open` again. `data_returned_or_destroyed` needs confirmation evidence of the supplier to be `done` (422 naming `evidenceIds`). The body is the whole entry. 409 `offboarding_completed` once the case is completed. Audited as `supplier.offboarding_item_recorded`.',
  tags,
  access: 'suppliers:write',
  errors: [409],
  request: { params: OffboardingItemParams, body: { required: true, content: json(RecordOffboardingItemSchema) } },
  responses: { 200: caseResponse('The case after the change.') },
});

export const completeOffboardingRoute = defineRoute({
  method: 'post',
  path: '/v1/suppliers/{supplierId}/offboarding/complete',
  operationId: 'completeOffboarding',
  summary: 'Complete the offboarding: terminate the supplier',
  description:
    'Moves the supplier to `terminated` when every item is met; with items open it answers 409 `offboarding_incomplete` listing each in `openItems`, unless `override.justification` is given (audited, kept on the case). History, evidence and the audit log are kept. Audited as `supplier.offboarded`; webhook `supplier.offboarded`.',
  tags,
  access: 'suppliers:approve',
  errors: [409],
  request: { params: SupplierIdParams, body: { required: false, content: json(CompleteOffboardingSchema) } },
  responses: { 200: caseResponse('The completed case.') },
});
