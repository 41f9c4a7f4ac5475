import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import { ALERT_GRACE_DAYS, MAX_ALERT_DAYS, type DeadlineAlertKind } from '../../catalog/deadline-alerts';
import { deadlineAlerts } from '../../db/schema';
import { rowsOf } from '../../db/rows';
import type { Db } from '../../db/types';

export type DeadlineAlertRow = typeof deadlineAlerts.$inferSelect;
export type NewDeadlineAlertRow = typeof deadlineAlerts.$inferInsert;

export interface DeadlineAlertFilter {
  tenantId: string;
  limit: number;
  kind?: DeadlineAlertKind | undefined;
  supplierId?: string | undefined;
  afterId?: string | undefined;
}

export function listDeadlineAlerts(db: Db, filter: DeadlineAlertFilter): Promise<DeadlineAlertRow[]> {
  const conditions: (SQL | undefined)[] = [
    eq(deadlineAlerts.tenantId, filter.tenantId),
    filter.kind ? eq(deadlineAlerts.kind, filter.kind) : undefined,
    filter.supplierId ? eq(deadlineAlerts.supplierId, filter.supplierId) : undefined,
    filter.afterId ? lt(deadlineAlerts.id, filter.afterId) : undefined,
  ];
  return db
    .select()
    .from(deadlineAlerts)
    .where(and(...conditions))
    .orderBy(desc(deadlineAlerts.id))
    .limit(filter.limit + 1);
}

/** A deadline for which one of the tenant's lead times is due and not yet alerted. */
export interface DueDeadline {
  tenant_id: string;
  organisation: string;
  notification_email: string | null;
  kind: DeadlineAlertKind;
  subject_id: string;
  supplier_id: string;
  supplier_name: string;
  supplier_owner: string | null;
  /** Contract reference, or the evidence title (file name when untitled). */
  label: string;
  /** The evidence kind; null for contracts. */
  evidence_kind: string | null;
  auto_renewal: boolean | null;
  deadline: string;
  lead_days: number;
  days_left: number;
}

/*
 * The due lead time of a deadline is the SMALLEST of the tenant's lead times whose day has come:
 * a job that was down while both the 60- and the 30-day alert fell due sends the 30-day one only,
 * and an alert exists check against every lead time up to it keeps the 60-day one from coming
 * after it. `deadline - lead <= today` is the day arithmetic of Postgres dates.
 */
const dueLead = (days: SQL, deadline: SQL, today: string) => sql`(select min(l) from unnest(${days}) l where ${deadline} - l <= ${today}::date)`;

const notYetAlerted = sql`not exists (
  select 1 from deadline_alerts a
  where a.tenant_id = due.tenant_id and a.kind = due.kind and a.subject_id = due.subject_id
    and a.deadline = due.deadline::date and a.lead_days <= due.lead_days)`;

/** Contract end dates and notice deadlines of active contracts with a due, un-alerted lead time. */
export function dueContractDeadlines(db: Db, today: string, options: { tenantId?: string | undefined; limit: number }): Promise<DueDeadline[]> {
  return rowsOf<DueDeadline>(
    db,
    sql`
    select * from (
      select ct.tenant_id, tr.name as organisation, tr.notification_email, d.kind, ct.id as subject_id,
             ct.supplier_id, s.name as supplier_name, s.owner as supplier_owner, ct.reference as label,
             null::text as evidence_kind, ct.auto_renewal, d.deadline::text as deadline,
             ${dueLead(sql`tr.contract_alert_days`, sql`d.deadline`, today)} as lead_days,
             (d.deadline - ${today}::date) as days_left
      from contracts ct
      join tenants tr on tr.id = ct.tenant_id
      join suppliers s on s.tenant_id = ct.tenant_id and s.id = ct.supplier_id
      cross join lateral (values ('contract_end', ct.end_date), ('contract_notice', ct.end_date - ct.notice_period_days)) d(kind, deadline)
      where ct.status = 'active' and ct.end_date is not null
        and ct.end_date >= ${today}::date - ${ALERT_GRACE_DAYS}::int
        and d.deadline is not null
        and d.deadline between ${today}::date - ${ALERT_GRACE_DAYS}::int and ${today}::date + ${MAX_ALERT_DAYS}::int
        ${options.tenantId ? sql`and ct.tenant_id = ${options.tenantId}` : sql``}
    ) due
    where due.lead_days is not null and ${notYetAlerted}
    order by due.deadline, due.tenant_id, due.subject_id, due.kind
    limit ${options.limit}`,
  );
}

/**
 * Validity ends of live evidence of suppliers that are not terminated or archived, unless newer
 * evidence of the same kind for the same supplier is valid for longer (the renewal arrived).
 */
export function dueEvidenceDeadlines(db: Db, today: string, options: { tenantId?: string | undefined; limit: number }): Promise<DueDeadline[]> {
  return rowsOf<DueDeadline>(
    db,
    sql`
    select * from (
      select e.tenant_id, tr.name as organisation, tr.notification_email, 'evidence_expiry' as kind, e.id as subject_id,
             e.supplier_id, s.name as supplier_name, s.owner as supplier_owner, coalesce(e.title, e.file_name) as label,
             e.kind as evidence_kind, null::boolean as auto_renewal, e.valid_until::text as deadline,
             ${dueLead(sql`tr.evidence_alert_days`, sql`e.valid_until`, today)} as lead_days,
             (e.valid_until - ${today}::date) as days_left
      from evidence e
      join tenants tr on tr.id = e.tenant_id
      join suppliers s on s.tenant_id = e.tenant_id and s.id = e.supplier_id
      where e.archived_at is null
        and e.valid_until between ${today}::date - ${ALERT_GRACE_DAYS}::int and ${today}::date + ${MAX_ALERT_DAYS}::int
        and s.archived_at is null and s.status <> 'terminated'
        ${options.tenantId ? sql`and e.tenant_id = ${options.tenantId}` : sql``}
        and not exists (
          select 1 from evidence n
          where e.kind <> 'other' and n.tenant_id = e.tenant_id and n.supplier_id = e.supplier_id and n.kind = e.kind
            and n.archived_at is null and n.valid_until > e.valid_until)
    ) due
    where due.lead_days is not null and ${notYetAlerted}
    order by due.deadline, due.tenant_id, due.subject_id
    limit ${options.limit}`,
  );
}

/** Inserts the alert unless an instance running the same job at the same time got there first. */
export async function insertAlertOnce(db: Db, values: NewDeadlineAlertRow): Promise<DeadlineAlertRow | undefined> {
  const [row] = await db.insert(deadlineAlerts).values(values).onConflictDoNothing().returning();
  return row;
}

export async function setMailedTo(db: Db, tenantId: string, id: string, address: string): Promise<void> {
  await db.update(deadlineAlerts).set({ mailedTo: address }).where(and(eq(deadlineAlerts.tenantId, tenantId), eq(deadlineAlerts.id, id)));
}
