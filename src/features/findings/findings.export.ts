import type { Db } from '../../db/types';
import { keysetCsvStream, type CsvColumn, type CsvStreamHooks } from '../../lib/csv';
import { presentFinding } from './findings.present';
import { listFindingsWithSupplier, type FindingFilter } from './findings.queries';
import type { FindingResponse } from './findings.schemas';

/** A finding as the JSON API presents it, with its supplier's name. */
type FindingExportRow = FindingResponse & { supplierName: string | null };

/** Columns of the findings export, in file order: the remediation worklist first, then where each finding came from. */
export const FINDING_EXPORT_COLUMNS = [
  { header: 'id', value: (row) => row.id },
  { header: 'supplierId', value: (row) => row.supplierId },
  { header: 'supplierName', value: (row) => row.supplierName },
  { header: 'title', value: (row) => row.title },
  { header: 'severity', value: (row) => row.severity },
  { header: 'status', value: (row) => row.status },
  { header: 'overdue', value: (row) => row.overdue },
  { header: 'dueDate', value: (row) => row.dueDate },
  { header: 'owner', value: (row) => row.owner },
  { header: 'source', value: (row) => row.source },
  { header: 'description', value: (row) => row.description },
  { header: 'remediationPlan', value: (row) => row.remediationPlan },
  { header: 'createdAt', value: (row) => row.createdAt },
  { header: 'resolvedAt', value: (row) => row.resolvedAt },
  { header: 'riskAcceptedBy', value: (row) => (row.riskAcceptance ? `${row.riskAcceptance.acceptedBy.type}:${row.riskAcceptance.acceptedBy.id}` : null) },
  { header: 'riskAcceptedAt', value: (row) => row.riskAcceptance?.acceptedAt },
  { header: 'riskAcceptanceExpiresAt', value: (row) => row.riskAcceptance?.expiresAt },
  { header: 'riskAcceptanceJustification', value: (row) => row.riskAcceptance?.justification },
  { header: 'assessmentId', value: (row) => row.assessmentId },
  { header: 'questionKey', value: (row) => row.questionKey },
  { header: 'contractId', value: (row) => row.contractId },
  { header: 'clauseKey', value: (row) => row.clauseKey },
  { header: 'auditId', value: (row) => row.auditId },
  { header: 'incidentId', value: (row) => row.incidentId },
  { header: 'evidenceId', value: (row) => row.evidenceId },
  { header: 'serviceId', value: (row) => row.serviceId },
  { header: 'updatedAt', value: (row) => row.updatedAt },
] as const satisfies readonly CsvColumn<FindingExportRow>[];

/** Every finding the list's filters match, newest first, as CSV: one query per page of 1,000 (the supplier name joined in). */
export function findingExportStream(db: Db, filter: Omit<FindingFilter, 'limit' | 'afterId'>, hooks: CsvStreamHooks): ReadableStream<Uint8Array> {
  return keysetCsvStream(
    {
      columns: FINDING_EXPORT_COLUMNS,
      page: (afterId: string | undefined, limit) => listFindingsWithSupplier(db, { ...filter, limit, afterId }),
      keyOf: (row) => row.finding.id,
      expand: async (rows) => rows.map((row) => ({ ...presentFinding(row.finding, filter.now), supplierName: row.supplierName })),
    },
    hooks,
  );
}
