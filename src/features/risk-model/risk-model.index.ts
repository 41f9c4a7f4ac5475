import { createRouter } from '../../lib/router';
import { getRiskModelHandler, putRiskModelHandler } from './risk-model.handlers';
import { getRiskModelRoute, putRiskModelRoute } from './risk-model.routes';

export const riskModelRouter = createRouter().openapi(getRiskModelRoute, getRiskModelHandler).openapi(putRiskModelRoute, putRiskModelHandler);
