/**
 * CI smoke test of the Cloudflare Worker (src/worker.ts) in local workerd: `npm run test:worker`.
 *
 * 1. `wrangler deploy --dry-run --outdir dist/worker` must bundle (prints the size).
 * 2. A fresh Postgres database is created on the local server (TEST_DATABASE_URL, default
 *    postgres://postgres@127.0.0.1:5432/postgres) and migrated; it is dropped at the end, always.
 * 3. `wrangler dev --local` serves the Worker, its Hyperdrive binding pointed at that database,
 *    and the checks below run against it, including one scheduled (cron) invocation.
 *
 * Needs no Cloudflare login, no TTY and no network beyond the local Postgres.
 * SMOKE_VERBOSE=1 streams wrangler's output; otherwise it is printed only when something fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { migratePostgresDatabase } from '../src/db/node';
import { freePort, OutputTail, waitUntilReady } from './lib/smoke';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = join(ROOT, 'dist', 'worker');
const WRANGLER_BIN = join(dirname(createRequire(import.meta.url).resolve('wrangler/package.json')), 'bin', 'wrangler.js');
const ADMIN_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const VERBOSE = process.env.SMOKE_VERBOSE === '1';

const BUILD_TIMEOUT_MS = 120_000;
const READY_TIMEOUT_MS = 90_000;
const REQUEST_TIMEOUT_MS = 15_000;
const OVERALL_TIMEOUT_MS = 300_000;

// Wrangler must never prompt, phone home or look for a login.
const WRANGLER_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  CI: 'true',
  WRANGLER_SEND_METRICS: 'false',
  FORCE_COLOR: '0',
  NO_COLOR: '1',
};

const started = Date.now();
const results: { name: string; ok: boolean; detail: string }[] = [];

function seconds(ms: number) {
  return `${(ms / 1000).toFixed(1)}s`;
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function record(name: string, ok: boolean, detail = '') {
  results.push({ name, ok, detail });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` - ${detail}` : ''}`);
}

async function check(name: string, run: () => Promise<string | void>) {
  try {
    record(name, true, (await run()) ?? '');
  } catch (error) {
    record(name, false, error instanceof Error ? error.message : String(error));
  }
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Runs wrangler to completion, with a time limit. */
function runWrangler(args: string[], timeoutMs: number): Promise<{ code: number | null; output: OutputTail }> {
  return new Promise((resolve, reject) => {
    const output = new OutputTail(400, VERBOSE);
    const child = spawn(process.execPath, [WRANGLER_BIN, ...args], { cwd: ROOT, env: WRANGLER_ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`wrangler ${args[0]} did not finish within ${seconds(timeoutMs)}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

// Wrangler runs its CLI in a child node process, which starts workerd: kill the whole group we made.
function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function groupAlive(pid: number) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGTERM to wrangler's launcher only: its CLI process notices and shuts workerd down itself
 * (signalling the whole group at once leaves workerd un-reaped). Then SIGKILL whatever is left.
 */
async function stopWrangler(child: ChildProcess) {
  const pid = child.pid;
  if (pid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const deadline = Date.now() + 8_000;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (groupAlive(pid)) {
    console.error('wrangler did not stop within 8s; killing it');
    process.kill(-pid, 'SIGKILL');
  }
}

async function request(base: string, path: string, init: RequestInit = {}) {
  const response = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, json: json as Record<string, unknown> | undefined };
}

function describe(response: { status: number; text: string }) {
  return `status ${response.status}: ${response.text.slice(0, 300)}`;
}

// ---------------------------------------------------------------------------------------------

async function buildBundle() {
  rmSync(OUT_DIR, { recursive: true, force: true });
  const { code, output } = await runWrangler(['deploy', '--dry-run', '--outdir', OUT_DIR], BUILD_TIMEOUT_MS);
  if (code !== 0) {
    output.print('wrangler deploy --dry-run');
    throw new Error(`wrangler deploy --dry-run exited with ${code}`);
  }
  const files = readdirSync(OUT_DIR).filter((name) => !name.endsWith('.map') && name !== 'README.md');
  const bytes = files.reduce((sum, name) => sum + statSync(join(OUT_DIR, name)).size, 0);
  const upload = /Total Upload:\s*([^\n]+)/.exec(output.text())?.[1]?.trim();
  // The docs UI must stay separate text modules: if the [[rules]] stop matching, esbuild inlines
  // the bundle as code and emits the stylesheet as worker.css, which the Worker cannot serve.
  const textModules = ['swagger-ui.css', 'swagger-ui-bundle.js'].filter((name) => files.some((file) => file.endsWith(`-${name}`)));
  assert(textModules.length === 2, `docs assets are not text modules (found ${files.join(', ')}); check [[rules]] in wrangler.toml`);
  assert(!files.includes('worker.css'), 'esbuild emitted worker.css: the swagger-ui.css Text rule did not match');
  return `${files.length} modules, ${(bytes / 1024).toFixed(0)} KiB${upload ? ` (wrangler: ${upload})` : ''}`;
}

async function openAdmin() {
  const admin = postgres(ADMIN_URL, { max: 1, connect_timeout: 5, idle_timeout: 5, onnotice: () => {} });
  try {
    await admin`select 1`;
  } catch (error) {
    await admin.end({ timeout: 1 }).catch(() => {});
    throw new Error(
      `PostgreSQL is not reachable at ${redactUrl(ADMIN_URL)} (${(error as Error).message}). ` +
        'Start it (e.g. `pg_ctlcluster --skip-systemctl-redirect <version> main start`) or set TEST_DATABASE_URL to a server where this user may CREATE DATABASE.',
    );
  }
  return admin;
}

function databaseUrl(name: string, { withPassword }: { withPassword: boolean }) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  // wrangler's local Hyperdrive refuses a connection string without a password; with trust
  // authentication (as in CI) the server ignores whatever is given.
  if (withPassword && !url.password) url.password = 'unused';
  return url.toString();
}

async function main() {
  const cleanups: (() => Promise<void>)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const step of cleanups.reverse()) {
        try {
          await step();
        } catch (error) {
          console.error(`cleanup: ${(error as Error).message}`);
        }
      }
    })());

  const abort = (reason: string) => {
    console.error(`worker smoke: ${reason}, cleaning up`);
    cleanup().finally(() => process.exit(1));
  };
  const watchdog = setTimeout(() => abort(`timed out after ${seconds(OVERALL_TIMEOUT_MS)}`), OVERALL_TIMEOUT_MS);
  process.once('SIGINT', () => abort('interrupted'));
  process.once('SIGTERM', () => abort('terminated'));

  let wranglerOutput: OutputTail | undefined;
  try {
    assert(existsSync(WRANGLER_BIN), `wrangler is not installed (${WRANGLER_BIN}); run npm ci`);

    const buildStarted = Date.now();
    await check('wrangler deploy --dry-run bundles the Worker', async () => `${await buildBundle()} in ${seconds(Date.now() - buildStarted)}`);
    if (!results.every((result) => result.ok)) return;

    const admin = await openAdmin();
    cleanups.push(() => admin.end({ timeout: 5 }));
    const dbName = `chainproof_worker_smoke_${process.pid}_${randomBytes(4).toString('hex')}`;
    await admin.unsafe(`create database "${dbName}"`);
    cleanups.push(async () => {
      await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
      console.log(`dropped database ${dbName}`);
    });
    await migratePostgresDatabase(databaseUrl(dbName, { withPassword: false }));
    const db = postgres(databaseUrl(dbName, { withPassword: false }), { max: 1, connect_timeout: 5, onnotice: () => {} });
    cleanups.push(() => db.end({ timeout: 5 }));
    console.log(`created and migrated database ${dbName}`);

    const work = mkdtempSync(join(tmpdir(), 'chainproof-worker-smoke-'));
    cleanups.push(async () => rmSync(work, { recursive: true, force: true }));
    // An empty --env-file stops wrangler from reading a developer's .dev.vars or .env.
    const envFile = join(work, 'empty.env');
    writeFileSync(envFile, '');

    const [port, inspectorPort] = [await freePort(), await freePort()];
    const platformToken = randomBytes(24).toString('base64url');
    const base = `http://127.0.0.1:${port}`;
    const output = new OutputTail(150, VERBOSE);
    wranglerOutput = output;
    const wranglerStarted = Date.now();
    const child = spawn(
      process.execPath,
      [
        WRANGLER_BIN,
        'dev',
        '--local',
        '--ip', '127.0.0.1',
        '--port', String(port),
        '--inspector-port', String(inspectorPort),
        '--env-file', envFile,
        '--persist-to', join(work, 'state'),
        '--var', `PLATFORM_ADMIN_TOKEN:${platformToken}`,
        '--var', `SECRETS_ENCRYPTION_KEY:${randomBytes(32).toString('base64')}`,
        '--show-interactive-dev-session=false',
      ],
      {
        cwd: ROOT,
        env: { ...WRANGLER_ENV, CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: databaseUrl(dbName, { withPassword: true }) },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
    cleanups.push(() => stopWrangler(child));

    await waitUntilReady(`${base}/healthz`, child, output, { name: 'wrangler dev', timeoutMs: READY_TIMEOUT_MS });
    console.log(`wrangler dev ready on ${base} in ${seconds(Date.now() - wranglerStarted)}`);

    await check('GET /healthz is 200', async () => {
      const response = await request(base, '/healthz');
      assert(response.status === 200 && response.json?.status === 'ok', describe(response));
    });

    await check('GET /readyz is 200 (Postgres through Hyperdrive)', async () => {
      const response = await request(base, '/readyz');
      assert(response.status === 200 && response.json?.status === 'ready', describe(response));
    });

    let apiKey: string | undefined;
    let tenantId: string | undefined;
    await check('POST /v1/tenants with the platform token is 201 with an API key', async () => {
      const response = await request(base, '/v1/tenants', {
        method: 'POST',
        headers: { Authorization: `Bearer ${platformToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Worker smoke tenant' }),
      });
      const key = (response.json?.apiKey as { key?: unknown } | undefined)?.key;
      assert(response.status === 201 && typeof key === 'string', describe(response));
      apiKey = key;
      tenantId = (response.json?.tenant as { id?: string } | undefined)?.id;
      return tenantId;
    });

    await check('GET /v1/api-keys with that key is 200 with one key', async () => {
      assert(apiKey, 'skipped: no API key from POST /v1/tenants');
      const response = await request(base, '/v1/api-keys', { headers: { Authorization: `Bearer ${apiKey}` } });
      const data = response.json?.data;
      assert(response.status === 200 && Array.isArray(data), describe(response));
      assert(data.length === 1, `expected 1 key, got ${data.length}`);
    });

    await check('GET /v1/audit-log/verify is valid', async () => {
      assert(apiKey, 'skipped: no API key from POST /v1/tenants');
      const response = await request(base, '/v1/audit-log/verify', { headers: { Authorization: `Bearer ${apiKey}` } });
      assert(response.status === 200 && response.json?.valid === true, describe(response));
      return `${String(response.json.checked)} entries`;
    });

    // pdfkit's browser build on workerd: bundled standard fonts, import.meta.url defined.
    const fetchPdf = async (path: string) => {
      const response = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${apiKey}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const bytes = new Uint8Array(await response.arrayBuffer());
      const text = new TextDecoder('latin1').decode(bytes);
      assert(response.status === 200, `status ${response.status}: ${text.slice(0, 300)}`);
      assert(response.headers.get('content-type') === 'application/pdf', `content-type ${response.headers.get('content-type')}`);
      assert(text.startsWith('%PDF-'), `not a PDF: ${JSON.stringify(text.slice(0, 20))}`);
      const pages = text.match(/\/Type \/Page\b/g)?.length ?? 0;
      assert(pages >= 2 && text.trimEnd().endsWith('%%EOF'), `${pages} pages, ends ${JSON.stringify(text.slice(-20))}`);
      assert(text.includes('/BaseFont /Helvetica-Bold'), 'the standard fonts are not in the PDF');
      return `${pages} pages, ${(bytes.length / 1024).toFixed(0)} KiB`;
    };

    await check('GET /v1/suppliers/{id}/report.pdf is a PDF with pages', async () => {
      assert(apiKey, 'skipped: no API key from POST /v1/tenants');
      const created = await request(base, '/v1/suppliers', {
        method: 'POST',
        headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Smoke Supplier GmbH', country: 'DE' }),
      });
      assert(created.status === 201 && typeof created.json?.id === 'string', describe(created));
      return fetchPdf(`/v1/suppliers/${String(created.json.id)}/report.pdf`);
    });

    await check('GET /v1/reports/nis2-supply-chain.pdf is a PDF with pages', async () => {
      assert(apiKey, 'skipped: no API key from POST /v1/tenants');
      return fetchPdf('/v1/reports/nis2-supply-chain.pdf');
    });

    await check('GET /v1/exports/dora-register-of-information is a streamed ZIP (fflate)', async () => {
      assert(apiKey, 'skipped: no API key from POST /v1/tenants');
      const response = await fetch(`${base}/v1/exports/dora-register-of-information`, { headers: { Authorization: `Bearer ${apiKey}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const bytes = new Uint8Array(await response.arrayBuffer());
      assert(response.status === 200, `status ${response.status}: ${new TextDecoder().decode(bytes.slice(0, 300))}`);
      assert(response.headers.get('content-type') === 'application/zip', `content-type ${response.headers.get('content-type')}`);
      assert(bytes[0] === 0x50 && bytes[1] === 0x4b, 'not a ZIP (no PK signature)');
      const names = new TextDecoder('latin1').decode(bytes).match(/reports\/b_\d\d\.\d\d\.csv/g) ?? [];
      assert(new Set(names).size === 8, `${new Set(names).size} template files`);
      return `${bytes.length} bytes, ${response.headers.get('chainproof-register-problems')} problems`;
    });

    await check('POST /v1/evidence (multipart, two blob chunks) is 201 and its content comes back byte for byte', async () => {
      assert(apiKey, 'skipped: no API key from POST /v1/tenants');
      const auth = { Authorization: `Bearer ${apiKey}` };
      const supplier = await request(base, '/v1/suppliers', {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Worker smoke supplier', country: 'DE' }),
      });
      assert(supplier.status === 201, describe(supplier));
      const pdf = new Uint8Array(1536 * 1024);
      pdf.set(randomBytes(pdf.byteLength));
      pdf.set(new TextEncoder().encode('%PDF-1.7\n'));
      const form = new FormData();
      form.set('supplierId', String(supplier.json?.id));
      form.set('kind', 'other');
      form.set('file', new Blob([pdf], { type: 'application/pdf' }), 'smoke.pdf');
      const created = await request(base, '/v1/evidence', { method: 'POST', headers: auth, body: form });
      const expected = createHash('sha256').update(pdf).digest('hex');
      assert(created.status === 201 && created.json?.sha256 === expected, describe(created));
      const content = await fetch(`${base}${String(created.json.contentUrl)}`, { headers: auth, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const got = new Uint8Array(await content.arrayBuffer());
      assert(content.status === 200 && createHash('sha256').update(got).digest('hex') === expected, `download: status ${content.status}, ${got.byteLength} bytes`);
      return `${got.byteLength} bytes`;
    });

    await check('GET /docs/assets/swagger-ui-bundle.js is 200 JavaScript (bundled text module)', async () => {
      const response = await request(base, '/docs/assets/swagger-ui-bundle.js');
      assert(response.status === 200, describe(response));
      assert(response.contentType.startsWith('text/javascript'), `content-type ${response.contentType}`);
      assert(response.text.length > 100_000 && response.text.includes('SwaggerUIBundle'), `unexpected body (${response.text.length} chars)`);
      const css = await request(base, '/docs/assets/swagger-ui.css');
      assert(css.status === 200 && css.contentType.startsWith('text/css') && css.text.includes('.swagger-ui'), `swagger-ui.css: ${describe(css)}`);
      return `${(response.text.length / 1024).toFixed(0)} KiB JS, ${(css.text.length / 1024).toFixed(0)} KiB CSS`;
    });

    await check('GET /v1/api-keys without credentials is 401 problem+json', async () => {
      const response = await request(base, '/v1/api-keys');
      assert(response.status === 401, describe(response));
      assert(response.contentType.startsWith('application/problem+json'), `content-type ${response.contentType}`);
      assert(response.json?.code === 'unauthenticated', describe(response));
    });

    await check('scheduled handler runs the due jobs', async () => {
      // An expired idempotency key: the purge job must delete it.
      const key = `smoke-${randomBytes(6).toString('hex')}`;
      await db`
        insert into idempotency_keys (tenant_id, key, request_hash, state, created_at, expires_at)
        values (${tenantId ?? 'ten_smoke'}, ${key}, 'smoke', 'completed', now() - interval '3 days', now() - interval '2 days')`;
      // Miniflare's trigger endpoint answers with the invocation's outcome: 200 "ok", or 500 when
      // scheduled() throws (a bad config, or a job that failed).
      const response = await request(base, `/cdn-cgi/handler/scheduled?cron=${encodeURIComponent('*/5 * * * *')}&time=${Date.now()}`);
      assert(response.status === 200 && response.text.trim() === 'ok', `trigger answered ${describe(response)}`);
      const [row] = await db`select count(*)::int as left from idempotency_keys where key = ${key}`;
      assert(row?.left === 0, 'the expired idempotency key was not purged');
    });

    await check('per-request database clients are released', async () => {
      // Workers must end each request's client (ctx.waitUntil); leaked ones would exhaust Hyperdrive.
      const deadline = Date.now() + 10_000;
      let open = -1;
      while (Date.now() < deadline) {
        const [row] = await admin`
          select count(*)::int as open from pg_stat_activity
          where datname = ${dbName} and application_name = 'chainproof'`;
        open = row?.open ?? -1;
        if (open === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`${open} connection(s) from the Worker still open after 10s`);
    });
  } catch (error) {
    record('setup', false, error instanceof Error ? error.message : String(error));
  } finally {
    if (wranglerOutput && results.some((result) => !result.ok) && !VERBOSE) wranglerOutput.print('wrangler dev');
    await cleanup();
    clearTimeout(watchdog);
  }

  const failed = results.filter((result) => !result.ok);
  for (const failure of failed) console.log(`failed: ${failure.name}: ${failure.detail}`);
  console.log(`worker smoke: ${results.length - failed.length} passed, ${failed.length} failed (${seconds(Date.now() - started)})`);
  process.exit(failed.length > 0 ? 1 : 0);
}

void main();
