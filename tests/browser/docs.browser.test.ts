import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app';
import { createTestContext, type TestContext, type TestTenant } from '../support/context';

/**
 * /docs in a real browser, with every request that leaves the local server aborted: customers run
 * air-gapped, so the page must render the spec and "Try it out" must work with nothing but the app.
 * Needs Debian's Chromium (`apt-get install -y chromium`); playwright-core only drives it.
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
const STEP_TIMEOUT_MS = 15_000;
const OPERATION_COUNT = 10;

let t: TestContext | undefined;
let server: ServerType | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
let origin: string;
let tenant: TestTenant;
let screenshotDir: string;

/** Requests the page tried to send anywhere but the local server (all aborted). */
const offOrigin: string[] = [];
/** Same-origin requests that failed in the browser (a CSP block shows up here too). */
const failedRequests: string[] = [];
const pageErrors: string[] = [];
const consoleErrors: string[] = [];

function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const started = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => resolve({ server: started, port: info.port }));
    started.once('error', reject);
  });
}

function expectNothingWentWrong() {
  expect(offOrigin, 'requests to anything but the local server').toEqual([]);
  expect(failedRequests, 'failed same-origin requests').toEqual([]);
  expect(pageErrors, 'uncaught page errors').toEqual([]);
  expect(consoleErrors, 'console errors (CSP violations land here)').toEqual([]);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found. Install Debian's Chromium with \`apt-get install -y chromium\` (do not run \`npx playwright install\`).`);
  }

  // The server has to listen before the app is built: the spec's `servers` URL (what "Try it out"
  // calls) comes from PUBLIC_BASE_URL, which must be this origin.
  const built: { app?: App } = {};
  const listening = await listen((request) => (built.app ? built.app.fetch(request) : new Response('starting', { status: 503 })));
  server = listening.server;
  origin = `http://127.0.0.1:${listening.port}`;
  t = await createTestContext({ PUBLIC_BASE_URL: origin });
  built.app = t.app;
  tenant = await t.createTenant('Browser docs tenant');

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

  // The guard itself must work, or "no off-origin requests" below proves nothing.
  const probe = await context.newPage();
  const probed = await probe.goto('http://offline-check.invalid/', { timeout: 5_000 }).then(
    () => 'loaded',
    (error: unknown) => String(error),
  );
  await probe.close();
  expect(probed).toContain('ERR_BLOCKED_BY_CLIENT');
  expect(offOrigin).toEqual(['GET http://offline-check.invalid/']);
  offOrigin.length = 0;

  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('requestfailed', (request) => {
    if (new URL(request.url()).origin === origin) failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`);
  });
  page.on('websocket', (socket) => offOrigin.push(`WebSocket ${socket.url()}`));

  // Overwritten on every run; dist/ is not committed.
  screenshotDir = join('dist', 'screenshots');
  mkdirSync(screenshotDir, { recursive: true });
});

afterAll(async () => {
  // Each step runs even if an earlier one failed, so nothing is left running.
  await context?.close().catch((error: unknown) => console.warn('closing the browser context failed', error));
  await browser?.close().catch((error: unknown) => console.warn('closing the browser failed', error));
  if (server) {
    const closing = server;
    await new Promise<void>((resolve) => {
      closing.close(() => resolve());
      (closing as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
  }
  await t?.close();
});

describe('/docs in Chromium', () => {
  it('renders the whole spec from the app alone, with no errors', async () => {
    const response = await page.goto(`${origin}/docs`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    await expect.poll(() => page.locator('.information-container .title').textContent(), { timeout: STEP_TIMEOUT_MS }).toContain(
      'Chainproof API',
    );
    await expect.poll(() => page.locator('.opblock').count(), { timeout: STEP_TIMEOUT_MS }).toBeGreaterThanOrEqual(OPERATION_COUNT);

    const tags = (await page.locator('.opblock-tag').allTextContents()).map((text) => text.trim());
    for (const tag of ['Tenants', 'API keys', 'Audit log', 'Health']) {
      expect(tags.some((text) => text.startsWith(tag)), `tag "${tag}" in ${JSON.stringify(tags)}`).toBe(true);
    }
    // Deep-link ids are built from tag and operationId, so this checks both made it into the UI.
    for (const operationId of ['getCurrentTenant', 'listApiKeys', 'createApiKey', 'listAuditLog', 'verifyAuditLog']) {
      await expect(page.locator(`.opblock[id$="-${operationId}"]`).count(), operationId).resolves.toBe(1);
      await page.locator(`.opblock[id$="-${operationId}"]`).isVisible().then((visible) => expect(visible, operationId).toBe(true));
    }
    await expect(page.locator('.opblock-summary-path', { hasText: '/v1/audit-log/verify' }).isVisible()).resolves.toBe(true);

    const screenshot = join(screenshotDir, 'docs.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`docs screenshot: ${screenshot}`);
    expect(existsSync(screenshot)).toBe(true);

    expectNothingWentWrong();
  });

  it('authorizes with an API key and runs GET /v1/tenant through "Try it out"', async () => {
    // The page from the previous test; make sure it is there when this test runs on its own.
    if (!(await page.locator('.opblock').count())) {
      await page.goto(`${origin}/docs`);
      await page.locator('.opblock').first().waitFor();
    }

    await page.locator('.scheme-container button.authorize').click();
    const modal = page.locator('.dialog-ux .modal-ux');
    await modal.waitFor();
    const bearer = modal.locator('.auth-container', { hasText: 'bearerAuth' });
    await bearer.locator('input#auth-bearer-value').fill(tenant.adminKey);
    // Swagger UI labels its buttons for screen readers: "Authorize" is "Apply credentials".
    await bearer.getByRole('button', { name: 'Apply credentials' }).click();
    await bearer.getByRole('button', { name: 'Remove authorization' }).waitFor();
    await bearer.locator('button.btn-done').click();
    await modal.waitFor({ state: 'detached' });

    const operation = page.locator('.opblock[id$="-getCurrentTenant"]');
    await operation.locator('.opblock-summary-control').click();
    // tryItOutEnabled: true in docs-init.js, so Execute is there without pressing "Try it out".
    const tryItOut = operation.getByRole('button', { name: 'Try it out' });
    if (await tryItOut.isVisible()) await tryItOut.click();
    const apiCall = page.waitForResponse((response) => response.url() === `${origin}/v1/tenant`);
    await operation.getByRole('button', { name: 'Execute' }).click();
    const apiResponse = await apiCall;
    expect(apiResponse.status()).toBe(200);
    expect(await apiResponse.request().headerValue('authorization')).toBe(`Bearer ${tenant.adminKey}`);

    const live = operation.locator('.live-responses-table');
    await expect.poll(() => live.locator('.response .response-col_status').first().textContent(), { timeout: STEP_TIMEOUT_MS }).toBe('200');
    await expect.poll(() => live.locator('.response .response-col_description').first().textContent(), { timeout: STEP_TIMEOUT_MS }).toContain(
      tenant.id,
    );
    await expect(operation.locator('.request-url').textContent()).resolves.toContain(`${origin}/v1/tenant`);

    const screenshot = join(screenshotDir, 'docs-try-it-out.png');
    await operation.screenshot({ path: screenshot });
    console.log(`try-it-out screenshot: ${screenshot}`);

    expectNothingWentWrong();
  });
});
