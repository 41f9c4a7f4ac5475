import type { RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import type { DeadlineAlertKind } from '../../catalog/deadline-alerts';
import type { AppEnv } from '../../lib/context';
import { decodeCursor, toPage } from '../../lib/pagination';
import { listDeadlineAlerts, type DeadlineAlertRow } from './deadline-alerts.queries';
import type { listDeadlineAlertsRoute } from './deadline-alerts.routes';
import type { DeadlineAlertResponse } from './deadline-alerts.schemas';

export function presentDeadlineAlert(row: DeadlineAlertRow): DeadlineAlertResponse {
  return {
    id: row.id,
    kind: row.kind as DeadlineAlertKind,
    subjectType: row.kind === 'evidence_expiry' ? 'evidence' : 'contract',
    subjectId: row.subjectId,
    supplierId: row.supplierId,
    deadline: row.deadline,
    leadDays: row.leadDays,
    daysLeft: row.daysLeft,
    summary: row.summary,
    mailedTo: row.mailedTo,
    createdAt: row.createdAt.toISOString(),
  };
}

const cursorSchema = z.tuple([z.string().max(40)]);

export const listDeadlineAlertsHandler: RouteHandler<typeof listDeadlineAlertsRoute, AppEnv> = async (c) => {
  const { limit, cursor, ...filters } = c.req.valid('query');
  const after = cursor ? decodeCursor(cursor, cursorSchema) : undefined;
  const rows = await listDeadlineAlerts(c.get('db'), { ...filters, tenantId: c.get('principal').tenantId, limit, afterId: after?.[0] });
  return c.json(toPage(rows, limit, presentDeadlineAlert, (row) => [row.id]), 200);
};
