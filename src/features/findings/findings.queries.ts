import { and, asc, desc, eq, gt, isNull, lt, lte, not, or, sql, type SQL } from 'drizzle-orm';
import { ACTIVE_FINDING_STATUSES, type FindingSource, type FindingStatus } from '../../catalog/findings';
import type { PgSelect } from 'drizzle-orm/pg-core';
import { findingComments, findings, suppliers } from '../../db/schema';
import type { Db } from '../../db/types';
import { problems } from '../../lib/errors';
import type { Severity } from '../../scoring/types';
import { dayOf } from '../../lib/dates';

export type FindingRow = typeof findings.$inferSelect;
export type NewFindingRow = typeof findings.$inferInsert;
export type FindingCommentRow = typeof findingComments.$inferSelect;

const byId = (tenantId: string, id: string) => and(eq(findings.tenantId, tenantId), eq(findings.id, id));

/** The UTC day of `now`, as the `date` columns store it. */

export function isFindingOverdue(row: Pick<FindingRow, 'status' | 'dueDate'>, now: Date): boolean {
  return (ACTIVE_FINDING_STATUSES as readonly string[]).includes(row.status) && row.dueDate !== null && row.dueDate < dayOf(now);
}

export async function findFinding(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<FindingRow | undefined> {
  const query = db.select().from(findings).where(byId(tenantId, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

/** The finding, or 404 (also for another tenant's id). */
export async function requireFinding(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<FindingRow> {
  const row = await findFinding(db, tenantId, id, options);
  if (!row) throw problems.notFound('Finding');
  return row;
}

export async function insertFinding(db: Db, values: NewFindingRow): Promise<FindingRow> {
  const [row] = await db.insert(findings).values(values).returning();
  return row!;
}

/**
 * Inserts unless the tenant already has a finding for this source and reference; then nothing is
 * written and undefined comes back. The partial unique index decides, so two transactions that
 * race for the same cause cannot both insert: the second waits for the first and then skips.
 */
export async function insertFindingUnlessRaised(db: Db, values: NewFindingRow & { sourceRef: string }): Promise<FindingRow | undefined> {
  const [row] = await db
    .insert(findings)
    .values(values)
    .onConflictDoNothing({ target: [findings.tenantId, findings.source, findings.sourceRef], where: sql`${findings.sourceRef} is not null` })
    .returning();
  return row;
}

export async function findFindingBySource(db: Db, tenantId: string, source: FindingSource, sourceRef: string, options: { forUpdate?: boolean } = {}) {
  const query = db
    .select()
    .from(findings)
    .where(and(eq(findings.tenantId, tenantId), eq(findings.source, source), eq(findings.sourceRef, sourceRef)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export type FindingChanges = Partial<
  Pick<
    FindingRow,
    | 'title'
    | 'description'
    | 'severity'
    | 'owner'
    | 'dueDate'
    | 'remediationPlan'
    | 'status'
    | 'resolvedAt'
    | 'assessmentId'
    | 'riskAcceptedByType'
    | 'riskAcceptedById'
    | 'riskAcceptedAt'
    | 'riskAcceptanceJustification'
    | 'riskAcceptanceExpiresAt'
  >
>;

/** Clears the acceptance columns: they describe the acceptance in force, earlier ones live in the audit log. */
export const NO_ACCEPTANCE = {
  riskAcceptedByType: null,
  riskAcceptedById: null,
  riskAcceptedAt: null,
  riskAcceptanceJustification: null,
  riskAcceptanceExpiresAt: null,
} as const satisfies FindingChanges;

/** Writes changes over a locked row and bumps its version. */
export async function updateFinding(db: Db, current: FindingRow, changes: FindingChanges, now: Date): Promise<FindingRow> {
  const [row] = await db
    .update(findings)
    .set({ ...changes, version: current.version + 1, updatedAt: now })
    .where(and(byId(current.tenantId, current.id), eq(findings.version, current.version)))
    .returning();
  if (!row) throw problems.conflict('The finding changed while this request ran. Read it again and retry.', 'concurrent_update');
  return row;
}

export interface FindingFilter {
  tenantId: string;
  limit: number;
  supplierId?: string | undefined;
  severity?: Severity | undefined;
  status?: FindingStatus | undefined;
  source?: FindingSource | undefined;
  overdue?: boolean | undefined;
  now: Date;
  afterId?: string | undefined;
}

// Literal, so that the planner matches the partial index findings_due_idx.
const ACTIVE_SQL = sql.raw(`"findings"."status" in (${ACTIVE_FINDING_STATUSES.map((status) => `'${status}'`).join(', ')})`);

/** The list's filters and keyset, shared by the JSON list and the CSV export so that they cannot drift. */
function findingsWhere(filter: FindingFilter): SQL | undefined {
  const today = dayOf(filter.now);
  const overdueSql = and(ACTIVE_SQL, lt(findings.dueDate, today));
  return and(
    eq(findings.tenantId, filter.tenantId),
    filter.supplierId ? eq(findings.supplierId, filter.supplierId) : undefined,
    filter.severity ? eq(findings.severity, filter.severity) : undefined,
    filter.status ? eq(findings.status, filter.status) : undefined,
    filter.source ? eq(findings.source, filter.source) : undefined,
    filter.overdue === true ? overdueSql : undefined,
    filter.overdue === false ? or(not(ACTIVE_SQL), isNull(findings.dueDate), sql`${findings.dueDate} >= ${today}`) : undefined,
    filter.afterId ? lt(findings.id, filter.afterId) : undefined,
  );
}

/** One page of the list over any select from `findings`: newest first by id (ids sort by creation time), limit + 1 rows. */
const findingsPage = <Query extends PgSelect>(query: Query, filter: FindingFilter) =>
  query.where(findingsWhere(filter)).orderBy(desc(findings.id)).limit(filter.limit + 1);

/** Keyset pagination, newest first by id; fetches limit + 1 rows. */
export function listFindings(db: Db, filter: FindingFilter): Promise<FindingRow[]> {
  return findingsPage(db.select().from(findings).$dynamic(), filter);
}

/** The same page with each finding's supplier name (one join, for the export). */
export function listFindingsWithSupplier(db: Db, filter: FindingFilter) {
  return findingsPage(
    db
      .select({ finding: findings, supplierName: suppliers.name })
      .from(findings)
      .leftJoin(suppliers, and(eq(suppliers.tenantId, findings.tenantId), eq(suppliers.id, findings.supplierId)))
      .$dynamic(),
    filter,
  );
}

export async function insertComment(db: Db, values: typeof findingComments.$inferInsert): Promise<FindingCommentRow> {
  const [row] = await db.insert(findingComments).values(values).returning();
  return row!;
}

/** Oldest first, as a conversation reads; keyset on id. */
export function listComments(db: Db, filter: { tenantId: string; findingId: string; limit: number; afterId?: string | undefined }) {
  return db
    .select()
    .from(findingComments)
    .where(
      and(
        eq(findingComments.tenantId, filter.tenantId),
        eq(findingComments.findingId, filter.findingId),
        filter.afterId ? gt(findingComments.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(findingComments.id))
    .limit(filter.limit + 1);
}

/** Accepted findings whose acceptance ran out by `today`, across tenants, oldest expiry first. */
export function expiredAcceptances(db: Db, today: string, limit: number, tenantId?: string) {
  return db
    .select({ tenantId: findings.tenantId, id: findings.id })
    .from(findings)
    .where(
      and(
        eq(findings.status, 'risk_accepted'),
        lte(findings.riskAcceptanceExpiresAt, today),
        tenantId === undefined ? undefined : eq(findings.tenantId, tenantId),
      ),
    )
    .orderBy(asc(findings.riskAcceptanceExpiresAt))
    .limit(limit);
}
