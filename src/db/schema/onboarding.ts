import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { tenantId, timestamptz } from './columns';

/**
 * A tenant's onboarding policy, versioned like the risk model: every PUT adds a version. A tenant
 * without a row uses the built-in policy from the catalog; each case names the version it started with.
 */
export const onboardingPolicies = pgTable(
  'onboarding_policies',
  {
    tenantId: tenantId(),
    version: integer('version').notNull(),
    document: jsonb('document').$type<unknown>().notNull(),
    createdByType: text('created_by_type').notNull(),
    createdById: text('created_by_id').notNull(),
    createdAt: timestamptz('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.version] })],
);

/**
 * An onboarding or offboarding case of one supplier. Its gates are not stored: they are
 * evaluated from the records they depend on whenever the case is read or decided, so they follow
 * those records by themselves. What a decision saw is kept in `gates_at_decision`.
 */
export const supplierCases = pgTable(
  'supplier_cases',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    supplierId: text('supplier_id').notNull(),
    kind: text('kind').notNull(),
    /** Onboarding: open, approved, approved_with_conditions, rejected. Offboarding: open, completed. */
    status: text('status').notNull(),
    policyVersion: integer('policy_version').notNull(),
    /** Approvals given so far while two approvers are needed: [{ actor, decision, at, conditions }]. */
    approvals: jsonb('approvals').$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    decision: text('decision'),
    decidedAt: timestamptz('decided_at'),
    decidedByType: text('decided_by_type'),
    decidedById: text('decided_by_id'),
    decisionNote: text('decision_note'),
    /** The justification when the decision was taken with gates unmet. */
    overrideJustification: text('override_justification'),
    gatesAtDecision: jsonb('gates_at_decision').$type<unknown>(),
    /** Offboarding: what was recorded per checklist item ({ state, note, evidenceIds, by, at }), by item key. */
    items: jsonb('items').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    startedByType: text('started_by_type').notNull(),
    startedById: text('started_by_id').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('supplier_cases_supplier_idx').on(table.tenantId, table.supplierId, table.kind, table.createdAt),
    uniqueIndex('supplier_cases_one_open_idx').on(table.tenantId, table.supplierId, table.kind).where(sql`${table.status} = 'open'`),
    index('supplier_cases_open_idx').on(table.tenantId, table.kind, table.id).where(sql`${table.status} = 'open'`),
  ],
);
