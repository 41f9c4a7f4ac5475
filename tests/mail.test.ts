import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { loadConfig } from '../src/config';
import { mailOutbox } from '../src/db/schema';
import { createPostgresProvider } from '../src/db/postgres';
import type { DatabaseProvider, Db } from '../src/db/types';
import { runDueJobs } from '../src/jobs/run-due-jobs';
import { createLogger } from '../src/lib/logger';
import { deliverDueMail, mailBackoffMs, type DeliveryOptions } from '../src/lib/mail/deliver';
import { enqueueMail, InvalidMailError, type NewMail } from '../src/lib/mail/outbox';
import { smtpTransport } from '../src/lib/mail/smtp-transport';
import { createMailTransport, httpTransport, logTransport, MailSendError, type MailMessage, type MailTransport } from '../src/lib/mail/transports';
import { createTestContext, queryRows, type TestContext, type TestTenant } from './support/context';
import { createSmtpServer, parseMail, type TestSmtpServer } from './support/smtp-server';

/** 32 bytes in base64: production needs SECRETS_ENCRYPTION_KEY. */
const PRODUCTION_KEY = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';

const FROM = 'Chainproof <no-reply@chainproof.test>';
const silent = createLogger('silent');
const MINUTE = 60_000;

// ---------------------------------------------------------------------------------------------

let t: TestContext;
let smtp: TestSmtpServer;

beforeAll(async () => {
  t = await createTestContext();
  smtp = createSmtpServer();
  await smtp.start();
});
afterAll(async () => {
  await smtp.stop();
  await t.close();
});

function mail(tenant: TestTenant, overrides: Partial<NewMail> = {}): NewMail {
  return {
    tenantId: tenant.id,
    kind: 'assessment_invitation',
    to: { address: 'k.vogel@rheinautomation.example', name: 'Katrin Vogel' },
    subject: 'Security questionnaire from Chainproof',
    text: 'Hello Katrin,\n\nplease answer the questionnaire: https://portal.example/p/secret-token\n\nKind regards',
    html: '<p>Hello Katrin,</p><p><a href="https://portal.example/p/secret-token">Answer the questionnaire</a></p>',
    now: new Date(),
    ...overrides,
  };
}

async function enqueue(tenant: TestTenant, overrides: Partial<NewMail> = {}) {
  const result = await enqueueMail(t.db, mail(tenant, overrides));
  if (!result.enqueued) throw new Error('not enqueued');
  return result.id;
}

async function row(tenantId: string, id: string) {
  const [found] = await t.db.select().from(mailOutbox).where(sql`${mailOutbox.tenantId} = ${tenantId} and ${mailOutbox.id} = ${id}`);
  if (!found) throw new Error(`no outbox row ${id}`);
  return found;
}

function deliver(tenant: TestTenant, transport: MailTransport, now = new Date(), options: DeliveryOptions = {}, db: Db = t.db) {
  return deliverDueMail(db, now, transport, silent, { tenantId: tenant.id, ...options });
}

const smtpMailer = () => smtpTransport({ url: `smtp://127.0.0.1:${smtp.port}`, from: FROM });

/** Records what it is asked to send; optionally slow, or failing. */
function recordingTransport(behaviour: { delayMs?: () => number; fail?: (message: MailMessage) => Error | undefined } = {}) {
  const sent: MailMessage[] = [];
  const transport: MailTransport = {
    name: 'recording',
    send: async (message) => {
      const delay = behaviour.delayMs?.() ?? 0;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const error = behaviour.fail?.(message);
      if (error) throw error;
      sent.push(message);
    },
  };
  return { transport, sent };
}

describe('mail outbox', () => {
  it('delivers through SMTP: subject, from, to, text and HTML', async () => {
    const tenant = await t.createTenant();
    const withHtml = await enqueue(tenant, { text: 'Grüße aus Köln — see https://portal.example/p/secret-token\n' });
    const textOnly = await enqueue(tenant, {
      kind: 'assessment_reminder',
      to: { address: 'security@supplier.example' },
      subject: 'Reminder: questionnaire due',
      text: 'The questionnaire is due on 2025-06-30.',
      html: undefined,
    });
    const before = smtp.received.length;

    const result = await deliver(tenant, smtpMailer());
    expect(result).toMatchObject({ claimed: 2, sent: 2, retried: 0, failed: 0 });

    const received = smtp.received.slice(before);
    expect(received).toHaveLength(2);
    const invitation = received.find((message) => message.envelope.to.includes('k.vogel@rheinautomation.example'))!;
    expect(invitation.envelope.from).toBe('no-reply@chainproof.test');
    const parsed = parseMail(invitation.raw);
    expect(parsed.headers.subject).toBe('Security questionnaire from Chainproof');
    expect(parsed.headers.from).toBe('Chainproof <no-reply@chainproof.test>');
    expect(parsed.headers.to).toBe('Katrin Vogel <k.vogel@rheinautomation.example>');
    expect(parsed.headers['x-chainproof-mail-id']).toBe(withHtml);
    expect(parsed.contentType).toBe('multipart/alternative');
    expect(parsed.parts.map((part) => part.type)).toEqual(['text/plain', 'text/html']);
    expect(parsed.parts[0]!.text).toBe('Grüße aus Köln — see https://portal.example/p/secret-token\n');
    expect(parsed.parts[1]!.text).toContain('<a href="https://portal.example/p/secret-token">');

    const reminder = parseMail(received.find((message) => message.envelope.to.includes('security@supplier.example'))!.raw);
    expect(reminder.contentType).toBe('text/plain');
    expect(reminder.parts[0]!.text.trim()).toBe('The questionnaire is due on 2025-06-30.');

    for (const id of [withHtml, textOnly]) {
      const stored = await row(tenant.id, id);
      expect(stored).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
      expect(stored.sentAt).toBeInstanceOf(Date);
    }
    // Nothing is due any more: a second run sends nothing.
    expect(await deliver(tenant, smtpMailer())).toMatchObject({ claimed: 0, sent: 0 });
    expect(smtp.received.length).toBe(before + 2);
  });

  it('enqueues a dedupeKey once per tenant, in the caller’s transaction', async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    const first = await enqueueMail(t.db, mail(tenant, { dedupeKey: 'reminder:asm_1:2025-06-01' }));
    const second = await enqueueMail(t.db, mail(tenant, { dedupeKey: 'reminder:asm_1:2025-06-01', subject: 'Another' }));
    expect(first.enqueued).toBe(true);
    expect(second).toEqual({ enqueued: false });
    expect((await enqueueMail(t.db, mail(other, { dedupeKey: 'reminder:asm_1:2025-06-01' }))).enqueued).toBe(true);
    // Without a key, nothing is deduplicated.
    expect((await enqueueMail(t.db, mail(tenant))).enqueued).toBe(true);
    expect((await enqueueMail(t.db, mail(tenant))).enqueued).toBe(true);
    const rows = await t.db.select().from(mailOutbox).where(eq(mailOutbox.tenantId, tenant.id));
    expect(rows).toHaveLength(3);
    expect(rows.filter((stored) => stored.dedupeKey !== null).map((stored) => stored.subject)).toEqual(['Security questionnaire from Chainproof']);

    // Rolled back with the change that caused it.
    await expect(
      t.db.transaction(async (tx) => {
        await enqueueMail(tx, mail(tenant, { dedupeKey: 'rolled-back' }));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await enqueueMail(t.db, mail(tenant, { dedupeKey: 'rolled-back' }))).enqueued).toBe(true);

    const { transport, sent } = recordingTransport();
    await deliver(tenant, transport);
    expect(sent).toHaveLength(4);
  });

  it('refuses malformed addresses and header injection', async () => {
    const tenant = await t.createTenant();
    for (const address of ['not-an-address', 'a@b', 'a b@example.com', 'a@example.com\r\nBcc: x@evil.example', '<a@example.com>', 'a..b@example.com', '']) {
      await expect(enqueueMail(t.db, mail(tenant, { to: { address } }))).rejects.toBeInstanceOf(InvalidMailError);
    }
    await expect(enqueueMail(t.db, mail(tenant, { subject: 'Hi\r\nBcc: x@evil.example' }))).rejects.toThrow(/subject must not contain/);
    await expect(enqueueMail(t.db, mail(tenant, { to: { address: 'a@example.com', name: 'A\nB' } }))).rejects.toThrow(/to.name/);
    await expect(enqueueMail(t.db, mail(tenant, { text: '  ' }))).rejects.toThrow(/text must not be empty/);
    expect(await t.db.select().from(mailOutbox).where(eq(mailOutbox.tenantId, tenant.id))).toHaveLength(0);
  });

  it('runDueJobs delivers once however often it runs, and skips delivery without a mailer', async () => {
    const tenant = await t.createTenant();
    const id = await enqueue(tenant);
    const { transport, sent } = recordingTransport();
    const options = {
      config: t.config,
      mailDelivery: { tenantId: tenant.id },
      assessmentJobs: { tenantId: tenant.id },
      findingJobs: { tenantId: tenant.id }, alertJobs: { tenantId: tenant.id }, webhookDelivery: { tenantId: tenant.id },
      riskJobs: { tenantId: tenant.id },
    };

    const withoutMailer = await runDueJobs(t.db, new Date(), silent, options);
    expect(withoutMailer.map((result) => result.job)).not.toContain('deliver-mail');
    expect((await row(tenant.id, id)).status).toBe('pending');

    const now = new Date();
    const first = await runDueJobs(t.db, now, silent, { ...options, mailer: transport });
    const second = await runDueJobs(t.db, now, silent, { ...options, mailer: transport });
    expect(first.find((result) => result.job === 'deliver-mail')).toEqual({ job: 'deliver-mail', processed: 1 });
    expect(second.find((result) => result.job === 'deliver-mail')).toEqual({ job: 'deliver-mail', processed: 0 });
    expect(sent.map((message) => message.id)).toEqual([id]);
    expect((await row(tenant.id, id)).status).toBe('sent');
  });

  it('never sends a mail twice when two runs deliver at once', async () => {
    const tenant = await t.createTenant();
    const ids = new Set<string>();
    for (let index = 0; index < 40; index += 1) ids.add(await enqueue(tenant, { subject: `Mail ${index}` }));
    const { transport, sent } = recordingTransport({ delayMs: () => Math.floor(Math.random() * 4) });

    // On Postgres the second run is a second instance: its own connection pool.
    let second: DatabaseProvider | undefined;
    if (inject('databaseKind') === 'postgres') second = createPostgresProvider(inject('databaseUrl'), { max: 2 });
    try {
      const otherDb = second ? (await second.open()).db : t.db;
      const now = new Date();
      const results = await Promise.all([
        deliver(tenant, transport, now, { batchSize: 5 }),
        deliver(tenant, transport, now, { batchSize: 5 }, otherDb),
        deliver(tenant, transport, now, { batchSize: 3 }),
      ]);
      expect(results.reduce((sum, result) => sum + result.sent, 0)).toBe(40);
    } finally {
      await second?.close();
    }
    const sentIds = sent.map((message) => message.id);
    expect(sentIds).toHaveLength(40);
    expect(new Set(sentIds)).toEqual(ids);
    const counts = await queryRows<{ status: string; attempts: number; count: string | number }>(
      t.db,
      sql`select status, attempts, count(*) as count from mail_outbox where tenant_id = ${tenant.id} group by status, attempts`,
    );
    expect(counts.map((entry) => ({ ...entry, count: Number(entry.count) }))).toEqual([{ status: 'sent', attempts: 1, count: 40 }]);
  });

  it('does not hand a mail that is being sent to another run', async () => {
    const tenant = await t.createTenant();
    const id = await enqueue(tenant);
    let releaseSend!: () => void;
    const sending = new Promise<void>((resolve) => (releaseSend = resolve));
    let started!: () => void;
    const hasStarted = new Promise<void>((resolve) => (started = resolve));
    const slow: MailTransport = {
      name: 'slow',
      send: async () => {
        started();
        await sending;
      },
    };
    const now = new Date();
    const firstRun = deliver(tenant, slow, now);
    await hasStarted;
    // A second instance, even a few minutes later, finds the row leased.
    const { transport, sent } = recordingTransport();
    expect(await deliver(tenant, transport, new Date(now.getTime() + 5 * MINUTE))).toMatchObject({ claimed: 0 });
    releaseSend();
    expect(await firstRun).toMatchObject({ claimed: 1, sent: 1 });
    expect(sent).toHaveLength(0);
    expect((await row(tenant.id, id)).status).toBe('sent');
  });

  it('retries with backoff while the SMTP server is down, then delivers once it is back', async () => {
    const tenant = await t.createTenant();
    const t0 = new Date();
    const id = await enqueue(tenant, { now: t0 });
    const mailer = smtpMailer();
    await smtp.stop();
    try {
      const first = await deliver(tenant, mailer, t0);
      expect(first).toMatchObject({ claimed: 1, sent: 0, retried: 1 });
      let stored = await row(tenant.id, id);
      expect(stored).toMatchObject({ status: 'pending', attempts: 1 });
      expect(stored.lastError).toMatch(/^SMTP: .*ECONNREFUSED/);
      const firstRetryAt = stored.nextAttemptAt.getTime() - t0.getTime();
      expect(firstRetryAt).toBeGreaterThanOrEqual(MINUTE);
      expect(firstRetryAt).toBeLessThan(MINUTE + 20_000);

      // Not due yet.
      expect(await deliver(tenant, mailer, new Date(t0.getTime() + 30_000))).toMatchObject({ claimed: 0 });

      const t1 = new Date(stored.nextAttemptAt.getTime() + 1_000);
      expect(await deliver(tenant, mailer, t1)).toMatchObject({ claimed: 1, retried: 1 });
      stored = await row(tenant.id, id);
      expect(stored.attempts).toBe(2);
      const secondRetryAt = stored.nextAttemptAt.getTime() - t1.getTime();
      expect(secondRetryAt).toBeGreaterThanOrEqual(2 * MINUTE);
      expect(secondRetryAt).toBeLessThan(2 * MINUTE + 20_000);
    } finally {
      await smtp.start();
    }
    const before = smtp.received.length;
    const later = new Date(t0.getTime() + 10 * MINUTE);
    expect(await deliver(tenant, mailer, later)).toMatchObject({ claimed: 1, sent: 1 });
    expect(smtp.received.length).toBe(before + 1);
    expect(await row(tenant.id, id)).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
  });

  it('fails at once when the server refuses the recipient for good', async () => {
    const tenant = await t.createTenant();
    const id = await enqueue(tenant, { to: { address: 'bounce@supplier.example' } });
    expect(await deliver(tenant, smtpMailer())).toMatchObject({ claimed: 1, failed: 1 });
    const stored = await row(tenant.id, id);
    expect(stored).toMatchObject({ status: 'failed', attempts: 1 });
    expect(stored.lastError).toMatch(/550/);
  });

  it('backs off 1 min, 2, 4 … at most 6 h, and marks the mail failed after 12 attempts', async () => {
    expect([1, 2, 3, 9, 10, 11, 30].map(mailBackoffMs)).toEqual([1, 2, 4, 256, 360, 360, 360].map((minutes) => minutes * MINUTE));
    const tenant = await t.createTenant();
    let now = new Date();
    const id = await enqueue(tenant, { now });
    const { transport } = recordingTransport({ fail: () => new MailSendError('mail API answered HTTP 503') });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      expect(await deliver(tenant, transport, now)).toMatchObject({ claimed: 1 });
      const stored = await row(tenant.id, id);
      expect(stored.attempts).toBe(attempt);
      expect(stored.lastError).toBe('mail API answered HTTP 503');
      if (stored.status === 'failed') break;
      waits.push(Math.round((stored.nextAttemptAt.getTime() - now.getTime()) / MINUTE));
      now = stored.nextAttemptAt;
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360]);
    expect((await row(tenant.id, id)).status).toBe('failed');
    expect(await deliver(tenant, transport, new Date(now.getTime() + 24 * 3_600_000))).toMatchObject({ claimed: 0 });
  });

  it('posts JSON to an e-mail API with a bearer token, and keeps only the status of a failure', async () => {
    const requests: { method?: string; url?: string; headers: IncomingMessage['headers']; body: unknown }[] = [];
    let answer = 200;
    const server: Server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        requests.push({ method: request.method, url: request.url, headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        if (answer === 0) return; // never answers: the timeout must end the request
        response.writeHead(answer, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'token api-token-0123456789 is echoed here' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/emails`;
    const token = 'api-token-0123456789';
    const mailer = httpTransport({ url, token, from: FROM, timeoutMs: 500 });
    const logs: string[] = [];
    const logger = createLogger('debug', (line) => logs.push(line));
    try {
      const tenant = await t.createTenant();
      const id = await enqueue(tenant, { to: { address: 'a.muller@supplier.example', name: 'Müller, Anna' } });
      expect(await deliverDueMail(t.db, new Date(), mailer, logger, { tenantId: tenant.id })).toMatchObject({ sent: 1 });
      expect(requests).toHaveLength(1);
      const [request] = requests;
      expect(request).toMatchObject({ method: 'POST', url: '/emails' });
      expect(request!.headers.authorization).toBe(`Bearer ${token}`);
      expect(request!.headers['content-type']).toBe('application/json');
      expect(request!.headers['idempotency-key']).toBe(id);
      expect(request!.body).toEqual({
        from: FROM,
        to: '"Müller, Anna" <a.muller@supplier.example>',
        subject: 'Security questionnaire from Chainproof',
        text: mail(tenant).text,
        html: mail(tenant).html,
      });

      answer = 503;
      const retried = await enqueue(tenant);
      expect(await deliverDueMail(t.db, new Date(), mailer, logger, { tenantId: tenant.id })).toMatchObject({ retried: 1 });
      expect(await row(tenant.id, retried)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'mail API answered HTTP 503' });

      answer = 422;
      const refused = await enqueue(tenant);
      await deliverDueMail(t.db, new Date(), mailer, logger, { tenantId: tenant.id });
      expect(await row(tenant.id, refused)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'mail API answered HTTP 422' });

      answer = 0;
      const slow = await enqueue(tenant);
      await deliverDueMail(t.db, new Date(), mailer, logger, { tenantId: tenant.id });
      expect(await row(tenant.id, slow)).toMatchObject({ status: 'pending', lastError: 'mail API did not answer within 500 ms' });

      expect(logs.join('\n')).not.toContain(token);
      expect(logs.join('\n')).not.toContain('secret-token');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('the log transport prints the whole mail to stdout, and logs only id, kind and recipient', async () => {
    const logs: string[] = [];
    const logger = createLogger('info', (line) => logs.push(line));
    const tenant = await t.createTenant();
    const id = await enqueue(tenant);

    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await deliverDueMail(t.db, new Date(), logTransport(logger), silent, { tenantId: tenant.id })).toMatchObject({ sent: 1 });
      const printed = write.mock.calls.map((call) => String(call[0])).join('');
      expect(printed).toContain(`Mail ${id} (assessment_invitation)`);
      expect(printed).toContain('To: Katrin Vogel <k.vogel@rheinautomation.example>');
      expect(printed).toContain('Subject: Security questionnaire from Chainproof');
      expect(printed).toContain(mail(tenant).text);
    } finally {
      write.mockRestore();
    }
    expect(logs).toHaveLength(1);
    expect(JSON.parse(logs[0]!)).toMatchObject({ mailId: id, kind: 'assessment_invitation', to: 'k.vogel@rheinautomation.example' });
    expect(logs[0]).not.toContain('secret-token');
    expect((await row(tenant.id, id)).status).toBe('sent');

    // In production the body (and its links) is not printed.
    const chunks: string[] = [];
    const quiet = logTransport(silent, { printBody: false, write: (chunk) => chunks.push(chunk) });
    await quiet.send({ id, kind: 'assessment_invitation', to: { address: 'a@example.com' }, subject: 's', text: 'secret-token' });
    expect(chunks).toEqual([]);
    const production = createMailTransport(loadConfig({ NODE_ENV: 'production', SECRETS_ENCRYPTION_KEY: PRODUCTION_KEY }), silent);
    expect(production.name).toBe('log');
  });

  it('createMailTransport builds what the configuration asks for, and refuses SMTP without Node', () => {
    expect(createMailTransport(loadConfig({}), silent).name).toBe('log');
    const http = loadConfig({ MAIL_TRANSPORT: 'http', MAIL_HTTP_URL: 'https://mail.example/emails', MAIL_HTTP_TOKEN: 'x' });
    expect(createMailTransport(http, silent).name).toBe('http');
    const smtpConfig = loadConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://user:pass@127.0.0.1:2525' });
    expect(() => createMailTransport(smtpConfig, silent)).toThrow(/MAIL_TRANSPORT=smtp is not available on Cloudflare Workers/);
    expect(createMailTransport(smtpConfig, silent, { smtp: smtpTransport }).name).toBe('smtp');
  });
});
