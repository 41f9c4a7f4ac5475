import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { TemplateDocument } from '../../features/questionnaire-templates/template-document.schemas';
import { timestamptz } from './columns';
import { tenants } from './tenants';

/**
 * A questionnaire template: an editable draft plus immutable published versions. Built-in
 * templates (src/catalog/questionnaires) are published into each tenant as read-only templates.
 */
export const questionnaireTemplates = pgTable(
  'questionnaire_templates',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    audience: text('audience').notNull(),
    builtIn: boolean('built_in').notNull().default(false),
    draft: jsonb('draft').$type<TemplateDocument>(),
    latestVersion: integer('latest_version').notNull().default(0),
    archivedAt: timestamptz('archived_at'),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('questionnaire_templates_key_idx').on(table.tenantId, table.key),
    index('questionnaire_templates_name_idx').on(table.tenantId, table.name, table.id),
  ],
);

export const questionnaireTemplateVersions = pgTable(
  'questionnaire_template_versions',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    templateId: text('template_id').notNull(),
    version: integer('version').notNull(),
    document: jsonb('document').$type<TemplateDocument>().notNull(),
    /** SHA-256 of the canonical document, to tell whether a built-in changed since it was published. */
    documentHash: text('document_hash').notNull(),
    questionCount: integer('question_count').notNull(),
    publishedAt: timestamptz('published_at').notNull(),
    publishedByType: text('published_by_type').notNull(),
    publishedById: text('published_by_id').notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.templateId, table.version] })],
);

/**
 * Outgoing e-mail. Writers insert in the transaction of the change that causes the mail; a job
 * delivers. `dedupe_key` makes reminders idempotent across job runs and instances.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    kind: text('kind').notNull(),
    dedupeKey: text('dedupe_key'),
    toAddress: text('to_address').notNull(),
    toName: text('to_name'),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body'),
    entityType: text('entity_type'),
    entityId: text('entity_id'),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at').notNull(),
    lastError: text('last_error'),
    createdAt: timestamptz('created_at').notNull(),
    sentAt: timestamptz('sent_at'),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('mail_outbox_dedupe_idx').on(table.tenantId, table.dedupeKey).where(sql`${table.dedupeKey} is not null`),
    index('mail_outbox_due_idx').on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
    index('mail_outbox_entity_idx').on(table.tenantId, table.entityType, table.entityId),
  ],
);
