// DORA Register of Information: `GET /v1/exports/dora-register-of-information` for a tenant of
// 1,000 contracts in force (500 providers with LEIs, 1,500 services, subcontracting chains down to
// rank 4, 20 functions, audits), to the last byte of the ZIP, p50/p95 over a few runs in-process,
// on PostgreSQL and on PGlite; the validation endpoint the same way; and the heap growth of one export.
import { sql } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import type { DatabaseProvider, Db } from '../src/db/types';
import { EMPTY_SUPPLIER_FIELDS } from '../src/features/suppliers/suppliers.present';
import { insertSuppliers, type SupplierFields } from '../src/features/suppliers/suppliers.queries';
import { createTenantWithAdminKey } from '../src/features/tenants/tenants.queries';
import { createLogger } from '../src/lib/logger';
import { withThrowawayDatabase, withThrowawayPglite } from './throwaway-database';

const TARGET_MS = 5000;
const CONTRACTS = 1000;
const PROVIDERS = 500;
const SUBCONTRACTORS = 60;
const FUNCTIONS = 20;
const RUNS = 7;
const REFERENCE_DATE = '2025-12-31';
const round1 = (value: number) => Math.round(value * 10) / 10;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const pick = <T>(list: readonly T[], index: number) => list[index % list.length]!;

/** An LEI with valid ISO 17442 check digits. */
function lei(index: number): string {
  const base = `5299BENCH${String(index).padStart(9, '0')}`;
  let remainder = 0;
  for (const char of `${base}00`) {
    const value = char >= 'A' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return `${base}${String(98 - remainder).padStart(2, '0')}`;
}

function fields(index: number, subcontractor: boolean): SupplierFields {
  return {
    ...EMPTY_SUPPLIER_FIELDS,
    name: `${subcontractor ? 'Subcontractor' : 'Provider'} ${index}`,
    legalName: `${subcontractor ? 'Subcontractor' : 'Provider'} ${index} GmbH`,
    country: pick(['DE', 'FR', 'NL', 'IE', 'US'], index),
    status: 'active',
    lei: lei(index + (subcontractor ? 100_000 : 0)),
    dataSensitivity: 'confidential',
    accessLevel: 'remote',
    supportsCriticalFunction: index % 4 === 0,
    substitutability: 'medium',
  };
}

async function generate(db: Db, tenantId: string) {
  const now = new Date();
  await db.execute(
    sql`update tenants set regime = 'dora', lei = ${lei(999_999)}, country = 'DE', entity_type = 'credit_institution', competent_authority = 'BaFin' where id = ${tenantId}`,
  );
  const rows = [
    ...Array.from({ length: PROVIDERS }, (_, index) => ({ id: `sup_P${String(index).padStart(25, '0')}`, fields: fields(index, false) })),
    ...Array.from({ length: SUBCONTRACTORS }, (_, index) => ({ id: `sup_S${String(index).padStart(25, '0')}`, fields: fields(index, true) })),
  ];
  for (let start = 0; start < rows.length; start += 500) await insertSuppliers(db, tenantId, rows.slice(start, start + 500), now);
  await db.execute(sql`
    insert into functions (tenant_id, id, identifier, name, licensed_activity, critical_or_important, last_criticality_assessment_on, rto_hours, rpo_hours, discontinuation_impact, created_at, updated_at)
    select ${tenantId}, 'fun_' || lpad(n::text, 26, '0'), 'F' || n, 'Function ' || n, 'x162', n % 3 = 0, date '2025-03-31', 4 + n, 1 + n % 4,
      (array['low', 'medium', 'high'])[1 + n % 3], now(), now()
    from generate_series(1, ${FUNCTIONS}) n`);
  // Three services per provider; every third supports a critical function, with its B_07.01 assessment.
  await db.execute(sql`
    insert into ict_services (tenant_id, id, supplier_id, name, service_type, critical_or_important, function_id, data_storage_countries,
      data_processing_countries, data_sensitivity, reliance, substitutability, exit_plan_exists, reintegration_possibility, discontinuation_impact,
      alternative_providers_identified, created_at, updated_at)
    select ${tenantId}, 'svc_' || lpad((p * 3 + k)::text, 26, '0'), 'sup_P' || lpad(p::text, 25, '0'), 'Service ' || (p * 3 + k),
      'S' || lpad((1 + (p + k) % 19)::text, 2, '0'), (p + k) % 3 = 0, 'fun_' || lpad((1 + (p * 3 + k) % ${FUNCTIONS})::text, 26, '0'),
      array['DE', 'FR'], array['DE'], 'confidential', 'material', 'medium', true, 'difficult', 'medium', true, now(), now()
    from generate_series(0, ${PROVIDERS - 1}) p cross join generate_series(0, 2) k`);
  // Two contracts per provider, in force at the reference date, each covering one or two of its services.
  await db.execute(sql`
    insert into contracts (tenant_id, id, supplier_id, reference, title, status, start_date, end_date, notice_period_days, provider_notice_period_days,
      governing_law, annual_value_amount, annual_value_currency, created_at, updated_at)
    select ${tenantId}, 'ctr_' || lpad((p * 2 + k)::text, 26, '0'), 'sup_P' || lpad(p::text, 25, '0'), 'RoI-' || lpad((p * 2 + k)::text, 5, '0'),
      'Bench contract', 'active', date '2024-01-01', case when k = 1 then date '2027-12-31' end, 90, 180, 'DE', 10000 + p * 7, 'EUR', now(), now()
    from generate_series(0, ${PROVIDERS - 1}) p cross join generate_series(0, ${CONTRACTS / PROVIDERS - 1}) k`);
  await db.execute(sql`
    insert into contract_services (tenant_id, contract_id, service_id)
    select ${tenantId}, 'ctr_' || lpad((p * 2 + k)::text, 26, '0'), 'svc_' || lpad((p * 3 + s)::text, 26, '0')
    from generate_series(0, ${PROVIDERS - 1}) p cross join generate_series(0, 1) k cross join generate_series(0, 2) s
    where (k = 0 and s in (0, 1)) or (k = 1 and s = 2)`);
  // Chains: every provider subcontracts to one of 20 second-rank subcontractors, which use 20 more, which use 20 more.
  await db.execute(sql`
    insert into subcontracting_links (tenant_id, supplier_id, subcontractor_id, service_id, created_at, updated_at)
    select ${tenantId}, 'sup_P' || lpad(p::text, 25, '0'), 'sup_S' || lpad((p % 20)::text, 25, '0'), null, now(), now()
    from generate_series(0, ${PROVIDERS - 1}) p
    union all
    select ${tenantId}, 'sup_S' || lpad(s::text, 25, '0'), 'sup_S' || lpad((20 + s % 20)::text, 25, '0'), null, now(), now() from generate_series(0, 19) s
    union all
    select ${tenantId}, 'sup_S' || lpad((20 + s)::text, 25, '0'), 'sup_S' || lpad((40 + s % 20)::text, 25, '0'), null, now(), now() from generate_series(0, 19) s`);
  await db.execute(sql`
    insert into audits (tenant_id, id, supplier_id, type, status, planned_date, performed_date, created_by_type, created_by_id, created_at, updated_at)
    select ${tenantId}, 'adt_' || lpad(p::text, 26, '0'), 'sup_P' || lpad(p::text, 25, '0'), 'remote', 'completed', date '2025-06-01', date '2025-06-02',
      'system', 'bench', now(), now()
    from generate_series(0, ${PROVIDERS - 1}, 2) p`);
}

export interface RegisterTiming {
  runs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  met: boolean;
}

export interface DoraRegisterBenchResult {
  database: 'pglite' | 'postgres';
  contracts: number;
  providers: number;
  generateSeconds: number;
  targetMs: number;
  zipBytes: number;
  rows: Record<string, number>;
  problems: number;
  export: RegisterTiming;
  validation: RegisterTiming;
  /** Heap growth (used heap after minus before, sampled while the ZIP is read) of one export. */
  exportHeapGrowthMb: number;
}

function timing(samples: number[]): RegisterTiming {
  samples.sort((a, b) => a - b);
  const p95Ms = round1(percentile(samples, 95));
  return { runs: samples.length, p50Ms: round1(percentile(samples, 50)), p95Ms, maxMs: round1(samples.at(-1)!), met: p95Ms < TARGET_MS };
}

async function run(database: DatabaseProvider, kind: DoraRegisterBenchResult['database']): Promise<DoraRegisterBenchResult> {
  const { db } = await database.open();
  const create = (name: string) => createTenantWithAdminKey(db, { name, actor: { type: 'system', id: 'bench' }, requestId: null, now: new Date() });
  const { tenant, apiKey } = await create('Register bench bank AG');
  const started = performance.now();
  await generate(db, tenant.id);
  await db.execute(sql`analyze`);
  const generateSeconds = round1((performance.now() - started) / 1000);

  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const app = buildApp({ config, database, logger: createLogger('silent'), docsAssets: async () => undefined });
  const get = (path: string) => app.request(path, { headers: { authorization: `Bearer ${apiKey.key}` } });
  const exportPath = `/v1/exports/dora-register-of-information?referenceDate=${REFERENCE_DATE}`;
  const validationPath = `/v1/exports/dora-register-of-information/validation?referenceDate=${REFERENCE_DATE}`;

  const download = async () => {
    const response = await get(exportPath);
    if (response.status !== 200) throw new Error(`export: ${response.status} ${await response.text()}`);
    return { bytes: new Uint8Array(await response.arrayBuffer()), problems: Number(response.headers.get('chainproof-register-problems')) };
  };
  await download();
  const exportSamples: number[] = [];
  let last = { bytes: new Uint8Array(0), problems: 0 };
  for (let index = 0; index < RUNS; index += 1) {
    const begun = performance.now();
    last = await download();
    exportSamples.push(performance.now() - begun);
  }
  const validationSamples: number[] = [];
  for (let index = 0; index < RUNS; index += 1) {
    const begun = performance.now();
    const response = await get(validationPath);
    await response.json();
    validationSamples.push(performance.now() - begun);
  }

  // Heap growth of one export, sampled every 5 ms while it runs.
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  await download();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);

  const files = unzipSync(last.bytes);
  const rows = Object.fromEntries(
    Object.entries(files)
      .filter(([path]) => /\/b_\d\d\.\d\d\.csv$/.test(path))
      .map(([path, content]) => [path.split('/').pop()!, new TextDecoder().decode(content).split('\r\n').filter(Boolean).length - 1]),
  );
  return {
    database: kind,
    contracts: CONTRACTS,
    providers: PROVIDERS + SUBCONTRACTORS,
    generateSeconds,
    targetMs: TARGET_MS,
    zipBytes: last.bytes.length,
    rows,
    problems: last.problems,
    export: timing(exportSamples),
    validation: timing(validationSamples),
    exportHeapGrowthMb: round1((peak - before) / 1024 / 1024),
  };
}

/** On PostgreSQL and on embedded PGlite (what `npm start` runs). */
export async function benchDoraRegister(adminUrl: string): Promise<DoraRegisterBenchResult[]> {
  return [
    await withThrowawayDatabase(adminUrl, 'roi', (database) => run(database, 'postgres')),
    await withThrowawayPglite((database) => run(database, 'pglite')),
  ];
}
