import { z } from '@hono/zod-openapi';
import { ALL_SCOPES } from '../../catalog/access';
import { idPattern } from '../../lib/ids';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { dateTimeWithOffset } from '../../lib/schemas';

export const ScopeSchema = z.enum(ALL_SCOPES as [string, ...string[]]).openapi('Scope', { example: 'suppliers:read' });

export const ApiKeySchema = z
  .object({
    id: z.string().openapi({ example: 'key_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    name: z.string().openapi({ example: 'SAP S/4HANA vendor sync' }),
    prefix: z.string().openapi({ description: 'The first characters of the key, to tell keys apart.', example: 'cp_7hQ2xK' }),
    scopes: z.array(ScopeSchema).openapi({ example: ['suppliers:read', 'suppliers:write'] }),
    createdBy: z.object({ type: z.string(), id: z.string() }).openapi({ example: { type: 'api_key', id: 'key_01JD6S9Q7Y3M8V5R2T4W6X8Z0B' } }),
    createdAt: z.iso.datetime().openapi({ example: '2026-11-02T09:30:00.000Z' }),
    expiresAt: z.iso.datetime().nullable().openapi({ example: null }),
    lastUsedAt: z.iso.datetime().nullable().openapi({ example: '2026-11-20T14:02:11.000Z' }),
    revokedAt: z.iso.datetime().nullable().openapi({ example: null }),
    status: z.enum(['active', 'revoked', 'expired']).openapi({ example: 'active' }),
  })
  .openapi('ApiKey');

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({
    description: 'The secret key. Shown only in this response; store it now.',
    example: 'cp_7hQ2xK9mN4pL6rT8vW0yZ2bD4fH6jK8mP0rS2uW4',
  }),
}).openapi('CreatedApiKey');

export const CreateApiKeySchema = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: 'SAP S/4HANA vendor sync' }),
    scopes: z
      .array(ScopeSchema)
      .min(1)
      .max(ALL_SCOPES.length)
      .refine((scopes) => new Set(scopes).size === scopes.length, 'Scopes must not repeat.')
      .openapi({ description: 'What the key may do; at most the scopes of the credential creating it.', example: ['suppliers:read', 'suppliers:write'] }),
    expiresAt: dateTimeWithOffset().optional().openapi({ example: '2027-11-01T00:00:00Z' }),
  })
  .strict()
  .openapi('CreateApiKey', { example: { name: 'SAP S/4HANA vendor sync', scopes: ['suppliers:read', 'suppliers:write'] } });

export const ApiKeyIdParams = z.object({
  apiKeyId: z
    .string()
    .regex(idPattern('apiKey'), 'Not an API key id.')
    .openapi({ param: { name: 'apiKeyId', in: 'path' }, example: 'key_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
});

export const ListApiKeysQuery = z.object({
  ...paginationQuery,
  status: z.enum(['active', 'revoked', 'expired']).optional().openapi({ description: 'Only keys in this state.', example: 'active' }),
});

export const ApiKeyPageSchema = pageSchema(ApiKeySchema, 'ApiKeyPage');
