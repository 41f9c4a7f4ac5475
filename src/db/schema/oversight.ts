import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { tenantId, timestamptz } from './columns';

/** An audit of a supplier or one of its services: NIS2 IR 2024/2690 5.1.4(e), the right to audit. */
export const audits = pgTable(
  'audits',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    supplierId: text('supplier_id').notNull(),
    serviceId: text('service_id'),
    type: text('type').notNull(),
    status: text('status').notNull(),
    plannedDate: date('planned_date'),
    performedDate: date('performed_date'),
    scope: text('scope'),
    auditor: text('auditor'),
    result: text('result'),
    reportEvidenceId: text('report_evidence_id'),
    createdByType: text('created_by_type').notNull(),
    createdById: text('created_by_id').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('audits_supplier_idx').on(table.tenantId, table.supplierId, table.plannedDate, table.id),
    index('audits_status_idx').on(table.tenantId, table.status, table.id),
    index('audits_type_idx').on(table.tenantId, table.type, table.id),
  ],
);

/**
 * An incident at or caused by a supplier, with NIS2 Art. 23's milestones computed from the time of
 * awareness: early warning 24 h, notification 72 h, final report one month.
 */
export const incidents = pgTable(
  'incidents',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    supplierId: text('supplier_id').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    severity: text('severity').notNull(),
    significant: boolean('significant').notNull().default(false),
    status: text('status').notNull(),
    awareAt: timestamptz('aware_at').notNull(),
    serviceIds: text('service_ids').array().notNull().default(sql`'{}'::text[]`),
    earlyWarningCompletedAt: timestamptz('early_warning_completed_at'),
    notificationCompletedAt: timestamptz('notification_completed_at'),
    finalReportCompletedAt: timestamptz('final_report_completed_at'),
    resolvedAt: timestamptz('resolved_at'),
    /** `supplier_contact` when reported through the supplier's incident link. */
    reportedByType: text('reported_by_type').notNull(),
    reportedById: text('reported_by_id').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('incidents_supplier_idx').on(table.tenantId, table.supplierId, table.awareAt, table.id),
    index('incidents_status_idx').on(table.tenantId, table.status, table.awareAt, table.id),
    index('incidents_aware_idx').on(table.tenantId, table.awareAt, table.id),
  ],
);

/** A supplier's own link to report incidents, with no account. Only the token's hash is stored. */
export const incidentReportLinks = pgTable(
  'incident_report_links',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    supplierId: text('supplier_id').notNull(),
    email: text('email'),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
    lastUsedAt: timestamptz('last_used_at'),
    createdByType: text('created_by_type').notNull(),
    createdById: text('created_by_id').notNull(),
    createdAt: timestamptz('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('incident_report_links_token_idx').on(table.tokenHash),
    index('incident_report_links_supplier_idx').on(table.tenantId, table.supplierId),
  ],
);
