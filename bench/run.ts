// `npm run bench`: runs the benchmarks and writes JSON and a Markdown summary to bench/results/.
// `npm run bench -- --only=startup`, `--only=suppliers`, `--only=portal`, `--only=scoring`, `--only=dashboard`, `--only=risk`,
// `--only=reports`, `--only=evidence`, `--only=clause-gaps`, `--only=webhooks`, `--only=dora-register` or `--only=load`; BENCH_SUPPLIERS sets
// the dataset size (the load group's: BENCH_LOAD_SUPPLIERS, see bench/load.ts).
// The supplier benchmarks need PostgreSQL (TEST_DATABASE_URL, default the local server).
import { mkdirSync, writeFileSync } from 'node:fs';
import { measureStartup } from './startup';
import { benchClauseGaps } from './clause-gaps';
import { benchDoraRegister } from './dora-register';
import { benchDashboard } from './dashboard';
import { benchEvidence } from './evidence';
import { benchLoad, LOAD_TARGETS } from './load';
import { benchPortal } from './portal';
import { benchReports } from './reports';
import { benchRisk } from './risk';
import { benchScoring } from './scoring';
import { benchWebhooks } from './webhooks';
import { benchSuppliers } from './suppliers';

const RESTART_TARGET_MS = 2000;
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const supplierCount = Number(process.env.BENCH_SUPPLIERS ?? 100_000);

const results: Record<string, unknown> = {
  measuredAt: new Date().toISOString(),
  machine: { node: process.version, platform: process.platform, arch: process.arch, cpus: (await import('node:os')).cpus().length },
};
const rows: string[] = [];
/** Markdown after the table: profiles of missed load targets. */
const notes: string[] = [];
const yes = (met: boolean) => (met ? 'yes' : '**no**');

if (!only || only === 'startup') {
  const startup = await measureStartup();
  results.startup = { ...startup, targetMs: RESTART_TARGET_MS, met: startup.restartMaxMs < RESTART_TARGET_MS };
  rows.push(
    `| \`npm start\` on an existing PGlite folder → first 200 from /healthz (median of ${startup.restartMs.length}) | ${startup.restartMedianMs} ms (max ${startup.restartMaxMs} ms) | < ${RESTART_TARGET_MS} ms | ${yes(startup.restartMaxMs < RESTART_TARGET_MS)} |`,
    `| restart → first 200 from /readyz (database open, median) | ${startup.restartReadyMedianMs} ms | | |`,
    `| first start on an empty folder → /readyz (initdb, migrations, demo tenant) | ${startup.firstStartMs} ms | | |`,
  );
}

if (!only || only === 'suppliers') {
  const suppliers = await benchSuppliers(postgresUrl, supplierCount);
  results.suppliers = suppliers;
  const { listPage } = suppliers;
  rows.push(
    `| filtered list page of 50 at ${suppliers.suppliers.toLocaleString('en')} suppliers, Postgres, in-process (${listPage.requests} requests over 10 filter/sort/cursor shapes) | p95 ${listPage.p95Ms} ms (p50 ${listPage.p50Ms} ms) | p95 < 25 ms | ${yes(listPage.met)} |`,
  );
  if (suppliers.import5000) {
    rows.push(`| import 5,000 rows (JSON) | ${suppliers.import5000.seconds} s (HTTP ${suppliers.import5000.status}) | < 5 s | ${yes(suppliers.import5000.met)} |`);
  }
  if (suppliers.export) {
    rows.push(
      `| export ${suppliers.export.suppliers.toLocaleString('en')} suppliers as CSV (${Math.round(suppliers.export.bytes / 1024 / 1024)} MB in ${suppliers.export.seconds} s), server process over HTTP | peak RSS growth ${suppliers.export.peakRssGrowthMb} MB | < 100 MB | ${yes(suppliers.export.met)} |`,
    );
  }
  rows.push(`| (dataset generation: ${suppliers.suppliers.toLocaleString('en')} suppliers + contacts + services, batched) | ${suppliers.generateSeconds} s | | |`);
}

if (!only || only === 'portal') {
  const portal = await benchPortal(postgresUrl);
  results.portal = portal;
  for (const run of portal) {
    rows.push(
      `| portal page, OT questionnaire (${run.questions} questions, half answered), ${run.database}, in-process (${run.page.requests} requests) | p50 ${run.page.p50Ms} ms (p95 ${run.page.p95Ms} ms) | p50 < ${run.page.targetP50Ms} ms | ${yes(run.page.met)} |`,
      `| save one answer through the portal API, ${run.database} (${run.save.requests} saves) | p50 ${run.save.p50Ms} ms (p95 ${run.save.p95Ms} ms) | p50 < ${run.save.targetP50Ms} ms | ${yes(run.save.met)} |`,
    );
  }
  const weight = portal[0]!.weight;
  rows.push(
    `| portal page weight without uploads (HTML ${(weight.htmlBytes / 1024).toFixed(1)} KB + CSS ${(weight.cssBytes / 1024).toFixed(1)} KB + JS ${(weight.jsBytes / 1024).toFixed(1)} KB, uncompressed) | ${(weight.totalBytes / 1024).toFixed(1)} KB | < 100 KB | ${yes(weight.met)} |`,
  );
}

if (!only || only === 'scoring') {
  const scoring = benchScoring();
  results.scoring = scoring;
  rows.push(
    `| score one supplier, pure compute (${scoring.suppliers.toLocaleString('en')} varied suppliers × ${scoring.answersEach} answers) | mean ${scoring.meanMs} ms, p99 ${scoring.p99Ms} ms | < ${scoring.targetMs} ms | ${yes(scoring.met)} |`,
  );
}

if (!only || only === 'risk') {
  const risk = await benchRisk(postgresUrl);
  results.risk = risk;
  rows.push(
    `| \`POST /v1/risk/recalculate\` until completed, ${risk.suppliers.toLocaleString('en')} suppliers × ${risk.answersEach} accepted answers, Postgres, job loop in-process (${risk.changed.toLocaleString('en')} new scores) | ${risk.recalculateSeconds} s | < ${risk.targetSeconds} s | ${yes(risk.met)} |`,
    `| the same again with nothing changed (no new score rows) | ${risk.unchangedSeconds} s | | |`,
  );
}

if (!only || only === 'dashboard') {
  const dashboard = await benchDashboard(postgresUrl);
  results.dashboard = dashboard;
  rows.push(
    `| \`GET /v1/dashboard\` at ${dashboard.suppliers.toLocaleString('en')} scored suppliers (+ findings, evidence, assessments, services, links), Postgres, in-process, computed (${dashboard.requests} requests, each to a new app) | p95 ${dashboard.p95Ms} ms (p50 ${dashboard.p50Ms} ms) | p95 < ${dashboard.targetP95Ms} ms | ${yes(dashboard.met)} |`,
    `| the same asked again, from the cache (exact while the tenant's audit chain stands still) | p95 ${dashboard.cachedP95Ms} ms (p50 ${dashboard.cachedP50Ms} ms) | | |`,
  );
}

if (!only || only === 'reports') {
  const reports = await benchReports(postgresUrl);
  results.reports = reports;
  const { dossier, nis2 } = reports;
  rows.push(
    `| supplier dossier PDF, accepted ${dossier.questions}-question assessment (${dossier.pages} pages, ${Math.round(dossier.bytes / 1024)} KB), Postgres, in-process, to the last byte (${dossier.requests} requests) | p95 ${dossier.p95Ms} ms (p50 ${dossier.p50Ms} ms) | < ${dossier.targetMs} ms | ${yes(dossier.met)} |`,
    `| NIS2 supply-chain report PDF, ${nis2.suppliers.toLocaleString('en')} suppliers, audit log of ${nis2.auditEntries.toLocaleString('en')} entries verified (${Math.round(nis2.bytes / 1024)} KB), Postgres, in-process (${nis2.requests} requests) | max ${nis2.maxMs} ms (p50 ${nis2.p50Ms} ms) | < ${nis2.targetMs} ms | ${yes(nis2.met)} |`,
  );
}

if (!only || only === 'evidence') {
  const evidence = await benchEvidence(postgresUrl);
  results.evidence = evidence;
  for (const run of evidence) {
    const mib = Math.round(run.fileBytes / 1024 / 1024);
    rows.push(
      `| upload ${mib} MiB evidence (multipart \`POST /v1/evidence\`), ${run.database}, server process over HTTP | peak RSS growth ${run.upload.growthMb} MB = ${run.upload.ratio}× the file (worst of ${run.rounds}: ${run.uploadRatios.join('×, ')}×) | < ${run.targetRatio}× | ${yes(run.upload.met)} |`,
      `| download it (\`GET /v1/evidence/{id}/content\`, streamed), ${run.database}, server process over HTTP | peak RSS growth ${run.download.growthMb} MB = ${run.download.ratio}× the file (worst of ${run.rounds}: ${run.downloadRatios.join('×, ')}×) | < ${run.targetRatio}× | ${yes(run.download.met)} |`,
    );
  }
}

if (!only || only === 'clause-gaps') {
  const clauseGaps = await benchClauseGaps(postgresUrl);
  results.clauseGaps = clauseGaps;
  for (const run of clauseGaps) {
    const { firstPage, deepPage, criticalAuditOrIncident: filtered } = run.queries;
    rows.push(
      `| \`GET /v1/clause-gaps\` first page (${firstPage.rows} gaps) at ${run.contracts.toLocaleString('en')} contracts (${run.suppliers.toLocaleString('en')} suppliers, ${run.openGaps.toLocaleString('en')} open gaps), ${run.database}, in-process (${firstPage.requests} requests) | p95 ${firstPage.p95Ms} ms (p50 ${firstPage.p50Ms} ms) | p95 < ${run.targetMs} ms | ${yes(firstPage.met)} |`,
      `| a page nine tenths down by cursor, ${run.database} | p95 ${deepPage.p95Ms} ms (p50 ${deepPage.p50Ms} ms) | p95 < ${run.targetMs} ms | ${yes(deepPage.met)} |`,
      `| \`?tier=critical&topic=right_to_audit,incident_notification\` (${filtered.rows} gaps, ${run.criticalSuppliers.toLocaleString('en')} critical suppliers), ${run.database} | p95 ${filtered.p95Ms} ms (p50 ${filtered.p50Ms} ms) | p95 < ${run.targetMs} ms | ${yes(filtered.met)} |`,
    );
  }
}

if (!only || only === 'webhooks') {
  const webhooks = await benchWebhooks(postgresUrl);
  results.webhooks = webhooks;
  rows.push(
    `| webhook dispatcher, ${webhooks.events.toLocaleString('en')} signed deliveries to a local receiver, PostgreSQL (${webhooks.runs} dispatcher runs, ${webhooks.delivered.toLocaleString('en')} received) | ${webhooks.perSecond} deliveries/s | ≥ ${webhooks.targetPerSecond}/s | ${yes(webhooks.met)} |`,
  );
}

if (!only || only === 'dora-register') {
  const register = await benchDoraRegister(postgresUrl);
  results.doraRegister = register;
  for (const run of register) {
    rows.push(
      `| DORA Register of Information ZIP, ${run.contracts.toLocaleString('en')} contracts, ${run.providers} providers (${Object.values(run.rows).reduce((a, b) => a + b, 0).toLocaleString('en')} rows, ${Math.round(run.zipBytes / 1024)} KB), ${run.database}, in-process, to the last byte (${run.export.runs} runs) | p95 ${run.export.p95Ms} ms (p50 ${run.export.p50Ms} ms), heap growth ${run.exportHeapGrowthMb} MB | p95 < ${run.targetMs} ms | ${yes(run.export.met)} |`,
      `| its validation (${run.problems} errors), ${run.database} | p95 ${run.validation.p95Ms} ms (p50 ${run.validation.p50Ms} ms) | p95 < ${run.targetMs} ms | ${yes(run.validation.met)} |`,
    );
  }
}

if (!only || only === 'load') {
  const load = await benchLoad(postgresUrl);
  results.load = load;
  const ms = (value: number) => `${value} ms`;
  for (const run of load) {
    const size = `${run.suppliers.toLocaleString('en')} suppliers, ${run.database === 'postgres' ? 'PostgreSQL' : 'PGlite'}${run.nodeFlags ? `, server \`node ${run.nodeFlags}\`` : ''}`;
    for (const scenario of run.scenarios) {
      const { ours, baseline } = scenario;
      const versus = baseline && ours.requests === 0
        ? `; baseline (${baseline.request}) ${baseline.perSecond} req/s, p99 ${ms(baseline.p99Ms)}`
        : baseline
        ? `; baseline (${baseline.request}) ${baseline.perSecond} req/s, p99 ${ms(baseline.p99Ms)} → **${Math.round(scenario.throughputRatio! * 100)}% of its throughput, p99 ${scenario.p99Ratio}×**${scenario.ratioRounds ? ` (median of ${scenario.ratioRounds.length} alternating runs of the two: ${scenario.ratioRounds.map((ratio) => `${Math.round(ratio * 100)}%`).join(', ')})` : ''}`
        : scenario.name === 'pdf' ? '; no baseline (nothing bare renders a PDF)' : '';
      let target = '';
      let met = '';
      if (run.database === 'postgres' && scenario.name === 'supplier') {
        target = `≥ ${LOAD_TARGETS.readThroughputRatio * 100}% of baseline; p99 < ${LOAD_TARGETS.readP99Ms} ms`;
        met = `${yes(run.targets.readThroughput!)}; ${yes(run.targets.readP99!)}`;
      } else if (run.database === 'postgres' && scenario.name === 'list' && run.targets.listP95 !== undefined) {
        target = `p95 < ${LOAD_TARGETS.listP95Ms} ms`;
        met = yes(run.targets.listP95);
      }
      const measured = ours.requests === 0 ? '**no request finished within the run**' : `${ours.perSecond} req/s, p50 ${ms(ours.p50Ms)}, p95 ${ms(ours.p95Ms)}, p99 ${ms(ours.p99Ms)}`;
      rows.push(`| load: ${scenario.request}, ${size}, ${run.connections} connections × ${run.seconds} s over HTTP | ${measured}${versus} | ${target} | ${met} |`);
    }
    rows.push(
      `| load: server RSS, ${size} (idle ${run.idleRssMb} MB after start) | peak ${run.peakRssMb} MB | < ${LOAD_TARGETS.rssMb} MB | ${run.database === 'postgres' ? yes(run.targets.rss) : ''} |`,
      `| (load dataset: ${Object.entries(run.rows).map(([table, n]) => `${n.toLocaleString('en')} ${table}`).join(', ')}, batched) | ${run.generateSeconds} s | | |`,
    );
  }
  const profiled = load.flatMap((run) => run.scenarios.filter((scenario) => scenario.profile).map((scenario) => ({ run, scenario })));
  for (const { run, scenario } of profiled) {
    const profile = scenario.profile!;
    notes.push(
      '',
      `### Profile: ${scenario.request}, ${run.database} (target missed; ${profile.samples} samples under \`node --cpu-prof\`)`,
      '',
      `Self time by origin: ${Object.entries(profile.byOrigin).map(([origin, percent]) => `${origin} ${percent}%`).join(', ')}.`,
      '',
      '| function | self % |',
      '|---|---|',
      ...profile.topFrames.map((frame) => `| \`${frame.frame}\` | ${frame.selfPercent} |`),
    );
  }
}

mkdirSync('bench/results', { recursive: true });
const suffix = only ? `-${only}` : '';
writeFileSync(`bench/results/latest${suffix}.json`, `${JSON.stringify(results, null, 2)}\n`);
const markdown = [
  '# Benchmark results',
  '',
  `Measured ${results.measuredAt as string} on Node ${process.version}, ${(results.machine as { cpus: number }).cpus} cores.`,
  '',
  '| measure | result | target | met |',
  '|---|---|---|---|',
  ...rows,
  ...notes,
  '',
].join('\n');
writeFileSync(`bench/results/latest${suffix}.md`, markdown);
console.log(markdown);
