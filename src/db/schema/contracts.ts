import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, numeric, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { tenantId, timestamptz } from './columns';

/**
 * A contract with a supplier. `reference` is DORA's contractual arrangement reference number,
 * unique per tenant. The services it covers are in contract_services.
 */
export const contracts = pgTable(
  'contracts',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    supplierId: text('supplier_id').notNull(),
    reference: text('reference').notNull(),
    title: text('title').notNull(),
    status: text('status').notNull(),
    startDate: date('start_date'),
    endDate: date('end_date'),
    noticePeriodDays: integer('notice_period_days'),
    autoRenewal: boolean('auto_renewal').notNull().default(false),
    governingLaw: text('governing_law'),
    annualValueAmount: numeric('annual_value_amount', { precision: 18, scale: 2 }),
    annualValueCurrency: text('annual_value_currency'),
    /** DORA RoI B_02.01: standalone, overarching or subsequent; null is reported as standalone. */
    arrangementType: text('arrangement_type'),
    /** The overarching arrangement's reference, for a subsequent one. */
    overarchingReference: text('overarching_reference'),
    /** The provider's notice period (noticePeriodDays is the entity's). */
    providerNoticePeriodDays: integer('provider_notice_period_days'),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('contracts_reference_idx').on(table.tenantId, table.reference),
    index('contracts_supplier_idx').on(table.tenantId, table.supplierId, table.id),
    index('contracts_status_idx').on(table.tenantId, table.status, table.id),
    index('contracts_end_idx').on(table.tenantId, table.endDate, table.id).where(sql`${table.endDate} is not null`),
  ],
);

export const contractServices = pgTable(
  'contract_services',
  {
    tenantId: tenantId(),
    contractId: text('contract_id').notNull(),
    serviceId: text('service_id').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.contractId, table.serviceId] }),
    index('contract_services_service_idx').on(table.tenantId, table.serviceId),
  ],
);

/** A tenant's own clause, next to the built-in library in src/catalog. */
export const customClauses = pgTable(
  'custom_clauses',
  {
    tenantId: tenantId(),
    key: text('key').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    /** `nis2`, `dora` or `both`: under which regime it applies. */
    regime: text('regime').notNull(),
    /** Applies only when a covered service supports a critical or important function. */
    criticalOnly: boolean('critical_only').notNull().default(false),
    /** Groups it with the built-in clauses that ask for the same thing (src/catalog/clauses.ts). */
    topic: text('topic'),
    createdByType: text('created_by_type').notNull(),
    createdById: text('created_by_id').notNull(),
    createdAt: timestamptz('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.key] })],
);

/** The state of one clause in one contract. A clause with no row has not been assessed yet. */
export const contractClauses = pgTable(
  'contract_clauses',
  {
    tenantId: tenantId(),
    contractId: text('contract_id').notNull(),
    clauseKey: text('clause_key').notNull(),
    status: text('status').notNull(),
    sectionRef: text('section_ref'),
    notes: text('notes'),
    justification: text('justification'),
    evidenceId: text('evidence_id'),
    updatedByType: text('updated_by_type').notNull(),
    updatedById: text('updated_by_id').notNull(),
    version: integer('version').notNull().default(1),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.contractId, table.clauseKey] }),
    index('contract_clauses_clause_idx').on(table.tenantId, table.clauseKey, table.status),
    // The clause-gap findings job starts from the clauses recorded as missing.
    index('contract_clauses_missing_idx').on(table.tenantId, table.contractId).where(sql`${table.status} = 'missing'`),
  ],
);
