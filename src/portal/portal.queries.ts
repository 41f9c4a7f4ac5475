import { and, eq, isNull } from 'drizzle-orm';
import { assessmentAnswers, assessments, evidence, portalInvitations, suppliers, tenants } from '../db/schema';
import type { Db } from '../db/types';
import type { StoredAnswer } from '../features/assessments/answer-rules';
import { documentOf } from '../features/assessments/assessments.queries';

/** The invitation a token belongs to, with its assessment's state. Tokens are looked up by hash only. */
export async function findInvitationByTokenHash(db: Db, tokenHash: string) {
  const [row] = await db
    .select({ invitation: portalInvitations, status: assessments.status })
    .from(portalInvitations)
    .innerJoin(
      assessments,
      and(eq(assessments.tenantId, portalInvitations.tenantId), eq(assessments.id, portalInvitations.assessmentId)),
    )
    .where(eq(portalInvitations.tokenHash, tokenHash))
    .limit(1);
  return row;
}

export interface EvidenceSummary {
  id: string;
  name: string;
  size: number;
  type: string;
}

export type PortalAnswer = StoredAnswer & {
  comment: string | null;
  version: number;
  reviewStatus: string;
  reviewComment: string | null;
  evidence: EvidenceSummary[];
};

/** Files uploaded for this assessment, by id. Scoped by tenant and assessment, so another's id never resolves. */
export async function evidenceOfAssessment(db: Db, tenantId: string, assessmentId: string): Promise<Map<string, EvidenceSummary>> {
  const rows = await db
    .select({ id: evidence.id, name: evidence.fileName, size: evidence.size, type: evidence.contentType })
    .from(evidence)
    .where(and(eq(evidence.tenantId, tenantId), eq(evidence.assessmentId, assessmentId), isNull(evidence.archivedAt)));
  return new Map(rows.map((row) => [row.id, row]));
}

/** Everything the portal shows, in five queries. Scoped by the invitation's tenant and assessment. */
export async function loadPortalView(db: Db, tenantId: string, assessmentId: string) {
  const [assessment] = await db
    .select({ assessment: assessments, supplierName: suppliers.name, tenantName: tenants.name })
    .from(assessments)
    .innerJoin(suppliers, and(eq(suppliers.tenantId, assessments.tenantId), eq(suppliers.id, assessments.supplierId)))
    .innerJoin(tenants, eq(tenants.id, assessments.tenantId))
    .where(and(eq(assessments.tenantId, tenantId), eq(assessments.id, assessmentId)));
  if (!assessment) return undefined;
  const document = await documentOf(db, assessment.assessment);
  const [answerRows, files] = await Promise.all([
    db
      .select()
      .from(assessmentAnswers)
      .where(and(eq(assessmentAnswers.tenantId, tenantId), eq(assessmentAnswers.assessmentId, assessmentId))),
    evidenceOfAssessment(db, tenantId, assessmentId),
  ]);
  const answers = new Map<string, PortalAnswer>(answerRows.map((row) => [row.questionKey, toPortalAnswer(row, files)]));
  return { ...assessment, document, answers };
}

export function toPortalAnswer(row: typeof assessmentAnswers.$inferSelect, files: ReadonlyMap<string, EvidenceSummary>): PortalAnswer {
  return {
    value: row.value,
    evidenceIds: row.evidenceIds,
    comment: row.comment,
    version: row.version,
    reviewStatus: row.reviewStatus,
    reviewComment: row.reviewComment,
    // An id whose file is gone (archived by staff) is not offered to the supplier.
    evidence: row.evidenceIds.flatMap((id) => files.get(id) ?? []),
  };
}

export type PortalView = NonNullable<Awaited<ReturnType<typeof loadPortalView>>>;
