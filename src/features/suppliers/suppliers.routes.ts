import { defineRoute } from '../../lib/router';
import {
  CreateSupplierSchema,
  ExternalRefParams,
  ListSuppliersQuery,
  SupplierIdParams,
  SupplierPageSchema,
  SupplierSchema,
  UpdateSupplierSchema,
  UpsertSupplierSchema,
} from './suppliers.schemas';

const tags = ['Suppliers'];
const supplierResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: SupplierSchema } },
});

export const listSuppliersRoute = defineRoute({
  method: 'get',
  path: '/v1/suppliers',
  operationId: 'listSuppliers',
  summary: 'List suppliers',
  description: 'Keyset-paginated, filtered and sorted. Archived suppliers are left out unless `archived` says otherwise.',
  tags,
  access: 'suppliers:read',
  request: { query: ListSuppliersQuery },
  responses: { 200: { description: 'A page of suppliers.', content: { 'application/json': { schema: SupplierPageSchema } } } },
});

export const createSupplierRoute = defineRoute({
  method: 'post',
  path: '/v1/suppliers',
  operationId: 'createSupplier',
  summary: 'Create a supplier',
  description: 'Only `name` and `country` are required. Identifiers are checked (LEI check digits, VAT format, DUNS, EUID). An `externalRef` already in use answers 409.',
  tags,
  access: 'suppliers:write',
  request: { body: { required: true, content: { 'application/json': { schema: CreateSupplierSchema } } } },
  responses: { 201: supplierResponse('The new supplier.') },
});

export const getSupplierByExternalRefRoute = defineRoute({
  method: 'get',
  path: '/v1/suppliers/by-external-ref/{externalRef}',
  operationId: 'getSupplierByExternalRef',
  summary: 'Get a supplier by ERP vendor id',
  description: 'Looks a supplier up by its `externalRef`.',
  tags,
  access: 'suppliers:read',
  request: { params: ExternalRefParams },
  responses: { 200: supplierResponse('The supplier.') },
});

export const upsertSupplierRoute = defineRoute({
  method: 'put',
  path: '/v1/suppliers/by-external-ref/{externalRef}',
  operationId: 'upsertSupplierByExternalRef',
  summary: 'Create or update a supplier by ERP vendor id',
  description:
    'Idempotent ERP sync: creates the supplier (201) or brings it to this state (200). Fields left out keep their value; null clears. Sending the same body again changes nothing and writes no audit entry.',
  tags,
  access: 'suppliers:write',
  ifMatch: true,
  request: { params: ExternalRefParams, body: { required: true, content: { 'application/json': { schema: UpsertSupplierSchema } } } },
  responses: { 200: supplierResponse('The updated supplier.'), 201: supplierResponse('The new supplier.') },
});

export const getSupplierRoute = defineRoute({
  method: 'get',
  path: '/v1/suppliers/{supplierId}',
  operationId: 'getSupplier',
  summary: 'Get a supplier',
  description: 'Archived suppliers can still be read.',
  tags,
  access: 'suppliers:read',
  request: { params: SupplierIdParams },
  responses: { 200: supplierResponse('The supplier.') },
});

export const updateSupplierRoute = defineRoute({
  method: 'patch',
  path: '/v1/suppliers/{supplierId}',
  operationId: 'updateSupplier',
  summary: 'Update a supplier',
  description: 'Merge semantics: fields left out keep their value, null clears one. `identifiers` and `profile` merge field by field. Send `If-Match` with the ETag you read to avoid overwriting someone else\'s change.',
  tags,
  access: 'suppliers:write',
  ifMatch: true,
  errors: [409],
  request: { params: SupplierIdParams, body: { required: true, content: { 'application/json': { schema: UpdateSupplierSchema } } } },
  responses: { 200: supplierResponse('The updated supplier.') },
});

export const archiveSupplierRoute = defineRoute({
  method: 'delete',
  path: '/v1/suppliers/{supplierId}',
  operationId: 'archiveSupplier',
  summary: 'Archive a supplier',
  description: 'Suppliers are never deleted: their history stays for supervisors and auditors. Archiving hides the supplier from lists; `POST …/restore` brings it back.',
  tags,
  access: 'suppliers:write',
  ifMatch: true,
  request: { params: SupplierIdParams },
  responses: { 200: supplierResponse('The archived supplier.') },
});

export const restoreSupplierRoute = defineRoute({
  method: 'post',
  path: '/v1/suppliers/{supplierId}/restore',
  operationId: 'restoreSupplier',
  summary: 'Restore an archived supplier',
  description: 'Undoes an archive. Restoring a supplier that is not archived changes nothing.',
  tags,
  access: 'suppliers:write',
  request: { params: SupplierIdParams },
  responses: { 200: supplierResponse('The restored supplier.') },
});
