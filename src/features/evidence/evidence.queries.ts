import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { EvidenceKind } from '../../catalog/evidence-kinds';
import { evidence } from '../../db/schema';
import type { Db } from '../../db/types';
import { problems } from '../../lib/errors';

export type EvidenceRow = typeof evidence.$inferSelect;
export type NewEvidenceRow = typeof evidence.$inferInsert;

const byId = (tenantId: string, id: string) => and(eq(evidence.tenantId, tenantId), eq(evidence.id, id));

export async function findEvidence(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<EvidenceRow | undefined> {
  const query = db.select().from(evidence).where(byId(tenantId, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

/** The evidence, or 404 (also for another tenant's id). */
export async function requireEvidence(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<EvidenceRow> {
  const row = await findEvidence(db, tenantId, id, options);
  if (!row) throw problems.notFound('Evidence');
  return row;
}

export async function insertEvidence(db: Db, values: NewEvidenceRow): Promise<EvidenceRow> {
  const [row] = await db.insert(evidence).values(values).returning();
  return row!;
}

export type EvidenceChanges = Partial<Pick<EvidenceRow, 'kind' | 'title' | 'issuedAt' | 'validFrom' | 'validUntil' | 'periodStart' | 'periodEnd' | 'archivedAt'>>;

/** Writes changes over a locked row and bumps its version. */
export async function updateEvidence(db: Db, current: EvidenceRow, changes: EvidenceChanges, now: Date): Promise<EvidenceRow> {
  const [row] = await db
    .update(evidence)
    .set({ ...changes, version: current.version + 1, updatedAt: now })
    .where(and(byId(current.tenantId, current.id), eq(evidence.version, current.version)))
    .returning();
  if (!row) throw problems.conflict('The evidence changed while this request ran. Read it again and retry.', 'concurrent_update');
  return row;
}

export interface EvidenceFilter {
  tenantId: string;
  limit: number;
  supplierId?: string | undefined;
  kind?: EvidenceKind | undefined;
  assessmentId?: string | undefined;
  includeArchived: boolean;
  /** Sorts by validUntil (soonest first) instead of newest first. */
  expiringBefore?: string | undefined;
  /** The last row of the previous page: its id, and its validUntil when sorting by it. */
  after?: { id: string; validUntil?: string | undefined } | undefined;
}

/** Keyset pagination, newest first by id (ids sort by creation time) or soonest validUntil first; fetches limit + 1 rows. */
export function listEvidence(db: Db, filter: EvidenceFilter): Promise<EvidenceRow[]> {
  const conditions: (SQL | undefined)[] = [
    eq(evidence.tenantId, filter.tenantId),
    filter.supplierId ? eq(evidence.supplierId, filter.supplierId) : undefined,
    filter.kind ? eq(evidence.kind, filter.kind) : undefined,
    filter.assessmentId ? eq(evidence.assessmentId, filter.assessmentId) : undefined,
    filter.includeArchived ? undefined : isNull(evidence.archivedAt),
  ];
  if (filter.expiringBefore) {
    conditions.push(isNotNull(evidence.validUntil), lt(evidence.validUntil, filter.expiringBefore));
    if (filter.after?.validUntil) {
      const { validUntil, id } = filter.after;
      conditions.push(or(gt(evidence.validUntil, validUntil), and(eq(evidence.validUntil, validUntil), gt(evidence.id, id))));
    }
    return db
      .select()
      .from(evidence)
      .where(and(...conditions))
      .orderBy(asc(evidence.validUntil), asc(evidence.id))
      .limit(filter.limit + 1);
  }
  if (filter.after) conditions.push(lt(evidence.id, filter.after.id));
  return db
    .select()
    .from(evidence)
    .where(and(...conditions))
    .orderBy(desc(evidence.id))
    .limit(filter.limit + 1);
}

/**
 * Which of `ids` are not live evidence of this supplier in this tenant (unknown, another
 * supplier's or tenant's, or archived). One query for all of them.
 */
export async function unusableEvidenceIds(db: Db, tenantId: string, supplierId: string, ids: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Set();
  const found = await db
    .select({ id: evidence.id })
    .from(evidence)
    .where(and(eq(evidence.tenantId, tenantId), eq(evidence.supplierId, supplierId), isNull(evidence.archivedAt), inArray(evidence.id, unique)));
  const usable = new Set(found.map((row) => row.id));
  return new Set(unique.filter((id) => !usable.has(id)));
}
