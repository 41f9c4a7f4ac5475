import { createRouter } from '../../lib/router';
import {
  createServiceHandler,
  deleteServiceHandler,
  getServiceHandler,
  listAllServicesHandler,
  listSupplierServicesHandler,
  updateServiceHandler,
} from './ict-services.handlers';
import {
  createServiceRoute,
  deleteServiceRoute,
  getServiceRoute,
  listAllServicesRoute,
  listSupplierServicesRoute,
  updateServiceRoute,
} from './ict-services.routes';

export const ictServicesRouter = createRouter()
  .openapi(listAllServicesRoute, listAllServicesHandler)
  .openapi(listSupplierServicesRoute, listSupplierServicesHandler)
  .openapi(createServiceRoute, createServiceHandler)
  .openapi(getServiceRoute, getServiceHandler)
  .openapi(updateServiceRoute, updateServiceHandler)
  .openapi(deleteServiceRoute, deleteServiceHandler);
