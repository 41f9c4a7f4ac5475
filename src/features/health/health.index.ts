import { createRouter } from '../../lib/router';
import { livenessHandler, readinessHandler } from './health.handlers';
import { livenessRoute, readinessRoute } from './health.routes';

export const healthRouter = createRouter().openapi(livenessRoute, livenessHandler).openapi(readinessRoute, readinessHandler);
