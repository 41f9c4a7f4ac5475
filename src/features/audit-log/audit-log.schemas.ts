import { z } from '@hono/zod-openapi';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { dateTimeWithOffset } from '../../lib/schemas';

export const AuditEntrySchema = z
  .object({
    seq: z.number().int().openapi({ description: 'Position in the tenant\'s chain, from 1, without gaps.', example: 42 }),
    id: z.string().openapi({ example: 'aud_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    occurredAt: z.iso.datetime().openapi({ example: '2026-11-20T14:02:11.000Z' }),
    actor: z
      .object({
        type: z.enum(['api_key', 'user', 'platform', 'supplier_contact', 'system']),
        id: z.string(),
      })
      .openapi({ example: { type: 'api_key', id: 'key_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' } }),
    action: z.string().openapi({ example: 'api_key.created' }),
    entityType: z.string().openapi({ example: 'api_key' }),
    entityId: z.string().openapi({ example: 'key_01JD6S9Q7Y3M8V5R2T4W6X8Z0B' }),
    changes: z.record(z.string(), z.unknown()).openapi({ example: { name: 'ERP sync', scopes: ['suppliers:read'] } }),
    requestId: z.string().nullable().openapi({ example: 'b7d9c6a4-3f1e-4a2b-9c8d-7e6f5a4b3c2d' }),
    prevHash: z.string().openapi({ description: 'SHA-256 of the previous entry (zeros for the first).', example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }),
    hash: z.string().openapi({ description: 'SHA-256 over this entry\'s canonical JSON, including prevHash.', example: '60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752' }),
  })
  .openapi('AuditEntry');

export const AuditEntryPageSchema = pageSchema(AuditEntrySchema, 'AuditEntryPage');

const shortText = z.string().min(1).max(200);

export const ListAuditLogQuery = z
  .object({
    ...paginationQuery,
    entityType: shortText.optional().openapi({ description: 'Entries about this kind of entity.', example: 'api_key' }),
    entityId: shortText.optional().openapi({ description: 'Entries about this entity.', example: 'key_01JD6S9Q7Y3M8V5R2T4W6X8Z0B' }),
    actorType: z.enum(['api_key', 'user', 'platform', 'supplier_contact', 'system']).optional().openapi({ example: 'api_key' }),
    actorId: shortText.optional().openapi({ description: 'Entries made by this actor.', example: 'key_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    action: shortText.optional().openapi({ description: 'Entries with this action.', example: 'api_key.revoked' }),
    since: dateTimeWithOffset().optional().openapi({ description: 'Entries at or after this time.', example: '2026-11-01T00:00:00Z' }),
    until: dateTimeWithOffset().optional().openapi({ description: 'Entries before this time.', example: '2026-12-01T00:00:00Z' }),
    order: z.enum(['asc', 'desc']).default('desc').openapi({ description: 'By sequence number; newest first by default.', example: 'desc' }),
  })
  .openapi({ description: 'Filters combine with AND.' });

export const ChainVerificationSchema = z
  .object({
    valid: z.boolean().openapi({ example: true }),
    checked: z.number().int().openapi({ description: 'How many entries were verified before the first break (or in all).', example: 42 }),
    firstBrokenSeq: z.number().int().nullable().openapi({ description: 'The first entry that does not verify, or null.', example: null }),
  })
  .openapi('AuditChainVerification');
