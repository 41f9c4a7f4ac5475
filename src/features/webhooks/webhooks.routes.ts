import { z } from '@hono/zod-openapi';
import { defineRoute } from '../../lib/router';
import {
  CreatedWebhookSchema,
  CreateWebhookSchema,
  ListDeliveriesQuery,
  ListWebhooksQuery,
  UpdateWebhookSchema,
  WebhookDeliveryPageSchema,
  WebhookDeliveryParams,
  WebhookDeliverySchema,
  WebhookIdParams,
  WebhookPageSchema,
  WebhookSchema,
} from './webhooks.schemas';

const tags = ['Webhooks'];
const webhookResponse = (description: string) => ({ description, content: { 'application/json': { schema: WebhookSchema } } });

export const listWebhooksRoute = defineRoute({
  method: 'get',
  path: '/v1/webhooks',
  operationId: 'listWebhooks',
  summary: 'List webhook endpoints',
  description: 'Keyset-paginated, newest first. Secrets are never shown again.',
  tags,
  access: 'webhooks:read',
  request: { query: ListWebhooksQuery },
  responses: { 200: { description: 'A page of endpoints.', content: { 'application/json': { schema: WebhookPageSchema } } } },
});

export const createWebhookRoute = defineRoute({
  method: 'post',
  path: '/v1/webhooks',
  operationId: 'createWebhook',
  summary: 'Add a webhook endpoint',
  description: [
    'Events are POSTed as JSON `{"type", "timestamp", "data"}` and signed per Standard Webhooks: `webhook-id` (the event id, the same on every attempt: dedupe on it), `webhook-timestamp` (seconds) and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body` with the secret\'s bytes).',
    'Delivery is at least once: events are written in the transaction of the change, attempted at once and retried with backoff (5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 12 h, 24 h); a 2xx answer within the timeout is success, anything else (redirects included) a failure. An endpoint still failing 24 hours after an event is disabled, with notice.',
    'The `secret` is in this response only (sealed at rest). Audited as `webhook.created`.',
  ].join('\n\n'),
  tags,
  access: 'webhooks:write',
  request: { body: { required: true, content: { 'application/json': { schema: CreateWebhookSchema } } } },
  responses: {
    201: {
      description: 'The endpoint with its signing secret; `Location` names it.',
      headers: z.object({ Location: z.string().openapi({ example: '/v1/webhooks/whk_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }) }),
      content: { 'application/json': { schema: CreatedWebhookSchema } },
    },
  },
});

export const getWebhookRoute = defineRoute({
  method: 'get',
  path: '/v1/webhooks/{webhookId}',
  operationId: 'getWebhook',
  summary: 'Get a webhook endpoint',
  description: 'Carries an ETag for If-Match.',
  tags,
  access: 'webhooks:read',
  request: { params: WebhookIdParams },
  responses: { 200: webhookResponse('The endpoint.') },
});

export const updateWebhookRoute = defineRoute({
  method: 'patch',
  path: '/v1/webhooks/{webhookId}',
  operationId: 'updateWebhook',
  summary: 'Change a webhook endpoint',
  description: 'URL, events, description, or `status`: `active` re-enables a disabled endpoint (its waiting deliveries resume), `disabled` pauses it. Audited as `webhook.updated`.',
  tags,
  access: 'webhooks:write',
  ifMatch: true,
  request: { params: WebhookIdParams, body: { required: true, content: { 'application/json': { schema: UpdateWebhookSchema } } } },
  responses: { 200: webhookResponse('The changed endpoint.') },
});

export const deleteWebhookRoute = defineRoute({
  method: 'delete',
  path: '/v1/webhooks/{webhookId}',
  operationId: 'deleteWebhook',
  summary: 'Delete a webhook endpoint',
  description: 'Removes the endpoint and its delivery log; nothing more is sent to it. Audited as `webhook.deleted`.',
  tags,
  access: 'webhooks:write',
  ifMatch: true,
  request: { params: WebhookIdParams },
  responses: { 204: { description: 'Deleted.' } },
});

export const listWebhookDeliveriesRoute = defineRoute({
  method: 'get',
  path: '/v1/webhooks/{webhookId}/deliveries',
  operationId: 'listWebhookDeliveries',
  summary: 'List an endpoint\'s deliveries',
  description: 'The delivery log, newest first: each event sent to this endpoint, its attempts and the last answer. Filter by `status`.',
  tags,
  access: 'webhooks:read',
  request: { params: WebhookIdParams, query: ListDeliveriesQuery },
  responses: { 200: { description: 'A page of deliveries.', content: { 'application/json': { schema: WebhookDeliveryPageSchema } } } },
});

export const redeliverWebhookRoute = defineRoute({
  method: 'post',
  path: '/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver',
  operationId: 'redeliverWebhook',
  summary: 'Redeliver an event',
  description: 'Queues one more attempt now for a delivery in any state (same `webhook-id`, fresh timestamp and signature); the dispatcher sends it within seconds. A disabled endpoint must be re-enabled first (409 `webhook_disabled`). Audited as `webhook.redelivery_requested`.',
  tags,
  access: 'webhooks:write',
  errors: [409],
  request: { params: WebhookDeliveryParams },
  responses: { 202: { description: 'Queued.', content: { 'application/json': { schema: WebhookDeliverySchema } } } },
});
