import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessmentAnswers, assessments, portalInvitations } from '../src/db/schema';
import { randomBytes, sha256Hex } from '../src/lib/crypto';
import { newId } from '../src/lib/ids';
import { createTestContext, queryRows, type TestContext, type TestTenant } from './support/context';
import { createSupplier, latestPortalToken, portalTemplate, sampleTemplate, sentAssessment } from './support/fixtures';

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
    expect(html).toMatch(/<div class="q" id="q-mfa-method-b" hidden=""/);
    expect(html).not.toMatch(/(src|href)="https?:\/\//);
    expect(Buffer.byteLength(html)).toBeLessThan(100 * 1024);
    const log = t.logs.join('\n');
    expect(log).not.toContain(token);
  });

  it('shows saved answers and conditional questions whose condition holds', async () => {
    const { token } = await invite({ answers: { mfa: 'yes', 'notify-hours': 24 } });
    const html = await (await t.request(`/portal/a/${token}`)).text();
    expect(html).toMatch(/<input type="radio" name="a.mfa" value="yes" id="q-mfa" checked=""/);
    expect(html).toMatch(/<div class="q" id="q-mfa-method-b" data-dep="mfa"/);
    expect(html).toContain('value="24"');
    expect(html).toContain('2 of 3 questions answered');
  });

  it('is read-only after submission', async () => {
    const { token } = await invite({ status: 'submitted' });
    const html = await (await t.request(`/portal/a/${token}`)).text();
    expect(html).toContain('can no longer be changed');
    expect(html).not.toContain('Submit questionnaire');
    expect(html).toMatch(/name="a.mfa" value="yes" id="q-mfa" disabled=""/);
    expect(html).not.toContain('<form method="post" action="/portal/a/' + token + '/forward"');
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
    const script = await js.text();
    expect(script).toContain('data-dep');
    expect(script).toContain('X-Portal-Token');
  });
});

/** A form post as a browser sends it from the page itself. */
function post(path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
  return t.request(path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', 'sec-fetch-site': 'same-origin', ...headers },
  });
}

async function answersOf(token: string) {
  const view = (await (await t.request('/portal/api/assessment', { headers: { 'x-portal-token': token } })).json()) as {
    status: string;
    answers: { questionKey: string; value: unknown; comment: string | null; version: number; evidence: { id: string; name: string }[] }[];
  };
  return { status: view.status, byKey: new Map(view.answers.map((answer) => [answer.questionKey, answer])) };
}

/** Every field of the page's main form, as the browser would send it untouched. */
const untouched = { 'v.mfa': '0', 'v.mfa-method': '0', 'v.notify-hours': '0', 'v.standards': '0', 'v.audit-date': '0', 'v.notes': '0', 'v.iso-cert': '0' };

describe('supplier portal page without JavaScript', () => {
  it('saves typed values from the form and redirects back with a notice', async () => {
    const { token } = await sentAssessment(t, tenant, { template: portalTemplate() });
    const page = await (await t.request(`/portal/a/${token}`)).text();
    expect(page).toContain(`<form method="post" action="/portal/a/${token}" id="pf"`);
    expect(page).toContain('<button type="submit" name="action" value="save">');
    expect(page).toMatch(/<fieldset><legend id="q-mfa-l">/);
    expect(page).toContain('<label class="qt" id="q-notify-hours-l" for="q-notify-hours">');

    const response = await post(`/portal/a/${token}`, {
      ...untouched,
      'a.mfa': 'yes',
      'c.mfa': 'For all admin accounts',
      'a.notify-hours': '2,5',
      'a.standards': ['iso27001', 'iec62443'],
      'a.audit-date': '2025-03-01',
      'a.notes': '  Free text  ',
      action: 'save',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/portal/a/${token}?saved=1`);
    const { status, byKey } = await answersOf(token);
    expect(status).toBe('in_progress');
    expect(byKey.get('mfa')).toMatchObject({ value: 'yes', comment: 'For all admin accounts', version: 1 });
    expect(byKey.get('notify-hours')!.value).toBe(2.5);
    expect(byKey.get('standards')!.value).toEqual(['iso27001', 'iec62443']);
    expect(byKey.get('audit-date')!.value).toBe('2025-03-01');
    expect(byKey.get('notes')!.value).toBe('Free text');
    expect(byKey.get('mfa-method')!.version).toBe(0);
    expect(await (await t.request(`/portal/a/${token}?saved=1`)).text()).toContain('Your answers are saved.');

    // Posting the same values again changes nothing: unchanged answers are not saved.
    await post(`/portal/a/${token}`, { ...untouched, 'v.mfa': '1', 'a.mfa': 'yes', 'c.mfa': 'For all admin accounts', action: 'save' });
    expect((await answersOf(token)).byKey.get('mfa')!.version).toBe(1);
  });

  it('shows the page again with an error summary for malformed values, keeping what was typed', async () => {
    const { token } = await sentAssessment(t, tenant, { template: portalTemplate() });
    const response = await post(`/portal/a/${token}`, { ...untouched, 'a.mfa': 'yes', 'a.notify-hours': 'about a day', 'a.audit-date': '2025-02-30', action: 'save' });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('<div class="errs" role="alert" id="errs" tabindex="-1">');
    expect(html).toContain('<a href="#q-notify-hours">Hours to notify us of an incident?: Enter a number');
    expect(html).toContain('<a href="#q-audit-date">');
    expect(html).toMatch(/<input id="q-notify-hours" type="text" inputmode="decimal" name="a.notify-hours" value="about a day" aria-invalid="true" aria-describedby="q-notify-hours-e"/);
    expect(html).toContain('<p class="err" id="q-notify-hours-e">');
    // The typed choice is kept, and nothing was saved.
    expect(html).toMatch(/name="a.mfa" value="yes" id="q-mfa" checked=""/);
    expect((await answersOf(token)).byKey.get('mfa')!.version).toBe(0);

    // What Chromium really sends from the page itself, given the page's `Referrer-Policy: no-referrer`.
    const own = await post(`/portal/a/${token}`, { ...untouched, 'a.mfa': 'yes', action: 'save' }, { origin: 'null', 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(303);
    expect((await answersOf(token)).byKey.get('mfa')!.value).toBe('yes');
  });

  it('lists missing required answers on submit, then submits and is read-only', async () => {
    const { token } = await sentAssessment(t, tenant, { template: portalTemplate() });
    const missing = await post(`/portal/a/${token}`, { ...untouched, 'a.mfa': 'yes', action: 'submit' });
    expect(missing.status).toBe(422);
    const html = await missing.text();
    expect(html).toContain('<a href="#q-mfa-method">Which method?: Answer this question before you submit.</a>');
    expect(html).toContain('<a href="#q-notify-hours">');
    expect(html).not.toContain('<a href="#q-mfa">');
    // The answers given were saved before the check.
    expect((await answersOf(token)).byKey.get('mfa')!.value).toBe('yes');

    const done = await post(`/portal/a/${token}`, { ...untouched, 'v.mfa': '1', 'a.mfa': 'yes', 'a.mfa-method': 'totp', 'a.notify-hours': '24', action: 'submit' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/portal/a/${token}?submitted=1`);
    const page = await (await t.request(`/portal/a/${token}?submitted=1`)).text();
    expect(page).toContain('Submitted. Thank you');
    expect(page).not.toContain('name="action"');
    expect((await post(`/portal/a/${token}`, { ...untouched, 'a.mfa': 'no', action: 'save' })).status).toBe(409);
    expect((await answersOf(token)).status).toBe('submitted');
  });

  it('keeps other answers and reports the one someone else changed meanwhile', async () => {
    const { token } = await sentAssessment(t, tenant, { template: portalTemplate() });
    await t.request('/portal/api/answers', { method: 'PUT', headers: { 'x-portal-token': token }, json: { answers: [{ questionKey: 'mfa', value: 'no' }] } });
    const response = await post(`/portal/a/${token}`, { ...untouched, 'a.mfa': 'yes', 'a.notify-hours': '12', action: 'save' });
    expect(response.status).toBe(409);
    const html = await response.text();
    expect(html).toContain('Someone else changed this answer in the meantime');
    expect(html).toMatch(/name="a.mfa" value="no" checked=""/);
    const { byKey } = await answersOf(token);
    expect(byKey.get('mfa')!.value).toBe('no');
    expect(byKey.get('notify-hours')!.value).toBe(12);
  });

  it('refuses form posts from other sites', async () => {
    const { token } = await sentAssessment(t, tenant, { template: portalTemplate() });
    const attempts: Record<string, string>[] = [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.example', 'sec-fetch-site': '' }, { origin: 'null', 'sec-fetch-site': '' }];
    for (const headers of attempts) {
      const response = await post(`/portal/a/${token}`, { ...untouched, 'a.mfa': 'yes', action: 'save' }, headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
    }
    expect((await post(`/portal/a/${token}/forward`, { email: 'x@evil.example' }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await answersOf(token)).byKey.get('mfa')!.version).toBe(0);
  });

  it('uploads and removes files, and forwards the link, through plain forms', async () => {
    const { token, assessmentId } = await sentAssessment(t, tenant, { template: portalTemplate() });
    const page = await (await t.request(`/portal/a/${token}`)).text();
    expect(page).toContain(`<form id="u-iso-cert" method="post" enctype="multipart/form-data" action="/portal/a/${token}/questions/iso-cert/evidence"></form>`);
    expect(page).toContain('<input type="file" id="u-iso-cert-f" name="file" form="u-iso-cert" required=""/>');

    const form = new FormData();
    form.set('file', new Blob([new TextEncoder().encode('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), 'cert.pdf');
    const uploaded = await t.request(`/portal/a/${token}/questions/iso-cert/evidence`, { method: 'POST', body: form, headers: { origin: 'http://localhost' } });
    expect(uploaded.status).toBe(303);
    expect(uploaded.headers.get('location')).toBe(`/portal/a/${token}?uploaded=1#q-iso-cert-b`);
    const evidence = (await answersOf(token)).byKey.get('iso-cert')!.evidence;
    expect(evidence.map((file) => file.name)).toEqual(['cert.pdf']);
    const after = await (await t.request(`/portal/a/${token}?uploaded=1`)).text();
    expect(after).toContain('cert.pdf');
    expect(after).toContain(`<button form="r-iso-cert" name="evidenceId" value="${evidence[0]!.id}" aria-label="Remove cert.pdf">`);

    const bad = new FormData();
    bad.set('file', new Blob([new Uint8Array([0x4d, 0x5a, 0x90, 0])], { type: 'application/pdf' }), 'fake.pdf');
    const refused = await t.request(`/portal/a/${token}/questions/iso-cert/evidence`, { method: 'POST', body: bad, headers: { origin: 'http://localhost' } });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('<a href="#q-iso-cert">');

    const removed = await post(`/portal/a/${token}/questions/iso-cert/evidence/remove`, { evidenceId: evidence[0]!.id });
    expect(removed.status).toBe(303);
    expect((await answersOf(token)).byKey.get('iso-cert')!.evidence).toEqual([]);

    const invalid = await post(`/portal/a/${token}/forward`, { email: 'nope' });
    expect(invalid.status).toBe(422);
    expect(await invalid.text()).toContain('aria-describedby="fwd-email-e"');
    const forwarded = await post(`/portal/a/${token}/forward`, { email: 'colleague@supplier.example', name: 'Petra', note: 'Section 2 please' });
    expect(forwarded.status).toBe(303);
    expect(forwarded.headers.get('location')).toContain('?forwarded=colleague%40supplier.example');
    const colleague = await latestPortalToken(t, tenant, assessmentId, 'assessment_forwarded');
    expect((await t.request(`/portal/a/${colleague}`)).status).toBe(200);
  });

  it('keeps the page of the largest built-in questionnaire under 100 KB with its CSS and JS', async () => {
    const list = (await (await t.request('/v1/questionnaire-templates?limit=100', { key: tenant.adminKey })).json()) as { data: { id: string; key: string }[] };
    const ot = list.data.find((template) => template.key === 'builtin.ot-service-provider')!;
    const { token } = await sentAssessment(t, tenant, { templateId: ot.id });
    // Half answered, so the page carries values and versions, not an empty form.
    const view = (await (await t.request('/portal/api/assessment', { headers: { 'x-portal-token': token } })).json()) as {
      sections: { questions: { key: string; type: string; options: { value: string }[] }[] }[];
    };
    const choices = view.sections.flatMap((section) => section.questions).filter((question) => question.type === 'yes_no' || question.type === 'single_choice');
    const answers = choices.slice(0, Math.ceil(choices.length / 2)).map((question) => ({ questionKey: question.key, value: question.options[0]!.value, comment: 'Checked by our OT security lead.' }));
    expect((await t.request('/portal/api/answers', { method: 'PUT', headers: { 'x-portal-token': token }, json: { answers } })).status).toBe(200);
    const html = await (await t.request(`/portal/a/${token}`)).text();
    const css = await (await t.request('/portal/assets/portal.css')).text();
    const js = await (await t.request('/portal/assets/portal.js')).text();
    const total = Buffer.byteLength(html) + Buffer.byteLength(css) + Buffer.byteLength(js);
    expect(total, `html ${Buffer.byteLength(html)} + css ${Buffer.byteLength(css)} + js ${Buffer.byteLength(js)}`).toBeLessThan(100 * 1024);
  });
});
