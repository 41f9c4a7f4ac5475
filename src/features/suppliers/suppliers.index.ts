import { createRouter } from '../../lib/router';
import {
  archiveSupplierHandler,
  createSupplierHandler,
  getSupplierByExternalRefHandler,
  getSupplierHandler,
  listSuppliersHandler,
  restoreSupplierHandler,
  updateSupplierHandler,
  upsertSupplierHandler,
} from './suppliers.handlers';
import {
  archiveSupplierRoute,
  createSupplierRoute,
  getSupplierByExternalRefRoute,
  getSupplierRoute,
  listSuppliersRoute,
  restoreSupplierRoute,
  updateSupplierRoute,
  upsertSupplierRoute,
} from './suppliers.routes';

// by-external-ref before {supplierId}: the first matching route answers.
export const suppliersRouter = createRouter()
  .openapi(listSuppliersRoute, listSuppliersHandler)
  .openapi(createSupplierRoute, createSupplierHandler)
  .openapi(getSupplierByExternalRefRoute, getSupplierByExternalRefHandler)
  .openapi(upsertSupplierRoute, upsertSupplierHandler)
  .openapi(getSupplierRoute, getSupplierHandler)
  .openapi(updateSupplierRoute, updateSupplierHandler)
  .openapi(archiveSupplierRoute, archiveSupplierHandler)
  .openapi(restoreSupplierRoute, restoreSupplierHandler);
