import { sql, type SQL } from 'drizzle-orm';
import { BUILTIN_CLAUSES, SATISFIED_CLAUSE_STATUSES } from '../../catalog/clauses';
import { contractClauses, contracts, contractServices, customClauses, ictServices, suppliers, tenants } from '../../db/schema';
import type { Db } from '../../db/types';
import { rowsOf } from '../../db/rows';

/*
 * Which clauses apply to which contracts, set-based: the built-in library travels as ONE jsonb
 * parameter, joined with the tenant's custom clauses, the tenant's regime and each contract's
 * "covers a critical or important function". The rule is clauseApplies() of
 * clause-applicability.ts; gaps, counts and the risk score all use these fragments, so one
 * request costs a fixed number of queries whatever the number of contracts.
 */

const BUILTIN_JSON = JSON.stringify(
  BUILTIN_CLAUSES.map((clause) => ({ key: clause.key, regime: clause.regime, critical_only: clause.criticalOnly, topic: clause.topic, title: clause.title })),
);
const SATISFIED_JSON = JSON.stringify(SATISFIED_CLAUSE_STATUSES);

/** The tenant's clause library as a relation `lib(key, regime, critical_only, topic, title)`. */
export function librarySql(tenantId: string): SQL {
  return sql`(select b.key, b.regime, b.critical_only, b.topic, b.title
              from jsonb_to_recordset(${BUILTIN_JSON}::jsonb) as b(key text, regime text, critical_only boolean, topic text, title text)
              union all
              select k.key, k.regime, k.critical_only, k.topic, k.title
              from ${customClauses} k where k.tenant_id = ${tenantId})`;
}

/**
 * `exists …` for a contract aliased `ct` of tenant `tenantId`: one of its services supports a
 * critical or important function. Postgres runs it as a hashed subplan over every matching row;
 * the constant tenant keeps that to the tenant's contracts instead of every tenant's.
 */
export const coversCriticalSql = (tenantId: string) => sql`exists (
  select 1 from ${contractServices} cs
  join ${ictServices} sv on sv.tenant_id = cs.tenant_id and sv.id = cs.service_id
  where cs.tenant_id = ${tenantId} and cs.tenant_id = ct.tenant_id and cs.contract_id = ct.id and sv.critical_or_important)`;

/** The regime and critical-only rule, for `lib`, the tenant row `tr` and the contract `ct`. */
const appliesSql = (tenantId: string) => sql`(tr.regime = 'both' or lib.regime = 'both' or lib.regime = tr.regime)
  and (not lib.critical_only or ${coversCriticalSql(tenantId)})`;

export const satisfiedSql = (status: SQL) => sql`coalesce(${status} in (select jsonb_array_elements_text(${SATISFIED_JSON}::jsonb)), false)`;

const idList = (ids: readonly string[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

export interface ClauseCounts {
  applicable: number;
  satisfied: number;
}

/** Applicable and satisfied clause counts of these contracts, in one query. */
export async function contractClauseCounts(db: Db, tenantId: string, contractIds: readonly string[]): Promise<Map<string, ClauseCounts>> {
  if (contractIds.length === 0) return new Map();
  const rows = await rowsOf<{ id: string; applicable: number; satisfied: number }>(
    db,
    sql`select ct.id, count(*)::int as applicable, count(*) filter (where ${satisfiedSql(sql`cc.status`)})::int as satisfied
        from ${contracts} ct
        join ${tenants} tr on tr.id = ct.tenant_id
        join ${librarySql(tenantId)} lib on ${appliesSql(tenantId)}
        left join ${contractClauses} cc on cc.tenant_id = ct.tenant_id and cc.contract_id = ct.id and cc.clause_key = lib.key
        where ct.tenant_id = ${tenantId} and ct.id in ${idList(contractIds)}
        group by ct.id`,
  );
  return new Map(rows.map((row) => [row.id, { applicable: Number(row.applicable), satisfied: Number(row.satisfied) }]));
}

/**
 * Clause coverage per supplier over its ACTIVE contracts (for the risk score); suppliers with no
 * active contract are absent (their input stays null). `supplierIds` is a relation of ids.
 */
export async function supplierClauseCoverage(db: Db, tenantId: string, supplierIds: SQL): Promise<Map<string, ClauseCounts>> {
  const rows = await rowsOf<{ supplier_id: string; applicable: number; satisfied: number }>(
    db,
    sql`select ct.supplier_id, count(*)::int as applicable, count(*) filter (where ${satisfiedSql(sql`cc.status`)})::int as satisfied
        from ${contracts} ct
        join ${tenants} tr on tr.id = ct.tenant_id
        join ${librarySql(tenantId)} lib on ${appliesSql(tenantId)}
        left join ${contractClauses} cc on cc.tenant_id = ct.tenant_id and cc.contract_id = ct.id and cc.clause_key = lib.key
        where ct.tenant_id = ${tenantId} and ct.supplier_id in ${supplierIds} and ct.status = 'active'
        group by ct.supplier_id`,
  );
  return new Map(rows.map((row) => [row.supplier_id, { applicable: Number(row.applicable), satisfied: Number(row.satisfied) }]));
}

export interface GapFilter {
  tenantId: string;
  limit: number;
  contractId?: string | undefined;
  /** Contract statuses to look at; all when absent. */
  contractStatuses?: readonly string[] | undefined;
  supplierId?: string | undefined;
  tiers?: readonly string[] | undefined;
  clauseKeys?: readonly string[] | undefined;
  topics?: readonly string[] | undefined;
  after?: { contractId: string; clauseKey: string } | undefined;
}

export interface GapRow {
  contract_id: string;
  contract_reference: string;
  contract_title: string;
  contract_status: string;
  supplier_id: string;
  supplier_name: string;
  supplier_tier: string;
  clause_key: string;
  clause_title: string;
  topic: string | null;
  regime: string;
  critical_only: boolean;
  status: string;
  section_ref: string | null;
  notes: string | null;
  updated_at: string | Date | null;
}

/** The filter of `GET /v1/clause-gaps` and its export: draft and active contracts unless `contractStatus` names others. */
export function tenantGapFilter(
  tenantId: string,
  query: { supplierId?: string | undefined; tier?: string[] | undefined; clauseKey?: string[] | undefined; topic?: string[] | undefined; contractStatus?: string[] | undefined },
): Omit<GapFilter, 'limit' | 'after'> {
  return {
    tenantId,
    supplierId: query.supplierId,
    tiers: query.tier,
    clauseKeys: query.clauseKey,
    topics: query.topic,
    contractStatuses: query.contractStatus ?? ['draft', 'active'],
  };
}

const jsonList = (values: readonly string[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

/**
 * Applicable clauses not satisfied (unassessed included), ordered by (contract id, clause key),
 * keyset-paginated; fetches limit + 1 rows. Contracts are walked in primary-key order and the
 * library joined to each, so a page stops early instead of building every contract's gaps.
 */
export function listGaps(db: Db, filter: GapFilter): Promise<GapRow[]> {
  const { tenantId } = filter;
  const conditions: SQL[] = [sql`ct.tenant_id = ${tenantId}`, sql`not ${satisfiedSql(sql`cc.status`)}`];
  if (filter.contractId) conditions.push(sql`ct.id = ${filter.contractId}`);
  if (filter.contractStatuses) conditions.push(sql`ct.status in ${jsonList(filter.contractStatuses)}`);
  if (filter.supplierId) conditions.push(sql`ct.supplier_id = ${filter.supplierId}`);
  if (filter.tiers) conditions.push(sql`s.tier in ${jsonList(filter.tiers)}`);
  if (filter.clauseKeys) conditions.push(sql`lib.key in ${jsonList(filter.clauseKeys)}`);
  if (filter.topics) conditions.push(sql`lib.topic in ${jsonList(filter.topics)}`);
  if (filter.after) {
    // The row comparison spans two relations, so Postgres cannot start the contract scan from it;
    // the implied `ct.id >=` can, and a page deep in the list no longer walks every earlier contract.
    conditions.push(sql`ct.id >= ${filter.after.contractId}`, sql`(ct.id, lib.key) > (${filter.after.contractId}, ${filter.after.clauseKey})`);
  }
  return rowsOf<GapRow>(
    db,
    sql`select ct.id as contract_id, ct.reference as contract_reference, ct.title as contract_title, ct.status as contract_status,
               ct.supplier_id, s.name as supplier_name, s.tier as supplier_tier,
               lib.key as clause_key, lib.title as clause_title, lib.topic, lib.regime, lib.critical_only,
               coalesce(cc.status, 'unassessed') as status, cc.section_ref, cc.notes, cc.updated_at
        from ${contracts} ct
        join ${suppliers} s on s.tenant_id = ct.tenant_id and s.id = ct.supplier_id
        join ${tenants} tr on tr.id = ct.tenant_id
        join ${librarySql(tenantId)} lib on ${appliesSql(tenantId)}
        left join ${contractClauses} cc on cc.tenant_id = ct.tenant_id and cc.contract_id = ct.id and cc.clause_key = lib.key
        where ${sql.join(conditions, sql` and `)}
        order by ct.id, lib.key
        limit ${filter.limit + 1}`,
  );
}

/** Contract statuses whose clauses still matter: the clause-gap rule looks at these only. */
const LIVE_CONTRACT_STATUSES = sql`('draft', 'active')`;

export interface ClauseGapToRaise {
  contract_id: string;
  clause_key: string;
}

/**
 * Clauses recorded as `missing` in a live contract of a critical-tier supplier, applicable under
 * the tenant's regime, that have no active clause-gap finding: never raised, or resolved before
 * the latest change to the clause, the contract, the supplier (its tier) or the tenant (its
 * regime). A finding someone resolved by hand stays resolved until one of those changes.
 */
export function clauseGapsToRaise(db: Db, tenantId: string, limit: number): Promise<ClauseGapToRaise[]> {
  return rowsOf<ClauseGapToRaise>(
    db,
    sql`select ct.id as contract_id, lib.key as clause_key
        from ${contractClauses} cc
        join ${contracts} ct on ct.tenant_id = cc.tenant_id and ct.id = cc.contract_id
        join ${suppliers} s on s.tenant_id = ct.tenant_id and s.id = ct.supplier_id
        join ${tenants} tr on tr.id = ct.tenant_id
        join ${librarySql(tenantId)} lib on lib.key = cc.clause_key and ${appliesSql(tenantId)}
        left join findings f on f.tenant_id = ct.tenant_id and f.source = 'clause_gap'
          and f.source_ref = 'clause:' || ct.id || ':' || lib.key
        where cc.tenant_id = ${tenantId} and cc.status = 'missing'
          and ct.status in ${LIVE_CONTRACT_STATUSES} and s.tier = 'critical' and s.archived_at is null
          and (f.id is null
               or (f.status = 'resolved' and f.resolved_at < greatest(cc.updated_at, ct.updated_at, s.updated_at, tr.updated_at)))
        order by ct.id, lib.key
        limit ${limit}`,
  );
}

export interface ClauseGapToResolve {
  finding_id: string;
  contract_reference: string | null;
  contract_status: string | null;
  supplier_tier: string | null;
  supplier_archived: boolean | null;
  applies: boolean;
  clause_status: string | null;
}

/**
 * Active clause-gap findings whose gap no longer counts: the contract ended or is gone, the
 * supplier left the critical tier or was archived, the clause no longer applies (regime, covered
 * services) or is satisfied.
 */
export function clauseGapsToResolve(db: Db, tenantId: string, limit: number): Promise<ClauseGapToResolve[]> {
  return rowsOf<ClauseGapToResolve>(
    db,
    sql`select * from (
          select f.id as finding_id, ct.reference as contract_reference, ct.status as contract_status,
                 s.tier as supplier_tier, s.archived_at is not null as supplier_archived,
                 coalesce(ct.id is not null and exists (
                   select 1 from ${librarySql(tenantId)} lib where lib.key = f.clause_key and ${appliesSql(tenantId)}), false) as applies,
                 cc.status as clause_status
          from findings f
          join ${tenants} tr on tr.id = f.tenant_id
          left join ${contracts} ct on ct.tenant_id = f.tenant_id and ct.id = f.contract_id
          left join ${suppliers} s on s.tenant_id = f.tenant_id and s.id = f.supplier_id
          left join ${contractClauses} cc on cc.tenant_id = f.tenant_id and cc.contract_id = f.contract_id and cc.clause_key = f.clause_key
          where f.tenant_id = ${tenantId} and f.source = 'clause_gap' and f.status in ('open', 'in_remediation', 'risk_accepted')
        ) g
        where not (coalesce(g.contract_status in ${LIVE_CONTRACT_STATUSES}, false) and g.supplier_tier = 'critical'
                   and not coalesce(g.supplier_archived, true) and g.applies and not ${satisfiedSql(sql`g.clause_status`)})
        order by g.finding_id
        limit ${limit}`,
  );
}

/** Tenants with anything for the clause-gap job to look at: a missing clause or an active clause-gap finding. */
export async function tenantsWithClauseGaps(db: Db, tenantId?: string): Promise<string[]> {
  const rows = await rowsOf<{ tenant_id: string }>(
    db,
    sql`select t.id as tenant_id from ${tenants} t
        where ${tenantId ? sql`t.id = ${tenantId} and` : sql``}
          (exists (select 1 from ${contractClauses} cc where cc.tenant_id = t.id and cc.status = 'missing')
           or exists (select 1 from findings f where f.tenant_id = t.id and f.source = 'clause_gap' and f.status in ('open', 'in_remediation', 'risk_accepted')))
        order by t.id`,
  );
  return rows.map((row) => row.tenant_id);
}
