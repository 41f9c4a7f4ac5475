// Measures what a developer waits for: `npm start` on an existing data folder until /healthz answers 200.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StartupResult {
  firstStartMs: number;
  restartMs: number[];
  restartMedianMs: number;
  restartMaxMs: number;
  /** Until /readyz answers 200: PGlite open and migrations checked. */
  restartReadyMs: number[];
  restartReadyMedianMs: number;
}

async function waitFor200(url: string, started: number): Promise<number> {
  for (;;) {
    if (performance.now() - started > 30_000) throw new Error(`${url} did not answer 200 within 30 s`);
    try {
      const response = await fetch(url);
      if (response.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs `npm start` exactly as a developer would, in its own process group so all of it stops. */
async function startAndTime(dataDir: string, port: number): Promise<{ healthMs: number; readyMs: number }> {
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const healthMs = await waitFor200(`http://127.0.0.1:${port}/healthz`, started);
    const readyMs = await waitFor200(`http://127.0.0.1:${port}/readyz`, started);
    return { healthMs, readyMs };
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    // PGlite must have closed its folder before the next start opens it.
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

export async function measureStartup(restarts = 5): Promise<StartupResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chainproof-bench-startup-'));
  const port = 3900 + Math.floor(Math.random() * 90);
  try {
    const first = await startAndTime(dataDir, port);
    const runs = [];
    for (let index = 0; index < restarts; index += 1) runs.push(await startAndTime(dataDir, port));
    const median = (values: number[]) => Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!);
    const restartMs = runs.map((run) => Math.round(run.healthMs));
    const restartReadyMs = runs.map((run) => Math.round(run.readyMs));
    return {
      firstStartMs: Math.round(first.readyMs),
      restartMs,
      restartMedianMs: median(restartMs),
      restartMaxMs: Math.max(...restartMs),
      restartReadyMs,
      restartReadyMedianMs: median(restartReadyMs),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
