import { and, eq, inArray, isNull } from 'drizzle-orm';
import { contracts, evidence, subcontractingLinks } from '../../db/schema';
import type { Db } from '../../db/types';

export interface OffboardingFacts {
  liveContracts: { id: string; reference: string; status: string }[];
  hasSubcontractors: boolean;
}

/** What decides whether items apply or are met by the records: live contracts and subcontractors. */
export async function offboardingFacts(db: Db, tenantId: string, supplierId: string): Promise<OffboardingFacts> {
  const [live, links] = await Promise.all([
    db
      .select({ id: contracts.id, reference: contracts.reference, status: contracts.status })
      .from(contracts)
      .where(and(eq(contracts.tenantId, tenantId), eq(contracts.supplierId, supplierId), inArray(contracts.status, ['draft', 'active'])))
      .orderBy(contracts.reference),
    db
      .select({ id: subcontractingLinks.subcontractorId })
      .from(subcontractingLinks)
      .where(and(eq(subcontractingLinks.tenantId, tenantId), eq(subcontractingLinks.supplierId, supplierId)))
      .limit(1),
  ]);
  return { liveContracts: live, hasSubcontractors: links.length > 0 };
}

/** The ids among `ids` that are live evidence of the supplier. */
export async function supplierEvidenceIds(db: Db, tenantId: string, supplierId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: evidence.id })
    .from(evidence)
    .where(and(eq(evidence.tenantId, tenantId), eq(evidence.supplierId, supplierId), isNull(evidence.archivedAt), inArray(evidence.id, [...ids])));
  return new Set(rows.map((row) => row.id));
}
