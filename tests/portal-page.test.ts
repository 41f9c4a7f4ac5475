import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessmentAnswers, assessments, portalInvitations } from '../src/db/schema';
import { randomBytes, sha256Hex } from '../src/lib/crypto';
import { newId } from '../src/lib/ids';
import { createTestContext, queryRows, type TestContext, type TestTenant } from './support/context';
import { createSupplier, sampleTemplate } from './support/fixtures';

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant('Stadtwerke Portalstadt');
});
afterAll(() => t.close());

const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** An assessment with an invitation, written directly: the page must work from the stored state alone. */
async function invite(options: { status?: string; expiresInMs?: number; revoked?: boolean; answers?: Record<string, unknown> } = {}) {
  const supplier = await createSupplier(t, tenant, { name: 'Ruhr Automation Systems GmbH' });
  const contact = (await (
    await t.request(`/v1/suppliers/${supplier.id}/contacts`, { method: 'POST', key: tenant.adminKey, json: { name: 'Jan Hoffmann', email: 'jan@example.com' } })
  ).json()) as { id: string };
  const template = (await (
    await t.request('/v1/questionnaire-templates?publish=true', { method: 'POST', key: tenant.adminKey, json: sampleTemplate(`portal-${crypto.randomUUID().slice(0, 8)}`) })
  ).json()) as { id: string };
  const now = new Date();
  const assessmentId = newId('assessment');
  await t.db.insert(assessments).values({
    tenantId: tenant.id,
    id: assessmentId,
    supplierId: supplier.id,
    contactId: contact.id,
    templateId: template.id,
    templateVersion: 1,
    status: options.status ?? 'sent',
    dueAt: new Date(now.getTime() + 14 * 86_400_000),
    createdByType: 'api_key',
    createdById: tenant.adminKeyId,
    createdAt: now,
    updatedAt: now,
  });
  for (const [questionKey, value] of Object.entries(options.answers ?? {})) {
    await t.db.insert(assessmentAnswers).values({
      tenantId: tenant.id,
      assessmentId,
      questionKey,
      value,
      answeredByType: 'supplier_contact',
      answeredById: 'inv_test',
      createdAt: now,
      updatedAt: now,
    });
  }
  const token = base64url(randomBytes(32));
  await t.db.insert(portalInvitations).values({
    tenantId: tenant.id,
    id: newId('invitation'),
    assessmentId,
    email: 'jan@example.com',
    tokenHash: await sha256Hex(token),
    expiresAt: new Date(now.getTime() + (options.expiresInMs ?? 30 * 86_400_000)),
    revokedAt: options.revoked ? now : null,
    createdByType: 'api_key',
    createdById: tenant.adminKeyId,
    createdAt: now,
  });
  return { token, assessmentId };
}

describe('supplier portal page', () => {
  it('renders the questionnaire for a valid link, with strict headers and no external resources', async () => {
    const { token } = await invite();
    const response = await t.request(`/portal/a/${token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-robots-tag')).toContain('noindex');
    const html = await response.text();
    expect(html).toContain('Template portal-');
    expect(html).toContain('Security questionnaire for Ruhr Automation Systems GmbH');
    expect(html).toContain('Requested by Stadtwerke Portalstadt');
    expect(html).toContain('Do administrators use multi-factor authentication?');
    expect(html).toMatch(/<form method="post" action="\/portal\/a\/[A-Za-z0-9_-]{43}"/);
    // The conditional question is rendered hidden until its condition holds.
    expect(html).toMatch(/<div class="question" id="q-mfa-method-block" hidden=""/);
    expect(html).not.toMatch(/(src|href)="https?:\/\//);
    expect(Buffer.byteLength(html)).toBeLessThan(100 * 1024);
    const log = t.logs.join('\n');
    expect(log).not.toContain(token);
  });

  it('shows saved answers and conditional questions whose condition holds', async () => {
    const { token } = await invite({ answers: { mfa: 'yes', 'notify-hours': 24 } });
    const html = await (await t.request(`/portal/a/${token}`)).text();
    expect(html).toMatch(/<input type="radio" name="answer.mfa" value="yes" checked=""/);
    expect(html).toMatch(/<div class="question" id="q-mfa-method-block" data-key/);
    expect(html).toContain('value="24"');
    expect(html).toContain('2 of 3 questions answered');
  });

  it('is read-only after submission', async () => {
    const { token } = await invite({ status: 'submitted' });
    const html = await (await t.request(`/portal/a/${token}`)).text();
    expect(html).toContain('can no longer be changed');
    expect(html).not.toContain('Submit questionnaire');
    expect(html).toMatch(/name="answer.mfa" value="yes" disabled=""/);
  });

  it('answers every unusable link the same way: malformed, unknown, expired, revoked, cancelled', async () => {
    const expired = await invite({ expiresInMs: -1000 });
    const revoked = await invite({ revoked: true });
    const cancelled = await invite({ status: 'cancelled' });
    for (const token of ['short', base64url(randomBytes(32)), expired.token, revoked.token, cancelled.token]) {
      const response = await t.request(`/portal/a/${token}`);
      expect(response.status, token).toBe(404);
      expect(await response.text()).toContain('This link does not work');
    }
  });

  it('rate-limits link guessing per address', async () => {
    const limited = await createTestContext({ AUTH_FAILURE_LIMIT_PER_MINUTE: '3' });
    try {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        expect((await limited.request(`/portal/a/${base64url(randomBytes(32))}`)).status).toBe(404);
      }
      const blocked = await limited.request(`/portal/a/${base64url(randomBytes(32))}`);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('records when a link was last used, without storing the token', async () => {
    const { token, assessmentId } = await invite();
    await t.request(`/portal/a/${token}`);
    const rows = await queryRows<{ last_used_at: unknown; token_hash: string }>(
      t.db,
      sql`select last_used_at, token_hash from portal_invitations where assessment_id = ${assessmentId}`,
    );
    expect(rows[0]!.last_used_at).not.toBeNull();
    expect(rows[0]!.token_hash).toBe(await sha256Hex(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('serves its own CSS and JS', async () => {
    const css = await t.request('/portal/assets/portal.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    const js = await t.request('/portal/assets/portal.js');
    expect(await js.text()).toContain('data-depends-on');
  });
});
