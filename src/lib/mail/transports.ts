// Mail transports that run on both Node and Workers. The SMTP transport needs Node's sockets and
// lives in ./smtp-transport.ts, which only Node entry points import (dynamically), so the Worker
// never bundles nodemailer.
import { ConfigError, type Config } from '../../config';
import type { Logger } from '../logger';

export interface MailMessage {
  /** The outbox id (`mail_…`): also sent as an idempotency key where the transport has one. */
  id: string;
  kind: string;
  to: { address: string; name?: string | undefined };
  subject: string;
  text: string;
  html?: string | undefined;
}

export interface MailTransport {
  readonly name: 'log' | 'smtp' | 'http' | (string & {});
  /** Resolves once the mail is accepted for delivery; throws otherwise (see MailSendError). */
  send(message: MailMessage): Promise<void>;
}

/**
 * A failed send. `permanent` means retrying cannot help (the recipient or the message was refused),
 * so the mail is marked failed at once. The message must never carry a secret: it is stored in
 * `mail_outbox.last_error` and logged.
 */
export class MailSendError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'MailSendError';
  }
}

/** `Name <address>`, with the name quoted when it needs to be. */
export function formatAddress(to: MailMessage['to']): string {
  if (!to.name) return to.address;
  const name = /^[\w .!#$%&'*+/=?^`{|}~-]*$/.test(to.name) ? to.name : `"${to.name.replace(/["\\]/g, '\\$&')}"`;
  return `${name} <${to.address}>`;
}

function defaultWrite(chunk: string) {
  const stdout = (globalThis as { process?: { stdout?: { write?: (chunk: string) => unknown } } }).process?.stdout;
  if (typeof stdout?.write === 'function') stdout.write(chunk);
  // eslint-disable-next-line no-console -- runtimes without process.stdout (Workers without nodejs_compat)
  else console.log(chunk);
}

export interface LogTransportOptions {
  /**
   * Print the whole mail (its text body included) so that a developer can follow the links in it.
   * Invitation mails carry portal tokens: turn this off wherever stdout is collected (production).
   */
  printBody?: boolean;
  /** Where the mail is printed; standard output by default, never through the JSON logger. */
  write?: (chunk: string) => void;
}

/**
 * Sends nothing: each mail is stored as sent, and printed. The log line carries only the id, kind
 * and recipient; the body (with any secret link) goes to stdout as plain text, if `printBody`.
 */
export function logTransport(logger: Logger, options: LogTransportOptions = {}): MailTransport {
  const { printBody = true, write = defaultWrite } = options;
  return {
    name: 'log',
    send: async (message) => {
      logger.info('mail logged (MAIL_TRANSPORT=log, not sent)', { mailId: message.id, kind: message.kind, to: message.to.address });
      if (!printBody) return;
      const rule = '-'.repeat(72);
      write(
        [
          `${rule}`,
          `Mail ${message.id} (${message.kind}), not sent: MAIL_TRANSPORT=log`,
          `To: ${formatAddress(message.to)}`,
          `Subject: ${message.subject}`,
          '',
          message.text.replace(/\s+$/, ''),
          `${rule}`,
          '',
        ].join('\n'),
      );
    },
  };
}

export interface HttpTransportOptions {
  url: string;
  token: string;
  from: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * A JSON POST to an e-mail API: `{ from, to, subject, text, html }` with a bearer token, as Resend
 * and similar APIs take it, and the outbox id as `Idempotency-Key` so that the API can drop a
 * retry of a mail it already accepted. Any 2xx is success.
 */
export function httpTransport(options: HttpTransportOptions): MailTransport {
  const { url, token, from, timeoutMs = 15_000 } = options;
  const doFetch = options.fetch ?? fetch;
  return {
    name: 'http',
    send: async (message) => {
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
            Accept: 'application/json',
            'Idempotency-Key': message.id,
          },
          body: JSON.stringify({
            from,
            to: formatAddress(message.to),
            subject: message.subject,
            text: message.text,
            ...(message.html !== undefined ? { html: message.html } : {}),
          }),
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
      } catch (error) {
        // Neither the URL (it may carry a key) nor the cause's details: just what happened.
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        throw new MailSendError(timedOut ? `mail API did not answer within ${timeoutMs} ms` : 'mail API request failed (network error)');
      }
      // The body may echo the request; only the status is kept.
      await response.body?.cancel().catch(() => {});
      if (!response.ok) {
        // 400 and 422: the API refuses this message, and will again. Anything else (401/403 for a
        // wrong token, 429, 5xx) may heal: retry.
        throw new MailSendError(`mail API answered HTTP ${response.status}`, response.status === 400 || response.status === 422);
      }
    },
  };
}

export interface MailTransportFactories {
  /** Only Node entry points pass it: `(await import('./smtp-transport')).smtpTransport`. */
  smtp?: (options: { url: string; from: string }) => MailTransport;
}

/** The transport the configuration asks for. On Workers (no `smtp` factory) SMTP is a config error. */
export function createMailTransport(config: Config, logger: Logger, factories: MailTransportFactories = {}): MailTransport {
  const mail = config.mail;
  switch (mail.transport) {
    case 'log':
      return logTransport(logger, { printBody: config.nodeEnv !== 'production' });
    case 'http':
      if (!mail.httpUrl || !mail.httpToken) throw new ConfigError(['MAIL_HTTP_URL and MAIL_HTTP_TOKEN are required when MAIL_TRANSPORT=http']);
      return httpTransport({ url: mail.httpUrl, token: mail.httpToken, from: mail.from });
    case 'smtp':
      if (!factories.smtp) {
        throw new ConfigError(['MAIL_TRANSPORT=smtp is not available on Cloudflare Workers (no SMTP sockets); use MAIL_TRANSPORT=http']);
      }
      if (!mail.smtpUrl) throw new ConfigError(['SMTP_URL is required when MAIL_TRANSPORT=smtp']);
      return factories.smtp({ url: mail.smtpUrl, from: mail.from });
  }
}
