// Node only: nodemailer needs TCP sockets. Import this file dynamically from Node entry points
// (src/server.ts, scripts/), never from a module that src/worker.ts bundles. nodemailer itself is
// loaded on the first send: `npm start` bundles this file into the server, and would otherwise
// load nodemailer (about 60 ms) at every start.
import type { Transporter } from 'nodemailer';
import { MailSendError, type MailTransport } from './transports';

export interface SmtpTransportOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. */
  url: string;
  from: string;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  message?: string;
}

// Whatever the server or the socket said, but never the credentials of the URL.
function describe(error: unknown): string {
  const { code, responseCode, message } = (error ?? {}) as SmtpError;
  const text = (message ?? String(error)).replace(/\/\/[^\s/@]*@/g, '//***@');
  return [code && !text.includes(code) ? code : undefined, responseCode && !text.includes(String(responseCode)) ? String(responseCode) : undefined, text]
    .filter(Boolean)
    .join(' ')
    .slice(0, 500);
}

/** SMTP through nodemailer; a new connection per mail (a job run sends a few at a time). */
export function smtpTransport(options: SmtpTransportOptions): MailTransport {
  let transporter: Promise<Transporter> | undefined;
  const load = () =>
    (transporter ??= import('nodemailer').then(({ createTransport }) =>
      createTransport({
        url: options.url,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
        dnsTimeout: 10_000,
      }),
    ));
  return {
    name: 'smtp',
    send: async (message) => {
      try {
        const info = await (await load()).sendMail({
          from: options.from,
          to: message.to.name ? { name: message.to.name, address: message.to.address } : message.to.address,
          subject: message.subject,
          text: message.text,
          ...(message.html !== undefined ? { html: message.html } : {}),
          headers: { 'X-Chainproof-Mail-Id': message.id },
          // The content comes from our templates; never let it make nodemailer read files or URLs.
          disableFileAccess: true,
          disableUrlAccess: true,
        });
        if ((info.rejected ?? []).length > 0) throw Object.assign(new Error(`recipient rejected: ${info.response}`), { code: 'EENVELOPE', responseCode: 550 });
      } catch (error) {
        const { code, responseCode } = (error ?? {}) as SmtpError;
        // The server refused this recipient or message for good (5xx); anything else (connection,
        // authentication, 4xx) is worth a retry.
        const permanent = (code === 'EENVELOPE' || code === 'EMESSAGE') && typeof responseCode === 'number' && responseCode >= 500;
        throw new MailSendError(`SMTP: ${describe(error)}`, permanent);
      }
    },
  };
}
