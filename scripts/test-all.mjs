// `npm test`: every check CI runs, in order, with one summary at the end.
// Postgres steps use TEST_DATABASE_URL (default: the local server's postgres database).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
mkdirSync('dist', { recursive: true });

const vitestJson = (name) => ['--reporter=default', '--reporter=json', `--outputFile.json=dist/test-results-${name}.json`];

const steps = [
  { name: 'typecheck', command: ['npm', 'run', '-s', 'typecheck'] },
  { name: 'lint', command: ['npm', 'run', '-s', 'lint'] },
  { name: 'migrations match schema', command: ['npm', 'run', '-s', 'db:check'] },
  { name: 'OpenAPI lint (Spectral)', command: ['npm', 'run', '-s', 'openapi:lint'] },
  { name: 'suite on PGlite (incl. OpenAPI drift)', command: ['npx', 'vitest', 'run', ...vitestJson('pglite')], results: 'pglite' },
  {
    name: 'suite on PostgreSQL',
    command: ['node', 'scripts/test-postgres.mjs', ...vitestJson('postgres')],
    env: { TEST_DATABASE_URL: postgresUrl },
    results: 'postgres',
  },
  {
    name: 'reliability: kill -9 and database outage on real servers',
    command: ['npx', 'vitest', 'run', '--config', 'vitest.reliability.config.ts', ...vitestJson('reliability')],
    env: { TEST_DATABASE_URL: postgresUrl },
    results: 'reliability',
  },
  { name: 'Worker in workerd', command: ['npm', 'run', '-s', 'test:worker'], env: { TEST_DATABASE_URL: postgresUrl }, counts: /worker smoke: (\d+) passed, (\d+) failed/ },
  { name: 'ERP example against a live server', command: ['npm', 'run', '-s', 'test:example'], counts: /erp example: (\d+) passed, (\d+) failed/ },
  { name: 'browser', command: ['npx', 'vitest', 'run', '--config', 'vitest.browser.config.ts', ...vitestJson('browser')], results: 'browser' },
];

let passed = 0;
let failed = 0;
const summary = [];
for (const step of steps) {
  const started = Date.now();
  console.log(`\n=== ${step.name} ===`);
  if (step.results) rmSync(`dist/test-results-${step.results}.json`, { force: true });
  const result = spawnSync(step.command[0], step.command.slice(1), {
    stdio: step.counts ? ['inherit', 'pipe', 'inherit'] : 'inherit',
    env: { ...process.env, ...step.env },
    encoding: 'utf8',
  });
  if (step.counts) process.stdout.write(result.stdout ?? '');
  const ok = result.status === 0;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  let detail = '';
  if (step.results && existsSync(`dist/test-results-${step.results}.json`)) {
    const report = JSON.parse(readFileSync(`dist/test-results-${step.results}.json`, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    detail = ` (${report.numPassedTests} passed, ${report.numFailedTests} failed)`;
  } else if (step.counts) {
    const match = step.counts.exec(result.stdout ?? '');
    if (match) {
      passed += Number(match[1]);
      failed += Number(match[2]);
      detail = ` (${match[1]} passed, ${match[2]} failed)`;
    }
  }
  if (!ok && !detail) failed += 1;
  summary.push(`${ok ? 'ok  ' : 'FAIL'} ${step.name} ${seconds}s${detail}`);
  if (!ok) break;
}

console.log('\n=== summary ===');
for (const line of summary) console.log(line);
if (summary.length < steps.length) console.log(`stopped after the first failing step (${steps.length - summary.length} not run)`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || summary.length < steps.length ? 1 : 0);
