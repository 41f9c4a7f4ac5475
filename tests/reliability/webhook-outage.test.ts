// Webhook receiver outage: the receiver is down (its port refuses connections) while events pile up
// and the dispatcher keeps retrying on its schedule. Once it is back, every event arrives exactly
// once, signed. In-process, with the dispatcher's clock moved forward instead of waiting.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/smoke';
import { createTestContext, type TestContext, type TestTenant } from '../support/context';
import { createSupplier } from '../support/fixtures';
import { runJobsForTenant } from '../support/jobs';
import { verifyWebhookSignature, type ReceivedWebhook } from '../support/webhook-signature';

const EVENTS = 25;
const SECOND = 1000;

let t: TestContext;

beforeAll(async () => {
  t = await createTestContext({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_TIMEOUT_SECONDS: '2' });
});
afterAll(() => t.close());

/** A receiver on a fixed port that can go down (stop listening) and come back on the same port. */
async function startReceiver() {
  const port = await freePort();
  const received: ReceivedWebhook[] = [];
  let server: Server | undefined;
  const up = () =>
    new Promise<void>((resolve) => {
      server = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        request.on('end', () => {
          received.push({ headers: request.headers, body });
          response.writeHead(204).end();
        });
      });
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const down = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
      server = undefined;
    });
  await up();
  return { url: `http://127.0.0.1:${port}/hooks`, received, up, down };
}

interface Delivery {
  eventId: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

const dispatchAt = (tenant: TestTenant, now: Date) => runJobsForTenant(t, tenant, now);

async function deliveries(tenant: TestTenant, webhookId: string): Promise<Delivery[]> {
  const response = await t.request(`/v1/webhooks/${webhookId}/deliveries?limit=100`, { key: tenant.adminKey });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Delivery[] }).data;
}

describe('webhook receiver outage', () => {
  it('retries while the receiver is down, then delivers every event exactly once with a valid signature', async () => {
    const receiver = await startReceiver();
    try {
      const tenant = await t.createTenant('Webhook outage');
      const created = await t.request('/v1/webhooks', { method: 'POST', key: tenant.adminKey, json: { url: receiver.url, events: ['supplier.created'] } });
      expect(created.status).toBe(201);
      const webhook = (await created.json()) as { id: string; secret: string };

      await receiver.down();
      const supplierIds = new Set<string>();
      for (let index = 0; index < EVENTS; index += 1) supplierIds.add((await createSupplier(t, tenant, { name: `Outage supplier ${index}` })).id);
      const start = new Date();

      // Down for ten minutes of dispatcher time: the attempts on the schedule (0 s, 5 s, 30 s, 120 s after
      // each event; the first events are seconds older than `start`, so they may skip a step) all fail.
      for (const offset of [0, 10, 60, 300]) await dispatchAt(tenant, new Date(start.getTime() + offset * SECOND));
      expect(receiver.received).toHaveLength(0);
      const waiting = await deliveries(tenant, webhook.id);
      expect(waiting).toHaveLength(EVENTS);
      for (const delivery of waiting) {
        expect(delivery.status).toBe('pending');
        expect(delivery.attempts).toBeGreaterThanOrEqual(3);
        expect(delivery.lastError).toMatch(/ECONNREFUSED|fetch failed/);
      }

      // Back: the next step of the schedule (600 s) delivers everything.
      await receiver.up();
      await dispatchAt(tenant, new Date(start.getTime() + 660 * SECOND));
      const done = await deliveries(tenant, webhook.id);
      expect(done.map((delivery) => delivery.status)).toEqual(Array(EVENTS).fill('succeeded'));
      const attemptsBefore = new Map(waiting.map((delivery) => [delivery.eventId, delivery.attempts]));
      expect(done.every((delivery) => delivery.attempts === attemptsBefore.get(delivery.eventId)! + 1)).toBe(true);

      expect(receiver.received).toHaveLength(EVENTS);
      for (const message of receiver.received) expect(verifyWebhookSignature(webhook.secret, message)).toBe(true);
      const eventIds = receiver.received.map((message) => String(message.headers['webhook-id']));
      expect(new Set(eventIds)).toEqual(new Set(done.map((delivery) => delivery.eventId)));
      const delivered = receiver.received.map((message) => (JSON.parse(message.body) as { type: string; data: { supplierId: string } }));
      expect(new Set(delivered.map((event) => event.type))).toEqual(new Set(['supplier.created']));
      expect(new Set(delivered.map((event) => event.data.supplierId))).toEqual(supplierIds);

      // Later runs send nothing again.
      await dispatchAt(tenant, new Date(start.getTime() + 2 * 3600 * SECOND));
      expect(receiver.received).toHaveLength(EVENTS);
    } finally {
      await receiver.down();
    }
  });
});
