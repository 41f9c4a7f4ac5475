import { createRouter } from '../../lib/router';
import { listAuditLogHandler, verifyAuditLogHandler } from './audit-log.handlers';
import { listAuditLogRoute, verifyAuditLogRoute } from './audit-log.routes';

// verify is registered first so that it is never read as an entry id by a later /{seq} route.
export const auditLogRouter = createRouter()
  .openapi(verifyAuditLogRoute, verifyAuditLogHandler)
  .openapi(listAuditLogRoute, listAuditLogHandler);
