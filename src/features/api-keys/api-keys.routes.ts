import { defineRoute } from '../../lib/router';
import {
  ApiKeyIdParams,
  ApiKeyPageSchema,
  ApiKeySchema,
  CreateApiKeySchema,
  CreatedApiKeySchema,
  ListApiKeysQuery,
} from './api-keys.schemas';

const tags = ['API keys'];

export const listApiKeysRoute = defineRoute({
  method: 'get',
  path: '/v1/api-keys',
  operationId: 'listApiKeys',
  summary: 'List API keys',
  description: 'Newest first. Secrets are never returned; `prefix` tells keys apart.',
  tags,
  access: 'api_keys:read',
  request: { query: ListApiKeysQuery },
  responses: {
    200: { description: 'A page of API keys.', content: { 'application/json': { schema: ApiKeyPageSchema } } },
  },
});

export const createApiKeyRoute = defineRoute({
  method: 'post',
  path: '/v1/api-keys',
  operationId: 'createApiKey',
  summary: 'Create an API key',
  description: 'The response holds the key itself, once. Only its SHA-256 hash is stored. A key can only be given scopes that the caller holds.',
  tags,
  access: 'api_keys:write',
  request: { body: { required: true, content: { 'application/json': { schema: CreateApiKeySchema } } } },
  responses: {
    201: { description: 'The new key, with its secret.', content: { 'application/json': { schema: CreatedApiKeySchema } } },
  },
});

export const getApiKeyRoute = defineRoute({
  method: 'get',
  path: '/v1/api-keys/{apiKeyId}',
  operationId: 'getApiKey',
  summary: 'Get an API key',
  description: 'Its name, prefix, scopes, status and last use. Never the secret.',
  tags,
  access: 'api_keys:read',
  request: { params: ApiKeyIdParams },
  responses: {
    200: { description: 'The API key, without its secret.', content: { 'application/json': { schema: ApiKeySchema } } },
  },
});

export const revokeApiKeyRoute = defineRoute({
  method: 'delete',
  path: '/v1/api-keys/{apiKeyId}',
  operationId: 'revokeApiKey',
  summary: 'Revoke an API key',
  description: 'The key stops working at once. Revoking a revoked key changes nothing and also answers 204.',
  tags,
  access: 'api_keys:write',
  ifMatch: true,
  request: { params: ApiKeyIdParams },
  responses: { 204: { description: 'Revoked.' } },
});
