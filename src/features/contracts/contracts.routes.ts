import { z } from '@hono/zod-openapi';
import { csvExportDescription, csvExportResponse, csvHeaders } from '../../lib/csv';
import { defineRoute } from '../../lib/router';
import { CLAUSE_GAP_EXPORT_COLUMNS } from './clause-gaps.export';
import {
  ClauseGapPageSchema,
  CLAUSE_GAP_EXPORT_EXAMPLE,
  ClauseGapsQuery,
  ExportClauseGapsQuery,
  ClauseLibraryQuery,
  ClauseLibrarySchema,
  ClauseSchema,
  ContractClauseListSchema,
  ContractClauseParams,
  ContractClauseSchema,
  ContractGapsQuery,
  ContractIdParams,
  ContractPageSchema,
  ContractSchema,
  CreateClauseSchema,
  CreateContractSchema,
  ListContractsQuery,
  SetClauseStatusSchema,
  UpdateContractSchema,
} from './contracts.schemas';

const tags = ['Contracts'];
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

export const listClauseLibraryRoute = defineRoute({
  method: 'get',
  path: '/v1/clause-library',
  operationId: 'listClauseLibrary',
  summary: 'List the clause library',
  description:
    'The built-in clauses (NIS2 IR 2024/2690 5.1.4 (a)–(h), DORA Art. 30(2)(a)–(i), and 30(3)(a)–(f) which apply only to contracts covering a critical or important function), then the tenant\'s own. `topic` groups clauses of both regimes that ask for the same thing. A bounded catalogue (at most 200 custom clauses), so not paginated.',
  tags,
  access: 'contracts:read',
  request: { query: ClauseLibraryQuery },
  responses: { 200: { description: 'The clauses.', content: json(ClauseLibrarySchema) } },
});

export const createClauseRoute = defineRoute({
  method: 'post',
  path: '/v1/clause-library',
  operationId: 'createClause',
  summary: 'Add a custom clause',
  description:
    'A clause of the tenant\'s own, applying under `regime` (`both`: under either) and, with `criticalOnly`, only to contracts covering a critical or important function. Its key starts with `custom-`; a key in use answers 409 `duplicate_key`, and more than 200 custom clauses 409 `clause_limit`. Audited as `clause.created`.',
  tags,
  access: 'contracts:write',
  request: { body: { required: true, content: json(CreateClauseSchema) } },
  responses: { 201: { description: 'The new clause.', content: json(ClauseSchema) } },
});

export const listContractsRoute = defineRoute({
  method: 'get',
  path: '/v1/contracts',
  operationId: 'listContracts',
  summary: 'List contracts',
  description: 'Keyset-paginated, newest first; with `endingBefore`, soonest end date first (the renewal worklist). Each carries its clause counts.',
  tags,
  access: 'contracts:read',
  request: { query: ListContractsQuery },
  responses: { 200: { description: 'A page of contracts.', content: json(ContractPageSchema) } },
});

export const createContractRoute = defineRoute({
  method: 'post',
  path: '/v1/contracts',
  operationId: 'createContract',
  summary: 'Create a contract',
  description:
    'An unknown or archived supplier, a service that is not the supplier\'s, or an end date before the start date answer 422 naming the field; a reference already used in the tenant answers 409 `duplicate_reference`. Audited as `contract.created`; the supplier is re-scored.',
  tags,
  access: 'contracts:write',
  request: { body: { required: true, content: json(CreateContractSchema) } },
  responses: {
    201: {
      description: 'The new contract; `Location` names it.',
      headers: z.object({ Location: z.string().openapi({ example: '/v1/contracts/ctr_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }) }),
      content: json(ContractSchema),
    },
  },
});

export const getContractRoute = defineRoute({
  method: 'get',
  path: '/v1/contracts/{contractId}',
  operationId: 'getContract',
  summary: 'Get a contract',
  description: 'Carries an ETag for If-Match.',
  tags,
  access: 'contracts:read',
  request: { params: ContractIdParams },
  responses: { 200: { description: 'The contract.', content: json(ContractSchema) } },
});

export const updateContractRoute = defineRoute({
  method: 'patch',
  path: '/v1/contracts/{contractId}',
  operationId: 'updateContract',
  summary: 'Update a contract',
  description:
    'Fields left out keep their value, null clears one, `serviceIds` replaces the covered services (which can change the clauses that apply). The same checks as on creation (422, 409 `duplicate_reference`). Audited as `contract.updated`; the supplier is re-scored.',
  tags,
  access: 'contracts:write',
  ifMatch: true,
  errors: [409],
  request: { params: ContractIdParams, body: { required: true, content: json(UpdateContractSchema) } },
  responses: { 200: { description: 'The updated contract.', content: json(ContractSchema) } },
});

export const listContractClausesRoute = defineRoute({
  method: 'get',
  path: '/v1/contracts/{contractId}/clauses',
  operationId: 'listContractClauses',
  summary: 'List the clauses that apply to a contract',
  description: 'Every applicable clause (tenant regime, covered services, custom clauses) with its state; clauses never assessed are `unassessed`. Library order.',
  tags,
  access: 'contracts:read',
  request: { params: ContractIdParams },
  responses: { 200: { description: 'The applicable clauses.', content: json(ContractClauseListSchema) } },
});

export const setContractClauseRoute = defineRoute({
  method: 'put',
  path: '/v1/contracts/{contractId}/clauses/{clauseKey}',
  operationId: 'setContractClause',
  summary: 'Record a clause\'s state in a contract',
  description: [
    'An unknown clause key answers 404; a clause that does not apply to this contract 422 `clause_not_applicable`. `waived` and `not_applicable` need a `justification` (422). `evidenceId` must be live evidence of the contract\'s supplier (422). Fields left out are cleared: the body is the whole state.',
    'A `missing` clause in a contract of a supplier in the critical tier raises a finding (source `clause_gap`, severity high); the clause becoming satisfied (present, waived, not_applicable) resolves it. Audited as `contract_clause.updated`; the supplier is re-scored.',
  ].join('\n\n'),
  tags,
  access: 'contracts:write',
  request: { params: ContractClauseParams, body: { required: true, content: json(SetClauseStatusSchema) } },
  responses: { 200: { description: 'The clause\'s state.', content: json(ContractClauseSchema) } },
});

export const listContractGapsRoute = defineRoute({
  method: 'get',
  path: '/v1/contracts/{contractId}/gaps',
  operationId: 'listContractGaps',
  summary: 'List a contract\'s clause gaps',
  description: 'Applicable clauses not satisfied: missing, partial, negotiating or unassessed. Keyset-paginated by clause key.',
  tags,
  access: 'contracts:read',
  request: { params: ContractIdParams, query: ContractGapsQuery },
  responses: { 200: { description: 'A page of gaps.', content: json(ClauseGapPageSchema) } },
});

export const listClauseGapsRoute = defineRoute({
  method: 'get',
  path: '/v1/clause-gaps',
  operationId: 'listClauseGaps',
  summary: 'List clause gaps across contracts',
  description:
    'Every applicable clause not satisfied, over draft and active contracts unless `contractStatus` says otherwise, ordered by contract then clause, keyset-paginated. "Which critical suppliers lack a right-to-audit or incident-notification clause?" is `?tier=critical&topic=right_to_audit,incident_notification`.',
  tags,
  access: 'contracts:read',
  request: { query: ClauseGapsQuery },
  responses: { 200: { description: 'A page of gaps.', content: json(ClauseGapPageSchema) } },
});

export const exportClauseGapsRoute = defineRoute({
  method: 'get',
  path: '/v1/clause-gaps/export',
  operationId: 'exportClauseGaps',
  summary: 'Export clause gaps across contracts (CSV)',
  description: csvExportDescription(
    'Every gap that `GET /v1/clause-gaps` lists for the same filters (draft and active contracts unless `contractStatus` says otherwise), ordered by contract then clause, as CSV: one row per contract and unsatisfied clause with the contract reference, the supplier (id, name, tier), the clause (key, title, legal source — `custom` for the tenant\'s own —, topic, regime), its state and section reference.',
  ),
  tags,
  access: 'contracts:read',
  request: { query: ExportClauseGapsQuery },
  responses: {
    200: csvExportResponse({ name: 'clause-gaps', description: 'The gaps.', headers: csvHeaders(CLAUSE_GAP_EXPORT_COLUMNS), example: CLAUSE_GAP_EXPORT_EXAMPLE }),
  },
});
