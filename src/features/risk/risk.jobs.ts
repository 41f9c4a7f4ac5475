import { sql, type SQL } from 'drizzle-orm';
import { assessments, evidence, suppliers } from '../../db/schema';
import type { Db } from '../../db/types';
import { SUPPLIER_OPEN_STATUSES } from '../assessments/assessments.queries';
import { rowsOf } from '../../db/rows';
import { dayOf } from '../../lib/dates';
import { rescoreSuppliers } from './risk.rescore';

/** How far back the date job looks: covers days the jobs did not run (a stopped server). */
const LOOKBACK_DAYS = 14;
const DEFAULT_LIMIT = 1_000;

// Literal, so the planner can use the partial index assessments_open_due_idx.
const SUPPLIER_OPEN = sql.raw(`a.status in (${SUPPLIER_OPEN_STATUSES.map((status) => `'${status}'`).join(', ')})`);

/**
 * Scores depend on the date: evidence expires, certificates lapse, assessments fall overdue, with
 * nobody writing anything. This re-scores the suppliers for which such a date passed since their
 * last score (`risk_scored_at`): evidence whose last valid day is now behind us but was not then,
 * assessments whose due date passed while the supplier still has to act. Re-scoring moves
 * `risk_scored_at` past the date, so each supplier is picked up once per event, and a run with
 * nothing new is two index range scans. Runs with the other jobs; bounded per run.
 */
export async function rescoreDateDependent(db: Db, now: Date, options: { limit?: number; tenantId?: string } = {}): Promise<number> {
  const today = dayOf(now);
  const since = new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000);
  const tenant = (column: SQL) => (options.tenantId ? sql`and ${column} = ${options.tenantId}` : sql``);
  const due = await rowsOf<{ tenant_id: string; supplier_id: string }>(
    db,
    sql`select distinct tenant_id, supplier_id from (
          select e.tenant_id, e.supplier_id from ${evidence} e
          join ${suppliers} s on s.tenant_id = e.tenant_id and s.id = e.supplier_id
          where e.valid_until < ${today}::date and e.valid_until >= ${dayOf(since)}::date and e.archived_at is null
            and s.risk_scored_at is not null and s.archived_at is null
            and e.valid_until >= (s.risk_scored_at at time zone 'UTC')::date ${tenant(sql`e.tenant_id`)}
          union all
          select a.tenant_id, a.supplier_id from ${assessments} a
          join ${suppliers} s on s.tenant_id = a.tenant_id and s.id = a.supplier_id
          where ${SUPPLIER_OPEN} and a.due_at < ${now.toISOString()}::timestamptz and a.due_at >= ${since.toISOString()}::timestamptz
            and s.risk_scored_at is not null and s.archived_at is null
            and a.due_at >= s.risk_scored_at ${tenant(sql`a.tenant_id`)}
        ) as due
        order by tenant_id, supplier_id
        limit ${options.limit ?? DEFAULT_LIMIT}`,
  );
  const byTenant = new Map<string, string[]>();
  for (const row of due) byTenant.set(row.tenant_id, [...(byTenant.get(row.tenant_id) ?? []), row.supplier_id]);
  let scored = 0;
  for (const [tenantId, supplierIds] of byTenant) {
    const result = await db.transaction((tx) => rescoreSuppliers(tx, { tenantId, supplierIds, now, trigger: 'date' }));
    scored += result.scored;
  }
  return scored;
}
