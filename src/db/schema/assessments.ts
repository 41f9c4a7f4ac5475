import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { tenantId, timestamptz } from './columns';

/**
 * One questionnaire sent to one supplier contact. It points at an immutable template version, so
 * what the supplier answers never changes under them. Progress counts are kept on the row so that
 * lists need no aggregation.
 */
export const assessments = pgTable(
  'assessments',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    supplierId: text('supplier_id').notNull(),
    contactId: text('contact_id').notNull(),
    templateId: text('template_id').notNull(),
    templateVersion: integer('template_version').notNull(),
    status: text('status').notNull(),
    dueAt: timestamptz('due_at').notNull(),
    message: text('message'),
    /** The reviewer's note to the supplier when the assessment was last returned. */
    returnMessage: text('return_message'),
    answeredCount: integer('answered_count').notNull().default(0),
    requiredMissingCount: integer('required_missing_count').notNull().default(0),
    evidenceMissingCount: integer('evidence_missing_count').notNull().default(0),
    clarificationCount: integer('clarification_count').notNull().default(0),
    sentAt: timestamptz('sent_at'),
    submittedAt: timestamptz('submitted_at'),
    returnedAt: timestamptz('returned_at'),
    acceptedAt: timestamptz('accepted_at'),
    closedAt: timestamptz('closed_at'),
    lastRemindedAt: timestamptz('last_reminded_at'),
    reminderCount: integer('reminder_count').notNull().default(0),
    overdueNotifiedAt: timestamptz('overdue_notified_at'),
    createdByType: text('created_by_type').notNull(),
    createdById: text('created_by_id').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('assessments_status_due_idx').on(table.tenantId, table.status, table.dueAt, table.id),
    index('assessments_supplier_idx').on(table.tenantId, table.supplierId, table.id),
    index('assessments_template_idx').on(table.tenantId, table.templateId, table.id),
    index('assessments_due_idx').on(table.tenantId, table.dueAt, table.id),
    // Jobs look across tenants for open assessments by due date (reminders, overdue, expiry).
    index('assessments_open_due_idx').on(table.dueAt).where(sql`${table.status} in ('sent', 'in_progress', 'returned')`),
  ],
);

/** One answer per question. `version` resolves concurrent saves: a stale save gets 409. */
export const assessmentAnswers = pgTable(
  'assessment_answers',
  {
    tenantId: tenantId(),
    assessmentId: text('assessment_id').notNull(),
    questionKey: text('question_key').notNull(),
    value: jsonb('value').$type<unknown>(),
    comment: text('comment'),
    evidenceIds: text('evidence_ids').array().notNull().default(sql`'{}'::text[]`),
    reviewStatus: text('review_status').notNull().default('pending'),
    reviewComment: text('review_comment'),
    reviewedByType: text('reviewed_by_type'),
    reviewedById: text('reviewed_by_id'),
    reviewedAt: timestamptz('reviewed_at'),
    answeredByType: text('answered_by_type').notNull(),
    answeredById: text('answered_by_id').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.assessmentId, table.questionKey] })],
);

/**
 * A portal link for one assessment and one person. Only the SHA-256 of the token is stored; the
 * token itself is in the e-mail. Forwarding creates a new invitation for a colleague.
 */
export const portalInvitations = pgTable(
  'portal_invitations',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    assessmentId: text('assessment_id').notNull(),
    email: text('email').notNull(),
    name: text('name'),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
    forwardedFromId: text('forwarded_from_id'),
    createdByType: text('created_by_type').notNull(),
    createdById: text('created_by_id').notNull(),
    lastUsedAt: timestamptz('last_used_at'),
    createdAt: timestamptz('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('portal_invitations_token_idx').on(table.tokenHash),
    index('portal_invitations_assessment_idx').on(table.tenantId, table.assessmentId),
  ],
);
