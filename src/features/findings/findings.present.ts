import type { FindingSource, FindingStatus } from '../../catalog/findings';
import type { Severity } from '../../scoring/types';
import { isFindingOverdue, type FindingCommentRow, type FindingRow } from './findings.queries';
import type { FindingResponse } from './findings.schemas';

/** The JSON shape of a finding in every API answer. */
export function presentFinding(row: FindingRow, now: Date): FindingResponse {
  const accepted = row.status === 'risk_accepted' && row.riskAcceptedAt && row.riskAcceptanceExpiresAt;
  return {
    id: row.id,
    supplierId: row.supplierId,
    title: row.title,
    description: row.description,
    severity: row.severity as Severity,
    status: row.status as FindingStatus,
    source: row.source as FindingSource,
    sourceRef: row.sourceRef,
    assessmentId: row.assessmentId,
    questionKey: row.questionKey,
    serviceId: row.serviceId,
    evidenceId: row.evidenceId,
    contractId: row.contractId,
    clauseKey: row.clauseKey,
    auditId: row.auditId,
    incidentId: row.incidentId,
    owner: row.owner,
    dueDate: row.dueDate,
    overdue: isFindingOverdue(row, now),
    remediationPlan: row.remediationPlan,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    riskAcceptance: accepted
      ? {
          acceptedBy: { type: row.riskAcceptedByType ?? '', id: row.riskAcceptedById ?? '' },
          acceptedAt: row.riskAcceptedAt!.toISOString(),
          justification: row.riskAcceptanceJustification ?? '',
          expiresAt: row.riskAcceptanceExpiresAt!,
        }
      : null,
    createdBy: { type: row.createdByType, id: row.createdById },
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentComment(row: FindingCommentRow) {
  return {
    id: row.id,
    findingId: row.findingId,
    body: row.body,
    author: { type: row.authorType, id: row.authorId },
    createdAt: row.createdAt.toISOString(),
  };
}

/** The acceptance columns of a row, for the audit entry that ends the acceptance. */
export function acceptanceRecord(row: FindingRow) {
  return {
    acceptedBy: { type: row.riskAcceptedByType, id: row.riskAcceptedById },
    acceptedAt: row.riskAcceptedAt?.toISOString() ?? null,
    justification: row.riskAcceptanceJustification,
    expiresAt: row.riskAcceptanceExpiresAt,
  };
}
