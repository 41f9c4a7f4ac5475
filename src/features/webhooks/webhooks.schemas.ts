import { z } from '@hono/zod-openapi';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_EVENTS } from '../../catalog/webhook-events';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { DateTimeSchema, idParam } from '../../lib/schemas';

const WEBHOOK_ID_EXAMPLE = 'whk_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';
const DELIVERY_ID_EXAMPLE = 'dlv_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';

export const WebhookIdParams = z.object({ webhookId: idParam('webhookId', 'webhookEndpoint', WEBHOOK_ID_EXAMPLE) });
export const WebhookDeliveryParams = z.object({
  webhookId: idParam('webhookId', 'webhookEndpoint', WEBHOOK_ID_EXAMPLE),
  deliveryId: idParam('deliveryId', 'webhookDelivery', DELIVERY_ID_EXAMPLE),
});

export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES).openapi('WebhookEventType', {
  description: Object.entries(WEBHOOK_EVENTS)
    .map(([type, text]) => `\`${type}\`: ${text}`)
    .join(' '),
  example: 'supplier.created',
});

const EventListSchema = z
  .array(WebhookEventTypeSchema)
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((events) => new Set(events).size === events.length, 'must not repeat an event')
  .openapi({ description: 'The events it wants.', example: ['supplier.created', 'supplier.updated', 'risk.rating_changed'] });

const UrlSchema = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .openapi({
    description: 'Where events are POSTed. https in production; private, loopback and link-local hosts are refused unless WEBHOOK_ALLOWED_HOSTS names them; redirects are not followed.',
    example: 'https://erp.example.com/hooks/chainproof',
  });

const DescriptionSchema = z.string().trim().max(500).openapi({ example: 'SAP S/4HANA supplier master sync' });

export const WebhookStatusSchema = z.enum(['active', 'disabled']).openapi('WebhookStatus', {
  description: '`disabled` endpoints get no new deliveries and their pending ones wait; the dispatcher disables an endpoint whose delivery failed for 24 hours (with notice to the tenant\'s notification address). PATCH `active` turns it back on.',
});

export const WebhookSchema = z
  .object({
    id: z.string().openapi({ example: WEBHOOK_ID_EXAMPLE }),
    url: z.string().openapi({ example: 'https://erp.example.com/hooks/chainproof' }),
    description: z.string().nullable(),
    events: z.array(WebhookEventTypeSchema),
    status: WebhookStatusSchema,
    disabledReason: z.string().nullable().openapi({ example: null }),
    disabledAt: DateTimeSchema.nullable(),
    lastSuccessAt: DateTimeSchema.nullable(),
    lastFailureAt: DateTimeSchema.nullable(),
    version: z.number().int(),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  })
  .openapi('Webhook');

export type WebhookResponse = z.infer<typeof WebhookSchema>;

export const CreatedWebhookSchema = WebhookSchema.extend({
  secret: z.string().openapi({
    description: 'The signing secret (`whsec_` + base64), shown only now. Verify `webhook-signature` with it, per Standard Webhooks.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }),
}).openapi('CreatedWebhook');

export const WebhookPageSchema = pageSchema(WebhookSchema, 'WebhookPage');

export const CreateWebhookSchema = z
  .object({ url: UrlSchema, events: EventListSchema, description: DescriptionSchema.optional() })
  .strict()
  .openapi('CreateWebhook', { example: { url: 'https://erp.example.com/hooks/chainproof', events: ['supplier.created', 'risk.rating_changed'], description: 'ERP sync' } });

export const UpdateWebhookSchema = z
  .object({ url: UrlSchema.optional(), events: EventListSchema.optional(), description: DescriptionSchema.nullable().optional(), status: WebhookStatusSchema.optional() })
  .strict()
  .openapi('UpdateWebhook', { description: 'Fields left out keep their value.', example: { status: 'active' } });

export const ListWebhooksQuery = z.object({ ...paginationQuery });

export const DeliveryStatusSchema = z.enum(['pending', 'succeeded', 'failed']).openapi('WebhookDeliveryStatus', {
  description: '`pending`: waiting for its next attempt; `succeeded`: the receiver answered 2xx; `failed`: still failing 24 hours after the event, given up (redeliver to try again).',
});

export const WebhookDeliverySchema = z
  .object({
    id: z.string().openapi({ example: DELIVERY_ID_EXAMPLE }),
    webhookId: z.string().openapi({ example: WEBHOOK_ID_EXAMPLE }),
    eventId: z.string().openapi({ description: 'The `webhook-id` header: the same on every attempt.', example: 'msg_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    eventType: WebhookEventTypeSchema,
    status: DeliveryStatusSchema,
    attempts: z.number().int(),
    nextAttemptAt: DateTimeSchema.nullable(),
    lastAttemptAt: DateTimeSchema.nullable(),
    lastStatusCode: z.number().int().nullable().openapi({ description: 'The receiver\'s HTTP status; null when it could not be reached.', example: 503 }),
    lastError: z.string().nullable().openapi({ example: 'HTTP 503: Service Unavailable' }),
    lastDurationMs: z.number().int().nullable(),
    createdAt: DateTimeSchema,
  })
  .openapi('WebhookDelivery');

export type WebhookDeliveryResponse = z.infer<typeof WebhookDeliverySchema>;

export const WebhookDeliveryPageSchema = pageSchema(WebhookDeliverySchema, 'WebhookDeliveryPage');

export const ListDeliveriesQuery = z.object({ ...paginationQuery, status: DeliveryStatusSchema.optional() });
