import { and, eq } from 'drizzle-orm';
import { assessmentAnswers, assessments, portalInvitations, questionnaireTemplateVersions, suppliers, tenants } from '../db/schema';
import type { Db } from '../db/types';
import type { StoredAnswer } from '../features/assessments/answer-rules';

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

/** Everything the portal page shows, in four queries. Scoped by the invitation's tenant and assessment. */
export async function loadPortalView(db: Db, tenantId: string, assessmentId: string) {
  const [assessment] = await db
    .select({ assessment: assessments, supplierName: suppliers.name, tenantName: tenants.name })
    .from(assessments)
    .innerJoin(suppliers, and(eq(suppliers.tenantId, assessments.tenantId), eq(suppliers.id, assessments.supplierId)))
    .innerJoin(tenants, eq(tenants.id, assessments.tenantId))
    .where(and(eq(assessments.tenantId, tenantId), eq(assessments.id, assessmentId)));
  if (!assessment) return undefined;
  const [version] = await db
    .select({ document: questionnaireTemplateVersions.document })
    .from(questionnaireTemplateVersions)
    .where(
      and(
        eq(questionnaireTemplateVersions.tenantId, tenantId),
        eq(questionnaireTemplateVersions.templateId, assessment.assessment.templateId),
        eq(questionnaireTemplateVersions.version, assessment.assessment.templateVersion),
      ),
    );
  if (!version) return undefined;
  const answerRows = await db
    .select()
    .from(assessmentAnswers)
    .where(and(eq(assessmentAnswers.tenantId, tenantId), eq(assessmentAnswers.assessmentId, assessmentId)));
  const answers = new Map<string, StoredAnswer & { comment: string | null; version: number; reviewStatus: string; reviewComment: string | null }>(
    answerRows.map((row) => [
      row.questionKey,
      { value: row.value, evidenceIds: row.evidenceIds, comment: row.comment, version: row.version, reviewStatus: row.reviewStatus, reviewComment: row.reviewComment },
    ]),
  );
  return { ...assessment, document: version.document, answers };
}

export type PortalView = NonNullable<Awaited<ReturnType<typeof loadPortalView>>>;
