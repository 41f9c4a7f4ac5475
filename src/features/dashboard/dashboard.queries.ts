import { sql, type SQL } from 'drizzle-orm';
import { ACTIVE_FINDING_STATUSES } from '../../catalog/findings';
import { assessments, evidence, findings, riskScores, suppliers } from '../../db/schema';
import type { Db } from '../../db/types';
import { SUPPLIER_OPEN_STATUSES } from '../assessments/assessments.queries';
import { dayOf } from '../../lib/dates';

/*
 * The portfolio dashboard: a fixed handful of aggregates per tenant, each one statement, whatever
 * the number of suppliers. Everything belongs to suppliers that are not archived: the join to
 * suppliers is what drops an archived supplier's assessments, findings and evidence.
 */

async function rowsOf<Row>(db: Db, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as Row[] | { rows: Row[] };
  return Array.isArray(result) ? result : result.rows;
}

const list = (values: readonly string[]) => sql.join(values.map((value) => sql`${value}`), sql`, `);
const iso = (date: Date) => sql`${date.toISOString()}::timestamptz`;
/** The UTC calendar day of `now`: finding due dates and evidence validity are dates. */
const today = (now: Date) => sql`${dayOf(now)}::date`;

export interface SupplierGroupRow {
  tier: string;
  risk_rating: string | null;
  suppliers: number;
  reviews_due: number;
  reviews_due_early: number;
  reviews_next_30_days: number;
}

export interface AssessmentGroupRow {
  status: string;
  assessments: number;
  overdue: number;
}

export interface FindingGroupRow {
  status: string;
  severity: string;
  findings: number;
  overdue: number;
}

export interface EvidenceExpiryRow {
  expired: number;
  within_30_days: number;
  within_60_days: number;
  within_90_days: number;
}

export interface PortfolioCounts {
  suppliers: SupplierGroupRow[];
  assessments: AssessmentGroupRow[];
  findings: FindingGroupRow[];
  evidence: EvidenceExpiryRow | null;
}

/** json comes back parsed from both drivers; text is accepted too. */
const parsed = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

/**
 * The counts, in one statement: the tenant's live suppliers are read once (a materialized CTE)
 * and each aggregate joins its table to them, instead of every aggregate scanning suppliers again
 * to leave archived ones out.
 * - suppliers by (tier, rating) with their review counts;
 * - assessments by status; overdue: past the due date while the supplier still has to act;
 * - active and risk-accepted findings by status and severity; overdue: active, past the due date;
 * - evidence (not archived) by how soon its validity ends, windows cumulative (60 includes 30);
 *   only rows ending before today + 90 are read, a range of evidence_valid_until_idx.
 */
export async function portfolioCounts(db: Db, tenantId: string, now: Date): Promise<PortfolioCounts> {
  const day = today(now);
  const [row] = await rowsOf<Record<keyof PortfolioCounts, unknown>>(
    db,
    sql`
      with live as materialized (
        select id, tier, risk_rating, next_review_at, review_due_reason, status
        from ${suppliers} where tenant_id = ${tenantId} and archived_at is null
      )
      select
        (select coalesce(json_agg(x), '[]') from (
          select tier, risk_rating, count(*)::int as suppliers,
            (count(*) filter (where status = 'active' and next_review_at < ${iso(now)}))::int as reviews_due,
            (count(*) filter (where status = 'active' and next_review_at < ${iso(now)} and review_due_reason is not null))::int as reviews_due_early,
            (count(*) filter (where status = 'active' and next_review_at >= ${iso(now)} and next_review_at < ${iso(now)} + interval '30 days'))::int as reviews_next_30_days
          from live group by tier, risk_rating) x) as suppliers,
        (select coalesce(json_agg(x), '[]') from (
          select a.status, count(*)::int as assessments,
            (count(*) filter (where a.due_at < ${iso(now)} and a.status in (${list(SUPPLIER_OPEN_STATUSES)})))::int as overdue
          from ${assessments} a join live s on s.id = a.supplier_id
          where a.tenant_id = ${tenantId}
          group by a.status) x) as assessments,
        (select coalesce(json_agg(x), '[]') from (
          select f.status, f.severity, count(*)::int as findings,
            (count(*) filter (where f.due_date < ${day} and f.status in (${list(ACTIVE_FINDING_STATUSES)})))::int as overdue
          from ${findings} f join live s on s.id = f.supplier_id
          where f.tenant_id = ${tenantId} and f.status in (${list([...ACTIVE_FINDING_STATUSES, 'risk_accepted'])})
          group by f.status, f.severity) x) as findings,
        (select row_to_json(x) from (
          select (count(*) filter (where e.valid_until < ${day}))::int as expired,
            (count(*) filter (where e.valid_until >= ${day} and e.valid_until < ${day} + 30))::int as within_30_days,
            (count(*) filter (where e.valid_until >= ${day} and e.valid_until < ${day} + 60))::int as within_60_days,
            (count(*) filter (where e.valid_until >= ${day}))::int as within_90_days
          from ${evidence} e join live s on s.id = e.supplier_id
          where e.tenant_id = ${tenantId} and e.archived_at is null and e.valid_until is not null and e.valid_until < ${day} + 90) x) as evidence`,
  );
  if (!row) return { suppliers: [], assessments: [], findings: [], evidence: null };
  return {
    suppliers: parsed(row.suppliers),
    assessments: parsed(row.assessments),
    findings: parsed(row.findings),
    evidence: parsed(row.evidence),
  };
}

export interface RiskiestRow {
  id: string;
  name: string;
  tier: string;
  residual_risk: number;
  risk_rating: string | null;
  top_factor: unknown;
}

/**
 * The scored suppliers with the highest residual risk, with the factor that raises it most (from
 * their current score's explanation). A backward scan of suppliers_risk_idx, stopped after `limit`.
 */
export function riskiestSuppliers(db: Db, tenantId: string, limit: number): Promise<RiskiestRow[]> {
  return rowsOf(
    db,
    sql`
      select s.id, s.name, s.tier, s.residual_risk, s.risk_rating, r.explanation -> 'topFactor' as top_factor
      from ${suppliers} s
      left join ${riskScores} r on r.tenant_id = s.tenant_id and r.id = s.risk_score_id
      where s.tenant_id = ${tenantId} and s.archived_at is null and s.residual_risk is not null
      order by s.residual_risk desc, s.id desc
      limit ${limit}::int`,
  );
}
