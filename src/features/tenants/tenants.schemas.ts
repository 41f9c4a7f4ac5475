import { z } from '@hono/zod-openapi';
import { TENANT_REGIME_CODES, TENANT_REGIMES } from '../../catalog/clauses';
import { CreatedApiKeySchema } from '../api-keys/api-keys.schemas';

export const TenantRegimeSchema = z.enum(TENANT_REGIME_CODES).openapi('TenantRegime', {
  description: `Which rules decide the contract clauses that apply. ${Object.entries(TENANT_REGIMES)
    .map(([code, text]) => `\`${code}\`: ${text}`)
    .join(' ')}`,
  example: 'nis2',
});

export const TenantSchema = z
  .object({
    id: z.string().openapi({ example: 'ten_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    name: z.string().openapi({ example: 'Rhein Energie Netz GmbH' }),
    regime: TenantRegimeSchema,
    version: z.number().int().openapi({ example: 1 }),
    createdAt: z.iso.datetime().openapi({ example: '2026-11-02T09:30:00.000Z' }),
    updatedAt: z.iso.datetime().openapi({ example: '2026-11-02T09:30:00.000Z' }),
  })
  .openapi('Tenant');

export const CreateTenantSchema = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: 'Rhein Energie Netz GmbH' }),
  })
  .strict()
  .openapi('CreateTenant', { example: { name: 'Rhein Energie Netz GmbH' } });

export const CreatedTenantSchema = z
  .object({
    tenant: TenantSchema,
    apiKey: CreatedApiKeySchema,
  })
  .openapi('CreatedTenant');

export const UpdateTenantSchema = z
  .object({ regime: TenantRegimeSchema.optional() })
  .strict()
  .openapi('UpdateTenant', { description: 'Fields left out keep their value.', example: { regime: 'both' } });
