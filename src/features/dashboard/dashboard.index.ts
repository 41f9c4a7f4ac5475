import { createRouter } from '../../lib/router';
import { getDashboardHandler } from './dashboard.handlers';
import { getDashboardRoute } from './dashboard.routes';

export const dashboardRouter = createRouter().openapi(getDashboardRoute, getDashboardHandler);
