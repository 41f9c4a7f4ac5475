import { createRouter } from '../../lib/router';
import {
  createContactHandler,
  deleteContactHandler,
  getContactHandler,
  listContactsHandler,
  updateContactHandler,
} from './supplier-contacts.handlers';
import { createContactRoute, deleteContactRoute, getContactRoute, listContactsRoute, updateContactRoute } from './supplier-contacts.routes';

export const supplierContactsRouter = createRouter()
  .openapi(listContactsRoute, listContactsHandler)
  .openapi(createContactRoute, createContactHandler)
  .openapi(getContactRoute, getContactHandler)
  .openapi(updateContactRoute, updateContactHandler)
  .openapi(deleteContactRoute, deleteContactHandler);
