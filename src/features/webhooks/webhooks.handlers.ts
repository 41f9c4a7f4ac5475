import type { RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import type { WebhookEventType } from '../../catalog/webhook-events';
import { auditContextOf, recordAudit } from '../../lib/audit';
import type { AppContext, AppEnv } from '../../lib/context';
import { problems } from '../../lib/errors';
import { assertIfMatch, setEtag } from '../../lib/etag';
import { newId } from '../../lib/ids';
import { decodeCursor, toPage } from '../../lib/pagination';
import { sealSecret } from '../../lib/secrets';
import { newWebhookSecret } from '../../lib/webhooks/signature';
import { refuseWebhookUrl } from '../../lib/webhooks/target-policy';
import {
  deleteWebhook,
  findDelivery,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  queueRedelivery,
  requireWebhook,
  updateWebhook,
  type WebhookChanges,
  type WebhookDeliveryRow,
  type WebhookRow,
} from './webhooks.queries';
import type {
  createWebhookRoute,
  deleteWebhookRoute,
  getWebhookRoute,
  listWebhookDeliveriesRoute,
  listWebhooksRoute,
  redeliverWebhookRoute,
  updateWebhookRoute,
} from './webhooks.routes';
import type { WebhookDeliveryResponse, WebhookResponse } from './webhooks.schemas';

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function presentWebhook(row: WebhookRow): WebhookResponse {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events as WebhookEventType[],
    status: row.status as 'active',
    disabledReason: row.disabledReason,
    disabledAt: iso(row.disabledAt),
    lastSuccessAt: iso(row.lastSuccessAt),
    lastFailureAt: iso(row.lastFailureAt),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentDelivery(row: WebhookDeliveryRow): WebhookDeliveryResponse {
  return {
    id: row.id,
    webhookId: row.endpointId,
    eventId: row.eventId,
    eventType: row.eventType as WebhookEventType,
    status: row.status as 'pending',
    attempts: row.attempts,
    nextAttemptAt: iso(row.nextAttemptAt),
    lastAttemptAt: iso(row.lastAttemptAt),
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    lastDurationMs: row.lastDurationMs,
    createdAt: row.createdAt.toISOString(),
  };
}

function checkUrl(c: AppContext, url: string) {
  const { webhooks } = c.get('deps').config;
  const reason = refuseWebhookUrl(url, webhooks);
  if (reason) throw problems.validation([{ location: 'body', path: 'url', message: `The URL ${reason}.` }]);
}

const cursorSchema = z.tuple([z.string().max(40)]);

export const listWebhooksHandler: RouteHandler<typeof listWebhooksRoute, AppEnv> = async (c) => {
  const { limit, cursor } = c.req.valid('query');
  const after = cursor ? decodeCursor(cursor, cursorSchema) : undefined;
  const rows = await listWebhooks(c.get('db'), { tenantId: c.get('principal').tenantId, limit, afterId: after?.[0] });
  return c.json(toPage(rows, limit, presentWebhook, (row) => [row.id]), 200);
};

export const createWebhookHandler: RouteHandler<typeof createWebhookRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const { principal, now, deps } = c.var;
  checkUrl(c, input.url);
  const secret = newWebhookSecret();
  const secretSealed = await sealSecret(secret, deps.config.secretsEncryptionKey);
  const row = await c.get('db').transaction(async (tx) => {
    const created = await insertWebhook(tx, {
      tenantId: principal.tenantId,
      id: newId('webhookEndpoint', now),
      url: input.url,
      description: input.description || null,
      events: input.events,
      secretSealed,
      status: 'active',
      createdByType: principal.actor.type,
      createdById: principal.actor.id,
      createdAt: now,
      updatedAt: now,
    });
    await recordAudit(tx, auditContextOf(c), {
      action: 'webhook.created',
      entityType: 'webhook',
      entityId: created.id,
      changes: { url: created.url, events: created.events },
    });
    return created;
  });
  c.header('Location', `/v1/webhooks/${row.id}`);
  setEtag(c, row.version);
  return c.json({ ...presentWebhook(row), secret }, 201);
};

export const getWebhookHandler: RouteHandler<typeof getWebhookRoute, AppEnv> = async (c) => {
  const row = await requireWebhook(c.get('db'), c.get('principal').tenantId, c.req.valid('param').webhookId);
  setEtag(c, row.version);
  return c.json(presentWebhook(row), 200);
};

export const updateWebhookHandler: RouteHandler<typeof updateWebhookRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const { principal, now } = c.var;
  if (input.url !== undefined) checkUrl(c, input.url);
  const row = await c.get('db').transaction(async (tx) => {
    const current = await requireWebhook(tx, principal.tenantId, c.req.valid('param').webhookId, { forUpdate: true });
    assertIfMatch(c, current.version);
    const changes: WebhookChanges = {};
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    const next = { url: input.url, events: input.events, description: input.description === undefined ? undefined : input.description || null, status: input.status };
    for (const key of ['url', 'events', 'description', 'status'] as const) {
      if (next[key] === undefined || JSON.stringify(next[key]) === JSON.stringify(current[key])) continue;
      Object.assign(changes, { [key]: next[key] });
      diff[key] = { from: current[key], to: next[key] };
    }
    if (changes.status === 'active') Object.assign(changes, { disabledReason: null, disabledAt: null });
    if (changes.status === 'disabled') Object.assign(changes, { disabledReason: 'Disabled by hand.', disabledAt: now });
    if (Object.keys(changes).length === 0) return current;
    const updated = await updateWebhook(tx, current, changes, now);
    await recordAudit(tx, auditContextOf(c), { action: 'webhook.updated', entityType: 'webhook', entityId: current.id, changes: diff });
    return updated;
  });
  setEtag(c, row.version);
  return c.json(presentWebhook(row), 200);
};

export const deleteWebhookHandler: RouteHandler<typeof deleteWebhookRoute, AppEnv> = async (c) => {
  const { principal } = c.var;
  await c.get('db').transaction(async (tx) => {
    const current = await requireWebhook(tx, principal.tenantId, c.req.valid('param').webhookId, { forUpdate: true });
    assertIfMatch(c, current.version);
    await deleteWebhook(tx, principal.tenantId, current.id);
    await recordAudit(tx, auditContextOf(c), { action: 'webhook.deleted', entityType: 'webhook', entityId: current.id, changes: { url: current.url } });
  });
  return c.body(null, 204);
};

export const listWebhookDeliveriesHandler: RouteHandler<typeof listWebhookDeliveriesRoute, AppEnv> = async (c) => {
  const { limit, cursor, status } = c.req.valid('query');
  const tenantId = c.get('principal').tenantId;
  const endpoint = await requireWebhook(c.get('db'), tenantId, c.req.valid('param').webhookId);
  const after = cursor ? decodeCursor(cursor, cursorSchema) : undefined;
  const rows = await listDeliveries(c.get('db'), { tenantId, endpointId: endpoint.id, limit, status, afterId: after?.[0] });
  return c.json(toPage(rows, limit, presentDelivery, (row) => [row.id]), 200);
};

export const redeliverWebhookHandler: RouteHandler<typeof redeliverWebhookRoute, AppEnv> = async (c) => {
  const { webhookId, deliveryId } = c.req.valid('param');
  const { principal, now } = c.var;
  const row = await c.get('db').transaction(async (tx) => {
    const endpoint = await requireWebhook(tx, principal.tenantId, webhookId);
    const delivery = await findDelivery(tx, principal.tenantId, endpoint.id, deliveryId, { forUpdate: true });
    if (!delivery) throw problems.notFound('Delivery');
    if (endpoint.status !== 'active') throw problems.conflict('The endpoint is disabled; PATCH it to `active` first.', 'webhook_disabled');
    const queued = await queueRedelivery(tx, delivery, now);
    await recordAudit(tx, auditContextOf(c), {
      action: 'webhook.redelivery_requested',
      entityType: 'webhook',
      entityId: endpoint.id,
      changes: { deliveryId: delivery.id, eventId: delivery.eventId, previousStatus: delivery.status },
    });
    return queued;
  });
  return c.json(presentDelivery(row), 202);
};
