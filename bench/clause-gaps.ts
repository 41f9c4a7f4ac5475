// Contract clause gaps across a portfolio: `GET /v1/clause-gaps` for a tenant of 10,000 contracts
// (5,000 suppliers with tiers, critical services, clause states for most clauses), the first page
// and "critical suppliers lacking right-to-audit or incident-notification", p50/p95 in-process, on
// PostgreSQL and on PGlite; a page nine tenths down the list by cursor; and the plan of each query.
import { sql, type SQL } from 'drizzle-orm';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import type { DatabaseProvider, Db } from '../src/db/types';
import { listGaps, type GapFilter } from '../src/features/contracts/clause-sql';
import { EMPTY_SUPPLIER_FIELDS } from '../src/features/suppliers/suppliers.present';
import { insertSuppliers, type SupplierFields } from '../src/features/suppliers/suppliers.queries';
import { createTenantWithAdminKey } from '../src/features/tenants/tenants.queries';
import { BUILTIN_CLAUSES } from '../src/catalog/clauses';
import { newId } from '../src/lib/ids';
import { encodeCursor } from '../src/lib/pagination';
import { createLogger } from '../src/lib/logger';
import { withThrowawayDatabase, withThrowawayPglite } from './throwaway-database';

const TARGET_MS = 200;
const CONTRACTS = 10_000;
const CONTRACTS_PER_SUPPLIER = 2;
const REQUESTS = 100;
const ACCESS = ['none', 'remote', 'on_site', 'ot_network', 'privileged', null];
const SENSITIVITY = ['none', 'internal', 'confidential', 'personal', 'special_category', null];
const pick = <T>(list: readonly T[], index: number) => list[index % list.length]!;
const round1 = (value: number) => Math.round(value * 10) / 10;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

// Contract ids are generated in order (ctr_ + number): a cursor past nine in ten of them.
const DEEP_CONTRACT_ID = `ctr_${String(CONTRACTS * 0.9).padStart(26, '0')}`;

const QUERIES = {
  firstPage: { path: '/v1/clause-gaps', filter: {} },
  deepPage: {
    path: `/v1/clause-gaps?cursor=${encodeCursor([DEEP_CONTRACT_ID, ''])}`,
    filter: { after: { contractId: DEEP_CONTRACT_ID, clauseKey: '' } },
  },
  criticalAuditOrIncident: {
    path: '/v1/clause-gaps?tier=critical&topic=right_to_audit,incident_notification',
    filter: { tiers: ['critical'], topics: ['right_to_audit', 'incident_notification'] },
  },
} satisfies Record<string, { path: string; filter: Partial<GapFilter> }>;
type QueryName = keyof typeof QUERIES;

function fields(index: number): SupplierFields {
  return {
    ...EMPTY_SUPPLIER_FIELDS,
    name: `Clause supplier ${index}`,
    country: pick(['DE', 'FR', 'NL', 'AT', 'US'], index),
    status: 'active',
    owner: `owner${index % 40}@example.com`,
    dataSensitivity: pick(SENSITIVITY, index),
    accessLevel: pick(ACCESS, index * 3),
    supportsCriticalFunction: index % 9 === 0,
    substitutability: pick(['easy', 'medium', 'difficult', 'not_substitutable', null], index * 5),
    // Every eighth critical by override on top of what the profile computes.
    tierOverride: index % 8 === 0 ? 'critical' : null,
    tierOverrideReason: index % 8 === 0 ? 'Bench: operates our control systems' : null,
  };
}

/** Suppliers through the app's own insert; services, contracts and clause states set-based in SQL. */
async function generate(db: Db, tenantId: string) {
  const suppliers = CONTRACTS / CONTRACTS_PER_SUPPLIER;
  const now = new Date();
  for (let start = 0; start < suppliers; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, suppliers - start) }, (_, offset) => ({
      id: newId('supplier', new Date(now.getTime() + start + offset)),
      fields: fields(start + offset),
    }));
    await insertSuppliers(db, tenantId, rows, now);
  }
  // Both regimes: all 23 built-in clauses can apply, the most gaps per contract.
  await db.execute(sql`update tenants set regime = 'both' where id = ${tenantId}`);
  await db.execute(sql`
    create temporary table bench_n as
    select id, (row_number() over (order by id))::int as n from suppliers where tenant_id = ${tenantId}`);
  // One service each, every fifth supporting a critical or important function.
  await db.execute(sql`
    insert into ict_services (tenant_id, id, supplier_id, name, service_type, critical_or_important, created_at, updated_at)
    select ${tenantId}, 'svc_' || lpad(b.n::text, 26, '0'), b.id, 'Bench service', 'S19', b.n % 5 = 0, now(), now() from bench_n b`);
  // Contract ids interleave suppliers (ordered by id = by contract number), as created over time.
  await db.execute(sql`
    insert into contracts (tenant_id, id, supplier_id, reference, title, status, start_date, created_at, updated_at)
    select ${tenantId}, 'ctr_' || lpad((k * ${suppliers} + b.n)::text, 26, '0'), b.id, 'BENCH-' || (k * ${suppliers} + b.n), 'Bench contract',
      (array['active', 'active', 'active', 'draft', 'expired', 'active', 'terminated', 'active', 'draft', 'active'])[1 + (b.n * 7 + k * 3) % 10],
      current_date - 400, now(), now()
    from bench_n b cross join generate_series(0, ${CONTRACTS_PER_SUPPLIER - 1}) k`);
  await db.execute(sql`
    insert into contract_services (tenant_id, contract_id, service_id)
    select c.tenant_id, c.id, 'svc_' || lpad(b.n::text, 26, '0')
    from contracts c join bench_n b on b.id = c.supplier_id where c.tenant_id = ${tenantId}`);
  // About three in four clauses assessed per contract; most present, the rest spread over the open states.
  const keys = BUILTIN_CLAUSES.map((clause) => clause.key);
  await db.execute(sql`
    insert into contract_clauses (tenant_id, contract_id, clause_key, status, updated_by_type, updated_by_id, updated_at)
    select c.tenant_id, c.id, k.key,
      (array['present', 'present', 'present', 'present', 'partial', 'missing', 'missing', 'negotiating', 'waived', 'not_applicable'])[1 + (hashtext(c.id || k.key) & 1023) % 10],
      'system', 'bench', now()
    from contracts c cross join jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb) as k(key)
    where c.tenant_id = ${tenantId} and (hashtext(k.key || c.id) & 1023) % 4 <> 0`);
  await db.execute(sql`drop table bench_n`);
}

/** A Db whose raw queries are answered by their EXPLAIN ANALYZE: the plan of what the endpoint runs. */
function explaining(db: Db, plans: string[]): Db {
  return {
    execute: async (query: SQL) => {
      const result = (await db.execute(sql`explain (analyze, buffers, costs off) ${query}`)) as unknown as Record<string, string>[] | { rows: Record<string, string>[] };
      const rows = Array.isArray(result) ? result : result.rows;
      plans.push(rows.map((row) => Object.values(row)[0]).join('\n'));
      return [];
    },
  } as unknown as Db;
}

export interface ClauseGapTiming {
  path: string;
  requests: number;
  rows: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  met: boolean;
}

export interface ClauseGapsBenchResult {
  database: 'pglite' | 'postgres';
  contracts: number;
  suppliers: number;
  criticalSuppliers: number;
  openGaps: number;
  generateSeconds: number;
  targetMs: number;
  queries: Record<QueryName, ClauseGapTiming>;
  plans: Record<QueryName, string>;
}

async function run(database: DatabaseProvider, kind: ClauseGapsBenchResult['database']): Promise<ClauseGapsBenchResult> {
  const { db } = await database.open();
  const create = (name: string) => createTenantWithAdminKey(db, { name, actor: { type: 'system', id: 'bench' }, requestId: null, now: new Date() });
  const { tenant, apiKey } = await create('Clause gaps bench tenant');
  const started = performance.now();
  await generate(db, tenant.id);
  // A neighbour of the same size: the query must stay within its tenant's rows.
  const { tenant: neighbour } = await create('Clause gaps bench neighbour');
  await generate(db, neighbour.id);
  await db.execute(sql`analyze`);
  const generateSeconds = round1((performance.now() - started) / 1000);

  const count = async (query: SQL) => {
    const result = (await db.execute(query)) as unknown as { n: number }[] | { rows: { n: number }[] };
    return Number((Array.isArray(result) ? result : result.rows)[0]!.n);
  };
  const criticalSuppliers = await count(sql`select count(*)::int as n from suppliers where tenant_id = ${tenant.id} and tier = 'critical'`);
  const openGaps = (await listGaps(db, { tenantId: tenant.id, limit: 1_000_000, contractStatuses: ['draft', 'active'] })).length;

  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const app = buildApp({ config, database, logger: createLogger('silent'), docsAssets: async () => undefined });
  const request = async (path: string) => {
    const response = await app.request(path, { headers: { authorization: `Bearer ${apiKey.key}` } });
    const body = (await response.json()) as { data: unknown[] };
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    return body.data.length;
  };

  const queries = {} as Record<QueryName, ClauseGapTiming>;
  const plans = {} as Record<QueryName, string>;
  for (const [name, query] of Object.entries(QUERIES) as [QueryName, (typeof QUERIES)[QueryName]][]) {
    for (let warm = 0; warm < 5; warm += 1) await request(query.path);
    const samples: number[] = [];
    let rows = 0;
    for (let index = 0; index < REQUESTS; index += 1) {
      const begun = performance.now();
      rows = await request(query.path);
      samples.push(performance.now() - begun);
    }
    samples.sort((a, b) => a - b);
    const p50Ms = round1(percentile(samples, 50));
    const p95Ms = round1(percentile(samples, 95));
    queries[name] = { path: query.path, requests: samples.length, rows, p50Ms, p95Ms, maxMs: round1(samples.at(-1)!), met: p95Ms < TARGET_MS };
    const collected: string[] = [];
    await listGaps(explaining(db, collected), { tenantId: tenant.id, limit: 50, contractStatuses: ['draft', 'active'], ...query.filter });
    plans[name] = collected.join('\n');
  }
  return {
    database: kind,
    contracts: CONTRACTS,
    suppliers: CONTRACTS / CONTRACTS_PER_SUPPLIER,
    criticalSuppliers,
    openGaps,
    generateSeconds,
    targetMs: TARGET_MS,
    queries,
    plans,
  };
}

/** On PostgreSQL (the target) and on embedded PGlite (what `npm start` runs). */
export async function benchClauseGaps(adminUrl: string): Promise<ClauseGapsBenchResult[]> {
  return [
    await withThrowawayDatabase(adminUrl, 'gaps', (database) => run(database, 'postgres')),
    await withThrowawayPglite((database) => run(database, 'pglite')),
  ];
}
