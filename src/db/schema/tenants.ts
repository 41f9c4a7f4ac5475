import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns';

export const tenants = pgTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Which rules decide the contract clauses that apply: `nis2`, `dora` or `both`. */
  regime: text('regime').notNull().default('nis2'),
  /** Where deadline alerts go when a supplier's owner is not an e-mail address; none: alerts are only listed. */
  notificationEmail: text('notification_email'),
  /** Days before a contract's end date and its notice deadline at which an alert is raised. */
  contractAlertDays: integer('contract_alert_days').array().notNull().default(sql`'{90,30,7}'::integer[]`),
  /** Days before evidence stops being valid at which an alert is raised (0: on the day). */
  evidenceAlertDays: integer('evidence_alert_days').array().notNull().default(sql`'{60,30,0}'::integer[]`),
  /** DORA Register of Information B_01.01: the entity's own LEI, country, type of entity and competent authority. */
  lei: text('lei'),
  country: text('country'),
  entityType: text('entity_type'),
  competentAuthority: text('competent_authority'),
  version: integer('version').notNull().default(1),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

export const apiKeys = pgTable(
  'api_keys',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    name: text('name').notNull(),
    /** The first characters of the key, shown in lists so people can tell keys apart. */
    prefix: text('prefix').notNull(),
    /** SHA-256 of the whole key, hex. The key itself is never stored. */
    keyHash: text('key_hash').notNull(),
    scopes: text('scopes').array().notNull(),
    createdByType: text('created_by_type').notNull(),
    createdById: text('created_by_id').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at'),
    lastUsedAt: timestamptz('last_used_at'),
    revokedAt: timestamptz('revoked_at'),
    version: integer('version').notNull().default(1),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('api_keys_key_hash_idx').on(table.keyHash),
    index('api_keys_tenant_active_idx').on(table.tenantId, table.id).where(sql`${table.revokedAt} is null`),
  ],
);
