import { defineRoute } from '../../lib/router';
import { CreateFunctionSchema, FunctionPageSchema, FunctionParams, FunctionSchema, ListFunctionsQuery, UpdateFunctionSchema } from './functions.schemas';

const tags = ['Functions'];
const functionResponse = (description: string) => ({ description, content: { 'application/json': { schema: FunctionSchema } } });

export const listFunctionsRoute = defineRoute({
  method: 'get',
  path: '/v1/functions',
  operationId: 'listFunctions',
  summary: 'List the tenant\'s functions',
  description: 'The business functions ICT services support (DORA RoI B_06.01), oldest first, keyset-paginated by id, each with the number of services that support it.',
  tags,
  access: 'suppliers:read',
  request: { query: ListFunctionsQuery },
  responses: { 200: { description: 'A page of functions.', content: { 'application/json': { schema: FunctionPageSchema } } } },
});

export const createFunctionRoute = defineRoute({
  method: 'post',
  path: '/v1/functions',
  operationId: 'createFunction',
  summary: 'Create a function',
  description:
    '`identifier` is the RoI function identifier (F1, F2, …), unique in the tenant: a second one answers 409 `duplicate_identifier`. RTO and RPO are in hours. Link services to it with their `functionId`. Audited as `function.created`.',
  tags,
  access: 'suppliers:write',
  request: { body: { required: true, content: { 'application/json': { schema: CreateFunctionSchema } } } },
  responses: { 201: functionResponse('The new function.') },
});

export const getFunctionRoute = defineRoute({
  method: 'get',
  path: '/v1/functions/{functionId}',
  operationId: 'getFunction',
  summary: 'Get a function',
  description: 'Another tenant\'s function answers 404.',
  tags,
  access: 'suppliers:read',
  request: { params: FunctionParams },
  responses: { 200: functionResponse('The function.') },
});

export const updateFunctionRoute = defineRoute({
  method: 'patch',
  path: '/v1/functions/{functionId}',
  operationId: 'updateFunction',
  summary: 'Update a function',
  description: 'Merge semantics: fields left out keep their value, null clears one. A taken `identifier` answers 409 `duplicate_identifier`. Send `If-Match` with the ETag you read. Audited as `function.updated` with each changed field.',
  tags,
  access: 'suppliers:write',
  ifMatch: true,
  errors: [409],
  request: { params: FunctionParams, body: { required: true, content: { 'application/json': { schema: UpdateFunctionSchema } } } },
  responses: { 200: functionResponse('The updated function.') },
});

export const deleteFunctionRoute = defineRoute({
  method: 'delete',
  path: '/v1/functions/{functionId}',
  operationId: 'deleteFunction',
  summary: 'Delete a function',
  description: 'Refused with 409 `function_in_use` while an ICT service names it (set the services\' `functionId` to another function or null first). Audited as `function.deleted`.',
  tags,
  access: 'suppliers:write',
  ifMatch: true,
  errors: [409],
  request: { params: FunctionParams },
  responses: { 204: { description: 'Deleted.' } },
});
