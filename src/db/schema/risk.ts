import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { tenantId, timestamptz } from './columns';

/**
 * A tenant's risk model, versioned: every PUT adds a version, and each score names the version it
 * was computed with. A tenant without a row uses the built-in model from the catalog.
 */
export const riskModels = pgTable(
  'risk_models',
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
 * Every score a supplier has had, with its explanation. A new row is written only when the result
 * changes (`inputs_hash` covers inputs and model version), so the history reads as what changed.
 */
export const riskScores = pgTable(
  'risk_scores',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    supplierId: text('supplier_id').notNull(),
    modelVersion: integer('model_version').notNull(),
    inherentRisk: integer('inherent_risk').notNull(),
    tier: text('tier').notNull(),
    controlStrength: integer('control_strength').notNull(),
    residualRisk: integer('residual_risk').notNull(),
    rating: text('rating').notNull(),
    explanation: jsonb('explanation').$type<unknown>().notNull(),
    inputsHash: text('inputs_hash').notNull(),
    /** What caused the re-score: profile, service, answers, finding, evidence, model, recalculation… */
    trigger: text('trigger').notNull(),
    computedAt: timestamptz('computed_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('risk_scores_supplier_idx').on(table.tenantId, table.supplierId, table.computedAt, table.id),
  ],
);

/** A background re-score of a whole tenant, with readable progress. */
export const riskRecalculations = pgTable(
  'risk_recalculations',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    status: text('status').notNull(),
    modelVersion: integer('model_version').notNull(),
    total: integer('total').notNull().default(0),
    processed: integer('processed').notNull().default(0),
    changed: integer('changed').notNull().default(0),
    /** Keyset position: the last supplier id done, so a resumed run continues where it stopped. */
    cursor: text('cursor'),
    leaseUntil: timestamptz('lease_until'),
    error: text('error'),
    requestedByType: text('requested_by_type').notNull(),
    requestedById: text('requested_by_id').notNull(),
    createdAt: timestamptz('created_at').notNull(),
    startedAt: timestamptz('started_at'),
    finishedAt: timestamptz('finished_at'),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('risk_recalculations_pending_idx').on(table.createdAt).where(sql`${table.status} in ('queued', 'running')`),
  ],
);

/**
 * A weakness at a supplier. `source_ref` identifies what raised it (an assessment answer, an
 * evidence record, a clause…), unique per tenant and source, so the same cause never raises two.
 */
export const findings = pgTable(
  'findings',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    supplierId: text('supplier_id').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    severity: text('severity').notNull(),
    status: text('status').notNull(),
    source: text('source').notNull(),
    sourceRef: text('source_ref'),
    assessmentId: text('assessment_id'),
    questionKey: text('question_key'),
    serviceId: text('service_id'),
    evidenceId: text('evidence_id'),
    contractId: text('contract_id'),
    clauseKey: text('clause_key'),
    auditId: text('audit_id'),
    incidentId: text('incident_id'),
    owner: text('owner'),
    dueDate: date('due_date'),
    remediationPlan: text('remediation_plan'),
    resolvedAt: timestamptz('resolved_at'),
    riskAcceptedByType: text('risk_accepted_by_type'),
    riskAcceptedById: text('risk_accepted_by_id'),
    riskAcceptedAt: timestamptz('risk_accepted_at'),
    riskAcceptanceJustification: text('risk_acceptance_justification'),
    riskAcceptanceExpiresAt: date('risk_acceptance_expires_at'),
    createdByType: text('created_by_type').notNull(),
    createdById: text('created_by_id').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('findings_source_idx').on(table.tenantId, table.source, table.sourceRef).where(sql`${table.sourceRef} is not null`),
    index('findings_supplier_idx').on(table.tenantId, table.supplierId, table.id),
    index('findings_status_idx').on(table.tenantId, table.status, table.severity, table.id),
    index('findings_severity_idx').on(table.tenantId, table.severity, table.id),
    index('findings_source_kind_idx').on(table.tenantId, table.source, table.id),
    index('findings_audit_idx').on(table.tenantId, table.auditId).where(sql`${table.auditId} is not null`),
    index('findings_incident_idx').on(table.tenantId, table.incidentId).where(sql`${table.incidentId} is not null`),
    index('findings_due_idx').on(table.tenantId, table.dueDate, table.id).where(sql`${table.status} in ('open', 'in_remediation')`),
    // The expiry job looks across tenants for acceptances that ran out.
    index('findings_acceptance_expiry_idx').on(table.riskAcceptanceExpiresAt).where(sql`${table.status} = 'risk_accepted'`),
  ],
);

export const findingComments = pgTable(
  'finding_comments',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    findingId: text('finding_id').notNull(),
    body: text('body').notNull(),
    authorType: text('author_type').notNull(),
    authorId: text('author_id').notNull(),
    createdAt: timestamptz('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.id] }), index('finding_comments_finding_idx').on(table.tenantId, table.findingId, table.id)],
);
