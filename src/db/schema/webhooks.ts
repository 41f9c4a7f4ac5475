import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tenantId, timestamptz } from './columns';

/** An ERP's (or any system's) URL that wants events. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    url: text('url').notNull(),
    description: text('description'),
    /** Event types it wants (src/catalog/webhook-events.ts). */
    events: text('events').array().notNull(),
    /** The signing secret, sealed with SECRETS_ENCRYPTION_KEY when set (`v1:` …), else `plain:` …. */
    secretSealed: text('secret_sealed').notNull(),
    /** `active` or `disabled`. */
    status: text('status').notNull(),
    disabledReason: text('disabled_reason'),
    disabledAt: timestamptz('disabled_at'),
    lastSuccessAt: timestamptz('last_success_at'),
    lastFailureAt: timestamptz('last_failure_at'),
    createdByType: text('created_by_type').notNull(),
    createdById: text('created_by_id').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.id] })],
);

/** The event outbox: written in the transaction of the change it reports. */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    tenantId: tenantId(),
    /** Also the `webhook-id` header: the same for every attempt, so receivers can dedupe. */
    id: text('id').notNull(),
    type: text('type').notNull(),
    data: jsonb('data').notNull(),
    createdAt: timestamptz('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.id] })],
);

/** One event to one endpoint: its attempts, and when the next one is due. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    endpointId: text('endpoint_id').notNull(),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** `pending`, `succeeded` or `failed` (gave up after the retry window). */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at'),
    /** A dispatcher holds the delivery until then; another may take it after. */
    leasedUntil: timestamptz('leased_until'),
    lastAttemptAt: timestamptz('last_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    /** Milliseconds the last attempt took. */
    lastDurationMs: integer('last_duration_ms'),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('webhook_deliveries_endpoint_idx').on(table.tenantId, table.endpointId, table.id),
    // The dispatcher looks across tenants for what is due.
    index('webhook_deliveries_due_idx').on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
  ],
);
