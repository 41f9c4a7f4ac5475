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
    // npm exits before the server has: until the port is free, the next start would be timed
    // against this one still answering (a "restart" of 41 ms), and PGlite must have closed its folder.
    await untilRefused(`http://127.0.0.1:${port}/healthz`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function untilRefused(url: string): Promise<void> {
  const started = performance.now();
  while (performance.now() - started < 30_000) {
    const answered = await fetch(url).then(
      () => true,
      () => false,
    );
    if (!answered) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${url} still answers 30 s after SIGTERM`);
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
