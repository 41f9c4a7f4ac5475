// The real Node server (scripts/start.mjs, as `npm start` runs it) in a child process, so that what
// a benchmark measures of it (resident set, CPU profile) is the server's alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  stop(): Promise<void>;
}

const kib = (line: string | undefined) => Number(line?.match(/(\d+)\s*kB/)?.[1] ?? Number.NaN) * 1024;

/** Resident set and its high-water mark, in bytes, from /proc. */
export function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n');
  return { rss: kib(status.find((line) => line.startsWith('VmRSS:'))), hwm: kib(status.find((line) => line.startsWith('VmHWM:'))) };
}

const MIB = 1024 * 1024;
const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;

export interface RssPeak {
  baselineMb: number;
  peakMb: number;
  growthMb: number;
  seconds: number;
}

/**
 * Peak RSS of `pid` while `work` runs: the kernel's high-water mark, reset to the current RSS first
 * ("5" to clear_refs), with polling as a cross-check where the reset is not allowed.
 */
export async function peakRssDuring(pid: number, work: () => Promise<void>): Promise<RssPeak> {
  const baseline = memoryOf(pid).rss;
  let hwmReset = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    hwmReset = false;
  }
  let polled = baseline;
  const poll = setInterval(() => {
    polled = Math.max(polled, memoryOf(pid).rss);
  }, 2);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(poll);
  }
  const after = memoryOf(pid);
  const peak = Math.max(polled, after.rss, hwmReset ? after.hwm : 0);
  return {
    baselineMb: round1(baseline / MIB),
    peakMb: round1(peak / MIB),
    growthMb: round1((peak - baseline) / MIB),
    seconds: round2((performance.now() - started) / 1000),
  };
}

/** Starts `script` under Node with `nodeArgs` and waits until `readyPath` answers 200. */
export async function startProcess(
  script: string,
  env: Record<string, string>,
  options: { nodeArgs?: string[]; readyPath?: string; port?: number } = {},
): Promise<ServerProcess> {
  const port = options.port ?? 3990 + Math.floor(Math.random() * 9);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    if (performance.now() - started > 60_000) {
      child.kill('SIGTERM');
      throw new Error(`${script} was not ready within 60 s`);
    }
    const ready = await fetch(`${base}${options.readyPath ?? '/readyz'}`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    child,
    base,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The Node flags `npm start` runs the server with (package.json `scripts.start`, e.g. its heap
 * cap), so that a benchmark measures the server as it is started in production.
 */
export function startScriptNodeFlags(): string[] {
  const words = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  const node = words.indexOf('node');
  const script = words.indexOf('scripts/start.mjs');
  if (node < 0 || script < node) throw new Error(`package.json scripts.start is not "node [flags] scripts/start.mjs": ${words.join(' ')}`);
  return words.slice(node + 1, script);
}

/**
 * `node <npm start's flags> scripts/start.mjs` (no npm in between: the pid is the server's), ready
 * once /readyz answers 200. `nodeArgs` come after npm start's flags, so they win over them.
 */
export function startServer(env: Record<string, string>, options: { nodeArgs?: string[]; port?: number } = {}): Promise<ServerProcess> {
  return startProcess('scripts/start.mjs', { LOG_LEVEL: 'warn', JOBS_INTERVAL_SECONDS: '0', DEMO_TENANT_ON_EMPTY: 'false', ...env }, {
    nodeArgs: [...startScriptNodeFlags(), ...(options.nodeArgs ?? [])],
    ...(options.port ? { port: options.port } : {}),
  });
}
