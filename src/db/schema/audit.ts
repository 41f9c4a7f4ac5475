import { bigint, index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns';
import { tenants } from './tenants';

/**
 * Append-only, hash-chained per tenant. Nothing updates or deletes these rows; the chain head
 * below serialises writers of one tenant so that sequence numbers have no gaps.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    id: text('id').notNull(),
    occurredAt: timestamptz('occurred_at').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    changes: jsonb('changes').$type<Record<string, unknown>>().notNull(),
    requestId: text('request_id'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.seq] }),
    index('audit_log_entity_idx').on(table.tenantId, table.entityType, table.entityId, table.seq),
    index('audit_log_actor_idx').on(table.tenantId, table.actorId, table.seq),
    index('audit_log_action_idx').on(table.tenantId, table.action, table.seq),
    index('audit_log_time_idx').on(table.tenantId, table.occurredAt),
  ],
);

export const auditChainHeads = pgTable('audit_chain_heads', {
  tenantId: text('tenant_id')
    .primaryKey()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
  lastHash: text('last_hash').notNull(),
});
