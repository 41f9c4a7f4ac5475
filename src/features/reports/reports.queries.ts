import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { BUILTIN_CLAUSES } from '../../catalog/clauses';
import { ACTIVE_FINDING_STATUSES } from '../../catalog/findings';
import { ACTIVE_INCIDENT_STATUSES } from '../../catalog/incidents';
import {
  assessmentAnswers,
  assessments,
  audits,
  contractClauses,
  contracts,
  evidence,
  findings,
  ictServices,
  incidents,
  questionnaireTemplates,
  riskScores,
  supplierContacts,
  suppliers,
  tenants,
} from '../../db/schema';
import { rowsOf } from '../../db/rows';
import type { Db } from '../../db/types';
import { dayOf } from '../../lib/dates';
import { SUPPLIER_OPEN_STATUSES } from '../assessments/assessments.queries';
import { contractClauseCounts, listGaps, type GapRow } from '../contracts/clause-sql';

/*
 * What the two PDF reports read. Each list is one statement whatever its length (no query per
 * supplier or per row); the dossier reads one supplier's records, the NIS2 report the tenant's
 * portfolio, with the long lists bounded where a PDF could not sensibly show more.
 */

export type SupplierRow = typeof suppliers.$inferSelect;

const inList = (values: readonly string[]) => sql`(${sql.join(values.map((value) => sql`${value}`), sql`, `)})`;

export async function tenantOf(db: Db, tenantId: string) {
  const [row] = await db.select({ id: tenants.id, name: tenants.name, regime: tenants.regime }).from(tenants).where(eq(tenants.id, tenantId));
  return row;
}

/** Questionnaires whose results the dossier shows: the latest of these per template. */
export const REPORTED_ASSESSMENT_STATUSES = ['accepted', 'under_review', 'submitted'] as const;

/** A dossier never prints more than this many rows of one list (a note says what was left out). */
export const DOSSIER_LIST_LIMIT = 500;

export interface ReportedAssessment {
  id: string;
  template_id: string;
  template_version: number;
  template_name: string;
  status: string;
  submitted_at: Date | string | null;
  accepted_at: Date | string | null;
  answers: Record<string, { value: unknown; reviewStatus: string }> | string;
}

/** Everything the supplier dossier shows, in a fixed number of queries. */
export async function dossierData(db: Db, tenantId: string, supplier: SupplierRow, now: Date) {
  const supplierId = supplier.id;
  const day = dayOf(now);
  const [contacts, services, score, reported, findingRows, contractRows, evidenceRows, auditRows, incidentRows, overdue] = await Promise.all([
    db
      .select()
      .from(supplierContacts)
      .where(and(eq(supplierContacts.tenantId, tenantId), eq(supplierContacts.supplierId, supplierId)))
      .orderBy(desc(supplierContacts.isPrimary), asc(supplierContacts.name), asc(supplierContacts.id)),
    db
      .select()
      .from(ictServices)
      .where(and(eq(ictServices.tenantId, tenantId), eq(ictServices.supplierId, supplierId)))
      .orderBy(desc(ictServices.criticalOrImportant), asc(ictServices.name), asc(ictServices.id)),
    supplier.riskScoreId
      ? db
          .select()
          .from(riskScores)
          .where(and(eq(riskScores.tenantId, tenantId), eq(riskScores.id, supplier.riskScoreId)))
          .then((rows) => rows[0])
      : Promise.resolve(undefined),
    // The latest accepted, in-review or submitted assessment per template, its answers as one JSON object.
    rowsOf<ReportedAssessment>(
      db,
      sql`with latest as (
            select distinct on (a.template_id) a.id, a.template_id, a.template_version, a.status, a.submitted_at, a.accepted_at
            from ${assessments} a
            where a.tenant_id = ${tenantId} and a.supplier_id = ${supplierId}
              and a.status in ${inList(REPORTED_ASSESSMENT_STATUSES)}
            order by a.template_id, coalesce(a.accepted_at, a.submitted_at) desc nulls last, a.id desc
          )
          select latest.*, t.name as template_name,
                 (select coalesce(jsonb_object_agg(x.question_key, jsonb_build_object('value', x.value, 'reviewStatus', x.review_status)), '{}'::jsonb)
                  from ${assessmentAnswers} x
                  where x.tenant_id = ${tenantId} and x.assessment_id = latest.id and x.value is not null)::text as answers
          from latest
          join ${questionnaireTemplates} t on t.tenant_id = ${tenantId} and t.id = latest.template_id
          order by t.name, latest.id`,
    ),
    db
      .select()
      .from(findings)
      .where(and(eq(findings.tenantId, tenantId), eq(findings.supplierId, supplierId), inArray(findings.status, [...ACTIVE_FINDING_STATUSES, 'risk_accepted'])))
      .orderBy(sql`case ${findings.severity} when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end`, asc(findings.dueDate), asc(findings.id))
      .limit(DOSSIER_LIST_LIMIT + 1),
    db
      .select()
      .from(contracts)
      .where(and(eq(contracts.tenantId, tenantId), eq(contracts.supplierId, supplierId)))
      .orderBy(asc(contracts.reference))
      .limit(DOSSIER_LIST_LIMIT),
    db
      .select()
      .from(evidence)
      .where(and(eq(evidence.tenantId, tenantId), eq(evidence.supplierId, supplierId), sql`${evidence.archivedAt} is null`))
      .orderBy(asc(evidence.kind), sql`${evidence.validUntil} desc nulls last`, asc(evidence.id))
      .limit(DOSSIER_LIST_LIMIT + 1),
    db
      .select()
      .from(audits)
      .where(and(eq(audits.tenantId, tenantId), eq(audits.supplierId, supplierId)))
      .orderBy(sql`coalesce(${audits.performedDate}, ${audits.plannedDate}) desc nulls last`, desc(audits.id))
      .limit(DOSSIER_LIST_LIMIT + 1),
    db
      .select()
      .from(incidents)
      .where(and(eq(incidents.tenantId, tenantId), eq(incidents.supplierId, supplierId)))
      .orderBy(desc(incidents.awareAt), desc(incidents.id))
      .limit(DOSSIER_LIST_LIMIT + 1),
    rowsOf<{ count: number }>(
      db,
      sql`select count(*)::int as count from ${assessments}
          where tenant_id = ${tenantId} and supplier_id = ${supplierId} and due_at < ${now.toISOString()}::timestamptz
            and status in ${inList(SUPPLIER_OPEN_STATUSES)}`,
    ),
  ]);
  const contractIds = contractRows.map((row) => row.id);
  const [clauseCounts, gaps] = await Promise.all([
    contractClauseCounts(db, tenantId, contractIds),
    contractIds.length === 0 ? Promise.resolve([] as GapRow[]) : listGaps(db, { tenantId, supplierId, limit: DOSSIER_LIST_LIMIT }),
  ]);
  return {
    contacts,
    services,
    score,
    reported,
    findings: findingRows,
    contracts: contractRows,
    clauseCounts,
    gaps,
    evidence: evidenceRows,
    audits: auditRows,
    incidents: incidentRows,
    overdueAssessments: Number(overdue[0]?.count ?? 0),
    day,
  };
}

export type DossierData = Awaited<ReturnType<typeof dossierData>>;

/* ------------------------------------------------------------------------------------------ */

/** The NIS2 report's directory and lists are bounded: a supervisor's PDF, not an export. */
export const NIS2_DIRECTORY_LIMIT = 5_000;
export const NIS2_LIST_LIMIT = 300;
/** Evidence whose validity ends within this many days is listed as expiring. */
export const EXPIRING_WITHIN_DAYS = 90;
/** Incidents of the last this many days are listed (open ones whatever their age). */
export const INCIDENT_WINDOW_DAYS = 365;

export interface DirectoryRow {
  id: string;
  name: string;
  country: string;
  status: string;
  tier: string;
  residual_risk: number | null;
  risk_rating: string | null;
  next_review_at: Date | string | null;
  contact: string | null;
  services: string | null;
  critical_services: number;
  contract_end: string | null;
}

/**
 * The directory of suppliers (NIS2 IR 5.2): contact point, services, tier and risk, contract end,
 * one row per supplier that is not archived. Contacts and services are aggregated in the same
 * statement (a lateral subquery per supplier, read by index), not one query per supplier.
 */
export function directoryRows(db: Db, tenantId: string): Promise<DirectoryRow[]> {
  return rowsOf<DirectoryRow>(
    db,
    sql`select s.id, s.name, s.country, s.status, s.tier, s.residual_risk, s.risk_rating, s.next_review_at,
               c.contact, sv.services, coalesce(sv.critical, 0)::int as critical_services, ct.contract_end
        from ${suppliers} s
        left join lateral (
          select k.name || ' <' || k.email || '>' as contact
          from ${supplierContacts} k where k.tenant_id = s.tenant_id and k.supplier_id = s.id
          order by k.is_primary desc, k.name, k.id limit 1) c on true
        left join lateral (
          select string_agg(v.name || ' [' || v.service_type || ']', '; ' order by v.critical_or_important desc, v.name) as services,
                 count(*) filter (where v.critical_or_important) as critical
          from ${ictServices} v where v.tenant_id = s.tenant_id and v.supplier_id = s.id) sv on true
        left join lateral (
          select max(x.end_date)::text as contract_end
          from ${contracts} x where x.tenant_id = s.tenant_id and x.supplier_id = s.id and x.status = 'active') ct on true
        where s.tenant_id = ${tenantId} and s.archived_at is null
        order by case s.tier when 'critical' then 0 when 'strategic' then 1 else 2 end, s.name, s.id
        limit ${NIS2_DIRECTORY_LIMIT + 1}`,
  );
}

export interface CoverageRow {
  tier: string;
  suppliers: number;
  assessed: number;
  assessed_12m: number;
  open_assessment: number;
  never: number;
  reviews_overdue: number;
}

/** Assessment coverage per tier: suppliers with an accepted assessment (ever, and within 12 months), in progress, never. */
export function assessmentCoverage(db: Db, tenantId: string, now: Date): Promise<CoverageRow[]> {
  return rowsOf<CoverageRow>(
    db,
    sql`with per as (
          select s.id, s.tier, s.next_review_at,
                 max(a.accepted_at) as last_accepted,
                 bool_or(a.status in ('sent', 'in_progress', 'returned', 'submitted', 'under_review')) as open
          from ${suppliers} s
          left join ${assessments} a on a.tenant_id = s.tenant_id and a.supplier_id = s.id
          where s.tenant_id = ${tenantId} and s.archived_at is null
          group by s.id, s.tier, s.next_review_at)
        select tier, count(*)::int as suppliers,
               (count(*) filter (where last_accepted is not null))::int as assessed,
               (count(*) filter (where last_accepted >= ${now.toISOString()}::timestamptz - interval '12 months'))::int as assessed_12m,
               (count(*) filter (where coalesce(open, false)))::int as open_assessment,
               (count(*) filter (where last_accepted is null and not coalesce(open, false)))::int as never,
               (count(*) filter (where next_review_at < ${now.toISOString()}::timestamptz))::int as reviews_overdue
        from per group by tier`,
  );
}

export interface OverdueRow {
  kind: 'assessment' | 'review';
  supplier_name: string;
  tier: string;
  what: string;
  due: Date | string;
}

/** What is overdue: assessments past due while the supplier must act, and reviews past their date. */
export function overdueItems(db: Db, tenantId: string, now: Date): Promise<OverdueRow[]> {
  const at = sql`${now.toISOString()}::timestamptz`;
  return rowsOf<OverdueRow>(
    db,
    sql`(select 'assessment' as kind, s.name as supplier_name, s.tier, t.name || ' (' || replace(a.status, '_', ' ') || ')' as what, a.due_at as due
         from ${assessments} a
         join ${suppliers} s on s.tenant_id = a.tenant_id and s.id = a.supplier_id and s.archived_at is null
         join ${questionnaireTemplates} t on t.tenant_id = a.tenant_id and t.id = a.template_id
         where a.tenant_id = ${tenantId} and a.due_at < ${at}
           and a.status in ${inList(SUPPLIER_OPEN_STATUSES)}
         union all
         select 'review', s.name, s.tier, coalesce('Review (' || replace(s.review_due_reason, '_', ' ') || ')', 'Review (cadence)'), s.next_review_at
         from ${suppliers} s
         where s.tenant_id = ${tenantId} and s.archived_at is null and s.next_review_at < ${at})
        order by due, supplier_name
        limit ${NIS2_LIST_LIMIT + 1}`,
  );
}

export interface ClauseCoverageRow {
  clause_key: string;
  status: string;
  contracts: number;
}

/** NIS2 IR 5.1.4 (a)–(h) over active contracts of suppliers that are not archived: contracts per clause and state. */
export function nis2ClauseCoverage(db: Db, tenantId: string): Promise<ClauseCoverageRow[]> {
  const keys = BUILTIN_CLAUSES.filter((clause) => clause.key.startsWith('nis2-ir-5.1.4-')).map((clause) => clause.key);
  return rowsOf<ClauseCoverageRow>(
    db,
    sql`select k.key as clause_key, coalesce(cc.status, 'unassessed') as status, count(*)::int as contracts
        from ${contracts} ct
        join ${suppliers} s on s.tenant_id = ct.tenant_id and s.id = ct.supplier_id and s.archived_at is null
        cross join (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb) as key) k
        left join ${contractClauses} cc on cc.tenant_id = ct.tenant_id and cc.contract_id = ct.id and cc.clause_key = k.key
        where ct.tenant_id = ${tenantId} and ct.status = 'active'
        group by k.key, coalesce(cc.status, 'unassessed')`,
  );
}

export interface ExpiringEvidenceRow {
  supplier_name: string;
  kind: string;
  title: string | null;
  file_name: string;
  valid_until: string;
  days_left: number;
}

/** Evidence (not archived) of live suppliers that expired within the window or expires within it. */
export function expiringEvidence(db: Db, tenantId: string, now: Date): Promise<ExpiringEvidenceRow[]> {
  const day = sql`${dayOf(now)}::date`;
  return rowsOf<ExpiringEvidenceRow>(
    db,
    sql`select s.name as supplier_name, e.kind, e.title, e.file_name, e.valid_until::text as valid_until, (e.valid_until - ${day})::int as days_left
        from ${evidence} e
        join ${suppliers} s on s.tenant_id = e.tenant_id and s.id = e.supplier_id and s.archived_at is null
        where e.tenant_id = ${tenantId} and e.archived_at is null
          and e.valid_until >= ${day} - ${EXPIRING_WITHIN_DAYS}::int and e.valid_until < ${day} + ${EXPIRING_WITHIN_DAYS}::int
        order by e.valid_until, s.name, e.id
        limit ${NIS2_LIST_LIMIT + 1}`,
  );
}

export interface FindingSeverityRow {
  severity: string;
  status: string;
  findings: number;
  overdue: number;
}

export function findingCounts(db: Db, tenantId: string, now: Date): Promise<FindingSeverityRow[]> {
  return rowsOf<FindingSeverityRow>(
    db,
    sql`select f.severity, f.status, count(*)::int as findings,
               (count(*) filter (where f.due_date < ${dayOf(now)}::date and f.status in ('open', 'in_remediation')))::int as overdue
        from ${findings} f
        join ${suppliers} s on s.tenant_id = f.tenant_id and s.id = f.supplier_id and s.archived_at is null
        where f.tenant_id = ${tenantId} and f.status in ('open', 'in_remediation', 'risk_accepted')
        group by f.severity, f.status`,
  );
}

export interface OpenFindingRow {
  supplier_name: string;
  title: string;
  severity: string;
  status: string;
  source: string;
  due_date: string | null;
}

/** Open critical and high findings, most severe and oldest due first. */
export function seriousFindings(db: Db, tenantId: string): Promise<OpenFindingRow[]> {
  return rowsOf<OpenFindingRow>(
    db,
    sql`select s.name as supplier_name, f.title, f.severity, f.status, f.source, f.due_date::text as due_date
        from ${findings} f
        join ${suppliers} s on s.tenant_id = f.tenant_id and s.id = f.supplier_id and s.archived_at is null
        where f.tenant_id = ${tenantId} and f.status in ('open', 'in_remediation') and f.severity in ('critical', 'high')
        order by case f.severity when 'critical' then 0 else 1 end, f.due_date nulls last, s.name, f.id
        limit ${NIS2_LIST_LIMIT + 1}`,
  );
}

export interface IncidentRow {
  supplier_name: string;
  title: string;
  severity: string;
  significant: boolean;
  status: string;
  aware_at: Date | string;
  early_warning_completed_at: Date | string | null;
  notification_completed_at: Date | string | null;
  final_report_completed_at: Date | string | null;
}

/** Supplier incidents of the last year, and every one still open or contained. */
export function recentIncidents(db: Db, tenantId: string, now: Date): Promise<IncidentRow[]> {
  return rowsOf<IncidentRow>(
    db,
    sql`select s.name as supplier_name, i.title, i.severity, i.significant, i.status, i.aware_at,
               i.early_warning_completed_at, i.notification_completed_at, i.final_report_completed_at
        from ${incidents} i
        join ${suppliers} s on s.tenant_id = i.tenant_id and s.id = i.supplier_id
        where i.tenant_id = ${tenantId}
          and (i.aware_at >= ${now.toISOString()}::timestamptz - (${INCIDENT_WINDOW_DAYS}::int * interval '1 day')
               or i.status in ${inList(ACTIVE_INCIDENT_STATUSES)})
        order by i.aware_at desc, i.id desc
        limit ${NIS2_LIST_LIMIT + 1}`,
  );
}
