import type { IncidentStatus } from '../../catalog/incidents';
import type { Severity } from '../../scoring/types';
import { deadlinesOf } from './incidents.deadlines';
import type { IncidentRow } from './incidents.queries';
import type { IncidentResponse } from './incidents.schemas';

/** The JSON shape of an incident in every API answer. */
export function presentIncident(row: IncidentRow, now: Date): IncidentResponse {
  const deadlines = deadlinesOf(
    row.awareAt,
    { earlyWarning: row.earlyWarningCompletedAt, notification: row.notificationCompletedAt, finalReport: row.finalReportCompletedAt },
    now,
  );
  return {
    id: row.id,
    supplierId: row.supplierId,
    title: row.title,
    description: row.description,
    severity: row.severity as Severity,
    significant: row.significant,
    status: row.status as IncidentStatus,
    awareAt: row.awareAt.toISOString(),
    serviceIds: row.serviceIds,
    deadlines,
    overdue: Object.values(deadlines).some((milestone) => milestone.overdue),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    reportedBy: { type: row.reportedByType, id: row.reportedById },
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
