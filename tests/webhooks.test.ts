import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDispatchOptions } from '../src/features/webhooks/webhooks.dispatch';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';
import { createSupplier } from './support/fixtures';
import { runJobsForTenant } from './support/jobs';
import { verifyWebhookSignature, type ReceivedWebhook } from './support/webhook-signature';

let t: TestContext;

beforeAll(async () => {
  t = await createTestContext({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_TIMEOUT_SECONDS: '2' });
});
afterAll(() => t.close());

interface Webhook {
  id: string;
  url: string;
  events: string[];
  status: string;
  disabledReason: string | null;
  version: number;
  secret?: string;
}
interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
}
interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
type Received = ReceivedWebhook;

async function json<T>(response: Response, status: number): Promise<T> {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** A receiver on loopback that checks nothing itself: the tests verify what it got. */
async function startReceiver() {
  const received: Received[] = [];
  let answer = 204;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      if (answer < 300) received.push({ headers: request.headers, body });
      response.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? '' : 'receiver is down for maintenance');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/chainproof`,
    received,
    answerWith: (status: number) => void (answer = status),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const verify = verifyWebhookSignature;

const dispatch = (tenant: TestTenant, now: Date, extra: WebhookDispatchOptions = {}) => runJobsForTenant(t, tenant, now, extra);

const createWebhook = (tenant: TestTenant, body: Record<string, unknown>) => t.request('/v1/webhooks', { method: 'POST', key: tenant.adminKey, json: body });
const deliveries = async (tenant: TestTenant, webhookId: string, query = '') =>
  json<Page<Delivery>>(await t.request(`/v1/webhooks/${webhookId}/deliveries${query}`, { key: tenant.adminKey }), 200);

describe('webhook endpoints', () => {
  it('creates with a secret shown once, reads, changes with If-Match and deletes, audited', async () => {
    const tenant = await t.createTenant('Webhook CRUD');
    const response = await createWebhook(tenant, { url: 'https://erp.example.com/hooks', events: ['supplier.created', 'risk.rating_changed'], description: 'ERP' });
    const created = await json<Webhook>(response, 201);
    expect(response.headers.get('location')).toBe(`/v1/webhooks/${created.id}`);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created).toMatchObject({ url: 'https://erp.example.com/hooks', status: 'active', events: ['supplier.created', 'risk.rating_changed'] });

    const read = await t.request(`/v1/webhooks/${created.id}`, { key: tenant.adminKey });
    expect(read.headers.get('etag')).toBe(`"${created.version}"`);
    expect(await read.json()).not.toHaveProperty('secret');
    const listed = await json<Page<Webhook>>(await t.request('/v1/webhooks', { key: tenant.adminKey }), 200);
    expect(listed.data.map((row) => row.id)).toEqual([created.id]);
    expect(JSON.stringify(listed)).not.toContain(created.secret!.slice(6));

    const stale = await t.request(`/v1/webhooks/${created.id}`, { method: 'PATCH', key: tenant.adminKey, headers: { 'If-Match': '"99"' }, json: { events: ['finding.created'] } });
    expect(stale.status).toBe(412);
    const patched = await json<Webhook>(
      await t.request(`/v1/webhooks/${created.id}`, { method: 'PATCH', key: tenant.adminKey, headers: { 'If-Match': `"${created.version}"` }, json: { events: ['finding.created'], status: 'disabled' } }),
      200,
    );
    expect(patched).toMatchObject({ events: ['finding.created'], status: 'disabled', disabledReason: 'Disabled by hand.' });
    expect((await t.request(`/v1/webhooks/${created.id}`, { method: 'DELETE', key: tenant.adminKey })).status).toBe(204);
    expect((await t.request(`/v1/webhooks/${created.id}`, { key: tenant.adminKey })).status).toBe(404);
    const actions = await queryRows<{ action: string; changes: unknown }>(t.db, sql`select action, changes from audit_log where tenant_id = ${tenant.id} and entity_type = 'webhook' order by seq`);
    expect(actions.map((row) => row.action)).toEqual(['webhook.created', 'webhook.updated', 'webhook.deleted']);
    expect(JSON.stringify(actions)).not.toContain(created.secret!.slice(6));
  });

  it('refuses internal, credentialed and malformed URLs and bad event lists, naming the field', async () => {
    const tenant = await t.createTenant('Webhook validation');
    for (const [body, path] of [
      [{ url: 'http://10.1.2.3/hook', events: ['supplier.created'] }, 'url'],
      [{ url: 'http://169.254.169.254/latest/meta-data', events: ['supplier.created'] }, 'url'],
      [{ url: 'http://[::1]:8080/hook', events: ['supplier.created'] }, 'url'],
      [{ url: 'http://[::ffff:192.168.1.1]/hook', events: ['supplier.created'] }, 'url'],
      [{ url: 'http://localhost:3000/hook', events: ['supplier.created'] }, 'url'],
      [{ url: 'http://erp.internal/hook', events: ['supplier.created'] }, 'url'],
      [{ url: 'https://user:pass@erp.example.com/hook', events: ['supplier.created'] }, 'url'],
      [{ url: 'ftp://erp.example.com/hook', events: ['supplier.created'] }, 'url'],
      [{ url: 'not a url', events: ['supplier.created'] }, 'url'],
      [{ url: 'https://erp.example.com/hook', events: [] }, 'events'],
      [{ url: 'https://erp.example.com/hook', events: ['supplier.created', 'supplier.created'] }, 'events'],
      [{ url: 'https://erp.example.com/hook', events: ['supplier.deleted'] }, 'events.0'],
    ] as const) {
      const response = await createWebhook(tenant, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(((await problemOf(response)).errors ?? []).map((error: { path: string }) => error.path), JSON.stringify(body)).toContain(path);
    }
    const allowed = await createWebhook(tenant, { url: 'http://127.0.0.1:9/hook', events: ['supplier.created'] });
    expect(allowed.status).toBe(201);
  });

  it('seals the secret at rest when SECRETS_ENCRYPTION_KEY is set', async () => {
    const sealed = await createTestContext({ SECRETS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') });
    try {
      const tenant = await sealed.createTenant('Webhook sealing');
      const created = await json<Webhook>(await sealed.request('/v1/webhooks', { method: 'POST', key: tenant.adminKey, json: { url: 'https://erp.example.com/hooks', events: ['supplier.created'] } }), 201);
      const [row] = await queryRows<{ secret_sealed: string }>(sealed.db, sql`select secret_sealed from webhook_endpoints where tenant_id = ${tenant.id}`);
      expect(row!.secret_sealed).toMatch(/^v1:/);
      expect(row!.secret_sealed).not.toContain(created.secret!.slice(6));
    } finally {
      await sealed.close();
    }
  });
});

describe('webhook delivery', () => {
  it('delivers signed events, retries through an outage, and logs every attempt', async () => {
    const receiver = await startReceiver();
    try {
      const tenant = await t.createTenant('Webhook delivery');
      const webhook = await json<Webhook>(await createWebhook(tenant, { url: receiver.url, events: ['supplier.created', 'supplier.updated'] }), 201);
      const supplier = await createSupplier(t, tenant, { name: 'Signed GmbH', externalRef: 'ERP-4711' });
      await dispatch(tenant, new Date());
      expect(receiver.received).toHaveLength(1);
      const [first] = receiver.received;
      expect(verify(webhook.secret!, first!)).toBe(true);
      expect(first!.headers['content-type']).toBe('application/json');
      const body = JSON.parse(first!.body) as { type: string; timestamp: string; data: Record<string, unknown> };
      expect(body).toMatchObject({ type: 'supplier.created', data: { supplierId: supplier.id, externalRef: 'ERP-4711', name: 'Signed GmbH' } });
      const [logged] = (await deliveries(tenant, webhook.id)).data;
      expect(logged).toMatchObject({ eventId: first!.headers['webhook-id'], eventType: 'supplier.created', status: 'succeeded', attempts: 1, lastStatusCode: 204 });

      // The receiver goes down: the event waits and is retried on the schedule, then arrives once.
      receiver.answerWith(503);
      await json(await t.request(`/v1/suppliers/${supplier.id}`, { method: 'PATCH', key: tenant.adminKey, json: { name: 'Signed Systems GmbH' } }), 200);
      // Times from here on count from just after the change (the event's time).
      const now = new Date();
      await dispatch(tenant, now);
      let [pending] = (await deliveries(tenant, webhook.id, '?status=pending')).data;
      expect(pending).toMatchObject({ eventType: 'supplier.updated', attempts: 1, lastStatusCode: 503, lastError: 'HTTP 503: receiver is down for maintenance' });
      const retryAt = new Date(pending!.nextAttemptAt!);
      expect(retryAt.getTime() - now.getTime()).toBeGreaterThan(0);
      expect(retryAt.getTime() - now.getTime()).toBeLessThanOrEqual(6_000);
      await dispatch(tenant, new Date(now.getTime() + 2_000)); // not due yet: no attempt
      expect((await deliveries(tenant, webhook.id, '?status=pending')).data[0]!.attempts).toBe(1);
      await dispatch(tenant, new Date(now.getTime() + 6_000));
      [pending] = (await deliveries(tenant, webhook.id, '?status=pending')).data;
      expect(pending!.attempts).toBe(2);
      receiver.answerWith(200);
      await dispatch(tenant, new Date(now.getTime() + 40_000));
      expect(receiver.received).toHaveLength(2);
      const second = receiver.received[1]!;
      expect(verify(webhook.secret!, second)).toBe(true);
      expect(JSON.parse(second.body)).toMatchObject({ type: 'supplier.updated', data: { supplierId: supplier.id, changedFields: ['name'] } });
      const log = (await deliveries(tenant, webhook.id)).data;
      expect(log.map((row) => [row.eventType, row.status, row.attempts])).toEqual([
        ['supplier.updated', 'succeeded', 3],
        ['supplier.created', 'succeeded', 1],
      ]);
      // Nothing is sent twice.
      await dispatch(tenant, new Date(now.getTime() + 90_000));
      expect(receiver.received).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  });

  it('gives up after 24 hours, disables the endpoint with notice, and redelivers once re-enabled', async () => {
    const receiver = await startReceiver();
    try {
      const tenant = await t.createTenant('Webhook outage');
      await json(await t.request('/v1/tenant', { method: 'PATCH', key: tenant.adminKey, json: { notificationEmail: 'it-ops@stadtwerke.example' } }), 200);
      const webhook = await json<Webhook>(await createWebhook(tenant, { url: receiver.url, events: ['supplier.created'] }), 201);
      receiver.answerWith(500);
      await createSupplier(t, tenant, { name: 'Unreachable GmbH' });
      const now = new Date();
      await dispatch(tenant, now);
      await dispatch(tenant, new Date(now.getTime() + 86_401_000));
      const [failed] = (await deliveries(tenant, webhook.id)).data;
      expect(failed).toMatchObject({ status: 'failed', attempts: 2, nextAttemptAt: null });
      const disabled = await json<Webhook>(await t.request(`/v1/webhooks/${webhook.id}`, { key: tenant.adminKey }), 200);
      expect(disabled.status).toBe('disabled');
      expect(disabled.disabledReason).toContain('still failed 24 hours after the event: HTTP 500');
      const [mail] = await queryRows<{ to_address: string; subject: string }>(t.db, sql`select to_address, subject from mail_outbox where tenant_id = ${tenant.id} and kind = 'webhook_disabled'`);
      expect(mail).toMatchObject({ to_address: 'it-ops@stadtwerke.example', subject: 'Webhook endpoint disabled: 127.0.0.1:' + new URL(receiver.url).port });
      const [audit] = await queryRows<{ actor_type: string }>(t.db, sql`select actor_type from audit_log where tenant_id = ${tenant.id} and action = 'webhook.disabled'`);
      expect(audit!.actor_type).toBe('system');

      // A disabled endpoint gets no new deliveries and refuses redelivery until re-enabled.
      const redeliver = () => t.request(`/v1/webhooks/${webhook.id}/deliveries/${failed!.id}/redeliver`, { method: 'POST', key: tenant.adminKey });
      const refused = await redeliver();
      expect(refused.status).toBe(409);
      expect((await problemOf(refused)).code).toBe('webhook_disabled');
      await createSupplier(t, tenant, { name: 'Ignored GmbH' });
      expect((await deliveries(tenant, webhook.id)).data).toHaveLength(1);

      receiver.answerWith(204);
      await json(await t.request(`/v1/webhooks/${webhook.id}`, { method: 'PATCH', key: tenant.adminKey, json: { status: 'active' } }), 200);
      expect((await json<Delivery>(await redeliver(), 202)).status).toBe('pending');
      await dispatch(tenant, new Date(now.getTime() + 86_402_000));
      expect(receiver.received).toHaveLength(1);
      expect(verify(webhook.secret!, receiver.received[0]!)).toBe(true);
      expect((await deliveries(tenant, webhook.id)).data[0]).toMatchObject({ status: 'succeeded', attempts: 3 });
    } finally {
      await receiver.close();
    }
  });

  it('refuses at delivery a host name that resolves to an internal address', async () => {
    const tenant = await t.createTenant('Webhook rebinding');
    const webhook = await json<Webhook>(await createWebhook(tenant, { url: 'https://erp.example.com/hooks', events: ['supplier.created'] }), 201);
    await createSupplier(t, tenant);
    await dispatch(tenant, new Date(), { resolve: async () => ['93.184.216.34', '10.0.0.7'] });
    const [attempted] = (await deliveries(tenant, webhook.id)).data;
    expect(attempted).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
    expect(attempted!.lastError).toBe('Refused: erp.example.com resolves to an internal address (10.0.0.7).');
  });
});

describe('events', () => {
  it('are written with the change that causes them, for the endpoints that want them', async () => {
    const tenant = await t.createTenant('Webhook events');
    const all = await json<Webhook>(
      await createWebhook(tenant, {
        url: 'https://erp.example.com/all',
        events: ['supplier.created', 'risk.rating_changed', 'finding.created', 'contract.clause_gap', 'incident.reported', 'assessment.sent'],
      }),
      201,
    );
    await json(await createWebhook(tenant, { url: 'https://erp.example.com/incidents', events: ['incident.reported'] }), 201);
    const supplier = await createSupplier(t, tenant, { status: 'active', tierOverride: { tier: 'critical', reason: 'For the event test.' } });
    const refused = await t.request('/v1/suppliers', { method: 'POST', key: tenant.adminKey, json: { name: '' } });
    expect(refused.status).toBe(422);
    const contract = await json<{ id: string }>(
      await t.request('/v1/contracts', { method: 'POST', key: tenant.adminKey, json: { supplierId: supplier.id, reference: 'EV-1', title: 'Events', status: 'active' } }),
      201,
    );
    await json(await t.request(`/v1/contracts/${contract.id}/clauses/nis2-ir-5.1.4-e`, { method: 'PUT', key: tenant.adminKey, json: { status: 'missing' } }), 200);
    await json(
      await t.request('/v1/incidents', {
        method: 'POST',
        key: tenant.adminKey,
        json: { supplierId: supplier.id, title: 'Ransomware at the integrator', awareAt: new Date(Date.now() - 3_600_000).toISOString(), severity: 'critical', significant: true },
      }),
      201,
    );
    const events = await queryRows<{ type: string; data: Record<string, unknown>; endpoints: number }>(
      t.db,
      sql`select e.type, e.data, (select count(*)::int from webhook_deliveries d where d.tenant_id = e.tenant_id and d.event_id = e.id) as endpoints
          from webhook_events e where e.tenant_id = ${tenant.id} order by e.id`,
    );
    const types = events.map((event) => event.type);
    expect(types.filter((type) => type === 'supplier.created')).toHaveLength(1);
    expect(types).toContain('contract.clause_gap');
    expect(types).toContain('finding.created');
    expect(types).toContain('incident.reported');
    expect(types).toContain('risk.rating_changed');
    expect(events.find((event) => event.type === 'contract.clause_gap')!.data).toMatchObject({ contractId: contract.id, clauseKey: 'nis2-ir-5.1.4-e', status: 'missing', topic: 'right_to_audit' });
    expect(events.find((event) => event.type === 'incident.reported')).toMatchObject({ endpoints: 2, data: { supplierId: supplier.id, severity: 'critical', significant: true } });
    expect(events.find((event) => event.type === 'supplier.created')!.endpoints).toBe(1);
    const [count] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from webhook_deliveries where tenant_id = ${tenant.id} and endpoint_id = ${all.id}`);
    // Every event here is one the first endpoint wants: one delivery each for it.
    expect(Number(count!.n)).toBe(events.length);
  });
});
