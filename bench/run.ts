// `npm run bench`: runs the benchmarks and writes JSON and a Markdown summary to bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { measureStartup } from './startup';

const RESTART_TARGET_MS = 2000;

const startup = await measureStartup();
const results = {
  measuredAt: new Date().toISOString(),
  machine: { node: process.version, platform: process.platform, arch: process.arch },
  startup: { ...startup, targetMs: RESTART_TARGET_MS, met: startup.restartMaxMs < RESTART_TARGET_MS },
};

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
const markdown = [
  '# Benchmark results',
  '',
  `Measured ${results.measuredAt} on Node ${process.version}.`,
  '',
  '| measure | result | target | met |',
  '|---|---|---|---|',
  `| \`npm start\` on an existing PGlite folder → first 200 from /healthz (median of ${startup.restartMs.length}) | ${startup.restartMedianMs} ms (max ${startup.restartMaxMs} ms) | < ${RESTART_TARGET_MS} ms | ${results.startup.met ? 'yes' : 'no'} |`,
  `| restart → first 200 from /readyz (database open, median) | ${startup.restartReadyMedianMs} ms | | |`,
  `| first start on an empty folder → /readyz (initdb, migrations, demo tenant) | ${startup.firstStartMs} ms | | |`,
  '',
].join('\n');
writeFileSync('bench/results/latest.md', markdown);
console.log(markdown);
if (!results.startup.met) process.exitCode = 1;
