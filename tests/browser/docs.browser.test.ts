import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestTenant } from '../support/context';
import { SCREENSHOT_DIR, startBrowserHarness, STEP_TIMEOUT_MS, type BrowserHarness } from './harness';

/**
 * /docs in a real browser, with every request that leaves the local server aborted: customers run
 * air-gapped, so the page must render the spec and "Try it out" must work with nothing but the app.
 */

const OPERATION_COUNT = 10;

let harness: BrowserHarness | undefined;
let page: Page;
let origin: string;
let tenant: TestTenant;
const screenshotDir = SCREENSHOT_DIR;
const expectNothingWentWrong = () => harness!.expectNothingWentWrong();

/**
 * Scrolls down from the top until Swagger UI's virtualized list shows the element in the viewport.
 * Present in the DOM is not enough: an element rendered in the list's overscan is replaced when the
 * list re-renders, so scrolling to it by its handle failed with "not attached to the DOM".
 */
async function scrollUntilRendered(selector: string) {
  const inViewport = async () =>
    (await page.locator(selector).count()) > 0 &&
    (await page
      .locator(selector)
      .first()
      .evaluate((element) => {
        const box = element.getBoundingClientRect();
        return box.top >= 0 && box.top < window.innerHeight - 20;
      }, undefined, { timeout: 1_000 })
      .catch(() => false));
  await page.evaluate(() => window.scrollTo(0, 0));
  for (let step = 0; step < 1000 && !(await inViewport()); step += 1) {
    await page.evaluate(() => window.scrollBy(0, window.innerHeight * 0.5));
    await page.waitForTimeout(30);
  }
  expect(await inViewport(), `${selector} never came into view while scrolling /docs`).toBe(true);
}

beforeAll(async () => {
  harness = await startBrowserHarness();
  origin = harness.origin;
  tenant = await harness.t.createTenant('Browser docs tenant');
  page = await harness.newPage();
});

afterAll(async () => {
  await harness?.close();
});

describe('/docs in Chromium', () => {
  it('renders the whole spec from the app alone, with no errors', async () => {
    const response = await page.goto(`${origin}/docs`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    await expect.poll(() => page.locator('.information-container .title').textContent(), { timeout: STEP_TIMEOUT_MS }).toContain(
      'Chainproof API',
    );
    await expect.poll(() => page.locator('.opblock').count(), { timeout: STEP_TIMEOUT_MS }).toBeGreaterThanOrEqual(1);

    // From 150 tags and operations on, Swagger UI renders only what is in view (window
    // virtualization): scroll the page through and check that every tag and operation appears.
    const spec = (await (await fetch(`${origin}/openapi.json`)).json()) as { tags: { name: string }[]; paths: Record<string, Record<string, { operationId: string }>> };
    const operationIds = Object.values(spec.paths).flatMap((methods) => Object.values(methods).map((operation) => operation.operationId));
    expect(operationIds.length + spec.tags.length).toBeGreaterThanOrEqual(OPERATION_COUNT);
    const seenOperations = new Set<string>();
    const seenTags = new Set<string>();
    let lastScroll = -1;
    for (let step = 0; step < 1000; step += 1) {
      for (const id of await page.locator('.opblock[id]').evaluateAll((elements) => elements.map((element) => element.id))) seenOperations.add(id);
      for (const tag of await page.locator('.opblock-tag').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-tag') ?? ''))) seenTags.add(tag);
      const scrolled = await page.evaluate(() => {
        window.scrollBy(0, window.innerHeight * 0.8);
        return window.scrollY;
      });
      if (scrolled === lastScroll) break;
      lastScroll = scrolled;
      await page.waitForTimeout(30);
    }
    expect([...seenTags].sort()).toEqual(spec.tags.map((tag) => tag.name).sort());
    const missing = operationIds.filter((operationId) => ![...seenOperations].some((id) => id.endsWith(`-${operationId}`)));
    expect(missing, 'operations never rendered while scrolling through /docs').toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('.opblock[id$="-getCurrentTenant"]').waitFor();
    const tags = (await page.locator('.opblock-tag').allTextContents()).map((text) => text.trim());
    for (const tag of ['Tenants', 'API keys', 'Audit log']) {
      expect(tags.some((text) => text.startsWith(tag)), `tag "${tag}" in ${JSON.stringify(tags)}`).toBe(true);
    }
    // Deep-link ids are built from tag and operationId, so this checks both made it into the UI.
    for (const operationId of ['getCurrentTenant', 'listApiKeys', 'createApiKey', 'listAuditLog', 'verifyAuditLog']) {
      await scrollUntilRendered(`.opblock[id$="-${operationId}"]`);
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
