import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestTenant } from '../support/context';
import { minimalPdf } from '../support/files';
import { sentAssessment } from '../support/fixtures';
import { SCREENSHOT_DIR, startBrowserHarness, STEP_TIMEOUT_MS, type BrowserHarness } from './harness';

/**
 * One full supplier round in Chromium, as the issue describes it: open the invitation link, answer
 * part, reload and find everything kept, upload a PDF, submit; the reviewer returns one answer; the
 * supplier fixes it and resubmits; the reviewer accepts. The reviewer works through the API.
 */

const template = {
  key: 'browser-ot-round',
  name: 'OT service provider (short)',
  audience: 'supplier',
  sections: [
    {
      key: 'remote',
      title: 'Remote access to our plants',
      questions: [
        {
          key: 'remote-access',
          text: 'Do your engineers connect remotely to our OT network?',
          type: 'yes_no',
          required: true,
          domain: 'remote-access',
          controls: ['IEC62443-2-4:SP.07'],
          options: [
            { value: 'yes', label: 'Yes', score: 50 },
            { value: 'no', label: 'No', score: 100 },
          ],
        },
        {
          key: 'remote-method',
          text: 'How is that remote access secured?',
          type: 'single_choice',
          required: true,
          domain: 'remote-access',
          dependsOn: { question: 'remote-access', anyOf: ['yes'] },
          options: [
            { value: 'jump-host-mfa', label: 'Jump host with multi-factor authentication, session recording', score: 100 },
            { value: 'vpn', label: 'VPN with individual accounts', score: 60 },
            { value: 'shared', label: 'Shared remote-support account', score: 0 },
          ],
        },
        {
          key: 'patch-days',
          text: 'Within how many days do you assess security patches for the components you maintain?',
          type: 'number',
          required: true,
          domain: 'patching',
          min: 0,
          max: 365,
          unit: 'days',
        },
      ],
    },
    {
      key: 'assurance',
      title: 'Assurance',
      questions: [
        {
          key: 'incident-contact',
          text: 'Who do we call when you find a security incident affecting our plants?',
          type: 'text',
          required: true,
          domain: 'incidents',
        },
        {
          key: 'certificate',
          text: 'Your IEC 62443-2-4 or ISO/IEC 27001 certificate',
          type: 'file',
          required: true,
          evidenceRequired: true,
          domain: 'governance',
        },
      ],
    },
  ],
};

let harness: BrowserHarness | undefined;
let tenant: TestTenant;
let page: Page;
let portalUrl: string;
let assessmentId: string;

const staff = (path: string, init: { method?: string; json?: unknown } = {}) => harness!.t.request(path, { ...init, key: tenant.adminKey });

// Anchored: each question's comment box is labelled "Comment (optional)" plus the question.
const patchDays = () => page.getByRole('textbox', { name: /^Within how many days/ });
const incidentContact = () => page.getByRole('textbox', { name: /^Who do we call/ });

async function assessmentStatus() {
  return ((await (await staff(`/v1/assessments/${assessmentId}`)).json()) as { status: string }).status;
}

/** Runs a change and waits for the autosave it triggers to come back, and the page to say so. */
async function autosaved(change: () => Promise<void>) {
  const saved = page.waitForResponse((response) => response.url().endsWith('/portal/api/answers') && response.request().method() === 'PUT');
  await change();
  expect((await saved).status()).toBe(200);
  await expect.poll(() => page.locator('#st').textContent(), { timeout: STEP_TIMEOUT_MS }).toBe('All changes saved.');
}

async function screenshot(name: string) {
  const path = join(SCREENSHOT_DIR, name);
  // From the top: a full-page shot otherwise paints the sticky header where the page was scrolled to.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  console.log(`portal screenshot: ${path}`);
  expect(existsSync(path)).toBe(true);
}

beforeAll(async () => {
  harness = await startBrowserHarness();
  tenant = await harness.t.createTenant('Stadtwerke Browserstadt');
  const sent = await sentAssessment(harness.t, tenant, { template });
  assessmentId = sent.assessmentId;
  portalUrl = `${harness.origin}/portal/a/${sent.token}`;
  page = await harness.newPage();
});

afterAll(async () => {
  await harness?.close();
});

describe('the supplier portal in Chromium', () => {
  it('keeps a partly answered questionnaire across a reload', async () => {
    const response = await page.goto(portalUrl, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(response?.headers()['cache-control']).toBe('no-store');
    await expect(page.locator('h1').textContent()).resolves.toBe(template.name);

    const method = page.getByRole('group', { name: /How is that remote access secured/ });
    await expect(method.isVisible()).resolves.toBe(false);
    await page.getByRole('group', { name: /connect remotely/ }).getByLabel('Yes').check();
    // The dependent question appears as soon as its condition holds.
    await expect.poll(() => method.isVisible()).toBe(true);
    await method.getByLabel(/Jump host/).check();
    await autosaved(() => patchDays().fill('14'));
    await expect(page.locator('#pt').textContent()).resolves.toBe('3 of 5 questions answered');

    await page.reload({ waitUntil: 'load' });
    await expect(page.getByRole('group', { name: /connect remotely/ }).getByLabel('Yes').isChecked()).resolves.toBe(true);
    await expect(page.getByRole('group', { name: /How is that remote access secured/ }).getByLabel(/Jump host/).isChecked()).resolves.toBe(true);
    await expect(patchDays().inputValue()).resolves.toBe('14');
    expect(await assessmentStatus()).toBe('in_progress');
    harness!.expectNothingWentWrong();
  });

  it('uploads a PDF and submits', async () => {
    await page.getByLabel('Attach a file').setInputFiles({ name: 'iec62443-2-4-certificate.pdf', mimeType: 'application/pdf', buffer: Buffer.from(minimalPdf()) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect.poll(() => page.locator('#f-certificate').textContent(), { timeout: STEP_TIMEOUT_MS }).toContain('iec62443-2-4-certificate.pdf');

    await autosaved(() => incidentContact().fill('OT SOC, +49 201 555 0100, soc@supplier.example (24/7)'));
    await expect(page.locator('#pt').textContent()).resolves.toBe('5 of 5 questions answered');
    await screenshot('portal-answered.png');

    await page.getByRole('button', { name: 'Submit questionnaire' }).click();
    await expect.poll(() => page.getByText('can no longer be changed').isVisible(), { timeout: STEP_TIMEOUT_MS }).toBe(true);
    expect(await assessmentStatus()).toBe('submitted');
    await expect(incidentContact().isDisabled()).resolves.toBe(true);
    harness!.expectNothingWentWrong();
  });

  it('shows the reviewer\'s request beside the answer; the fix is resubmitted and accepted', async () => {
    const returned = await staff(`/v1/assessments/${assessmentId}/return`, {
      method: 'POST',
      json: {
        message: 'One answer needs a closer look.',
        clarifications: [{ questionKey: 'patch-days', comment: 'Our policy asks for an assessment within 7 days. Can you commit to that?' }],
      },
    });
    expect(returned.status).toBe(200);

    await page.reload({ waitUntil: 'load' });
    await expect(page.getByText('One answer needs a closer look.').isVisible()).resolves.toBe(true);
    // The reload keeps ?submitted=1 in the address; the page must not claim it is still submitted.
    await expect(page.getByText('now read-only').count()).resolves.toBe(0);
    const request = page.locator('#q-patch-days-b .note');
    await expect(request.textContent()).resolves.toContain('Can you commit to that?');
    await screenshot('portal-returned.png');

    await autosaved(() => patchDays().fill('7'));
    await page.getByRole('button', { name: 'Submit questionnaire' }).click();
    await expect.poll(() => page.getByText('can no longer be changed').isVisible(), { timeout: STEP_TIMEOUT_MS }).toBe(true);
    expect(await assessmentStatus()).toBe('submitted');

    const answers = (await (await staff(`/v1/assessments/${assessmentId}/answers`)).json()) as {
      data: { questionKey: string; value: unknown; evidenceIds: string[]; reviewStatus: string }[];
    };
    const byKey = new Map(answers.data.map((answer) => [answer.questionKey, answer]));
    expect(byKey.get('patch-days')).toMatchObject({ value: 7, reviewStatus: 'pending' });
    expect(byKey.get('remote-method')?.value).toBe('jump-host-mfa');
    expect(byKey.get('certificate')?.evidenceIds).toHaveLength(1);
    const evidence = await staff(`/v1/evidence/${byKey.get('certificate')!.evidenceIds[0]}/content`);
    expect(evidence.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await evidence.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

    const accepted = await staff(`/v1/assessments/${assessmentId}/accept`, { method: 'POST' });
    expect(accepted.status).toBe(200);
    expect(await assessmentStatus()).toBe('accepted');
    await page.reload({ waitUntil: 'load' });
    await expect(page.getByText('can no longer be changed').isVisible()).resolves.toBe(true);
    harness!.expectNothingWentWrong();
  });
});
