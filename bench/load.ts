// Load over HTTP: autocannon with 50 connections against the real Node server (scripts/start.mjs in
// a child process) on a generated portfolio, on PostgreSQL and on PGlite, and in the same session
// against a bare Hono + postgres.js baseline (bench/baseline-server.ts) doing the equivalent single
// query. Six requests: a supplier by id, a filtered list page, creating a supplier (a new
// Idempotency-Key each), saving a portal answer, the dashboard and a supplier's dossier PDF (which
// has no sensible baseline). The server's resident set is sampled throughout; where a target is
// missed, the scenario runs again in a server under `node --cpu-prof` and the top frames are kept.
// BENCH_LOAD_SUPPLIERS (default 100,000; PGlite: BENCH_LOAD_PGLITE_SUPPLIERS, default 10,000),
// BENCH_LOAD_SECONDS (10), BENCH_LOAD_CONNECTIONS (50), BENCH_LOAD_PROFILE=0 skips the profiles,
// BENCH_LOAD_RATIO_ROUNDS (5) and BENCH_LOAD_NODE_FLAGS (see below).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createPgliteProvider, migratePgliteDatabase } from '../src/db/node';
import { generateDataset, type Dataset } from './dataset';
import { memoryOf, startProcess, startScriptNodeFlags, startServer, type ServerProcess } from './server-process';
import { withThrowawayDatabase } from './throwaway-database';

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const WARMUP_SECONDS = Math.min(3, Math.max(1, Math.round(SECONDS / 4)));
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 50);
const PROFILE = process.env.BENCH_LOAD_PROFILE !== '0';
const PROFILE_SECONDS = 5;
/** A comma-separated subset of the scenarios, e.g. BENCH_LOAD_SCENARIOS=supplier,list. */
const ONLY = process.env.BENCH_LOAD_SCENARIOS?.split(',');
/** BENCH_LOAD_DATABASES=postgres skips PGlite (and =pglite PostgreSQL). */
const DATABASES = process.env.BENCH_LOAD_DATABASES?.split(',') ?? ['postgres', 'pglite'];
/**
 * Node flags for our server on top of npm start's (which it runs with anyway), e.g.
 * BENCH_LOAD_NODE_FLAGS=--max-old-space-size=256 to try another heap cap (README "Deploying").
 */
const EXTRA_NODE_FLAGS = process.env.BENCH_LOAD_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
/**
 * The read's ratio to the baseline is the median of this many runs of the two, alternating: this
 * VM's speed drifts by a quarter within minutes, and one run of each would measure the drift.
 */
const RATIO_ROUNDS = Math.max(1, Number(process.env.BENCH_LOAD_RATIO_ROUNDS ?? 5));
const MIB = 1024 * 1024;

export const LOAD_TARGETS = {
  /** Single-resource reads: at least this share of the baseline's throughput. */
  readThroughputRatio: 0.6,
  readP99Ms: 50,
  listP95Ms: 25,
  /** The list target holds at this register size. */
  listSuppliers: 100_000,
  rssMb: 300,
};

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

export type ScenarioName = 'supplier' | 'list' | 'create' | 'portalSave' | 'dashboard' | 'pdf';

export interface LoadStats {
  seconds: number;
  requests: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  statuses: Record<string, number>;
  errors: number;
  /** Peak resident set of the server process during this scenario. */
  peakRssMb: number;
}

export interface CpuProfileSummary {
  samples: number;
  /** Share of samples by where the code lives: our bundle, a package, GC, idle. */
  byOrigin: Record<string, number>;
  /** The functions with the most self time. */
  topFrames: { frame: string; selfPercent: number }[];
}

export interface LoadScenarioResult {
  name: ScenarioName;
  request: string;
  ours: LoadStats;
  baseline?: LoadStats & { request: string };
  /** ours / baseline (the median round's, where there were several). */
  throughputRatio?: number;
  /** Each round's throughput ratio, where ours and the baseline ran in alternation several times. */
  ratioRounds?: number[];
  p99Ratio?: number;
  profile?: CpuProfileSummary;
}

export interface LoadRunResult {
  database: 'postgres' | 'pglite';
  /** The Node flags our server ran with: npm start's, then BENCH_LOAD_NODE_FLAGS. */
  nodeFlags: string;
  suppliers: number;
  rows: Record<string, number>;
  generateSeconds: number;
  connections: number;
  seconds: number;
  scenarios: LoadScenarioResult[];
  idleRssMb: number;
  peakRssMb: number;
  targets: { readThroughput?: boolean; readP99?: boolean; listP95?: boolean; rss: boolean };
}

interface Scenario {
  name: ScenarioName;
  describe: string;
  requests: autocannon.Request[];
  baseline?: { describe: string; requests: autocannon.Request[] };
}

type Context = Record<string, unknown>;

/** Every connection takes the next of `values` on its first request and keeps it. */
function perConnection<T>(values: readonly T[]) {
  let next = 0;
  return (context: Context): T => {
    if (!('assigned' in context)) context.assigned = values[next++ % values.length];
    return context.assigned as T;
  };
}

function scenarios(dataset: Dataset, withBaseline: boolean): Scenario[] {
  const auth = { authorization: `Bearer ${dataset.apiKey}` };
  const ids = dataset.sampleSupplierIds;
  let read = 0;
  let created = 0;
  let saved = 0;
  const sessionOf = perConnection(dataset.portalSessions);
  const json = { 'content-type': 'application/json' };
  const answer = (index: number) => `Draft answer ${index}: monitoring is in place for all OT networks`;
  const list: Scenario[] = [
    {
      name: 'supplier',
      describe: '`GET /v1/suppliers/{id}`',
      requests: [{ method: 'GET', headers: auth, setupRequest: (req) => ({ ...req, path: `/v1/suppliers/${ids[read++ % ids.length]}` }) }],
      baseline: {
        describe: 'select by tenant and id',
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/suppliers/${ids[read++ % ids.length]}` }) }],
      },
    },
    {
      name: 'list',
      describe: '`GET /v1/suppliers?status=onboarding&limit=50`',
      requests: [{ method: 'GET', path: '/v1/suppliers?status=onboarding&limit=50', headers: auth }],
      baseline: { describe: 'the same keyset page query', requests: [{ method: 'GET', path: '/suppliers?status=onboarding' }] },
    },
    {
      name: 'create',
      describe: '`POST /v1/suppliers` with an Idempotency-Key',
      requests: [
        {
          method: 'POST',
          path: '/v1/suppliers',
          setupRequest: (req) => {
            created += 1;
            return {
              ...req,
              headers: { ...auth, ...json, 'idempotency-key': `load-${process.pid}-${created}` },
              body: JSON.stringify({ name: `Load Supplier ${created}`, country: 'DE', profile: { accessLevel: 'remote' } }),
            };
          },
        },
      ],
      baseline: {
        describe: 'one insert',
        requests: [
          {
            method: 'POST',
            path: '/suppliers',
            headers: json,
            setupRequest: (req) => ({ ...req, body: JSON.stringify({ name: `Baseline Supplier ${(created += 1)}`, country: 'DE' }) }),
          },
        ],
      },
    },
    {
      name: 'portalSave',
      describe: '`PUT /portal/api/answers` (one text answer, each connection its own assessment)',
      requests: [
        {
          method: 'PUT',
          path: '/portal/api/answers',
          setupRequest: (req, context) => ({
            ...req,
            headers: { ...json, 'x-portal-token': sessionOf(context as Context).token },
            body: JSON.stringify({ answers: [{ questionKey: dataset.portalQuestionKey, value: answer((saved += 1)) }] }),
          }),
        },
      ],
      baseline: {
        describe: 'one upsert of the answer',
        requests: [
          {
            method: 'PUT',
            headers: json,
            setupRequest: (req, context) => ({
              ...req,
              path: `/answers/${sessionOf(context as Context).assessmentId}`,
              body: JSON.stringify({ questionKey: dataset.portalQuestionKey, value: answer((saved += 1)) }),
            }),
          },
        ],
      },
    },
    {
      name: 'dashboard',
      describe: '`GET /v1/dashboard`',
      requests: [{ method: 'GET', path: '/v1/dashboard', headers: auth }],
      baseline: { describe: 'one grouped count over the register', requests: [{ method: 'GET', path: '/dashboard' }] },
    },
    {
      name: 'pdf',
      describe: '`GET /v1/suppliers/{id}/report.pdf` (dossier)',
      requests: [{ method: 'GET', path: `/v1/suppliers/${dataset.dossierSupplierId}/report.pdf`, headers: auth }],
    },
  ];
  const chosen = list.filter((scenario) => !ONLY || ONLY.includes(scenario.name));
  return withBaseline ? chosen : chosen.map(({ baseline: _baseline, ...scenario }) => scenario);
}

/** autocannon against `base` for `seconds`, every latency kept (autocannon's own percentiles have no p95). */
async function hammer(base: string, requests: autocannon.Request[], seconds: number, pid: number): Promise<LoadStats> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let peakRss = memoryOf(pid).rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, memoryOf(pid).rss);
  }, 100);
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: base, connections: CONNECTIONS, duration: seconds, requests, timeout: 30 }, (error, finished) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(finished),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
  clearInterval(sampler);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    seconds: round1(elapsed),
    requests: latencies.length,
    perSecond: round1(latencies.length / elapsed),
    p50Ms: round1(percentile(latencies, 50)),
    p95Ms: round1(percentile(latencies, 95)),
    p99Ms: round1(percentile(latencies, 99)),
    maxMs: round1(latencies.at(-1) ?? Number.NaN),
    statuses,
    errors: result.errors + result.timeouts,
    peakRssMb: round1(Math.max(peakRss, memoryOf(pid).rss) / MIB),
  };
}

/**
 * Until the server has worked off what a run left queued: autocannon stops sending at the end, but
 * requests it gave up on still wait for a database connection. /readyz queues for one too.
 */
async function settle(base: string): Promise<void> {
  const started = performance.now();
  for (let quick = 0; quick < 2 && performance.now() - started < 120_000; ) {
    const begun = performance.now();
    const ok = await fetch(`${base}/readyz`).then(
      (response) => response.status === 200,
      () => false,
    );
    quick = ok && performance.now() - begun < 100 ? quick + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A warm-up, then the measured run; a scenario that mostly fails is a broken benchmark, not a number. */
async function measure(server: ServerProcess, requests: autocannon.Request[], label: string): Promise<LoadStats> {
  await hammer(server.base, requests, WARMUP_SECONDS, server.child.pid!);
  await settle(server.base);
  const stats = await hammer(server.base, requests, SECONDS, server.child.pid!);
  await settle(server.base);
  const failed = Object.entries(stats.statuses).reduce((sum, [status, n]) => sum + (Number(status) >= 400 ? n : 0), 0);
  if (failed > stats.requests / 100) throw new Error(`${label}: ${JSON.stringify(stats.statuses)}, ${stats.errors} errors`);
  return stats;
}

/** Self time by origin and by function from a V8 .cpuprofile. */
export function summariseCpuProfile(path: string, top = 12, lastSeconds = Number.POSITIVE_INFINITY): CpuProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as {
    nodes: { id: number; hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
    timeDeltas: number[];
    startTime: number;
    endTime: number;
  };
  // Only the samples of the load: the server's start-up (loading, compiling) is not what is measured.
  const from = profile.endTime - lastSeconds * 1e6;
  const hitsOf = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    at += profile.timeDeltas[index] ?? 0;
    if (at >= from) hitsOf.set(id, (hitsOf.get(id) ?? 0) + 1);
  });
  const total = [...hitsOf.values()].reduce((sum, hits) => sum + hits, 0);
  const byOrigin = new Map<string, number>();
  const byFrame = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = hitsOf.get(node.id) ?? 0;
    if (!hits) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const origin = !url
      ? functionName.startsWith('(') ? functionName : '(native)'
      : url.includes('/node_modules/')
        ? url.slice(url.lastIndexOf('/node_modules/') + 14).split('/').slice(0, url.includes('/node_modules/@') ? 2 : 1).join('/')
        : url.includes('/dist/server/')
          ? 'chainproof (bundle)'
          : url.startsWith('node:')
            ? 'node core'
            : url;
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + hits);
    const frame = `${functionName || '(anonymous)'} ${url ? `${url.split('/').slice(-1)[0]}:${lineNumber + 1}` : ''}`.trim();
    byFrame.set(frame, (byFrame.get(frame) ?? 0) + hits);
  }
  const share = (hits: number) => round1((hits / total) * 100);
  return {
    samples: total,
    byOrigin: Object.fromEntries([...byOrigin].sort((a, b) => b[1] - a[1]).slice(0, top).map(([origin, hits]) => [origin, share(hits)])),
    topFrames: [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, top).map(([frame, hits]) => ({ frame, selfPercent: share(hits) })),
  };
}

/** The scenario again, in a fresh server under --cpu-prof. */
async function profileScenario(env: Record<string, string>, scenario: Scenario): Promise<CpuProfileSummary> {
  const folder = mkdtempSync(join(tmpdir(), 'chainproof-load-profile-'));
  try {
    const server = await startServer(env, { nodeArgs: [...EXTRA_NODE_FLAGS, '--cpu-prof', `--cpu-prof-dir=${folder}`] });
    try {
      await hammer(server.base, scenario.requests, PROFILE_SECONDS, server.child.pid!);
    } finally {
      await server.stop();
    }
    const file = readdirSync(folder).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error('the server wrote no CPU profile');
    return summariseCpuProfile(join(folder, file), 12, PROFILE_SECONDS);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export async function run(kind: LoadRunResult['database'], dataset: Dataset, databaseEnv: Record<string, string>, baselineEnv?: Record<string, string>): Promise<LoadRunResult> {
  const env = databaseEnv;
  const list = scenarios(dataset, baselineEnv !== undefined);
  const results: LoadScenarioResult[] = [];
  const server = await startServer(env, { nodeArgs: EXTRA_NODE_FLAGS });
  let baseline: ServerProcess | undefined;
  let idleRss = 0;
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    idleRss = memoryOf(server.child.pid!).rss;
    // Both servers are up together, and each scenario runs on ours and then on the baseline, so
    // that a ratio compares two runs minutes apart at most, not the two halves of the whole run.
    if (baselineEnv) {
      const port = ((Number(new URL(server.base).port) - 3990 + 4) % 9) + 3990;
      baseline = await startProcess('bench/baseline-server.ts', baselineEnv, { nodeArgs: ['--import', 'tsx'], port });
    }
    for (const scenario of list) {
      const rounds = baseline && scenario.baseline ? (scenario.name === 'supplier' ? RATIO_ROUNDS : 1) : 0;
      if (!rounds) {
        console.error(`load ${kind}: ${scenario.name}`);
        results.push({ name: scenario.name, request: scenario.describe, ours: await measure(server, scenario.requests, `${kind} ${scenario.name}`) });
        continue;
      }
      const pairs: { ours: LoadStats; baseline: LoadStats; ratio: number }[] = [];
      for (let round = 1; round <= rounds; round += 1) {
        console.error(`load ${kind}: ${scenario.name}${rounds > 1 ? ` (round ${round} of ${rounds})` : ''}, ours and the baseline`);
        const ours = await measure(server, scenario.requests, `${kind} ${scenario.name}`);
        const bare = await measure(baseline!, scenario.baseline!.requests, `baseline ${scenario.name}`);
        pairs.push({ ours, baseline: bare, ratio: ours.perSecond / bare.perSecond });
      }
      const median = [...pairs].sort((a, b) => a.ratio - b.ratio)[Math.floor(pairs.length / 2)]!;
      results.push({
        name: scenario.name,
        request: scenario.describe,
        ours: { ...median.ours, peakRssMb: Math.max(...pairs.map((pair) => pair.ours.peakRssMb)) },
        baseline: { ...median.baseline, request: scenario.baseline!.describe },
        throughputRatio: round2(median.ratio),
        p99Ratio: round2(median.ours.p99Ms / median.baseline.p99Ms),
        ...(pairs.length > 1 ? { ratioRounds: pairs.map((pair) => round2(pair.ratio)) } : {}),
      });
    }
  } finally {
    await server.stop();
    await baseline?.stop();
  }
  const byName = (name: ScenarioName) => results.find((result) => result.name === name);
  const peakRssMb = Math.max(...results.map((result) => result.ours.peakRssMb));
  const targets: LoadRunResult['targets'] = { rss: peakRssMb < LOAD_TARGETS.rssMb };
  const missed = new Set<ScenarioName>();
  if (kind === 'postgres') {
    const read = byName('supplier');
    if (read) {
      targets.readThroughput = (read.throughputRatio ?? 0) >= LOAD_TARGETS.readThroughputRatio;
      targets.readP99 = read.ours.p99Ms < LOAD_TARGETS.readP99Ms;
      if (!targets.readThroughput || !targets.readP99) missed.add('supplier');
    }
    const list = byName('list');
    if (list && dataset.suppliers >= LOAD_TARGETS.listSuppliers) {
      targets.listP95 = list.ours.p95Ms < LOAD_TARGETS.listP95Ms;
      if (!targets.listP95) missed.add('list');
    }
    if (!targets.rss) missed.add(results.reduce((a, b) => (b.ours.peakRssMb > a.ours.peakRssMb ? b : a)).name);
  }
  if (PROFILE) {
    for (const name of missed) {
      console.error(`load ${kind}: profiling ${name}`);
      byName(name)!.profile = await profileScenario(env, list.find((scenario) => scenario.name === name)!);
    }
  }
  return {
    database: kind,
    nodeFlags: [...startScriptNodeFlags(), ...EXTRA_NODE_FLAGS].join(' '),
    suppliers: dataset.suppliers,
    rows: dataset.rows,
    generateSeconds: dataset.generateSeconds,
    connections: CONNECTIONS,
    seconds: SECONDS,
    scenarios: results,
    idleRssMb: round1(idleRss / MIB),
    peakRssMb,
    targets,
  };
}

/** PostgreSQL (with the baseline) in a throwaway database, then PGlite in a throwaway data folder. */
export async function benchLoad(adminUrl: string): Promise<LoadRunResult[]> {
  const results: LoadRunResult[] = [];
  const postgresSuppliers = Number(process.env.BENCH_LOAD_SUPPLIERS ?? 100_000);
  if (DATABASES.includes('postgres')) {
    results.push(
      await withThrowawayDatabase(adminUrl, 'load', async (database, url) => {
        console.error(`load postgres: generating ${postgresSuppliers.toLocaleString('en')} suppliers`);
        const dataset = await generateDataset(database, postgresSuppliers);
        return run('postgres', dataset, { DATABASE_URL: url }, { DATABASE_URL: url, BASELINE_TENANT_ID: dataset.tenantId });
      }),
    );
  }
  if (!DATABASES.includes('pglite')) return results;
  const pgliteSuppliers = Number(process.env.BENCH_LOAD_PGLITE_SUPPLIERS ?? 10_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'chainproof-bench-load-'));
  try {
    console.error(`load pglite: generating ${pgliteSuppliers.toLocaleString('en')} suppliers`);
    const pglite = await createPgliteProvider({ dataDir });
    let dataset: Dataset;
    try {
      await migratePgliteDatabase(pglite.pglite);
      dataset = await generateDataset(pglite, pgliteSuppliers);
    } finally {
      await pglite.close();
    }
    results.push(await run('pglite', dataset, { DATA_DIR: dataDir, DATABASE_URL: '' }));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
