// Shared by the smoke checks that start a real server (scripts/worker-smoke.ts, scripts/erp-example-smoke.ts).
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Keeps the last lines a child printed, to show them when something fails. */
export class OutputTail {
  private lines: string[] = [];
  constructor(
    private readonly limit = 150,
    /** Also stream everything to stdout as it comes. */
    private readonly verbose = false,
  ) {}
  push(chunk: Buffer) {
    const text = chunk.toString('utf8');
    if (this.verbose) process.stdout.write(text);
    this.lines.push(...text.split('\n').filter((line) => line.trim() !== ''));
    if (this.lines.length > this.limit) this.lines.splice(0, this.lines.length - this.limit);
  }
  text() {
    return this.lines.join('\n');
  }
  print(title: string) {
    console.log(`----- ${title} (last ${this.lines.length} lines) -----\n${this.text()}\n----- end of ${title} -----`);
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * Polls `url` until `ready(status)` (default: any status below 500). Fails early, printing the
 * child's last output, when the child exits or the time runs out.
 */
export async function waitUntilReady(
  url: string,
  child: ChildProcess,
  output: OutputTail,
  options: { name: string; timeoutMs: number; ready?: (status: number) => boolean },
): Promise<void> {
  const ready = options.ready ?? ((status) => status < 500);
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      output.print(options.name);
      throw new Error(`${options.name} exited early (${child.exitCode ?? child.signalCode})`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (ready(response.status)) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  output.print(options.name);
  throw new Error(`${options.name} was not ready within ${(options.timeoutMs / 1000).toFixed(1)}s`);
}

/**
 * The environment of a server a check starts on 127.0.0.1: only what it needs, so that a developer's
 * DATABASE_URL, SMTP or S3 settings do not leak in. `settings` adds the database and the rest.
 */
export function checkServerEnv(root: string, port: number, settings: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? root,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    DEMO_TENANT_ON_EMPTY: 'false',
    MAIL_TRANSPORT: 'log',
    LOG_LEVEL: 'warn',
    ...settings,
  };
}
