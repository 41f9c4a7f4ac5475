// A webhook receiver for trying Chainproof's webhooks locally: it verifies each delivery's
// Standard Webhooks signature and prints the event. No dependencies.
//
//   WEBHOOK_SECRET=whsec_… node examples/webhook-receiver.mjs   (listens on 127.0.0.1:4000)
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const secret = process.env.WEBHOOK_SECRET;
const port = Number(process.env.PORT ?? 4000);
if (!secret?.startsWith('whsec_')) {
  console.error('Set WEBHOOK_SECRET to the secret POST /v1/webhooks returned (whsec_…).');
  process.exit(1);
}
const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
const seen = new Set();

function verified(headers, body) {
  const id = headers['webhook-id'];
  const timestamp = Number(headers['webhook-timestamp']);
  // Refuse replays of old messages; the sender's clock and ours agree within minutes.
  if (!id || !Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return String(headers['webhook-signature'] ?? '')
    .split(' ')
    .some((candidate) => {
      const [version, signature] = candidate.split(',');
      const given = Buffer.from(signature ?? '', 'base64');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    if (!verified(request.headers, body)) {
      console.log('refused: bad or old signature');
      response.writeHead(401).end();
      return;
    }
    const id = request.headers['webhook-id'];
    // Delivery is at least once: the same webhook-id may come again; handle it once.
    if (!seen.has(id)) {
      seen.add(id);
      const event = JSON.parse(body);
      console.log(`${event.type} ${id}`, JSON.stringify(event.data));
    }
    response.writeHead(204).end();
  });
}).listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}/`));
