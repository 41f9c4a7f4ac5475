import { createRouter } from '../../lib/router';
import { createApiKeyHandler, getApiKeyHandler, listApiKeysHandler, revokeApiKeyHandler } from './api-keys.handlers';
import { createApiKeyRoute, getApiKeyRoute, listApiKeysRoute, revokeApiKeyRoute } from './api-keys.routes';

export const apiKeysRouter = createRouter()
  .openapi(listApiKeysRoute, listApiKeysHandler)
  .openapi(createApiKeyRoute, createApiKeyHandler)
  .openapi(getApiKeyRoute, getApiKeyHandler)
  .openapi(revokeApiKeyRoute, revokeApiKeyHandler);
