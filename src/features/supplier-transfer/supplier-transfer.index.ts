import { createRouter } from '../../lib/router';
import { exportSuppliersHandler, importSuppliersHandler } from './supplier-transfer.handlers';
import { exportSuppliersRoute, importSuppliersRoute } from './supplier-transfer.routes';
import { IMPORT_BODY_LIMIT_BYTES, SupplierImportRequestSchema } from './supplier-transfer.schemas';

export const supplierTransferRouter = createRouter()
  .openapi(importSuppliersRoute, importSuppliersHandler)
  .openapi(exportSuppliersRoute, exportSuppliersHandler);

// The import's JSON body is referenced by name (the handler validates it row by row), so its schema is registered here.
supplierTransferRouter.openAPIRegistry.register('SupplierImportRequest', SupplierImportRequestSchema);

/** Routes of this feature that accept more than BODY_LIMIT_BYTES; src/app.ts applies them. */
export const supplierTransferBodyLimits: Record<string, number> = {
  'POST /v1/suppliers/import': IMPORT_BODY_LIMIT_BYTES,
};
