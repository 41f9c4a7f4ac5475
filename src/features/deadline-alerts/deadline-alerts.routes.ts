import { defineRoute } from '../../lib/router';
import { DeadlineAlertPageSchema, ListDeadlineAlertsQuery } from './deadline-alerts.schemas';

export const listDeadlineAlertsRoute = defineRoute({
  method: 'get',
  path: '/v1/deadline-alerts',
  operationId: 'listDeadlineAlerts',
  summary: 'List deadline alerts',
  description: [
    'Alerts the jobs raised about coming deadlines: a contract\'s end date and its notice deadline (end date minus notice period) for active contracts, and the validity end of evidence of suppliers that are not terminated (evidence superseded by a newer one of the same kind is left alone).',
    'One alert per subject, deadline and lead time; the lead times are tenant settings (`contractAlertDays`, `evidenceAlertDays` in PATCH /v1/tenant; default 90/30/7 and 60/30/0 days). A job that was not running catches up with the nearest lead time only, and deadlines more than 7 days past are not alerted. Each alert is mailed to the supplier\'s owner when that is an e-mail address, else to the tenant\'s `notificationEmail`.',
    'Keyset-paginated, newest first.',
  ].join('\n\n'),
  tags: ['Deadline alerts'],
  access: 'suppliers:read',
  request: { query: ListDeadlineAlertsQuery },
  responses: { 200: { description: 'A page of alerts.', content: { 'application/json': { schema: DeadlineAlertPageSchema } } } },
});
