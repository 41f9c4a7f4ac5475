import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';
import { createPostgresProvider } from '../src/db/postgres';
import type { DatabaseProvider, Db } from '../src/db/types';
import { renderAssessmentMail } from '../src/features/assessments/assessment-mail';
import { dueReminderDays } from '../src/features/assessments/assessment-jobs';
import { runDueJobs } from '../src/jobs/run-due-jobs';
import { createLogger } from '../src/lib/logger';
import { smtpTransport } from '../src/lib/mail/smtp-transport';
import type { MailTransport } from '../src/lib/mail/transports';
import { createTestContext, queryRows, type TestContext, type TestTenant } from './support/context';
import { createSupplier, sampleTemplate } from './support/fixtures';
import { createSmtpServer, parseMail, type TestSmtpServer } from './support/smtp-server';

const BASE_URL = 'https://risk.example.test';
const GRACE_DAYS = 20;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A job that fails for one assessment logs it and goes on: the tests must see no such line.
const jobErrors: string[] = [];
const jobLogger = createLogger('warn', (line) => jobErrors.push(line));
const LINK = new RegExp(`${BASE_URL.replace(/[.]/g, '\\.')}/portal/a/[A-Za-z0-9_-]{43}`, 'g');

let t: TestContext;
let tenant: TestTenant;
let smtp: TestSmtpServer;
let mailer: MailTransport;
let templateId: string;
// On Postgres a second run is a second instance: its own connection pool.
let secondInstance: DatabaseProvider | undefined;
let otherDb: Db;

beforeAll(async () => {
  // Not the default grace period, to show that the setting is what counts.
  t = await createTestContext({ PUBLIC_BASE_URL: `${BASE_URL}/`, ASSESSMENT_EXPIRY_GRACE_DAYS: String(GRACE_DAYS) });
  tenant = await t.createTenant('Stadtwerke Beispiel GmbH');
  smtp = createSmtpServer();
  await smtp.start();
  mailer = smtpTransport({ url: `smtp://127.0.0.1:${smtp.port}`, from: 'Chainproof <no-reply@chainproof.test>' });
  const template = await t.request('/v1/questionnaire-templates?publish=true', {
    method: 'POST',
    key: tenant.adminKey,
    json: sampleTemplate(`jobs-${crypto.randomUUID().slice(0, 8)}`, { name: 'NIS2 supplier baseline' }),
  });
  templateId = ((await template.json()) as { id: string }).id;
  if (inject('databaseKind') === 'postgres') secondInstance = createPostgresProvider(inject('databaseUrl'), { max: 2 });
  otherDb = secondInstance ? (await secondInstance.open()).db : t.db;
});
afterEach(() => {
  expect(jobErrors).toEqual([]);
});
afterAll(async () => {
  await secondInstance?.close();
  await smtp?.stop();
  await t?.close();
});

interface Assessment {
  id: string;
  status: string;
  dueAt: string;
  reminderCount: number;
  lastRemindedAt: string | null;
  closedAt: string | null;
}

async function json<T>(response: Response, status: number): Promise<T> {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

let counter = 0;

/** A supplier, a contact with an address of its own (so mails can be told apart) and an assessment. */
async function createAssessment(dueInMs = 14 * DAY, options: { send?: boolean } = {}) {
  counter += 1;
  const supplier = await createSupplier(t, tenant, { name: `Rhein Automation ${counter} <GmbH>` });
  const email = `contact-${counter}-${crypto.randomUUID().slice(0, 6)}@supplier.example`;
  const contact = await json<{ id: string }>(
    await t.request(`/v1/suppliers/${supplier.id}/contacts`, { method: 'POST', key: tenant.adminKey, json: { name: 'Katrin Vogel', email } }),
    201,
  );
  const due = new Date(Date.now() + dueInMs);
  let assessment = await json<Assessment>(
    await t.request('/v1/assessments', {
      method: 'POST',
      key: tenant.adminKey,
      json: { supplierId: supplier.id, contactId: contact.id, templateId, dueAt: due.toISOString() },
    }),
    201,
  );
  if (options.send !== false) assessment = await json<Assessment>(await action(assessment.id, 'send'), 200);
  return { id: assessment.id, email, due: new Date(assessment.dueAt) };
}

const action = (id: string, name: string, body?: unknown) =>
  t.request(`/v1/assessments/${id}/${name}`, { method: 'POST', key: tenant.adminKey, ...(body === undefined ? {} : { json: body }) });

const getAssessment = async (id: string) => json<Assessment>(await t.request(`/v1/assessments/${id}`, { key: tenant.adminKey }), 200);

const at = (due: Date, offsetMs: number) => new Date(due.getTime() + offsetMs);

function runJobs(now: Date, db: Db = t.db) {
  return runDueJobs(db, now, jobLogger, {
    config: t.config,
    mailer,
    assessmentJobs: { tenantId: tenant.id },
    findingJobs: { tenantId: tenant.id }, alertJobs: { tenantId: tenant.id }, webhookDelivery: { tenantId: tenant.id },
    riskJobs: { tenantId: tenant.id },
    mailDelivery: { tenantId: tenant.id },
  });
}

type Kind = 'invitation' | 'reminder' | 'overdue';

interface Received {
  kind: Kind;
  text: string;
  html: string;
  links: string[];
}

/** Every mail the SMTP server received for the address, oldest first. */
function mailsTo(email: string): Received[] {
  return smtp.received
    .filter((message) => message.envelope.to.includes(email))
    .map((message) => {
      const parsed = parseMail(message.raw);
      const text = parsed.parts.find((part) => part.type === 'text/plain')?.text ?? '';
      const html = parsed.parts.find((part) => part.type === 'text/html')?.text ?? '';
      const kind: Kind = text.includes('This is a reminder') ? 'reminder' : text.includes('is overdue') ? 'overdue' : 'invitation';
      return { kind, text, html, links: text.match(LINK) ?? [] };
    });
}

const kindsTo = (email: string) => mailsTo(email).map((mail) => mail.kind);

async function auditOf(assessmentId: string) {
  return queryRows<{ action: string; actor_type: string; actor_id: string; changes: Record<string, unknown> }>(
    t.db,
    sql`select action, actor_type, actor_id, changes from audit_log where tenant_id = ${tenant.id} and entity_id = ${assessmentId} order by seq`,
  );
}

async function openPortal(link: string) {
  expect(link.startsWith(`${BASE_URL}/portal/a/`)).toBe(true);
  return t.request(link.slice(BASE_URL.length));
}

describe('automatic reminders', () => {
  it('sends one reminder at 7, 3 and 1 days before the due date, however often and however concurrently the jobs run', async () => {
    const asm = await createAssessment();
    await runJobs(new Date());
    expect(kindsTo(asm.email)).toEqual(['invitation']);

    await runJobs(at(asm.due, -10 * DAY));
    await runJobs(at(asm.due, -7 * DAY - HOUR));
    expect(kindsTo(asm.email)).toEqual(['invitation']);

    const results = await runJobs(at(asm.due, -7 * DAY + HOUR));
    expect(results.find((result) => result.job === 'assessment-reminders')).toEqual({ job: 'assessment-reminders', processed: 1 });
    expect(kindsTo(asm.email)).toEqual(['invitation', 'reminder']);
    const reminder = mailsTo(asm.email)[1]!;
    expect(reminder.text).toContain('Hello Katrin Vogel,');
    expect(reminder.text).toContain('"NIS2 supplier baseline"');
    expect(reminder.text).toContain(`It is due by ${asm.due.toISOString().slice(0, 16).replace('T', ' ')} UTC.`);
    expect(reminder.links).toHaveLength(1);
    expect(reminder.html).toContain(`<a href="${reminder.links[0]}"`);
    expect(reminder.html).toContain('Rhein Automation');
    expect(reminder.html).not.toContain('<GmbH>');
    // The link is new (not the invitation's) and opens the questionnaire.
    expect(reminder.links[0]).not.toBe(mailsTo(asm.email)[0]!.links[0]);
    expect((await openPortal(reminder.links[0]!)).status).toBe(200);

    // Again, one after the other and side by side: nothing more.
    await runJobs(at(asm.due, -7 * DAY + 2 * HOUR));
    await runJobs(at(asm.due, -7 * DAY + 2 * HOUR));
    await Promise.all([runJobs(at(asm.due, -5 * DAY)), runJobs(at(asm.due, -5 * DAY), otherDb)]);
    expect(kindsTo(asm.email)).toEqual(['invitation', 'reminder']);

    // The 3-day threshold, reached by two instances at once: one reminder.
    await Promise.all([runJobs(at(asm.due, -3 * DAY + HOUR)), runJobs(at(asm.due, -3 * DAY + HOUR), otherDb), runJobs(at(asm.due, -3 * DAY + HOUR))]);
    expect(kindsTo(asm.email)).toEqual(['invitation', 'reminder', 'reminder']);

    await runJobs(at(asm.due, -DAY + HOUR));
    await Promise.all([runJobs(at(asm.due, -HOUR)), runJobs(at(asm.due, -HOUR), otherDb)]);
    expect(kindsTo(asm.email)).toEqual(['invitation', 'reminder', 'reminder', 'reminder']);
    for (const mail of mailsTo(asm.email)) {
      expect(mail.html).toMatch(/^<!doctype html>/);
      expect(mail.links.every((link) => link.startsWith(`${BASE_URL}/portal/a/`))).toBe(true);
    }

    const got = await getAssessment(asm.id);
    expect(got).toMatchObject({ status: 'sent', reminderCount: 3 });
    expect(got.lastRemindedAt).toBe(at(asm.due, -DAY + HOUR).toISOString());

    const outbox = await queryRows<{ kind: string; dedupe_key: string | null; status: string }>(
      t.db,
      sql`select kind, dedupe_key, status from mail_outbox where tenant_id = ${tenant.id} and entity_id = ${asm.id} order by created_at, id`,
    );
    expect(outbox.map((row) => row.dedupe_key?.replace(/:inv_\w+$/, ':inv'))).toEqual([
      'invitation:inv',
      `auto-reminder:${asm.id}:${asm.due.toISOString()}:7`,
      `auto-reminder:${asm.id}:${asm.due.toISOString()}:3`,
      `auto-reminder:${asm.id}:${asm.due.toISOString()}:1`,
    ]);
    expect(outbox.every((row) => row.status === 'sent')).toBe(true);

    // One invitation per mail: no token was made that no mail carries.
    const [invitations] = await queryRows<{ count: string | number }>(
      t.db,
      sql`select count(*) as count from portal_invitations where tenant_id = ${tenant.id} and assessment_id = ${asm.id}`,
    );
    expect(Number(invitations!.count)).toBe(4);

    const audit = await auditOf(asm.id);
    const reminders = audit.filter((entry) => entry.action === 'assessment.reminder_sent');
    expect(reminders.map((entry) => entry.changes.daysBeforeDue)).toEqual([7, 3, 1]);
    expect(reminders.every((entry) => entry.actor_type === 'system' && entry.actor_id === 'jobs')).toBe(true);
    expect(reminders[2]!.changes).toMatchObject({ automatic: true, to: asm.email, reminderCount: 3, dueAt: asm.due.toISOString() });
    expect(await json<{ valid: boolean }>(await t.request('/v1/audit-log/verify', { key: tenant.adminKey }), 200)).toMatchObject({ valid: true });
  });

  it('sends one reminder, for the smallest threshold, when the jobs were down past several', async () => {
    const asm = await createAssessment();
    await runJobs(at(asm.due, -10 * DAY));
    await runJobs(at(asm.due, -2 * HOUR));
    expect(kindsTo(asm.email)).toEqual(['invitation', 'reminder']);
    await runJobs(at(asm.due, -HOUR));
    expect(kindsTo(asm.email)).toEqual(['invitation', 'reminder']);
    const [entry] = (await auditOf(asm.id)).filter((item) => item.action === 'assessment.reminder_sent');
    expect(entry!.changes.daysBeforeDue).toBe(1);
  });

  it('counts the invitation as the reminder of a threshold that had already been reached', async () => {
    // Due in 5 days: sent inside the 7-day window, so the next reminder is the 3-day one.
    const asm = await createAssessment(5 * DAY);
    await runJobs(new Date());
    await runJobs(new Date(Date.now() + HOUR));
    expect(kindsTo(asm.email)).toEqual(['invitation']);
    await runJobs(at(asm.due, -3 * DAY + HOUR));
    expect(kindsTo(asm.email)).toEqual(['invitation', 'reminder']);
  });

  it('goes on with the other assessments when one fails, and leaves no token behind for it', async () => {
    const broken = await createAssessment();
    const fine = await createAssessment();
    await runJobs(new Date());
    // An address that slipped past validation: enqueueMail refuses it inside the transaction.
    await t.db.execute(sql`update supplier_contacts set email = 'not an address' where tenant_id = ${tenant.id} and email = ${broken.email}`);
    const [before] = await queryRows<{ count: string | number }>(
      t.db,
      sql`select count(*) as count from portal_invitations where tenant_id = ${tenant.id} and assessment_id = ${broken.id}`,
    );
    await runJobs(at(broken.due, -7 * DAY + HOUR));
    expect(jobErrors.map((line) => JSON.parse(line) as { msg: string; assessmentId: string })).toEqual([
      expect.objectContaining({ msg: 'assessment job failed for one assessment', assessmentId: broken.id }),
    ]);
    jobErrors.length = 0;
    expect(kindsTo(fine.email)).toEqual(['invitation', 'reminder']);
    expect((await getAssessment(broken.id)).reminderCount).toBe(0);
    const [after] = await queryRows<{ count: string | number }>(
      t.db,
      sql`select count(*) as count from portal_invitations where tenant_id = ${tenant.id} and assessment_id = ${broken.id}`,
    );
    expect(Number(after!.count)).toBe(Number(before!.count));
    // Cancelled, so that it stops failing in the later tests' runs.
    expect((await action(broken.id, 'cancel')).status).toBe(200);
  });

  it('decides the threshold like the scan does', () => {
    const due = new Date('2030-06-30T12:00:00Z');
    const row = { status: 'sent', dueAt: due, sentAt: new Date('2030-06-01T00:00:00Z'), lastRemindedAt: null, returnedAt: null };
    const days = [1, 7, 3];
    expect(dueReminderDays(row, at(due, -8 * DAY), days)).toBeUndefined();
    expect(dueReminderDays(row, at(due, -7 * DAY), days)).toBe(7);
    expect(dueReminderDays(row, at(due, -2 * DAY), days)).toBe(3);
    expect(dueReminderDays(row, at(due, -1), days)).toBe(1);
    expect(dueReminderDays(row, due, days)).toBeUndefined();
    expect(dueReminderDays({ ...row, status: 'submitted' }, at(due, -DAY), days)).toBeUndefined();
    // A reminder (by hand or not) since the threshold, or up to 12 hours before it, covers it.
    expect(dueReminderDays({ ...row, lastRemindedAt: at(due, -3 * DAY - 11 * HOUR) }, at(due, -2 * DAY), days)).toBeUndefined();
    expect(dueReminderDays({ ...row, lastRemindedAt: at(due, -3 * DAY - 13 * HOUR) }, at(due, -2 * DAY), days)).toBe(3);
    // Consecutive days stay separate.
    expect(dueReminderDays({ ...row, lastRemindedAt: at(due, -2 * DAY) }, at(due, -DAY), [2, 1])).toBe(1);
  });
});

describe('overdue notices', () => {
  it('sends one notice after the due date, and another after an extended due date passes', async () => {
    const asm = await createAssessment();
    await runJobs(new Date());
    await Promise.all([runJobs(at(asm.due, HOUR)), runJobs(at(asm.due, HOUR), otherDb)]);
    await runJobs(at(asm.due, 2 * HOUR));
    await runJobs(at(asm.due, 5 * DAY));
    expect(kindsTo(asm.email)).toEqual(['invitation', 'overdue']);
    const notice = mailsTo(asm.email)[1]!;
    expect(notice.text).toContain(`It was due by ${asm.due.toISOString().slice(0, 16).replace('T', ' ')} UTC.`);
    expect(notice.text).toContain(`works until ${at(asm.due, GRACE_DAYS * DAY).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
    expect(notice.html).toContain(`<a href="${notice.links[0]}"`);
    expect((await openPortal(notice.links[0]!)).status).toBe(200);

    const notified = (await auditOf(asm.id)).filter((entry) => entry.action === 'assessment.overdue_notified');
    expect(notified).toHaveLength(1);
    expect(notified[0]).toMatchObject({ actor_type: 'system', actor_id: 'jobs', changes: { to: asm.email, dueAt: asm.due.toISOString() } });

    // A new due date (later than the real clock too) clears the flag.
    const newDue = at(asm.due, 30 * DAY);
    const extended = await action(asm.id, 'extend', { dueAt: newDue.toISOString(), reason: 'Supplier asked for more time.' });
    expect(extended.status).toBe(200);
    const [flag] = await queryRows<{ overdue_notified_at: unknown }>(
      t.db,
      sql`select overdue_notified_at from assessments where tenant_id = ${tenant.id} and id = ${asm.id}`,
    );
    expect(flag!.overdue_notified_at).toBeNull();
    // Live links follow the new due date plus the configured grace period.
    const expiries = await queryRows<{ expires_at: Date | string }>(
      t.db,
      sql`select expires_at from portal_invitations where tenant_id = ${tenant.id} and assessment_id = ${asm.id}`,
    );
    expect(expiries.map((row) => new Date(row.expires_at).getTime())).toEqual(expiries.map(() => newDue.getTime() + GRACE_DAYS * DAY));

    await runJobs(at(newDue, -HOUR));
    await runJobs(at(newDue, HOUR));
    await runJobs(at(newDue, 2 * HOUR));
    expect(kindsTo(asm.email)).toEqual(['invitation', 'overdue', 'reminder', 'overdue']);
    expect(mailsTo(asm.email)[3]!.text).toContain(`It was due by ${newDue.toISOString().slice(0, 16).replace('T', ' ')} UTC.`);
    expect((await getAssessment(asm.id)).status).toBe('sent');
  });
});

describe('expiry', () => {
  it('expires an open assessment after the grace period, once, and its links stop working', async () => {
    const asm = await createAssessment();
    await runJobs(new Date());
    await runJobs(at(asm.due, GRACE_DAYS * DAY - HOUR));
    expect((await getAssessment(asm.id)).status).toBe('sent');
    expect(kindsTo(asm.email)).toEqual(['invitation', 'overdue']);
    const links = mailsTo(asm.email).flatMap((mail) => mail.links);
    for (const link of links) expect((await openPortal(link)).status).toBe(200);

    const expiredAt = at(asm.due, GRACE_DAYS * DAY + HOUR);
    const results = await Promise.all([runJobs(expiredAt), runJobs(expiredAt, otherDb)]);
    expect(results.flat().filter((result) => result.job === 'expire-assessments').reduce((sum, result) => sum + result.processed, 0)).toBe(1);
    await runJobs(at(expiredAt, DAY));

    const got = await getAssessment(asm.id);
    expect(got).toMatchObject({ status: 'expired', closedAt: expiredAt.toISOString() });
    for (const link of links) expect((await openPortal(link)).status).toBe(404);
    expect(kindsTo(asm.email)).toEqual(['invitation', 'overdue']);

    const expired = (await auditOf(asm.id)).filter((entry) => entry.action === 'assessment.expired');
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({
      actor_type: 'system',
      actor_id: 'jobs',
      changes: { status: { from: 'sent', to: 'expired' }, graceDays: GRACE_DAYS, invitationsRevoked: 2 },
    });
    // Nothing can happen to it any more, by hand either.
    expect((await action(asm.id, 'remind')).status).toBe(409);
  });

  it('sends no overdue notice to an assessment it expires in the same run', async () => {
    const asm = await createAssessment();
    await runJobs(at(asm.due, GRACE_DAYS * DAY + DAY));
    expect((await getAssessment(asm.id)).status).toBe('expired');
    expect(kindsTo(asm.email)).toEqual(['invitation']);
  });
});

describe('assessments the supplier does not owe anything on', () => {
  it('sends nothing for cancelled, accepted, submitted or draft assessments, and expires none of them', async () => {
    const cancelled = await createAssessment();
    expect((await action(cancelled.id, 'cancel')).status).toBe(200);
    const accepted = await createAssessment();
    const submitted = await createAssessment();
    for (const asm of [accepted, submitted]) {
      const saved = await t.request(`/v1/assessments/${asm.id}/answers`, {
        method: 'PUT',
        key: tenant.adminKey,
        json: { answers: [{ questionKey: 'mfa', value: 'no' }, { questionKey: 'notify-hours', value: 24 }] },
      });
      expect(saved.status).toBe(200);
      expect((await action(asm.id, 'submit')).status).toBe(200);
    }
    expect((await action(accepted.id, 'accept')).status).toBe(200);
    const draft = await createAssessment(14 * DAY, { send: false });
    await runJobs(new Date());

    const all = [cancelled, accepted, submitted, draft];
    const due = all[0]!.due;
    for (const offset of [-7 * DAY + HOUR, -3 * DAY + HOUR, -HOUR, HOUR, GRACE_DAYS * DAY + 2 * DAY]) await runJobs(at(due, offset));

    expect(kindsTo(cancelled.email)).toEqual(['invitation']);
    expect(kindsTo(accepted.email)).toEqual(['invitation']);
    expect(kindsTo(submitted.email)).toEqual(['invitation']);
    expect(kindsTo(draft.email)).toEqual([]);
    expect((await getAssessment(cancelled.id)).status).toBe('cancelled');
    expect((await getAssessment(accepted.id)).status).toBe('accepted');
    expect((await getAssessment(submitted.id)).status).toBe('submitted');
    expect((await getAssessment(draft.id)).status).toBe('draft');
  });
});

describe('mail and configuration', () => {
  it('renders the overdue notice as text and HTML, escaped', () => {
    const mail = renderAssessmentMail({
      kind: 'overdue',
      organisation: 'Stadtwerke <Beispiel>',
      supplier: 'Rhein & Automation',
      template: 'NIS2 baseline',
      recipientName: 'Katrin',
      dueAt: new Date('2030-06-30T17:00:00Z'),
      expiresAt: new Date('2030-07-30T17:00:00Z'),
      link: `${BASE_URL}/portal/a/${'x'.repeat(43)}`,
    });
    expect(mail.subject).toBe('Overdue – Stadtwerke <Beispiel>: security questionnaire for Rhein & Automation');
    expect(mail.text).toContain('It was due by 2030-06-30 17:00 UTC.');
    expect(mail.text).toContain(`Continue the questionnaire: ${BASE_URL}/portal/a/`);
    expect(mail.text).toContain('works until 2030-07-30 17:00 UTC');
    expect(mail.html).toContain('Stadtwerke &lt;Beispiel&gt;');
    expect(mail.html).toContain('Rhein &amp; Automation');
    expect(mail.html).toContain(`href="${BASE_URL}/portal/a/`);
  });

  it('reads the reminder days and the grace period, and names a wrong one', () => {
    expect(loadConfig({}).assessments).toEqual({ reminderDays: [7, 3, 1], expiryGraceDays: 30 });
    expect(loadConfig({ ASSESSMENT_REMINDER_DAYS: ' 1, 14,7 ,7', ASSESSMENT_EXPIRY_GRACE_DAYS: '10' }).assessments).toEqual({
      reminderDays: [14, 7, 1],
      expiryGraceDays: 10,
    });
    expect(loadConfig({ ASSESSMENT_REMINDER_DAYS: ' ' }).assessments.reminderDays).toEqual([7, 3, 1]);
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
      return [];
    };
    for (const value of ['7,x', '7;3', '-1', '1.5', '7,,3']) {
      expect(problemsOf({ ASSESSMENT_REMINDER_DAYS: value })).toEqual([expect.stringMatching(/^ASSESSMENT_REMINDER_DAYS must be a comma-separated list/)]);
    }
    expect(problemsOf({ ASSESSMENT_REMINDER_DAYS: '0,3' })).toEqual([expect.stringMatching(/^ASSESSMENT_REMINDER_DAYS must list days from 1 to 365/)]);
    for (const value of ['0', 'thirty', '2.5', '9999']) {
      expect(problemsOf({ ASSESSMENT_EXPIRY_GRACE_DAYS: value })).toEqual([expect.stringMatching(/^ASSESSMENT_EXPIRY_GRACE_DAYS /)]);
    }
  });
});
