import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

/** Standard Webhooks verification, written independently of the server's signer. */
export function verifyWebhookSignature(secret: string, message: ReceivedWebhook): boolean {
  const id = String(message.headers['webhook-id']);
  const timestamp = String(message.headers['webhook-timestamp']);
  const expected = createHmac('sha256', Buffer.from(secret.replace(/^whsec_/, ''), 'base64')).update(`${id}.${timestamp}.${message.body}`).digest('base64');
  return String(message.headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}
