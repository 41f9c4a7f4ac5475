import { createRouter } from '../../lib/router';
import { listDeadlineAlertsHandler } from './deadline-alerts.handlers';
import { listDeadlineAlertsRoute } from './deadline-alerts.routes';

export const deadlineAlertsRouter = createRouter().openapi(listDeadlineAlertsRoute, listDeadlineAlertsHandler);
