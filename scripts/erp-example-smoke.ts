/**
 * CI check of the ERP integration example against a live server: `npm run test:example`.
 *
 * 1. Starts the real server the way `npm start` does (scripts/start.mjs) on a fresh PGlite in a
 *    temporary DATA_DIR, on a free port, with a random PLATFORM_ADMIN_TOKEN and no demo tenant.
 * 2. Creates a tenant with that token (POST /v1/tenants, the platform bootstrap) and an API key
 *    with the `integration` role's scopes.
 * 3. Runs `tsx examples/erp-sync.ts` twice against it: both runs must exit 0, and the second
 *    must create nothing (the example is re-runnable). Then checks through the API that there are
 *    no duplicates and that the audit log verifies.
 * 4. Stops the server (SIGTERM) and deletes the data dir, always.
 *
 * Prints `erp example: N passed, M failed` for scripts/test-all.mjs. SMOKE_VERBOSE=1 streams the
 * server's output; otherwise it is printed only when something fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROLES } from '../src/catalog/access';
import { ERP_VENDORS } from '../examples/erp-sync';
import { checkServerEnv, freePort, OutputTail, waitUntilReady } from './lib/smoke';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX_CLI = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const VERBOSE = process.env.SMOKE_VERBOSE === '1';
const READY_TIMEOUT_MS = 90_000;
const EXAMPLE_TIMEOUT_MS = 30_000;
const OVERALL_TIMEOUT_MS = 180_000;

const started = Date.now();
let passed = 0;
let failed = 0;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

function record(name: string, ok: boolean, detail = '') {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` - ${detail}` : ''}`);
  return ok;
}

async function check(name: string, run: () => Promise<string | void>): Promise<boolean> {
  try {
    return record(name, true, (await run()) ?? '');
  } catch (error) {
    return record(name, false, error instanceof Error ? error.message : String(error));
  }
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** A JSON call to the live server; answers the status and the parsed body (or the text). */
async function call(base: string, path: string, options: { token?: string; json?: unknown; method?: string } = {}) {
  const response = await fetch(`${base}${path}`, {
    method: options.method ?? (options.json === undefined ? 'GET' : 'POST'),
    headers: {
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      ...(options.json === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body, describe: () => `HTTP ${response.status}: ${text.slice(0, 300)}` };
}

/** `tsx examples/erp-sync.ts` with the given env; answers its exit code and output. */
function runExample(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, 'examples/erp-sync.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`examples/erp-sync.ts did not finish within ${seconds(EXAMPLE_TIMEOUT_MS)}`));
    }, EXAMPLE_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function stopServer(server: ChildProcess) {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000))]);
  if (!stopped) {
    console.error('the server did not stop within 10s; killing it');
    server.kill('SIGKILL');
    await exited;
  }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'chainproof-erp-example-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const platformToken = randomBytes(24).toString('base64url');
  const output = new OutputTail(200, VERBOSE);

  const server = spawn(process.execPath, ['--enable-source-maps', 'scripts/start.mjs'], {
    cwd: ROOT,
    env: checkServerEnv(ROOT, port, { DATA_DIR: dataDir, PLATFORM_ADMIN_TOKEN: platformToken }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  server.stderr.on('data', (chunk: Buffer) => output.push(chunk));

  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await stopServer(server).catch((error: unknown) => console.error(`stopping the server: ${(error as Error).message}`));
      rmSync(dataDir, { recursive: true, force: true });
    })());
  const abort = (reason: string) => {
    console.error(`erp example: ${reason}, cleaning up`);
    failed += 1;
    cleanup().finally(() => {
      console.log(`erp example: ${passed} passed, ${failed} failed`);
      process.exit(1);
    });
  };
  const watchdog = setTimeout(() => abort(`timed out after ${seconds(OVERALL_TIMEOUT_MS)}`), OVERALL_TIMEOUT_MS);
  process.once('SIGINT', () => abort('interrupted'));
  process.once('SIGTERM', () => abort('terminated'));

  let serverUp = false;
  try {
    serverUp = await check('the server starts on a fresh PGlite (scripts/start.mjs)', async () => {
      // /readyz answers 200 once the database is open and migrated.
      await waitUntilReady(`${base}/readyz`, server, output, { name: 'server', timeoutMs: READY_TIMEOUT_MS, ready: (status) => status === 200 });
      return `ready on ${base} in ${seconds(Date.now() - started)}`;
    });
    if (!serverUp) return;

    let adminKey = '';
    let integrationKey = '';
    const keys = await check('POST /v1/tenants (platform token), then an API key with the integration scopes', async () => {
      const tenant = await call(base, '/v1/tenants', { token: platformToken, json: { name: 'ERP example tenant' } });
      const created = tenant.body as { apiKey?: { key?: string } };
      assert(tenant.status === 201 && typeof created.apiKey?.key === 'string', tenant.describe());
      adminKey = created.apiKey.key;
      const key = await call(base, '/v1/api-keys', { token: adminKey, json: { name: 'ERP sync', scopes: ROLES.integration } });
      const integration = key.body as { key?: string };
      assert(key.status === 201 && typeof integration.key === 'string', key.describe());
      integrationKey = integration.key;
    });
    if (!keys) return;

    const env = { CHAINPROOF_URL: base, CHAINPROOF_API_KEY: integrationKey };
    for (const [run, expectCreated] of [['first', ERP_VENDORS.length], ['second', 0]] as const) {
      await check(`tsx examples/erp-sync.ts exits 0 (${run} run, ${expectCreated} suppliers created)`, async () => {
        const runStarted = Date.now();
        const result = await runExample(env);
        if (VERBOSE || result.code !== 0) process.stdout.write(result.stdout + result.stderr);
        assert(result.code === 0, `exit code ${result.code}: ${result.stderr.trim().slice(0, 1000)}`);
        const summary = /^erp-sync: .*$/m.exec(result.stdout)?.[0];
        assert(summary !== undefined && summary.includes(`(${expectCreated} created,`), `unexpected summary: ${summary ?? result.stdout.slice(-500)}`);
        return `${seconds(Date.now() - runStarted)}: ${summary.slice(0, 160)}`;
      });
    }

    await check('no duplicates: one supplier and one open assessment per ERP vendor', async () => {
      const suppliers = await call(base, '/v1/suppliers?limit=200', { token: adminKey });
      const assessments = await call(base, '/v1/assessments?limit=200', { token: adminKey });
      const supplierRefs = ((suppliers.body as { data?: { externalRef: string | null }[] }).data ?? []).map((supplier) => supplier.externalRef);
      const assessmentStatuses = ((assessments.body as { data?: { status: string }[] }).data ?? []).map((assessment) => assessment.status);
      assert(suppliers.status === 200 && assessments.status === 200, `${suppliers.describe()} / ${assessments.describe()}`);
      assert(
        JSON.stringify([...supplierRefs].sort()) === JSON.stringify(ERP_VENDORS.map((vendor) => vendor.erpId).sort()),
        `suppliers: ${supplierRefs.join(', ')}`,
      );
      assert(assessmentStatuses.length === ERP_VENDORS.length && assessmentStatuses.every((status) => status === 'sent'), `assessments: ${assessmentStatuses.join(', ')}`);
      return `${supplierRefs.length} suppliers, ${assessmentStatuses.length} assessments sent`;
    });

    await check('GET /v1/audit-log/verify is valid after the sync', async () => {
      const verified = await call(base, '/v1/audit-log/verify', { token: adminKey });
      const body = verified.body as { valid?: boolean; checked?: number };
      assert(verified.status === 200 && body.valid === true, verified.describe());
      return `${body.checked} entries`;
    });
  } finally {
    clearTimeout(watchdog);
    // (waitUntilReady prints it itself when the server does not come up.)
    if (failed > 0 && serverUp && !VERBOSE) output.print('server');
    await cleanup();
  }
}

main()
  .catch((error: unknown) => record('erp example', false, error instanceof Error ? error.message : String(error)))
  .finally(() => {
    console.log(`erp example: ${passed} passed, ${failed} failed in ${seconds(Date.now() - started)}`);
    process.exit(failed > 0 ? 1 : 0);
  });
