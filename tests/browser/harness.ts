import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { App } from '../../src/app';
import { createTestContext, type TestContext } from '../support/context';

/**
 * The app on a real port and Debian's Chromium pointed at it, with every request that leaves the
 * local server aborted: customers run air-gapped, and the portal and docs must need nothing else.
 * Needs `/usr/bin/chromium` (`apt-get install -y chromium`); playwright-core only drives it.
 */

const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const STEP_TIMEOUT_MS = 15_000;

/** Overwritten on every run; dist/ is not committed. CI keeps it as an artifact. */
export const SCREENSHOT_DIR = join('dist', 'screenshots');

export interface BrowserHarness {
  t: TestContext;
  origin: string;
  browser: Browser;
  context: BrowserContext;
  /** A new page whose errors, failed requests and console errors are collected. */
  newPage(): Promise<Page>;
  /** Asserts that nothing left the origin, failed, threw or logged an error (CSP violations included). */
  expectNothingWentWrong(): void;
  close(): Promise<void>;
}

function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const started = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => resolve({ server: started, port: info.port }));
    started.once('error', reject);
  });
}

export async function startBrowserHarness(environment: Record<string, string> = {}): Promise<BrowserHarness> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found. Install Debian's Chromium with \`apt-get install -y chromium\` (do not run \`npx playwright install\`).`);
  }
  mkdirSync(SCREENSHOT_DIR, { recursive: true });

  const offOrigin: string[] = [];
  const failedRequests: string[] = [];
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];

  // The server listens before the app is built: links and the spec's `servers` URL come from
  // PUBLIC_BASE_URL, which must be this origin.
  const built: { app?: App } = {};
  const { server, port } = await listen((request) => (built.app ? built.app.fetch(request) : new Response('starting', { status: 503 })));
  const origin = `http://127.0.0.1:${port}`;
  let t: TestContext | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;

  const close = async () => {
    // Each step runs even if an earlier one failed, so nothing is left running.
    await context?.close().catch((error: unknown) => console.warn('closing the browser context failed', error));
    await browser?.close().catch((error: unknown) => console.warn('closing the browser failed', error));
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
    await t?.close();
  };

  try {
    t = await createTestContext({ PUBLIC_BASE_URL: origin, ...environment });
    built.app = t.app;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) {
        await route.continue();
      } else {
        offOrigin.push(`${route.request().method()} ${url}`);
        await route.abort('blockedbyclient');
      }
    });
    context.on('weberror', (error) => pageErrors.push(String(error.error())));

    // The guard itself must work, or "no off-origin requests" proves nothing.
    const probe = await context.newPage();
    const probed = await probe.goto('http://offline-check.invalid/', { timeout: 5_000 }).then(
      () => 'loaded',
      (error: unknown) => String(error),
    );
    await probe.close();
    expect(probed).toContain('ERR_BLOCKED_BY_CLIENT');
    expect(offOrigin).toEqual(['GET http://offline-check.invalid/']);
    offOrigin.length = 0;
  } catch (error) {
    await close();
    throw error;
  }

  const readyContext = context;
  return {
    t,
    origin,
    browser,
    context: readyContext,
    async newPage() {
      const page = await readyContext.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
      });
      page.on('requestfailed', (request) => {
        if (new URL(request.url()).origin === origin) failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`);
      });
      page.on('websocket', (socket) => offOrigin.push(`WebSocket ${socket.url()}`));
      return page;
    },
    expectNothingWentWrong() {
      expect(offOrigin, 'requests to anything but the local server').toEqual([]);
      expect(failedRequests, 'failed same-origin requests').toEqual([]);
      expect(pageErrors, 'uncaught page errors').toEqual([]);
      expect(consoleErrors, 'console errors (CSP violations land here)').toEqual([]);
    },
    close,
  };
}
