import { sql } from 'drizzle-orm';
import { customType, date, foreignKey, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tenantId, timestamptz } from './columns';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/**
 * The content of one file, stored once per tenant and addressed by its SHA-256. The Postgres blob
 * store keeps the bytes in fixed-size chunks so that a download can stream them one at a time.
 */
export const blobs = pgTable(
  'blobs',
  {
    tenantId: tenantId(),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    contentType: text('content_type').notNull(),
    /** Where the bytes are: `postgres` (blob_chunks) or `s3`. */
    store: text('store').notNull(),
    createdAt: timestamptz('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.sha256] })],
);

export const blobChunks = pgTable(
  'blob_chunks',
  {
    tenantId: text('tenant_id').notNull(),
    sha256: text('sha256').notNull(),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.sha256, table.seq] }),
    foreignKey({ columns: [table.tenantId, table.sha256], foreignColumns: [blobs.tenantId, blobs.sha256] }).onDelete('cascade'),
  ],
);

/**
 * A document from a supplier or about one: a certificate, a report, a policy, an SBOM. It points at
 * its blob by hash, so the same file uploaded twice is stored once. Links to a service, an
 * assessment answer, a contract, an audit or an incident are optional.
 */
export const evidence = pgTable(
  'evidence',
  {
    tenantId: tenantId(),
    id: text('id').notNull(),
    supplierId: text('supplier_id').notNull(),
    kind: text('kind').notNull(),
    title: text('title'),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    issuedAt: date('issued_at'),
    validFrom: date('valid_from'),
    validUntil: date('valid_until'),
    periodStart: date('period_start'),
    periodEnd: date('period_end'),
    serviceId: text('service_id'),
    assessmentId: text('assessment_id'),
    questionKey: text('question_key'),
    contractId: text('contract_id'),
    auditId: text('audit_id'),
    incidentId: text('incident_id'),
    /** `supplier` for portal uploads, otherwise the API key or user. */
    uploadedByType: text('uploaded_by_type').notNull(),
    uploadedById: text('uploaded_by_id').notNull(),
    archivedAt: timestamptz('archived_at'),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('evidence_supplier_idx').on(table.tenantId, table.supplierId, table.id),
    index('evidence_kind_idx').on(table.tenantId, table.kind, table.id),
    index('evidence_valid_until_idx').on(table.tenantId, table.validUntil, table.id).where(sql`${table.validUntil} is not null`),
    index('evidence_assessment_idx').on(table.tenantId, table.assessmentId, table.questionKey).where(sql`${table.assessmentId} is not null`),
    index('evidence_sha256_idx').on(table.tenantId, table.sha256),
  ],
);
