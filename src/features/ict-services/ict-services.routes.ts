import { defineRoute } from '../../lib/router';
import {
  CreateIctServiceSchema,
  IctServicePageSchema,
  IctServiceSchema,
  ListServicesQuery,
  ListSupplierServicesQuery,
  ServiceParams,
  ServiceSupplierParams,
  UpdateIctServiceSchema,
} from './ict-services.schemas';

const tags = ['ICT services'];
const serviceResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: IctServiceSchema } },
});
const pageResponse = { description: 'A page of ICT services.', content: { 'application/json': { schema: IctServicePageSchema } } };

const DERIVED =
  'The supplier\'s `hasCriticalService`, inherent score and computed tier are recomputed in the same transaction.';

export const listAllServicesRoute = defineRoute({
  method: 'get',
  path: '/v1/services',
  operationId: 'listServices',
  summary: 'List ICT services across suppliers',
  description:
    'Every ICT service of the tenant, oldest first, keyset-paginated by id, filtered by DORA service type, critical or important function and supplier. Services of archived suppliers are included.',
  tags,
  access: 'suppliers:read',
  request: { query: ListServicesQuery },
  responses: { 200: pageResponse },
});

export const listSupplierServicesRoute = defineRoute({
  method: 'get',
  path: '/v1/suppliers/{supplierId}/services',
  operationId: 'listSupplierServices',
  summary: 'List a supplier\'s ICT services',
  description: 'Oldest first, keyset-paginated by id.',
  tags,
  access: 'suppliers:read',
  request: { params: ServiceSupplierParams, query: ListSupplierServicesQuery },
  responses: { 200: pageResponse },
});

export const createServiceRoute = defineRoute({
  method: 'post',
  path: '/v1/suppliers/{supplierId}/services',
  operationId: 'createService',
  summary: 'Add an ICT service to a supplier',
  description: `\`serviceType\` is a DORA code S01 to S19; countries are ISO 3166-1 alpha-2; dates are YYYY-MM-DD and \`endDate\` may not be before \`startDate\`. ${DERIVED} An archived supplier answers 409 \`supplier_archived\`.`,
  tags,
  access: 'suppliers:write',
  request: {
    params: ServiceSupplierParams,
    body: { required: true, content: { 'application/json': { schema: CreateIctServiceSchema } } },
  },
  responses: { 201: serviceResponse('The new ICT service.') },
});

export const getServiceRoute = defineRoute({
  method: 'get',
  path: '/v1/suppliers/{supplierId}/services/{serviceId}',
  operationId: 'getService',
  summary: 'Get an ICT service',
  description: 'A service is only found under its own supplier: another supplier\'s id in the path answers 404.',
  tags,
  access: 'suppliers:read',
  request: { params: ServiceParams },
  responses: { 200: serviceResponse('The ICT service.') },
});

export const updateServiceRoute = defineRoute({
  method: 'patch',
  path: '/v1/suppliers/{supplierId}/services/{serviceId}',
  operationId: 'updateService',
  summary: 'Update an ICT service',
  description: `Merge semantics: fields left out keep their value, null clears one. The resulting \`endDate\` may not be before \`startDate\`. ${DERIVED} Send \`If-Match\` with the ETag you read.`,
  tags,
  access: 'suppliers:write',
  ifMatch: true,
  errors: [409],
  request: {
    params: ServiceParams,
    body: { required: true, content: { 'application/json': { schema: UpdateIctServiceSchema } } },
  },
  responses: { 200: serviceResponse('The updated ICT service.') },
});

export const deleteServiceRoute = defineRoute({
  method: 'delete',
  path: '/v1/suppliers/{supplierId}/services/{serviceId}',
  operationId: 'deleteService',
  summary: 'Delete an ICT service',
  description: `Deletes the service for good; the audit log keeps what it was. ${DERIVED} A service named by a subcontracting link answers 409 \`service_in_use\`: remove the link first.`,
  tags,
  access: 'suppliers:write',
  ifMatch: true,
  errors: [409],
  request: { params: ServiceParams },
  responses: { 204: { description: 'Deleted.' } },
});
