import { date, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { tenantId, timestamptz } from './columns';

/**
 * One alert about a coming deadline: a contract's end or notice deadline, or evidence running out.
 * At most one per subject, deadline and lead time, so a job that runs twice alerts once, and a
 * moved deadline (a contract extended) is alerted afresh. The list is the record of what was said
 * and when; mails and webhooks are how it is said.
 */
export const deadlineAlerts = pgTable(
  'deadline_alerts',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    /** `contract_end`, `contract_notice` or `evidence_expiry`. */
    kind: text('kind').notNull(),
    /** The contract or evidence id. */
    subjectId: text('subject_id').notNull(),
    supplierId: text('supplier_id').notNull(),
    deadline: date('deadline').notNull(),
    /** The lead time (days before the deadline) that was due when the alert was raised. */
    leadDays: integer('lead_days').notNull(),
    /** Days from the day the alert was raised to the deadline; negative once it has passed. */
    daysLeft: integer('days_left').notNull(),
    summary: text('summary').notNull(),
    /** The address the alert was mailed to; null when there was none. */
    mailedTo: text('mailed_to'),
    createdAt: timestamptz('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('deadline_alerts_subject_idx').on(table.tenantId, table.kind, table.subjectId, table.deadline, table.leadDays),
    index('deadline_alerts_supplier_idx').on(table.tenantId, table.supplierId, table.id),
    index('deadline_alerts_kind_idx').on(table.tenantId, table.kind, table.id),
  ],
);
