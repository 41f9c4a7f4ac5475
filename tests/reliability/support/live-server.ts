// The real server (scripts/start.mjs, as `npm start` runs it) in a child process, for the tests that
// kill it or take its database away. Each server gets a free port and its own database: a temporary
// PGlite folder or a throwaway PostgreSQL database, so nothing collides with suites running beside it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { checkServerEnv, freePort, OutputTail } from '../../../scripts/lib/smoke';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export const POSTGRES_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface LiveServer {
  base: string;
  child: ChildProcess;
  output: OutputTail;
  /** Waits until /readyz answers 200 (a first start on an empty PGlite folder runs initdb and every migration). */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGKILL: no shutdown handler runs, nothing is flushed or closed. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** Where a server keeps its data: handed from one server process to the next (a restart). */
export interface LiveDatabase {
  kind: 'pglite' | 'postgres';
  env: Record<string, string>;
  /** The database URL the server uses (PostgreSQL only): lets a test reroute it through a proxy. */
  url?: string;
  drop(): Promise<void>;
}

export async function pgliteFolder(): Promise<LiveDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chainproof-reliability-'));
  return { kind: 'pglite', env: { DATA_DIR: dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

export async function throwawayPostgres(label: string): Promise<LiveDatabase> {
  const name = `chainproof_reliability_${label}_${Date.now()}_${process.pid}`;
  const admin = postgres(POSTGRES_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url.toString() },
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

export const PLATFORM_TOKEN = randomBytes(24).toString('base64url');

export async function startLiveServer(database: LiveDatabase, extraEnv: Record<string, string> = {}): Promise<LiveServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const output = new OutputTail(200, process.env.RELIABILITY_VERBOSE === '1');
  const child = spawn(process.execPath, ['--enable-source-maps', 'scripts/start.mjs'], {
    cwd: ROOT,
    env: checkServerEnv(ROOT, port, { PLATFORM_ADMIN_TOKEN: PLATFORM_TOKEN, AUTH_FAILURE_LIMIT_PER_MINUTE: '100000', ...database.env, ...extraEnv }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;

  const server: LiveServer = {
    base,
    child,
    output,
    async ready(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (!running()) throw new Error(`the server exited (${child.exitCode ?? child.signalCode}):\n${output.text()}`);
        const status = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(3_000) }).then(
          async (response) => (await response.arrayBuffer(), response.status),
          () => 0,
        );
        if (status === 200) return;
        await sleep(100);
      }
      throw new Error(`the server was not ready within ${timeoutMs} ms:\n${output.text()}`);
    },
    async kill9() {
      if (!running()) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!running()) return;
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  return server;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A tenant made through the platform token: its id and admin key. */
export async function createLiveTenant(base: string, name: string): Promise<{ id: string; key: string }> {
  const response = await fetch(`${base}/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${PLATFORM_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (response.status !== 201) throw new Error(`tenant creation: ${response.status} ${await response.text()}`);
  const created = (await response.json()) as { tenant: { id: string }; apiKey: { key: string } };
  return { id: created.tenant.id, key: created.apiKey.key };
}
