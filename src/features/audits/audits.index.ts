import { createRouter } from '../../lib/router';
import { createAuditFindingHandler, createAuditHandler, getAuditHandler, listAuditsHandler, updateAuditHandler } from './audits.handlers';
import { createAuditFindingRoute, createAuditRoute, getAuditRoute, listAuditsRoute, updateAuditRoute } from './audits.routes';

export const auditsRouter = createRouter()
  .openapi(listAuditsRoute, listAuditsHandler)
  .openapi(createAuditRoute, createAuditHandler)
  .openapi(getAuditRoute, getAuditHandler)
  .openapi(updateAuditRoute, updateAuditHandler)
  .openapi(createAuditFindingRoute, createAuditFindingHandler);
