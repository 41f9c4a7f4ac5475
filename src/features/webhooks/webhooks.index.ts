import { createRouter } from '../../lib/router';
import {
  createWebhookHandler,
  deleteWebhookHandler,
  getWebhookHandler,
  listWebhookDeliveriesHandler,
  listWebhooksHandler,
  redeliverWebhookHandler,
  updateWebhookHandler,
} from './webhooks.handlers';
import {
  createWebhookRoute,
  deleteWebhookRoute,
  getWebhookRoute,
  listWebhookDeliveriesRoute,
  listWebhooksRoute,
  redeliverWebhookRoute,
  updateWebhookRoute,
} from './webhooks.routes';

export const webhooksRouter = createRouter()
  .openapi(listWebhooksRoute, listWebhooksHandler)
  .openapi(createWebhookRoute, createWebhookHandler)
  .openapi(getWebhookRoute, getWebhookHandler)
  .openapi(updateWebhookRoute, updateWebhookHandler)
  .openapi(deleteWebhookRoute, deleteWebhookHandler)
  .openapi(listWebhookDeliveriesRoute, listWebhookDeliveriesHandler)
  .openapi(redeliverWebhookRoute, redeliverWebhookHandler);
