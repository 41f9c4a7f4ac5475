import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';
import { latestPortalToken, portalTemplate, sentAssessment } from './support/fixtures';

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant('Stadtwerke Portal-API');
});
afterAll(() => t.close());

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n');

function portal(token: string, path: string, init: { method?: string; json?: unknown; body?: BodyInit } = {}) {
  return t.request(`/portal/api/${path}`, { method: init.method ?? 'GET', headers: { 'x-portal-token': token }, json: init.json, ...(init.body ? { body: init.body } : {}) });
}

interface PortalAnswer {
  questionKey: string;
  value: unknown;
  comment: string | null;
  version: number;
  evidence: { id: string; name: string; size: number; type: string }[];
  reviewStatus: string;
  reviewComment: string | null;
}

async function load(token: string) {
  const response = await portal(token, 'assessment');
  expect(response.status).toBe(200);
  return (await response.json()) as {
    status: string;
    readOnly: boolean;
    returnMessage: string | null;
    organisation: { name: string };
    supplier: { name: string };
    template: { name: string; version: number };
    sections: { questions: { key: string; type: string; options: Record<string, unknown>[]; dependsOn: unknown }[] }[];
    answers: PortalAnswer[];
    progress: { answered: number; total: number; requiredMissing: string[] };
  };
}

const save = (token: string, answers: unknown[]) => portal(token, 'answers', { method: 'PUT', json: { answers } });

function upload(token: string, questionKey: string, bytes: Uint8Array<ArrayBuffer> = PDF, name = 'certificate.pdf', type = 'application/pdf') {
  const form = new FormData();
  form.set('file', new Blob([bytes], { type }), name);
  return portal(token, `questions/${questionKey}/evidence`, { method: 'POST', body: form });
}

describe('portal JSON API', () => {
  it('refuses an oversized file with 422 naming the question', async () => {
    const small = await createTestContext({ EVIDENCE_MAX_BYTES: '2048' });
    try {
      const owner = await small.createTenant('Stadtwerke Kleinlimit');
      const { token } = await sentAssessment(small, owner, { template: portalTemplate() });
      const form = new FormData();
      const bytes = new Uint8Array(4096);
      bytes.set(PDF);
      form.set('file', new Blob([bytes], { type: 'application/pdf' }), 'scan.pdf');
      const response = await small.request('/portal/api/questions/iso-cert/evidence', { method: 'POST', headers: { 'x-portal-token': token }, body: form });
      expect(response.status).toBe(422);
      const problem = await problemOf(response);
      expect(problem.code).toBe('file_too_large');
      expect(problem.errors).toEqual([{ location: 'body', path: 'file', message: expect.stringMatching(/^iso-cert: The file has 4096 bytes/) }]);
    } finally {
      await small.close();
    }
  });

  it('loads what the page shows, without option scores', async () => {
    const { token } = await sentAssessment(t, tenant, { template: portalTemplate() });
    const view = await load(token);
    expect(view.organisation.name).toBe('Stadtwerke Portal-API');
    expect(view.status).toBe('sent');
    expect(view.readOnly).toBe(false);
    expect(view.template.version).toBe(1);
    const questions = view.sections.flatMap((section) => section.questions);
    expect(questions.map((question) => question.key)).toEqual(['mfa', 'mfa-method', 'notify-hours', 'standards', 'audit-date', 'notes', 'iso-cert']);
    expect(questions[0]!.options).toEqual([
      { value: 'yes', label: 'Yes' },
      { value: 'no', label: 'No' },
    ]);
    expect(JSON.stringify(view)).not.toContain('score');
    expect(questions[1]!.dependsOn).toEqual({ question: 'mfa', anyOf: ['yes'] });
    expect(view.answers.every((answer) => answer.version === 0 && answer.value === null)).toBe(true);
    expect(view.progress).toMatchObject({ answered: 0, total: 6, requiredMissing: ['mfa', 'notify-hours'] });
  });

  it('saves with versions, answers a stale version with 409 and the current answer, and keeps parallel saves of different answers', async () => {
    const { token, assessmentId } = await sentAssessment(t, tenant, { template: portalTemplate() });
    const first = await save(token, [{ questionKey: 'mfa', value: 'yes', version: 0, comment: 'Since 2022' }]);
    expect(first.status).toBe(200);
    const saved = (await first.json()) as { status: string; answers: PortalAnswer[]; progress: { answered: number; total: number } };
    expect(saved.status).toBe('in_progress');
    expect(saved.answers).toHaveLength(1);
    expect(saved.answers[0]).toMatchObject({ questionKey: 'mfa', value: 'yes', comment: 'Since 2022', version: 1 });
    expect(saved.progress).toMatchObject({ answered: 1, total: 7 });

    const stale = await save(token, [{ questionKey: 'mfa', value: 'no', version: 0 }]);
    expect(stale.status).toBe(409);
    const problem = (await stale.json()) as { code: string; current: { value: unknown; version: number } };
    expect(problem.code).toBe('stale_answer');
    expect(problem.current).toMatchObject({ value: 'yes', version: 1 });

    const [a, b] = await Promise.all([
      save(token, [{ questionKey: 'notify-hours', value: 24, version: 0 }]),
      save(token, [{ questionKey: 'notes', value: 'Two tabs', version: 0 }]),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const view = await load(token);
    const byKey = new Map(view.answers.map((answer) => [answer.questionKey, answer]));
    expect(byKey.get('notify-hours')!.value).toBe(24);
    expect(byKey.get('notes')!.value).toBe('Two tabs');
    expect(byKey.get('mfa')!.value).toBe('yes');

    const audit = await queryRows<{ actor_type: string; actor_id: string }>(
      t.db,
      sql`select actor_type, actor_id from audit_log where tenant_id = ${tenant.id} and entity_id = ${assessmentId} and action = 'assessment.answers_saved'`,
    );
    expect(audit.length).toBeGreaterThanOrEqual(3);
    expect(audit.every((entry) => entry.actor_type === 'supplier_contact' && entry.actor_id.startsWith('inv_'))).toBe(true);
  });

  it('answers 422 naming the question for values that do not fit it', async () => {
    const { token } = await sentAssessment(t, tenant, { template: portalTemplate() });
    const outside = await save(token, [{ questionKey: 'mfa', value: 'maybe' }]);
    expect(outside.status).toBe(422);
    const problem = await problemOf(outside);
    expect(problem.errors).toEqual([{ location: 'body', path: 'answers.0.value', message: expect.stringContaining('mfa') }]);
    expect(problem.errors![0]!.message).toContain('yes, no');

    const text = await save(token, [
      { questionKey: 'mfa', value: 'yes' },
      { questionKey: 'notify-hours', value: 'twenty' },
    ]);
    expect(text.status).toBe(422);
    expect((await problemOf(text)).errors).toEqual([{ location: 'body', path: 'answers.1.value', message: 'notify-hours: Must be a number.' }]);

    const unknown = await save(token, [{ questionKey: 'nope', value: 'x' }]);
    expect(unknown.status).toBe(422);
    // Nothing was saved by the refused requests.
    expect((await load(token)).answers.every((answer) => answer.version === 0)).toBe(true);
  });

  it('lists every missing required answer on submit, then submits and turns read-only', async () => {
    const { token, assessmentId } = await sentAssessment(t, tenant, { template: portalTemplate() });
    await save(token, [{ questionKey: 'mfa', value: 'yes' }]);
    const missing = await portal(token, 'submit', { method: 'POST' });
    expect(missing.status).toBe(422);
    const problem = await problemOf(missing);
    expect(problem.code).toBe('required_answers_missing');
    expect(problem.errors!.map((error) => error.path)).toEqual(['mfa-method', 'notify-hours']);

    await save(token, [
      { questionKey: 'mfa-method', value: 'fido2' },
      { questionKey: 'notify-hours', value: 24 },
    ]);
    const submitted = await portal(token, 'submit', { method: 'POST' });
    expect(submitted.status).toBe(200);
    expect(await submitted.json()).toMatchObject({ status: 'submitted', readOnly: true });

    const late = await save(token, [{ questionKey: 'mfa', value: 'no' }]);
    expect(late.status).toBe(409);
    expect((await problemOf(late)).code).toBe('read_only');
    expect((await portal(token, 'submit', { method: 'POST' })).status).toBe(409);
    expect((await upload(token, 'iso-cert')).status).toBe(409);
    expect((await load(token)).readOnly).toBe(true);

    const staff = (await (await t.request(`/v1/assessments/${assessmentId}`, { key: tenant.adminKey })).json()) as { status: string };
    expect(staff.status).toBe('submitted');
  });

  it('shows a return with its message and per-answer requests, and takes a resubmission', async () => {
    const { token, assessmentId } = await sentAssessment(t, tenant, { template: portalTemplate() });
    await save(token, [
      { questionKey: 'mfa', value: 'no' },
      { questionKey: 'notify-hours', value: 72 },
    ]);
    expect((await portal(token, 'submit', { method: 'POST' })).status).toBe(200);
    const returned = await t.request(`/v1/assessments/${assessmentId}/return`, {
      method: 'POST',
      key: tenant.adminKey,
      json: { clarifications: [{ questionKey: 'notify-hours', comment: 'NIS2 needs an early warning within 24 hours.' }], message: 'One answer needs another look.' },
    });
    expect(returned.status).toBe(200);
    expect(((await returned.json()) as { returnMessage: string }).returnMessage).toBe('One answer needs another look.');

    const view = await load(token);
    expect(view).toMatchObject({ status: 'returned', readOnly: false, returnMessage: 'One answer needs another look.' });
    expect(view.answers.find((answer) => answer.questionKey === 'notify-hours')).toMatchObject({
      reviewStatus: 'needs_clarification',
      reviewComment: 'NIS2 needs an early warning within 24 hours.',
    });
    const page = await (await t.request(`/portal/a/${token}`)).text();
    expect(page).toContain('One answer needs another look.');
    expect(page).toContain('NIS2 needs an early warning within 24 hours.');

    const version = view.answers.find((answer) => answer.questionKey === 'notify-hours')!.version;
    expect((await save(token, [{ questionKey: 'notify-hours', value: 24, version }])).status).toBe(200);
    expect((await portal(token, 'submit', { method: 'POST' })).status).toBe(200);
    const staff = (await (await t.request(`/v1/assessments/${assessmentId}`, { key: tenant.adminKey })).json()) as { status: string; returnMessage: string | null };
    expect(staff).toMatchObject({ status: 'submitted', returnMessage: null });
  });

  it('forwards a working link to a colleague, audited, and rate-limits forwarding', async () => {
    const { token, assessmentId } = await sentAssessment(t, tenant, { template: portalTemplate() });
    const forwarded = await portal(token, 'forward', { method: 'POST', json: { email: 'ot@supplier.example', name: 'Petra Schulz', note: 'Please do the OT part.' } });
    expect(forwarded.status).toBe(201);
    const result = (await forwarded.json()) as { invitationId: string; email: string; expiresAt: string };
    expect(result.email).toBe('ot@supplier.example');

    const mails = await queryRows<{ kind: string; to_address: string; text_body: string }>(
      t.db,
      sql`select kind, to_address, text_body from mail_outbox where tenant_id = ${tenant.id} and entity_id = ${assessmentId} and kind = 'assessment_forwarded'`,
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to_address).toBe('ot@supplier.example');
    expect(mails[0]!.text_body).toContain('jan@supplier.example');
    expect(mails[0]!.text_body).toContain('Please do the OT part.');
    const colleague = await latestPortalToken(t, tenant, assessmentId, 'assessment_forwarded');
    expect(colleague).not.toBe(token);
    expect((await save(colleague, [{ questionKey: 'mfa', value: 'yes' }])).status).toBe(200);
    expect((await load(token)).answers[0]!.value).toBe('yes');

    const invitations = await queryRows<{ id: string; forwarded_from_id: string | null; expires_at: Date | string }>(
      t.db,
      sql`select id, forwarded_from_id, expires_at from portal_invitations where tenant_id = ${tenant.id} and assessment_id = ${assessmentId} order by id`,
    );
    expect(invitations).toHaveLength(2);
    expect(invitations[1]!.forwarded_from_id).toBe(invitations[0]!.id);
    expect(new Date(invitations[1]!.expires_at).getTime()).toBe(new Date(invitations[0]!.expires_at).getTime());
    const audit = await queryRows<{ actor_id: string; changes: Record<string, unknown> }>(
      t.db,
      sql`select actor_id, changes from audit_log where tenant_id = ${tenant.id} and entity_id = ${assessmentId} and action = 'assessment.forwarded'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(invitations[0]!.id);
    expect(audit[0]!.changes).toMatchObject({ invitationId: result.invitationId, to: 'ot@supplier.example' });

    const bad = await portal(token, 'forward', { method: 'POST', json: { email: 'not an address' } });
    expect(bad.status).toBe(422);
    expect((await problemOf(bad)).errors![0]!.path).toBe('email');

    for (let index = 1; index < 10; index += 1) {
      expect((await portal(token, 'forward', { method: 'POST', json: { email: `c${index}@supplier.example` } })).status).toBe(201);
    }
    const limited = await portal(token, 'forward', { method: 'POST', json: { email: 'c11@supplier.example' } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('attaches files to an answer and detaches them; refuses files by content', async () => {
    const { token, assessmentId } = await sentAssessment(t, tenant, { template: portalTemplate() });
    const before = await load(token);
    expect(before.progress.answered).toBe(0);
    const uploaded = await upload(token, 'iso-cert');
    expect(uploaded.status).toBe(201);
    const body = (await uploaded.json()) as { evidence: { id: string; name: string; size: number; type: string }; answer: PortalAnswer; progress: { answered: number } };
    expect(body.evidence).toMatchObject({ name: 'certificate.pdf', size: PDF.byteLength, type: 'application/pdf' });
    expect(body.answer.evidence).toEqual([body.evidence]);
    expect(body.progress.answered).toBe(1);

    // The staff API sees it as evidence of the supplier, linked to the assessment and question.
    const staff = await t.request(`/v1/evidence/${body.evidence.id}`, { key: tenant.adminKey });
    expect(staff.status).toBe(200);
    expect(await staff.json()).toMatchObject({ assessmentId, questionKey: 'iso-cert', uploadedBy: { type: 'supplier_contact' } });

    const page = await (await t.request(`/portal/a/${token}`)).text();
    expect(page).toContain('certificate.pdf');

    const exe = await upload(token, 'iso-cert', new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]), 'report.pdf');
    expect(exe.status).toBe(422);
    const lie = await problemOf(exe);
    expect(lie.errors![0]!.path).toBe('file');
    expect(lie.errors![0]!.message).toMatch(/^iso-cert: /);
    expect((await upload(token, 'no-such-question')).status).toBe(404);

    const detached = await portal(token, `questions/iso-cert/evidence/${body.evidence.id}`, { method: 'DELETE' });
    expect(detached.status).toBe(200);
    expect(((await detached.json()) as { answer: PortalAnswer }).answer.evidence).toEqual([]);
    expect((await portal(token, `questions/iso-cert/evidence/${body.evidence.id}`, { method: 'DELETE' })).status).toBe(404);

    const actions = await queryRows<{ action: string }>(
      t.db,
      sql`select action from audit_log where tenant_id = ${tenant.id} and entity_id = ${assessmentId} and action like 'assessment.evidence_%' order by seq`,
    );
    expect(actions.map((row) => row.action)).toEqual(['assessment.evidence_uploaded', 'assessment.evidence_detached']);
  });

  it('rate-limits uploads per link', async () => {
    const { token } = await sentAssessment(t, tenant, { template: portalTemplate() });
    let status = 0;
    for (let attempt = 0; attempt < 31 && status !== 429; attempt += 1) {
      status = (await upload(token, 'iso-cert', new Uint8Array([0x4d, 0x5a]), 'x.pdf')).status;
    }
    expect(status).toBe(429);
  });

  it('refuses missing, unknown and revoked tokens with 401', async () => {
    const { token, assessmentId } = await sentAssessment(t, tenant);
    expect((await t.request('/portal/api/assessment')).status).toBe(401);
    const wrong = await portal('A'.repeat(43), 'assessment');
    expect(wrong.status).toBe(401);
    expect((await problemOf(wrong)).code).toBe('unauthenticated');
    // The token is never accepted from the query string or as a bearer token.
    expect((await t.request(`/portal/api/assessment?token=${token}`)).status).toBe(401);
    expect((await t.request('/portal/api/assessment', { key: token })).status).toBe(401);
    await t.request(`/v1/assessments/${assessmentId}/cancel`, { method: 'POST', key: tenant.adminKey });
    expect((await portal(token, 'assessment')).status).toBe(401);
  });
});
