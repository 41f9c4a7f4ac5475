import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// A real SMTP server on 127.0.0.1 (smtp-server, no TLS, no auth) that keeps what it receives.

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  raw: string;
}

export interface TestSmtpServer {
  port: number;
  received: ReceivedMail[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createSmtpServer(): TestSmtpServer {
  const received: ReceivedMail[] = [];
  let server: SMTPServer | undefined;
  const state = {
    port: 0,
    received,
    async start() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onRcptTo(address, _session, callback) {
          if (address.address.startsWith('bounce@')) {
            callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
          } else {
            callback();
          }
        },
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            received.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              },
              raw: Buffer.concat(chunks).toString('utf8'),
            });
            callback();
          });
        },
      });
      const current = server;
      await new Promise<void>((resolve, reject) => {
        current.once('error', reject);
        current.listen(state.port, '127.0.0.1', () => resolve());
      });
      state.port = (current.server.address() as AddressInfo).port;
    },
    stop: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
  return state;
}

// A minimal MIME reader: enough for nodemailer's single-part and multipart/alternative output.
interface MimePart {
  headers: Record<string, string>;
  body: string;
}

function splitHeaders(raw: string): MimePart {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, end).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: raw.slice(end + 4) };
}

function decodeBody(part: MimePart): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = part.body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => `%${hex}`);
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/g, '%25'));
  }
  return part.body;
}

export function parseMail(raw: string) {
  const message = splitHeaders(raw);
  const contentType = message.headers['content-type'] ?? '';
  const parts: { type: string; text: string }[] = [];
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (boundary) {
    for (const chunk of message.body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const part = splitHeaders(chunk.replace(/^\r\n/, ''));
      parts.push({ type: (part.headers['content-type'] ?? '').split(';')[0]!, text: decodeBody(part).replace(/\r\n$/, '').replace(/\r\n/g, '\n') });
    }
  } else {
    parts.push({ type: contentType.split(';')[0]!, text: decodeBody(message).replace(/\r\n/g, '\n') });
  }
  return { headers: message.headers, contentType: contentType.split(';')[0], parts };
}
