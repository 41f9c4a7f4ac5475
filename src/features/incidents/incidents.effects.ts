import { emitEvent } from '../../lib/events';
import { REVIEW_DUE_REASONS } from '../../catalog/reviews';
import { ACTIVE_INCIDENT_STATUSES, type IncidentStatus } from '../../catalog/incidents';
import type { Db } from '../../db/types';
import type { Actor } from '../../lib/context';
import { recordAudit, type AuditContext } from '../../lib/audit';
import { problems, type FieldError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { Severity } from '../../scoring/types';
import { diff as findingDiff, raiseFinding } from '../findings/findings.raise';
import { findFindingBySource, updateFinding } from '../findings/findings.queries';
import { markReviewDue } from '../reviews/reviews.queries';
import { rescoreSupplier } from '../risk/risk.rescore';
import { findSupplier } from '../suppliers/suppliers.queries';
import { foreignServiceIds, insertIncident, type IncidentRow } from './incidents.queries';

export const incidentSourceRef = (incidentId: string) => `incident:${incidentId}`;

export const isActiveIncident = (status: string) => (ACTIVE_INCIDENT_STATUSES as readonly string[]).includes(status);

export interface NewIncident {
  supplierId: string;
  title: string;
  awareAt: Date;
  severity: Severity;
  significant: boolean;
  serviceIds: string[];
  description: string | null;
  status: IncidentStatus;
}

/** The incident's finding: raised, or reopened when the incident comes back. */
async function raiseIncidentFinding(tx: Db, audit: AuditContext, row: IncidentRow) {
  return raiseFinding(tx, audit, {
    supplierId: row.supplierId,
    source: 'incident',
    sourceRef: incidentSourceRef(row.id),
    title: row.title,
    description: row.description,
    severity: row.severity as Severity,
    links: { incidentId: row.id, ...(row.serviceIds.length === 1 ? { serviceId: row.serviceIds[0]! } : {}) },
  });
}

/**
 * Records an incident with all its effects, in the caller's transaction (NIS2 IR 2024/2690 5.1.7):
 * the supplier's review becomes due now, a finding of the incident's severity is raised, and the
 * supplier is re-scored with the incident counting until it is resolved. Shared by the API and
 * the supplier's own report link; field errors name `body` paths of the API's shape.
 */
export async function recordIncident(tx: Db, audit: AuditContext, input: NewIncident, reportedBy: Actor): Promise<IncidentRow> {
  const { tenantId, now } = audit;
  const errors: FieldError[] = [];
  if (input.awareAt.getTime() > now.getTime()) errors.push({ location: 'body', path: 'awareAt', message: 'Must not be in the future.' });
  const supplier = await findSupplier(tx, tenantId, input.supplierId);
  if (!supplier) errors.push({ location: 'body', path: 'supplierId', message: 'No such supplier.' });
  else if (supplier.archivedAt) errors.push({ location: 'body', path: 'supplierId', message: 'The supplier is archived. Restore it first.' });
  if (supplier) {
    for (const id of await foreignServiceIds(tx, tenantId, supplier.id, input.serviceIds)) {
      errors.push({ location: 'body', path: `serviceIds.${input.serviceIds.indexOf(id)}`, message: 'No such ICT service of this supplier.' });
    }
  }
  if (errors.length > 0) throw problems.validation(errors);

  const row = await insertIncident(tx, {
    tenantId,
    id: newId('incident', now),
    supplierId: input.supplierId,
    title: input.title,
    description: input.description,
    severity: input.severity,
    significant: input.significant,
    status: input.status,
    awareAt: input.awareAt,
    serviceIds: input.serviceIds,
    resolvedAt: input.status === 'resolved' ? now : null,
    reportedByType: reportedBy.type,
    reportedById: reportedBy.id,
    createdAt: now,
    updatedAt: now,
  });
  const review = await markReviewDue(tx, { tenantId, supplierId: row.supplierId, reason: REVIEW_DUE_REASONS.incident, now, current: supplier });
  await recordAudit(tx, audit, [
    {
      action: 'incident.created',
      entityType: 'incident',
      entityId: row.id,
      changes: {
        supplierId: row.supplierId,
        title: row.title,
        awareAt: row.awareAt.toISOString(),
        severity: row.severity,
        significant: row.significant,
        status: row.status,
        ...(row.serviceIds.length > 0 ? { serviceIds: row.serviceIds } : {}),
        reportedBy: { type: reportedBy.type, id: reportedBy.id },
      },
    },
    ...(review.event ? [review.event] : []),
  ]);
  await emitEvent(tx, tenantId, now, {
    type: 'incident.reported',
    data: {
      incidentId: row.id,
      supplierId: row.supplierId,
      severity: row.severity,
      significant: row.significant,
      status: row.status,
      awareAt: row.awareAt.toISOString(),
      reportedBy: reportedBy.type,
    },
  });
  // An incident recorded after the fact as resolved still leaves its finding to follow up.
  await raiseIncidentFinding(tx, audit, row);
  await rescoreSupplier(tx, { tenantId, supplierId: row.supplierId, now, trigger: 'incident' });
  return row;
}

/**
 * After a status change: resolving resolves the incident's finding while it is still open or in
 * remediation (a risk-accepted one stays as accepted); reopening raises it again. Either way the
 * supplier is re-scored, so the incident stops (or starts again) counting.
 */
export async function afterIncidentStatusChange(tx: Db, audit: AuditContext, row: IncidentRow, from: string): Promise<void> {
  const wasActive = isActiveIncident(from);
  const isActive = isActiveIncident(row.status);
  if (wasActive === isActive) return;
  if (!isActive) {
    const finding = await findFindingBySource(tx, audit.tenantId, 'incident', incidentSourceRef(row.id), { forUpdate: true });
    if (finding && (finding.status === 'open' || finding.status === 'in_remediation')) {
      const changes = { status: 'resolved' as const, resolvedAt: audit.now };
      await updateFinding(tx, finding, changes, audit.now);
      await recordAudit(tx, audit, {
        action: 'finding.updated',
        entityType: 'finding',
        entityId: finding.id,
        changes: { ...findingDiff(finding, changes), reason: `Its incident ${row.id} was resolved.` },
      });
    }
  } else {
    await raiseIncidentFinding(tx, audit, row);
  }
  await rescoreSupplier(tx, { tenantId: audit.tenantId, supplierId: row.supplierId, now: audit.now, trigger: 'incident' });
}

/**
 * After a severity change: the incident's finding, while still being worked (open or in
 * remediation), takes the new severity, so findings lists and the score follow the incident.
 */
export async function afterIncidentSeverityChange(tx: Db, audit: AuditContext, row: IncidentRow): Promise<void> {
  const finding = await findFindingBySource(tx, audit.tenantId, 'incident', incidentSourceRef(row.id), { forUpdate: true });
  if (!finding || (finding.status !== 'open' && finding.status !== 'in_remediation') || finding.severity === row.severity) return;
  const changes = { severity: row.severity as Severity };
  await updateFinding(tx, finding, changes, audit.now);
  await recordAudit(tx, audit, {
    action: 'finding.updated',
    entityType: 'finding',
    entityId: finding.id,
    changes: { ...findingDiff(finding, changes), reason: `Its incident ${row.id} changed severity.` },
  });
  await rescoreSupplier(tx, { tenantId: audit.tenantId, supplierId: row.supplierId, now: audit.now, trigger: 'incident' });
}
