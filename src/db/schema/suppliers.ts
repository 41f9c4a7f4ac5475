import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, numeric, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { tenantId, timestamptz } from './columns';

export const suppliers = pgTable(
  'suppliers',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    legalName: text('legal_name'),
    country: text('country').notNull(),
    website: text('website'),
    status: text('status').notNull(),
    /** What kind of supplier: OT integrator, product vendor, cloud/SaaS, MSP/MSSP… (onboarding policy rules match on it). */
    category: text('category'),
    /** The ERP's vendor id; unique per tenant, the key for upserts. */
    externalRef: text('external_ref'),
    lei: text('lei'),
    euid: text('euid'),
    vat: text('vat'),
    duns: text('duns'),
    owner: text('owner'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    dataSensitivity: text('data_sensitivity'),
    accessLevel: text('access_level'),
    supportsCriticalFunction: boolean('supports_critical_function').notNull().default(false),
    substitutability: text('substitutability'),
    annualSpendAmount: numeric('annual_spend_amount', { precision: 18, scale: 2 }),
    annualSpendCurrency: text('annual_spend_currency'),
    outsideEea: boolean('outside_eea').notNull(),
    /** Kept up to date by service writes: any of its services supports a critical or important function. */
    hasCriticalService: boolean('has_critical_service').notNull().default(false),
    inherentScore: integer('inherent_score').notNull(),
    computedTier: text('computed_tier').notNull(),
    tierOverride: text('tier_override'),
    tierOverrideReason: text('tier_override_reason'),
    /** The tier in force: the override when there is one, else the computed tier. */
    tier: text('tier').notNull(),
    /** The current risk score (risk_scores holds the history); null until first scored. */
    riskScoreId: text('risk_score_id'),
    residualRisk: integer('residual_risk'),
    riskRating: text('risk_rating'),
    riskScoredAt: timestamptz('risk_scored_at'),
    /** Review cadence: when the supplier is next due for review, and why when it is due early. */
    lastReviewedAt: timestamptz('last_reviewed_at'),
    nextReviewAt: timestamptz('next_review_at'),
    reviewDueReason: text('review_due_reason'),
    searchText: text('search_text')
      .notNull()
      .generatedAlwaysAs(
        sql`lower(name || ' ' || coalesce(legal_name, '') || ' ' || coalesce(lei, '') || ' ' || coalesce(euid, '') || ' ' || coalesce(vat, '') || ' ' || coalesce(duns, '') || ' ' || coalesce(external_ref, ''))`,
      ),
    /** The last onboarding decision, kept on the supplier so lists show it: approved, approved_with_conditions or rejected. */
    approvalDecision: text('approval_decision'),
    approvalDecidedAt: timestamptz('approval_decided_at'),
    /** Set when that decision overrode unmet gates: the justification given. */
    approvalOverride: text('approval_override'),
    archivedAt: timestamptz('archived_at'),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('suppliers_external_ref_idx').on(table.tenantId, table.externalRef).where(sql`${table.externalRef} is not null`),
    index('suppliers_name_idx').on(table.tenantId, table.name, table.id),
    index('suppliers_created_idx').on(table.tenantId, table.createdAt, table.id),
    index('suppliers_updated_idx').on(table.tenantId, table.updatedAt, table.id),
    index('suppliers_status_idx').on(table.tenantId, table.status, table.name, table.id),
    index('suppliers_tier_idx').on(table.tenantId, table.tier, table.name, table.id),
    index('suppliers_risk_idx').on(table.tenantId, table.residualRisk, table.id),
    index('suppliers_rating_idx').on(table.tenantId, table.riskRating, table.id),
    index('suppliers_next_review_idx').on(table.tenantId, table.nextReviewAt, table.id).where(sql`${table.archivedAt} is null`),
    index('suppliers_country_idx').on(table.tenantId, table.country, table.name, table.id),
    index('suppliers_owner_idx').on(table.tenantId, table.owner, table.name, table.id),
    index('suppliers_critical_idx')
      .on(table.tenantId, table.name, table.id)
      .where(sql`${table.supportsCriticalFunction} or ${table.hasCriticalService}`),
    index('suppliers_tags_idx').using('gin', table.tags),
    index('suppliers_search_idx').using('gin', sql`${table.searchText} gin_trgm_ops`),
  ],
);

export const supplierContacts = pgTable(
  'supplier_contacts',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    supplierId: text('supplier_id').notNull(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    role: text('role'),
    phone: text('phone'),
    isPrimary: boolean('is_primary').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('supplier_contacts_supplier_idx').on(table.tenantId, table.supplierId, table.id),
    uniqueIndex('supplier_contacts_one_primary_idx').on(table.tenantId, table.supplierId).where(sql`${table.isPrimary}`),
  ],
);

export const ictServices = pgTable(
  'ict_services',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    supplierId: text('supplier_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    serviceType: text('service_type').notNull(),
    supportedFunction: text('supported_function'),
    criticalOrImportant: boolean('critical_or_important').notNull().default(false),
    dataStorageCountries: text('data_storage_countries').array().notNull().default(sql`'{}'::text[]`),
    dataProcessingCountries: text('data_processing_countries').array().notNull().default(sql`'{}'::text[]`),
    dataSensitivity: text('data_sensitivity'),
    reliance: text('reliance'),
    startDate: date('start_date', { mode: 'string' }),
    endDate: date('end_date', { mode: 'string' }),
    /** The function it supports (functions.id), the RoI function identifier of B_02.02. */
    functionId: text('function_id'),
    /** DORA RoI B_07.01 assessment of a service supporting a critical or important function. */
    substitutability: text('substitutability'),
    nonSubstitutabilityReason: text('non_substitutability_reason'),
    exitPlanExists: boolean('exit_plan_exists'),
    reintegrationPossibility: text('reintegration_possibility'),
    discontinuationImpact: text('discontinuation_impact'),
    alternativeProvidersIdentified: boolean('alternative_providers_identified'),
    alternativeProviders: text('alternative_providers'),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('ict_services_supplier_idx').on(table.tenantId, table.supplierId, table.id),
    index('ict_services_function_idx').on(table.tenantId, table.functionId).where(sql`${table.functionId} is not null`),
    index('ict_services_critical_idx').on(table.tenantId, table.supplierId).where(sql`${table.criticalOrImportant}`),
  ],
);

/** Supplier → subcontractor, optionally for one of the supplier's services. The chain is acyclic. */
export const subcontractingLinks = pgTable(
  'subcontracting_links',
  {
    tenantId: tenantId(),
    supplierId: text('supplier_id').notNull(),
    subcontractorId: text('subcontractor_id').notNull(),
    serviceId: text('service_id'),
    description: text('description'),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.supplierId, table.subcontractorId] }),
    index('subcontracting_links_subcontractor_idx').on(table.tenantId, table.subcontractorId),
    index('subcontracting_links_service_idx').on(table.tenantId, table.serviceId),
  ],
);

/** A function of the tenant (DORA RoI B_06.01) that ICT services support. */
export const functions = pgTable(
  'functions',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    /** The RoI function identifier (B_06.01.0010), unique per tenant, e.g. F1. */
    identifier: text('identifier').notNull(),
    name: text('name').notNull(),
    licensedActivity: text('licensed_activity'),
    /** null: the assessment was not performed. */
    criticalOrImportant: boolean('critical_or_important'),
    criticalityReasons: text('criticality_reasons'),
    lastCriticalityAssessmentOn: date('last_criticality_assessment_on', { mode: 'string' }),
    rtoHours: integer('rto_hours'),
    rpoHours: integer('rpo_hours'),
    discontinuationImpact: text('discontinuation_impact'),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.id] }), uniqueIndex('functions_identifier_idx').on(table.tenantId, table.identifier)],
);
