import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/lib/crypto';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';
import { createSupplier, sampleTemplate } from './support/fixtures';

let t: TestContext;
let tenant: TestTenant;
let other: TestTenant;
let reviewerKey: string;
let writerKey: string;

interface Assessment {
  id: string;
  status: string;
  supplierId: string;
  contactId: string;
  template: { id: string; key: string; name: string; version: number };
  dueAt: string;
  overdue: boolean;
  progress: { answered: number; requiredMissing: number; evidenceMissing: number; clarificationsOpen: number };
  sentAt: string | null;
  submittedAt: string | null;
  returnedAt: string | null;
  acceptedAt: string | null;
  closedAt: string | null;
  reminderCount: number;
  lastRemindedAt: string | null;
  version: number;
}

interface Answer {
  questionKey: string;
  questionText: string;
  questionType: string;
  visible: boolean;
  answered: boolean;
  value: unknown;
  reviewStatus: string;
  reviewComment: string | null;
  version: number;
}

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/** sampleTemplate plus an optional text question that needs evidence. */
const template = (key: string) => {
  const document = sampleTemplate(key) as ReturnType<typeof sampleTemplate> & { sections: { questions: unknown[] }[] };
  document.sections.push({
    key: 'policies',
    title: 'Policies',
    questions: [{ key: 'policy', text: 'Name your information security policy.', type: 'text', required: false, evidenceRequired: true, domain: 'governance' }],
  } as never);
  return document;
};

async function json<T>(response: Response, status: number): Promise<T> {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

async function publishTemplate(owner: TestTenant, document: unknown = template(`asm-${crypto.randomUUID().slice(0, 8)}`)) {
  return json<{ id: string; key: string }>(
    await t.request('/v1/questionnaire-templates?publish=true', { method: 'POST', key: owner.adminKey, json: document }),
    201,
  );
}

async function createContact(owner: TestTenant, supplierId: string, email = 'security@supplier.example') {
  return json<{ id: string }>(
    await t.request(`/v1/suppliers/${supplierId}/contacts`, { method: 'POST', key: owner.adminKey, json: { name: 'Katrin <Vogel>', email } }),
    201,
  );
}

interface Setup {
  supplierId: string;
  contactId: string;
  templateId: string;
}

async function setup(owner: TestTenant = tenant): Promise<Setup> {
  const supplier = await createSupplier(t, owner, { name: 'Rhein & Automation <GmbH>' });
  const contact = await createContact(owner, supplier.id);
  const published = await publishTemplate(owner);
  return { supplierId: supplier.id, contactId: contact.id, templateId: published.id };
}

const create = (body: Record<string, unknown>, key = tenant.adminKey) => t.request('/v1/assessments', { method: 'POST', key, json: body });

async function createAssessment(s: Setup, extra: Record<string, unknown> = {}) {
  return json<Assessment>(await create({ ...s, dueAt: inDays(14), ...extra }), 201);
}

const action = (id: string, name: string, body?: unknown, key = tenant.adminKey, headers: Record<string, string> = {}) =>
  t.request(`/v1/assessments/${id}/${name}`, { method: 'POST', key, headers, ...(body === undefined ? {} : { json: body }) });

const saveAnswers = (id: string, answers: unknown[], key = tenant.adminKey) =>
  t.request(`/v1/assessments/${id}/answers`, { method: 'PUT', key, json: { answers } });

const getAssessment = async (id: string) => json<Assessment>(await t.request(`/v1/assessments/${id}`, { key: tenant.adminKey }), 200);

async function expectTransitionRefused(id: string, name: string, body?: unknown, key = tenant.adminKey) {
  const response = await action(id, name, body, key);
  expect(response.status, `${name} should be refused`).toBe(409);
  const problem = await problemOf(response);
  expect(problem.code).toBe('invalid_transition');
  return problem;
}

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
  other = await t.createTenant();
  reviewerKey = (await t.createKey(tenant, ['assessments:read', 'assessments:review'], 'reviewer')).key;
  writerKey = (await t.createKey(tenant, ['assessments:read', 'assessments:write'], 'writer')).key;
});
afterAll(() => t.close());

describe('creating an assessment', () => {
  it('creates a draft pinned to the latest published version, with progress counts', async () => {
    const s = await setup();
    const response = await create({ ...s, dueAt: inDays(10), message: 'Before renewal, please.' });
    const created = await json<Assessment>(response, 201);
    expect(response.headers.get('location')).toBe(`/v1/assessments/${created.id}`);
    expect(created.id).toMatch(/^asm_/);
    expect(created).toMatchObject({
      status: 'draft',
      supplierId: s.supplierId,
      contactId: s.contactId,
      template: { id: s.templateId, version: 1 },
      sentAt: null,
      overdue: false,
      // mfa and notify-hours are required and shown; mfa-method is hidden until mfa = yes.
      progress: { answered: 0, requiredMissing: 2, evidenceMissing: 1, clarificationsOpen: 0 },
    });
    const got = await t.request(`/v1/assessments/${created.id}`, { key: tenant.adminKey });
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe(`"${created.version}"`);
  });

  it('keeps its pinned version after a new publish, and takes templateVersion when given', async () => {
    const s = await setup();
    const first = await createAssessment(s);
    const doc = template('pinned-' + crypto.randomUUID().slice(0, 8));
    const templateRow = await json<{ key: string }>(await t.request(`/v1/questionnaire-templates/${s.templateId}`, { key: tenant.adminKey }), 200);
    await json(await t.request(`/v1/questionnaire-templates/${s.templateId}/draft`, { method: 'PUT', key: tenant.adminKey, json: { ...doc, key: templateRow.key, name: 'Version two' } }), 200);
    await json(await t.request(`/v1/questionnaire-templates/${s.templateId}/publish`, { method: 'POST', key: tenant.adminKey }), 200);

    expect((await getAssessment(first.id)).template.version).toBe(1);
    const latest = await createAssessment(s);
    expect(latest.template).toMatchObject({ version: 2, name: 'Version two' });
    const pinned = await createAssessment(s, { templateVersion: 1 });
    expect(pinned.template.version).toBe(1);
    const missing = await create({ ...s, dueAt: inDays(5), templateVersion: 9 });
    expect(missing.status).toBe(422);
    expect((await problemOf(missing)).errors?.map((error) => error.path)).toEqual(['templateVersion']);
  });

  it('uses a built-in supplier template', async () => {
    const s = await setup();
    const list = await json<{ data: { id: string; key: string }[] }>(
      await t.request('/v1/questionnaire-templates?builtIn=true', { key: tenant.adminKey }),
      200,
    );
    const baseline = list.data.find((row) => row.key === 'builtin.nis2-supplier-baseline')!;
    const created = await createAssessment({ ...s, templateId: baseline.id });
    expect(created.template).toMatchObject({ key: 'builtin.nis2-supplier-baseline', version: 1 });
    expect(created.progress.requiredMissing).toBeGreaterThan(10);

    const intake = list.data.find((row) => row.key === 'builtin.onboarding-intake')!;
    const refused = await create({ ...s, templateId: intake.id, dueAt: inDays(5) });
    expect(refused.status).toBe(422);
    expect((await problemOf(refused)).errors?.[0]?.path).toBe('templateId');
  });

  it('validates the body, naming each field', async () => {
    const s = await setup();
    const missing = await create({});
    expect(missing.status).toBe(422);
    const paths = (await problemOf(missing)).errors!.map((error) => error.path).sort();
    expect(paths).toEqual(['contactId', 'dueAt', 'supplierId', 'templateId']);

    const past = await create({ ...s, dueAt: new Date(Date.now() - DAY).toISOString() });
    expect(past.status).toBe(422);
    expect((await problemOf(past)).errors?.map((error) => error.path)).toEqual(['dueAt']);

    // A contact of another supplier.
    const otherSupplier = await createSupplier(t, tenant);
    const strayContact = await createContact(tenant, otherSupplier.id);
    const wrongContact = await create({ ...s, contactId: strayContact.id, dueAt: inDays(3) });
    expect(wrongContact.status).toBe(422);
    expect((await problemOf(wrongContact)).errors?.map((error) => error.path)).toEqual(['contactId']);

    // A template with only a draft.
    const draft = await json<{ id: string }>(
      await t.request('/v1/questionnaire-templates', { method: 'POST', key: tenant.adminKey, json: template(`draft-${crypto.randomUUID().slice(0, 8)}`) }),
      201,
    );
    const unpublished = await create({ ...s, templateId: draft.id, dueAt: inDays(3) });
    expect(unpublished.status).toBe(422);
    expect((await problemOf(unpublished)).errors?.[0]).toMatchObject({ path: 'templateId', message: expect.stringContaining('published') });

    // An archived template.
    const archivedTemplate = await publishTemplate(tenant);
    expect((await t.request(`/v1/questionnaire-templates/${archivedTemplate.id}`, { method: 'DELETE', key: tenant.adminKey })).status).toBe(200);
    const archived = await create({ ...s, templateId: archivedTemplate.id, dueAt: inDays(3) });
    expect((await problemOf(archived)).errors?.[0]?.path).toBe('templateId');
  });

  it('answers 422 naming the field for another tenant\'s supplier, contact or template', async () => {
    const mine = await setup();
    const theirs = await setup(other);
    for (const field of ['supplierId', 'templateId'] as const) {
      const response = await create({ ...mine, [field]: theirs[field], dueAt: inDays(3) });
      expect(response.status, field).toBe(422);
      expect((await problemOf(response)).errors?.map((error) => error.path)).toEqual([field]);
    }
    const contact = await create({ ...mine, contactId: theirs.contactId, dueAt: inDays(3) });
    expect((await problemOf(contact)).errors?.map((error) => error.path)).toEqual(['contactId']);
  });
});

describe('sending', () => {
  it('creates an invitation (hash only) and queues the mail with the portal link', async () => {
    const s = await setup();
    const draft = await createAssessment(s, { message: 'Hi <b>there</b> & welcome' });
    const stale = await action(draft.id, 'send', undefined, tenant.adminKey, { 'if-match': '"999"' });
    expect(stale.status).toBe(412);

    const sent = await json<Assessment>(await action(draft.id, 'send', undefined, tenant.adminKey, { 'if-match': `"${draft.version}"` }), 200);
    expect(sent.status).toBe('sent');
    expect(sent.sentAt).not.toBeNull();

    const mails = await queryRows<{ kind: string; to_address: string; subject: string; text_body: string; html_body: string; dedupe_key: string }>(
      t.db,
      sql`select kind, to_address, subject, text_body, html_body, dedupe_key from mail_outbox where tenant_id = ${tenant.id} and entity_id = ${draft.id}`,
    );
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.kind).toBe('assessment_invitation');
    expect(mail.to_address).toBe('security@supplier.example');
    const link = new RegExp(`${t.config.publicBaseUrl.replace(/[.]/g, '\\.')}/portal/a/([A-Za-z0-9_-]{43})`).exec(mail.text_body);
    expect(link, mail.text_body).not.toBeNull();
    const token = link![1]!;
    expect(mail.html_body).toContain(`/portal/a/${token}`);
    // Interpolated values are escaped in the HTML body.
    expect(mail.html_body).toContain('Rhein &amp; Automation &lt;GmbH&gt;');
    expect(mail.html_body).toContain('Hi &lt;b&gt;there&lt;/b&gt; &amp; welcome');
    expect(mail.html_body).not.toContain('<GmbH>');
    expect(mail.text_body).toContain('Hi <b>there</b> & welcome');

    const invitations = await queryRows<{ id: string; token_hash: string; email: string; expires_at: string | Date }>(
      t.db,
      sql`select id, token_hash, email, expires_at from portal_invitations where tenant_id = ${tenant.id} and assessment_id = ${draft.id}`,
    );
    expect(invitations).toHaveLength(1);
    expect(invitations[0]!.token_hash).toBe(await sha256Hex(token));
    expect(mail.dedupe_key).toBe(`invitation:${invitations[0]!.id}`);
    expect(new Date(invitations[0]!.expires_at).getTime()).toBe(new Date(sent.dueAt).getTime() + 30 * DAY);
    // The token itself is stored nowhere but in the mail.
    const leaks = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from portal_invitations where token_hash = ${token}`);
    expect(leaks[0]!.n).toBe(0);

    await expectTransitionRefused(draft.id, 'send');
  });

  it('reminds with a fresh link, counts reminders, and is refused for drafts', async () => {
    const s = await setup();
    const draft = await createAssessment(s);
    await expectTransitionRefused(draft.id, 'remind');
    await json(await action(draft.id, 'send'), 200);
    const reminded = await json<Assessment>(await action(draft.id, 'remind'), 200);
    expect(reminded.reminderCount).toBe(1);
    expect(reminded.lastRemindedAt).not.toBeNull();
    const mails = await queryRows<{ kind: string; text_body: string }>(
      t.db,
      sql`select kind, text_body from mail_outbox where tenant_id = ${tenant.id} and entity_id = ${draft.id} order by id`,
    );
    expect(mails.map((mail) => mail.kind)).toEqual(['assessment_invitation', 'assessment_reminder']);
    const tokens = mails.map((mail) => /\/portal\/a\/([A-Za-z0-9_-]+)/.exec(mail.text_body)![1]);
    expect(tokens[0]).not.toBe(tokens[1]);
    const invitations = await queryRows<{ revoked_at: unknown }>(
      t.db,
      sql`select revoked_at from portal_invitations where tenant_id = ${tenant.id} and assessment_id = ${draft.id}`,
    );
    expect(invitations).toHaveLength(2);
    expect(invitations.every((row) => row.revoked_at === null)).toBe(true);
  });
});

describe('portal links', () => {
  it('lists every link sent and revokes one without touching the others', async () => {
    const s = await setup();
    const draft = await createAssessment(s);
    await json(await action(draft.id, 'send'), 200);
    await json(await action(draft.id, 'remind'), 200);
    const mails = await queryRows<{ text_body: string }>(
      t.db,
      sql`select text_body from mail_outbox where tenant_id = ${tenant.id} and entity_id = ${draft.id} order by id`,
    );
    const [invitationToken, reminderToken] = mails.map((mail) => /\/portal\/a\/([A-Za-z0-9_-]{43})/.exec(mail.text_body)![1]!);

    type Link = { id: string; email: string; state: string; revokedAt: string | null; lastUsedAt: string | null; createdBy: { type: string } };
    const listed = await json<{ data: Link[] }>(await t.request(`/v1/assessments/${draft.id}/invitations`, { key: tenant.adminKey }), 200);
    expect(listed.data).toHaveLength(2);
    expect(listed.data.map((link) => [link.email, link.state, link.createdBy.type])).toEqual([
      ['security@supplier.example', 'active', 'api_key'],
      ['security@supplier.example', 'active', 'api_key'],
    ]);
    expect(JSON.stringify(listed)).not.toContain(invitationToken);

    expect((await t.request(`/portal/a/${invitationToken}`)).status).toBe(200);
    const used = await json<{ data: Link[] }>(await t.request(`/v1/assessments/${draft.id}/invitations`, { key: tenant.adminKey }), 200);
    expect(used.data[0]!.lastUsedAt).not.toBeNull();

    const first = listed.data[0]!.id;
    const revoke = () => t.request(`/v1/assessments/${draft.id}/invitations/${first}/revoke`, { method: 'POST', key: tenant.adminKey });
    const revoked = await json<Link>(await revoke(), 200);
    expect(revoked).toMatchObject({ id: first, state: 'revoked' });
    expect(revoked.revokedAt).not.toBeNull();
    expect((await t.request(`/portal/a/${invitationToken}`)).status).toBe(404);
    expect((await t.request(`/portal/a/${reminderToken}`)).status).toBe(200);
    // Again: nothing changes, and nothing more is audited.
    expect((await json<Link>(await revoke(), 200)).revokedAt).toBe(revoked.revokedAt);
    const audited = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_log where tenant_id = ${tenant.id} and entity_id = ${draft.id} and action = 'assessment.invitation_revoked'`,
    );
    expect(audited[0]!.n).toBe(1);

    // A link of another assessment is not found through this one.
    const other = await createAssessment(s);
    const elsewhere = await t.request(`/v1/assessments/${other.id}/invitations/${first}/revoke`, { method: 'POST', key: tenant.adminKey });
    expect(elsewhere.status).toBe(404);
    const unknown = await t.request(`/v1/assessments/${draft.id}/invitations/inv_01JD6SB2C4E6G8J0K2M4P6R8T0/revoke`, { method: 'POST', key: tenant.adminKey });
    expect(unknown.status).toBe(404);
  });
});

describe('extend and cancel', () => {
  it('extends the due date and the invitations, refusing an earlier date', async () => {
    const s = await setup();
    const draft = await createAssessment(s);
    await json(await action(draft.id, 'send'), 200);
    const earlier = await action(draft.id, 'extend', { dueAt: inDays(7) });
    expect(earlier.status).toBe(422);
    expect((await problemOf(earlier)).errors?.[0]?.path).toBe('dueAt');
    const newDue = inDays(30);
    const extended = await json<Assessment>(await action(draft.id, 'extend', { dueAt: newDue, reason: 'Asked for more time.' }), 200);
    expect(extended.dueAt).toBe(new Date(newDue).toISOString());
    expect(extended.status).toBe('sent');
    const invitations = await queryRows<{ expires_at: string | Date }>(
      t.db,
      sql`select expires_at from portal_invitations where tenant_id = ${tenant.id} and assessment_id = ${draft.id}`,
    );
    expect(new Date(invitations[0]!.expires_at).getTime()).toBe(new Date(newDue).getTime() + 30 * DAY);
  });

  it('refuses a supplierId filter that is not a supplier id, also on the streamed export (found by the fuzz suite: NUL broke the stream)', async () => {
    for (const path of ['/v1/assessments', '/v1/assessments/export']) {
      const response = await t.request(`${path}?supplierId=%00`, { key: tenant.adminKey });
      expect(response.status, path).toBe(422);
      expect((await problemOf(response)).errors?.[0]).toMatchObject({ location: 'query', path: 'supplierId' });
    }
  });

  it('refuses a due date whose link expiry would pass the year 9999 with 422, changing nothing (found by the fuzz suite: it answered 500)', async () => {
    const s = await setup();
    const draft = await createAssessment(s);
    const sent = await json<Assessment>(await action(draft.id, 'send'), 200);
    const response = await action(draft.id, 'extend', { dueAt: '9999-12-31T23:59:59.999Z' });
    expect(response.status).toBe(422);
    expect((await problemOf(response)).code).toBe('invalid_date');
    expect((await getAssessment(draft.id)).dueAt).toBe(sent.dueAt);
  });

  it('cancels any open assessment once, revoking its links; nothing else is allowed afterwards', async () => {
    const s = await setup();
    const draft = await createAssessment(s);
    const cancelledDraft = await json<Assessment>(await action(draft.id, 'cancel'), 200);
    expect(cancelledDraft).toMatchObject({ status: 'cancelled' });
    expect(cancelledDraft.closedAt).not.toBeNull();

    const sent = await createAssessment(s);
    await json(await action(sent.id, 'send'), 200);
    await json(await action(sent.id, 'cancel'), 200);
    const revoked = await queryRows<{ revoked_at: unknown }>(
      t.db,
      sql`select revoked_at from portal_invitations where tenant_id = ${tenant.id} and assessment_id = ${sent.id}`,
    );
    expect(revoked[0]!.revoked_at).not.toBeNull();

    for (const [name, body] of [
      ['cancel', undefined],
      ['send', undefined],
      ['remind', undefined],
      ['extend', { dueAt: inDays(60) }],
      ['submit', undefined],
      ['accept', undefined],
    ] as const) {
      const problem = await expectTransitionRefused(sent.id, name, body, name === 'accept' ? reviewerKey : tenant.adminKey);
      expect(problem.detail).toContain('cancelled');
    }
    const save = await saveAnswers(sent.id, [{ questionKey: 'mfa', value: 'yes' }]);
    expect(save.status).toBe(409);
  });
});

describe('answers, submit, review, return and accept', () => {
  it('runs the whole round', async () => {
    const s = await setup();
    const draft = await createAssessment(s);
    const inDraft = await saveAnswers(draft.id, [{ questionKey: 'mfa', value: 'yes' }]);
    expect(inDraft.status).toBe(409);
    expect((await problemOf(inDraft)).code).toBe('invalid_transition');
    await json(await action(draft.id, 'send'), 200);

    // Type errors name the answer and the question.
    const bad = await saveAnswers(draft.id, [
      { questionKey: 'mfa', value: 'maybe' },
      { questionKey: 'notify-hours', value: 'ten' },
      { questionKey: 'nope', value: 1 },
    ]);
    expect(bad.status).toBe(422);
    const errors = (await problemOf(bad)).errors!;
    expect(errors.map((error) => error.path)).toEqual(['answers.0.value', 'answers.1.value', 'answers.2.questionKey']);
    expect(errors[0]!.message).toContain('mfa');
    expect(errors[1]!.message).toContain('notify-hours');
    expect((await getAssessment(draft.id)).status).toBe('sent');

    const firstSave = await json<{ assessment: Assessment; answers: Answer[] }>(
      await saveAnswers(draft.id, [{ questionKey: 'mfa', value: 'yes', expectedVersion: 0 }]),
      200,
    );
    expect(firstSave.assessment.status).toBe('in_progress');
    expect(firstSave.assessment.progress).toEqual({ answered: 1, requiredMissing: 2, evidenceMissing: 1, clarificationsOpen: 0 });
    expect(firstSave.answers).toEqual([expect.objectContaining({ questionKey: 'mfa', value: 'yes', version: 1, questionType: 'yes_no' })]);

    // A concurrent save based on the old version loses with the current value.
    const stale = await saveAnswers(draft.id, [{ questionKey: 'mfa', value: 'no', expectedVersion: 0 }]);
    expect(stale.status).toBe(409);
    const staleBody = (await stale.json()) as { code: string; current: { value: unknown; version: number } };
    expect(staleBody.code).toBe('stale_answer');
    expect(staleBody.current).toMatchObject({ questionKey: 'mfa', value: 'yes', version: 1 });

    // Submitting with required answers missing lists them.
    const early = await action(draft.id, 'submit');
    expect(early.status).toBe(422);
    const missing = await problemOf(early);
    expect(missing.code).toBe('required_answers_missing');
    expect(missing.errors!.map((error) => error.path).sort()).toEqual(['mfa-method', 'notify-hours']);

    // Attached evidence must be a real record of this supplier.
    const upload = new FormData();
    upload.set('file', new Blob([new TextEncoder().encode('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), 'isms-policy.pdf');
    upload.set('supplierId', s.supplierId);
    upload.set('kind', 'policy');
    const evidence = await json<{ id: string }>(await t.request('/v1/evidence', { method: 'POST', key: tenant.adminKey, body: upload }), 201);
    const saved = await json<{ assessment: Assessment }>(
      await saveAnswers(draft.id, [
        { questionKey: 'mfa-method', value: 'fido2' },
        { questionKey: 'notify-hours', value: 24 },
        { questionKey: 'policy', value: 'ISMS policy v3', evidenceIds: [evidence.id] },
      ], writerKey),
      200,
    );
    expect(saved.assessment.progress).toEqual({ answered: 4, requiredMissing: 0, evidenceMissing: 0, clarificationsOpen: 0 });

    // Writers cannot review; reviewers cannot save.
    expect((await action(draft.id, 'accept', undefined, writerKey)).status).toBe(403);
    expect((await saveAnswers(draft.id, [{ questionKey: 'mfa', value: 'no' }], reviewerKey)).status).toBe(403);

    await expectTransitionRefused(draft.id, 'accept', undefined, reviewerKey);
    await expectTransitionRefused(draft.id, 'review', { reviews: [{ questionKey: 'mfa', status: 'accepted' }] }, reviewerKey);
    const submitted = await json<Assessment>(await action(draft.id, 'submit', undefined, writerKey), 200);
    expect(submitted.status).toBe('submitted');
    expect(submitted.submittedAt).not.toBeNull();
    expect((await saveAnswers(draft.id, [{ questionKey: 'mfa', value: 'no' }])).status).toBe(409);
    await expectTransitionRefused(draft.id, 'submit');

    // Review: comment required for needs_clarification; unknown keys are named.
    const noComment = await action(draft.id, 'review', { reviews: [{ questionKey: 'mfa', status: 'needs_clarification' }] }, reviewerKey);
    expect(noComment.status).toBe(422);
    expect((await problemOf(noComment)).errors?.[0]?.path).toBe('reviews.0.comment');
    const unknown = await action(draft.id, 'review', { reviews: [{ questionKey: 'ghost', status: 'accepted' }] }, reviewerKey);
    expect(unknown.status).toBe(422);
    expect((await problemOf(unknown)).errors?.[0]?.path).toBe('reviews.0.questionKey');

    const underReview = await json<Assessment>(
      await action(draft.id, 'review', { reviews: [{ questionKey: 'mfa', status: 'accepted' }, { questionKey: 'notify-hours', status: 'needs_clarification', comment: 'Really 24?' }] }, reviewerKey),
      200,
    );
    expect(underReview.status).toBe('under_review');
    expect(underReview.progress.clarificationsOpen).toBe(1);
    const refused = await action(draft.id, 'accept', undefined, reviewerKey);
    expect(refused.status).toBe(409);
    expect((await problemOf(refused)).code).toBe('clarifications_open');

    // Return with an unknown key: 422; then for real.
    const badReturn = await action(draft.id, 'return', { clarifications: [{ questionKey: 'ghost', comment: '?' }] }, reviewerKey);
    expect(badReturn.status).toBe(422);
    expect((await problemOf(badReturn)).errors?.[0]?.path).toBe('clarifications.0.questionKey');
    const returned = await json<Assessment>(
      await action(draft.id, 'return', { clarifications: [{ questionKey: 'mfa-method', comment: 'Which keys exactly?' }], message: 'Two points.' }, reviewerKey),
      200,
    );
    expect(returned.status).toBe('returned');
    expect(returned.returnedAt).not.toBeNull();
    expect(returned.progress.clarificationsOpen).toBe(2);
    await expectTransitionRefused(draft.id, 'accept', undefined, reviewerKey);

    const answers = await json<{ data: Answer[]; nextCursor: null }>(await t.request(`/v1/assessments/${draft.id}/answers`, { key: reviewerKey }), 200);
    expect(answers.data.map((answer) => answer.questionKey)).toEqual(['mfa', 'mfa-method', 'notify-hours', 'policy']);
    expect(answers.data.find((answer) => answer.questionKey === 'mfa-method')).toMatchObject({
      questionText: 'Which method?',
      questionType: 'single_choice',
      visible: true,
      value: 'fido2',
      reviewStatus: 'needs_clarification',
      reviewComment: 'Which keys exactly?',
    });
    expect(answers.data.find((answer) => answer.questionKey === 'mfa')).toMatchObject({ reviewStatus: 'accepted' });

    // The supplier side fixes both; changed answers go back to pending.
    const fixed = await json<{ assessment: Assessment }>(
      await saveAnswers(draft.id, [{ questionKey: 'mfa-method', value: 'totp' }, { questionKey: 'notify-hours', value: 12 }]),
      200,
    );
    expect(fixed.assessment).toMatchObject({ status: 'in_progress', progress: { clarificationsOpen: 0 } });
    await json(await action(draft.id, 'submit'), 200);
    const accepted = await json<Assessment>(await action(draft.id, 'accept', undefined, reviewerKey), 200);
    expect(accepted.status).toBe('accepted');
    expect(accepted.acceptedAt).not.toBeNull();
    expect(accepted.closedAt).not.toBeNull();
    await expectTransitionRefused(draft.id, 'accept', undefined, reviewerKey);
    await expectTransitionRefused(draft.id, 'cancel');
    await expectTransitionRefused(draft.id, 'return', { clarifications: [{ questionKey: 'mfa', comment: 'x' }] }, reviewerKey);

    // Every step is in the audit log.
    const audit = await json<{ data: { action: string }[] }>(
      await t.request(`/v1/audit-log?entityId=${draft.id}&order=asc&limit=100`, { key: tenant.adminKey }),
      200,
    );
    expect(audit.data.map((entry) => entry.action)).toEqual([
      'assessment.created',
      'assessment.send',
      'assessment.answers_saved',
      'assessment.answers_saved',
      'assessment.submit',
      'assessment.review',
      'assessment.return',
      'assessment.answers_saved',
      'assessment.submit',
      'assessment.accept',
    ]);
  });

  it('accepts directly from submitted, and rejects a stale If-Match', async () => {
    const s = await setup();
    const draft = await createAssessment(s);
    await json(await action(draft.id, 'send'), 200);
    await json(await saveAnswers(draft.id, [{ questionKey: 'mfa', value: 'no' }, { questionKey: 'notify-hours', value: 48 }]), 200);
    const submitted = await json<Assessment>(await action(draft.id, 'submit'), 200);
    expect(submitted.progress).toMatchObject({ answered: 2, requiredMissing: 0 });
    expect((await action(draft.id, 'accept', undefined, reviewerKey, { 'if-match': `"${submitted.version - 1}"` })).status).toBe(412);
    const accepted = await json<Assessment>(await action(draft.id, 'accept', undefined, reviewerKey, { 'if-match': `"${submitted.version}"` }), 200);
    expect(accepted.status).toBe('accepted');
  });
});

describe('listing', () => {
  it('filters by status, supplier, template, overdue and due date, and pages by dueAt', async () => {
    const lister = await t.createTenant();
    const s = await setup(lister);
    const mk = async (days: number) =>
      json<Assessment>(await t.request('/v1/assessments', { method: 'POST', key: lister.adminKey, json: { ...s, dueAt: inDays(days) } }), 201);
    const a = await mk(5);
    const b = await mk(10);
    const c = await mk(20);
    const send = async (id: string) => json(await t.request(`/v1/assessments/${id}/send`, { method: 'POST', key: lister.adminKey }), 200);
    await send(a.id);
    await send(b.id);
    // a is overdue: move its due date into the past behind the API's back.
    await t.db.execute(sql`update assessments set due_at = ${new Date(Date.now() - 2 * DAY).toISOString()}::timestamptz where tenant_id = ${lister.id} and id = ${a.id}`);
    const other2 = await setup(lister);
    const d = await json<Assessment>(
      await t.request('/v1/assessments', { method: 'POST', key: lister.adminKey, json: { ...other2, dueAt: inDays(3) } }),
      201,
    );

    const list = async (query: string) =>
      (await json<{ data: Assessment[]; nextCursor: string | null }>(await t.request(`/v1/assessments?${query}`, { key: lister.adminKey }), 200));
    const ids = async (query: string) => (await list(query)).data.map((row) => row.id);

    expect(await ids('')).toEqual([d.id, c.id, b.id, a.id]);
    expect(await ids('status=sent&sort=dueAt')).toEqual([a.id, b.id]);
    expect(await ids(`supplierId=${s.supplierId}&sort=dueAt`)).toEqual([a.id, b.id, c.id]);
    expect(await ids(`templateId=${other2.templateId}`)).toEqual([d.id]);
    expect(await ids('overdue=true')).toEqual([a.id]);
    expect((await list('overdue=true')).data[0]).toMatchObject({ overdue: true, progress: { answered: 0, requiredMissing: 2, evidenceMissing: 1, clarificationsOpen: 0 } });
    expect((await ids('overdue=false')).sort()).toEqual([b.id, c.id, d.id].sort());
    expect(await ids(`dueAfter=${encodeURIComponent(inDays(4))}&dueBefore=${encodeURIComponent(inDays(15))}&sort=dueAt`)).toEqual([b.id]);

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Assessment[]; nextCursor: string | null } = await list(`sort=dueAt&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(...page.data.map((row) => row.id));
      cursor = page.nextCursor;
    } while (cursor && pages.length < 10);
    expect(pages).toEqual([a.id, d.id, b.id, c.id]);

    const badStatus = await t.request('/v1/assessments?status=lost', { key: lister.adminKey });
    expect(badStatus.status).toBe(422);
  });
});

describe('tenant isolation', () => {
  it('hides other tenants\' assessments everywhere', async () => {
    const theirs = await setup(other);
    const foreign = await json<Assessment>(
      await t.request('/v1/assessments', { method: 'POST', key: other.adminKey, json: { ...theirs, dueAt: inDays(9) } }),
      201,
    );
    expect((await t.request(`/v1/assessments/${foreign.id}`, { key: tenant.adminKey })).status).toBe(404);
    expect((await t.request(`/v1/assessments/${foreign.id}/answers`, { key: tenant.adminKey })).status).toBe(404);
    expect((await action(foreign.id, 'send')).status).toBe(404);
    expect((await saveAnswers(foreign.id, [{ questionKey: 'mfa', value: 'yes' }])).status).toBe(404);
    const mine = await json<{ data: Assessment[] }>(await t.request(`/v1/assessments?supplierId=${theirs.supplierId}`, { key: tenant.adminKey }), 200);
    expect(mine.data).toEqual([]);
    expect((await t.request(`/v1/assessments/${foreign.id}`, { key: other.adminKey })).status).toBe(200);
  });
});
