import { createRouter } from '../../lib/router';
import { getRecalculationHandler, getSupplierRiskHandler, listSupplierRiskHistoryHandler, recalculateRiskHandler } from './risk.handlers';
import { getRecalculationRoute, getSupplierRiskRoute, listSupplierRiskHistoryRoute, recalculateRiskRoute } from './risk.routes';

export const riskRouter = createRouter()
  .openapi(getSupplierRiskRoute, getSupplierRiskHandler)
  .openapi(listSupplierRiskHistoryRoute, listSupplierRiskHistoryHandler)
  .openapi(recalculateRiskRoute, recalculateRiskHandler)
  .openapi(getRecalculationRoute, getRecalculationHandler);
