import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { IncidentStatus } from '../../catalog/incidents';
import { ictServices, incidents } from '../../db/schema';
import type { Db } from '../../db/types';
import { problems } from '../../lib/errors';
import type { Severity } from '../../scoring/types';

export type IncidentRow = typeof incidents.$inferSelect;
export type NewIncidentRow = typeof incidents.$inferInsert;

const byId = (tenantId: string, id: string) => and(eq(incidents.tenantId, tenantId), eq(incidents.id, id));

export async function findIncident(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<IncidentRow | undefined> {
  const query = db.select().from(incidents).where(byId(tenantId, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

/** The incident, or 404 (also for another tenant's id). */
export async function requireIncident(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<IncidentRow> {
  const row = await findIncident(db, tenantId, id, options);
  if (!row) throw problems.notFound('Incident');
  return row;
}

export async function insertIncident(db: Db, values: NewIncidentRow): Promise<IncidentRow> {
  const [row] = await db.insert(incidents).values(values).returning();
  return row!;
}

export type IncidentChanges = Partial<
  Pick<
    IncidentRow,
    'title' | 'description' | 'severity' | 'significant' | 'status' | 'serviceIds' | 'earlyWarningCompletedAt' | 'notificationCompletedAt' | 'finalReportCompletedAt' | 'resolvedAt'
  >
>;

/** Writes changes over a locked row and bumps its version. */
export async function updateIncident(db: Db, current: IncidentRow, changes: IncidentChanges, now: Date): Promise<IncidentRow> {
  const [row] = await db
    .update(incidents)
    .set({ ...changes, version: current.version + 1, updatedAt: now })
    .where(and(byId(current.tenantId, current.id), eq(incidents.version, current.version)))
    .returning();
  if (!row) throw problems.conflict('The incident changed while this request ran. Read it again and retry.', 'concurrent_update');
  return row;
}

/** Which of `ids` are not ICT services of this supplier. One query for all of them. */
export async function foreignServiceIds(db: Db, tenantId: string, supplierId: string, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const found = await db
    .select({ id: ictServices.id })
    .from(ictServices)
    .where(and(eq(ictServices.tenantId, tenantId), eq(ictServices.supplierId, supplierId), inArray(ictServices.id, unique)));
  const known = new Set(found.map((row) => row.id));
  return unique.filter((id) => !known.has(id));
}

const iso = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/**
 * Any milestone past due and not completed, computed in SQL the way incidents.deadlines.ts does
 * in code: hours added to the instant, the month as a calendar month in UTC.
 */
function overdueSql(now: Date): SQL {
  const at = iso(now);
  return sql`(
    (${incidents.earlyWarningCompletedAt} is null and ${incidents.awareAt} + interval '24 hours' < ${at})
    or (${incidents.notificationCompletedAt} is null and ${incidents.awareAt} + interval '72 hours' < ${at})
    or (${incidents.finalReportCompletedAt} is null and ((${incidents.awareAt} at time zone 'UTC' + interval '1 month') at time zone 'UTC') < ${at})
  )`;
}

export interface IncidentFilter {
  tenantId: string;
  limit: number;
  supplierId?: string | undefined;
  status?: IncidentStatus | undefined;
  severity?: Severity | undefined;
  significant?: boolean | undefined;
  overdue?: boolean | undefined;
  now: Date;
  /** The last row of the previous page. */
  after?: { awareAt: string; id: string } | undefined;
}

/**
 * Keyset pagination, most recent awareness first, then id; fetches limit + 1 rows. Supplier and
 * status filters follow the (tenant, supplier|status, aware_at, id) indexes; the others narrow
 * what those return.
 */
export function listIncidents(db: Db, filter: IncidentFilter): Promise<IncidentRow[]> {
  const conditions: (SQL | undefined)[] = [
    eq(incidents.tenantId, filter.tenantId),
    filter.supplierId ? eq(incidents.supplierId, filter.supplierId) : undefined,
    filter.status ? eq(incidents.status, filter.status) : undefined,
    filter.severity ? eq(incidents.severity, filter.severity) : undefined,
    filter.significant === undefined ? undefined : eq(incidents.significant, filter.significant),
    filter.overdue === true ? overdueSql(filter.now) : undefined,
    filter.overdue === false ? sql`not ${overdueSql(filter.now)}` : undefined,
  ];
  if (filter.after) {
    conditions.push(sql`(${incidents.awareAt}, ${incidents.id}) < (${filter.after.awareAt}::timestamptz, ${filter.after.id})`);
  }
  return db
    .select()
    .from(incidents)
    .where(and(...conditions))
    .orderBy(desc(incidents.awareAt), desc(incidents.id))
    .limit(filter.limit + 1);
}
