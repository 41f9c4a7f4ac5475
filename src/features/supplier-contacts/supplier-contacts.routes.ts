import { defineRoute } from '../../lib/router';
import {
  ContactPageSchema,
  ContactParams,
  ContactSchema,
  ContactSupplierParams,
  CreateContactSchema,
  ListContactsQuery,
  UpdateContactSchema,
} from './supplier-contacts.schemas';

const tags = ['Contacts'];
const contactResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ContactSchema } },
});

export const listContactsRoute = defineRoute({
  method: 'get',
  path: '/v1/suppliers/{supplierId}/contacts',
  operationId: 'listContacts',
  summary: 'List a supplier\'s contacts',
  description: 'Oldest first, keyset-paginated by id. `primary=true` gives the primary contact (the one that receives questionnaires), if there is one.',
  tags,
  access: 'suppliers:read',
  request: { params: ContactSupplierParams, query: ListContactsQuery },
  responses: { 200: { description: 'A page of contacts.', content: { 'application/json': { schema: ContactPageSchema } } } },
});

export const createContactRoute = defineRoute({
  method: 'post',
  path: '/v1/suppliers/{supplierId}/contacts',
  operationId: 'createContact',
  summary: 'Add a contact to a supplier',
  description:
    'The supplier\'s first contact becomes its primary contact unless `isPrimary: false` is sent. `isPrimary: true` makes the new contact primary and takes the flag from the previous primary contact, in the same transaction. E-mail addresses are stored in lower case. An archived supplier answers 409 `supplier_archived`.',
  tags,
  access: 'suppliers:write',
  request: {
    params: ContactSupplierParams,
    body: { required: true, content: { 'application/json': { schema: CreateContactSchema } } },
  },
  responses: { 201: contactResponse('The new contact.') },
});

export const getContactRoute = defineRoute({
  method: 'get',
  path: '/v1/suppliers/{supplierId}/contacts/{contactId}',
  operationId: 'getContact',
  summary: 'Get a contact',
  description: 'A contact is only found under its own supplier: another supplier\'s id in the path answers 404.',
  tags,
  access: 'suppliers:read',
  request: { params: ContactParams },
  responses: { 200: contactResponse('The contact.') },
});

export const updateContactRoute = defineRoute({
  method: 'patch',
  path: '/v1/suppliers/{supplierId}/contacts/{contactId}',
  operationId: 'updateContact',
  summary: 'Update a contact',
  description:
    'Merge semantics: fields left out keep their value, null clears `role` or `phone`. `isPrimary: true` takes the primary flag from the previous primary contact; `isPrimary: false` leaves the supplier without one. Send `If-Match` with the ETag you read.',
  tags,
  access: 'suppliers:write',
  ifMatch: true,
  errors: [409],
  request: {
    params: ContactParams,
    body: { required: true, content: { 'application/json': { schema: UpdateContactSchema } } },
  },
  responses: { 200: contactResponse('The updated contact.') },
});

export const deleteContactRoute = defineRoute({
  method: 'delete',
  path: '/v1/suppliers/{supplierId}/contacts/{contactId}',
  operationId: 'deleteContact',
  summary: 'Delete a contact',
  description:
    'Deletes the contact for good; the audit log keeps what it was. Deleting the primary contact leaves the supplier without a primary contact: no other contact is promoted, so choose the next one with `PATCH … {"isPrimary": true}`.',
  tags,
  access: 'suppliers:write',
  ifMatch: true,
  request: { params: ContactParams },
  responses: { 204: { description: 'Deleted.' } },
});
