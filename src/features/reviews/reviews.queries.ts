import { and, asc, eq, gt, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { MATERIAL_PROFILE_FIELDS, REVIEW_DUE_REASONS } from '../../catalog/reviews';
import type { SupplierTier } from '../../catalog/supplier-profile';
import { suppliers } from '../../db/schema';
import type { Db } from '../../db/types';
import type { AuditEvent } from '../../lib/audit';
import { problems } from '../../lib/errors';
import { currentRiskModel } from '../risk-model/risk-model.queries';
import { findSupplier, type SupplierRow } from '../suppliers/suppliers.queries';

export type ReviewCadence = Record<SupplierTier, number>;

/** Months between regular reviews per tier, from the tenant's risk model. */
export async function reviewCadence(db: Db, tenantId: string): Promise<ReviewCadence> {
  return (await currentRiskModel(db, tenantId)).model.reviewCadenceMonths;
}

const iso = (date: Date) => sql`${date.toISOString()}::timestamptz`;

function cadenceMonths(cadence: ReviewCadence): SQL {
  return sql`case ${suppliers.tier} when 'critical' then ${cadence.critical}::int when 'strategic' then ${cadence.strategic}::int else ${cadence.routine}::int end`;
}

/**
 * `from` plus the tier's cadence, in calendar months. Computed in UTC so that the session's time
 * zone (DST) never moves the date by an hour between PGlite and Postgres.
 */
function plusCadence(from: SQL, cadence: ReviewCadence): SQL {
  return sql`((${from}) at time zone 'UTC' + make_interval(months => ${cadenceMonths(cadence)})) at time zone 'UTC'`;
}

/** The regular date: last review (or creation when never reviewed) plus the cadence of the tier. */
function scheduledReview(cadence: ReviewCadence): SQL {
  return plusCadence(sql`coalesce(${suppliers.lastReviewedAt}, ${suppliers.createdAt})`, cadence);
}

/**
 * Recomputes next_review_at from tier and cadence, set-based: after writes that may change a tier
 * (create, profile, services, import) and after a change of the model's cadence. Without ids, the
 * whole tenant. A review that was made due early (review_due_reason set) keeps its date: only a
 * review clears it. Rows whose date is already right are not written.
 */
export async function refreshReviewDates(db: Db, tenantId: string, supplierIds?: readonly string[], cadence?: ReviewCadence): Promise<void> {
  if (supplierIds && supplierIds.length === 0) return;
  const months = cadence ?? (await reviewCadence(db, tenantId));
  const next = scheduledReview(months);
  const regular = and(eq(suppliers.tenantId, tenantId), isNull(suppliers.reviewDueReason), sql`${suppliers.nextReviewAt} is distinct from ${next}`);
  if (!supplierIds) {
    await db.update(suppliers).set({ nextReviewAt: next }).where(regular);
    return;
  }
  // A join, not `id in (…)`: right after a bulk insert the table's statistics are stale, and the
  // planner turned the IN list into a nested loop of sequential scans (8 s for a 5,000-row import).
  await db.execute(sql`
    update ${suppliers} set next_review_at = ${next}
    from (select jsonb_array_elements_text(${JSON.stringify(supplierIds)}::jsonb) as id) as listed
    where ${suppliers.id} = listed.id and ${regular}`);
}

/** One supplier's regular date, returning the row as it is now. */
async function refreshOne(db: Db, row: SupplierRow): Promise<SupplierRow> {
  if (row.reviewDueReason !== null) return row;
  const next = scheduledReview(await reviewCadence(db, row.tenantId));
  const [updated] = await db
    .update(suppliers)
    .set({ nextReviewAt: next })
    .where(and(eq(suppliers.tenantId, row.tenantId), eq(suppliers.id, row.id), sql`${suppliers.nextReviewAt} is distinct from ${next}`))
    .returning();
  return updated ?? row;
}

/**
 * The audit entry of a review made due early: part of the change that caused it. None when the
 * review was already due with its reason and date kept (the causing change is audited anyway).
 */
function reviewDueEvent(before: SupplierRow, after: SupplierRow, reason: string): AuditEvent | null {
  if (before.nextReviewAt?.getTime() === after.nextReviewAt?.getTime() && before.reviewDueReason === after.reviewDueReason) return null;
  return {
    action: 'supplier.review_due',
    entityType: 'supplier',
    entityId: after.id,
    changes: {
      reason,
      nextReviewAt: { from: before.nextReviewAt?.toISOString() ?? null, to: after.nextReviewAt?.toISOString() ?? null },
      ...(before.reviewDueReason !== after.reviewDueReason ? { reviewDueReason: { from: before.reviewDueReason, to: after.reviewDueReason } } : {}),
    },
  };
}

/**
 * Makes the supplier's review due now (NIS2 IR 2024/2690 5.1.6, 5.1.7): a material change, a
 * supplier incident. A review already overdue keeps its earlier date and its first reason, so
 * the overdue time is not reset. Returns the row and the audit entry, which the caller records
 * with the change that caused it, in the same transaction. Archived suppliers are left alone.
 */
export async function markReviewDue(
  db: Db,
  input: { tenantId: string; supplierId: string; reason: string; now: Date; current?: SupplierRow },
): Promise<{ row: SupplierRow; event: AuditEvent | null }> {
  const before = input.current ?? (await findSupplier(db, input.tenantId, input.supplierId));
  if (!before) throw problems.notFound('Supplier');
  if (before.archivedAt !== null) return { row: before, event: null };
  const [row] = await db
    .update(suppliers)
    .set({
      nextReviewAt: sql`least(coalesce(${suppliers.nextReviewAt}, ${iso(input.now)}), ${iso(input.now)})`,
      reviewDueReason: sql`coalesce(${suppliers.reviewDueReason}, ${input.reason}::text)`,
    })
    .where(and(eq(suppliers.tenantId, input.tenantId), eq(suppliers.id, input.supplierId)))
    .returning();
  return { row: row!, event: reviewDueEvent(before, row!, input.reason) };
}

/** The same for many suppliers in one statement (imports); returns their audit entries. */
export async function markReviewsDue(db: Db, tenantId: string, items: readonly { supplierId: string; reason: string }[], now: Date): Promise<AuditEvent[]> {
  if (items.length === 0) return [];
  const result = (await db.execute(sql`
    update ${suppliers} set
      next_review_at = least(coalesce(b.next_review_at, ${iso(now)}), ${iso(now)}),
      review_due_reason = coalesce(b.review_due_reason, v.reason)
    from jsonb_to_recordset(${JSON.stringify(items)}::jsonb) as v("supplierId" text, reason text),
      (select id, next_review_at, review_due_reason from ${suppliers} where tenant_id = ${tenantId}) as b
    where ${suppliers.tenantId} = ${tenantId} and ${suppliers.id} = v."supplierId" and b.id = v."supplierId" and ${suppliers.archivedAt} is null
      and (b.next_review_at is null or b.next_review_at > ${iso(now)} or b.review_due_reason is null)
    returning ${suppliers.id} as id, v.reason as reason, b.next_review_at as prev_next, b.review_due_reason as prev_reason,
      ${suppliers.nextReviewAt} as next, ${suppliers.reviewDueReason} as due_reason`)) as unknown as ReviewDueRaw[] | { rows: ReviewDueRaw[] };
  const rows = Array.isArray(result) ? result : result.rows;
  const time = (value: string | Date | null) => (value === null ? null : new Date(value).toISOString());
  return rows.map((row) => ({
    action: 'supplier.review_due',
    entityType: 'supplier',
    entityId: row.id,
    changes: {
      reason: row.reason,
      nextReviewAt: { from: time(row.prev_next), to: time(row.next) },
      ...(row.prev_reason !== row.due_reason ? { reviewDueReason: { from: row.prev_reason, to: row.due_reason } } : {}),
    },
  }));
}

interface ReviewDueRaw {
  id: string;
  reason: string;
  prev_next: string | Date | null;
  prev_reason: string | null;
  next: string | Date | null;
  due_reason: string | null;
}

/** 'profile_changed: accessLevel, outsideEea' when a material field changed, else null. */
export function materialProfileChange(changedFields: readonly string[]): string | null {
  const material = MATERIAL_PROFILE_FIELDS.filter((field) => changedFields.includes(field));
  return material.length > 0 ? `${REVIEW_DUE_REASONS.profileChanged}: ${material.join(', ')}` : null;
}

/**
 * Keeps the review schedule current after a supplier write, in its transaction: a new supplier
 * gets its first date; a material profile change makes the review due now; a tier change (an
 * override, say) moves the regular date. Returns the row as it now is and any audit entry.
 */
export async function reviewAfterSupplierWrite(
  db: Db,
  input: { before: SupplierRow | undefined; after: SupplierRow; changedFields?: readonly string[]; now: Date },
): Promise<{ row: SupplierRow; events: AuditEvent[] }> {
  const { before, after } = input;
  const reason = before ? materialProfileChange(input.changedFields ?? []) : null;
  if (reason) {
    const { row, event } = await markReviewDue(db, { tenantId: after.tenantId, supplierId: after.id, reason, now: input.now, current: after });
    return { row, events: event ? [event] : [] };
  }
  if (!before || before.tier !== after.tier || after.nextReviewAt === null) return { row: await refreshOne(db, after), events: [] };
  return { row: after, events: [] };
}

/**
 * After a service write: a service added or removed, or its criticality changed, makes the
 * supplier's review due now; any tier change from the services moves the regular date.
 */
export async function reviewAfterServiceWrite(
  db: Db,
  input: { supplier: SupplierRow; reason: string | null; now: Date },
): Promise<AuditEvent[]> {
  const current = await findSupplier(db, input.supplier.tenantId, input.supplier.id);
  if (!current) return [];
  if (input.reason) {
    const { event } = await markReviewDue(db, { tenantId: current.tenantId, supplierId: current.id, reason: input.reason, now: input.now, current });
    return event ? [event] : [];
  }
  if (current.tier !== input.supplier.tier) await refreshOne(db, current);
  return [];
}

/**
 * Records a review: last_reviewed_at is now, the early-due reason is cleared and the next date is
 * a full cadence away. Accepting an assessment calls it too, in the accept's transaction.
 */
export async function recordReview(db: Db, current: SupplierRow, now: Date): Promise<SupplierRow> {
  const cadence = await reviewCadence(db, current.tenantId);
  const [row] = await db
    .update(suppliers)
    .set({ lastReviewedAt: now, reviewDueReason: null, nextReviewAt: plusCadence(iso(now), cadence) })
    .where(and(eq(suppliers.tenantId, current.tenantId), eq(suppliers.id, current.id)))
    .returning();
  return row!;
}

/** The audit changes of a recorded review. */
export function reviewChanges(before: SupplierRow, after: SupplierRow): Record<string, unknown> {
  const time = (date: Date | null) => date?.toISOString() ?? null;
  return {
    lastReviewedAt: { from: time(before.lastReviewedAt), to: time(after.lastReviewedAt) },
    nextReviewAt: { from: time(before.nextReviewAt), to: time(after.nextReviewAt) },
    ...(before.reviewDueReason !== null ? { reviewDueReason: { from: before.reviewDueReason, to: null } } : {}),
  };
}

export interface DueReviewFilter {
  tenantId: string;
  before: Date;
  limit: number;
  tier?: string;
  owner?: string;
  after?: { nextReviewAt: Date; id: string };
}

export type DueReviewRow = Pick<
  SupplierRow,
  'id' | 'name' | 'tier' | 'riskRating' | 'owner' | 'nextReviewAt' | 'lastReviewedAt' | 'reviewDueReason'
>;

/**
 * Suppliers whose next review is before `before`, soonest first, keyset over (next_review_at, id):
 * a range scan of suppliers_next_review_idx (its predicate, archived_at is null, is repeated here
 * so the planner can use the partial index).
 */
export function listDueReviews(db: Db, filter: DueReviewFilter): Promise<DueReviewRow[]> {
  const keyset = filter.after
    ? or(gt(suppliers.nextReviewAt, filter.after.nextReviewAt), and(eq(suppliers.nextReviewAt, filter.after.nextReviewAt), gt(suppliers.id, filter.after.id)))
    : undefined;
  return db
    .select({
      id: suppliers.id,
      name: suppliers.name,
      tier: suppliers.tier,
      riskRating: suppliers.riskRating,
      owner: suppliers.owner,
      nextReviewAt: suppliers.nextReviewAt,
      lastReviewedAt: suppliers.lastReviewedAt,
      reviewDueReason: suppliers.reviewDueReason,
    })
    .from(suppliers)
    .where(
      and(
        eq(suppliers.tenantId, filter.tenantId),
        isNull(suppliers.archivedAt),
        // Only active suppliers take part in the cadence: prospects are onboarded, leavers offboarded.
        eq(suppliers.status, 'active'),
        lt(suppliers.nextReviewAt, filter.before),
        filter.tier ? eq(suppliers.tier, filter.tier) : undefined,
        filter.owner ? eq(suppliers.owner, filter.owner) : undefined,
        keyset,
      ),
    )
    .orderBy(asc(suppliers.nextReviewAt), asc(suppliers.id))
    .limit(filter.limit + 1);
}
