import { z } from '@hono/zod-openapi';
import { TENANT_REGIME_CODES, TENANT_REGIMES } from '../../catalog/clauses';
import { CreatedApiKeySchema } from '../api-keys/api-keys.schemas';
import { DEFAULT_CONTRACT_ALERT_DAYS, DEFAULT_EVIDENCE_ALERT_DAYS, MAX_ALERT_DAYS, MAX_ALERT_LEAD_TIMES } from '../../catalog/deadline-alerts';
import { isValidMailAddress } from '../../lib/mail/outbox';
import { DORA_ENTITY_TYPE_CODES, DORA_ENTITY_TYPES } from '../../catalog/dora-register';
import { isValidLei } from '../../lib/identifiers';
import { CountryCodeSchema } from '../../lib/schemas';

export const DoraEntityTypeSchema = z.enum(DORA_ENTITY_TYPE_CODES as [string, ...string[]]).openapi('DoraEntityType', {
  description: `Type of financial entity for the DORA Register of Information (B_01.01.0040): ${Object.entries(DORA_ENTITY_TYPES)
    .map(([code, { name }]) => `\`${code}\` ${name}`)
    .join('; ')}.`,
  example: 'credit_institution',
});

const TenantLeiSchema = z
  .string()
  .max(64, { abort: true })
  .trim()
  .toUpperCase()
  .refine(isValidLei, 'must be a valid LEI: 20 characters with ISO 17442 check digits')
  .openapi({ description: 'The entity\'s own Legal Entity Identifier (ISO 17442, check digits verified), reported in B_01.01 and as the entityID of the DORA Register of Information.', example: '529900T8BM49AURSDO55' });
const tenantDoraFields = {
  country: CountryCodeSchema.openapi({ description: 'Country where the entity is authorised (ISO 3166-1 alpha-2), B_01.01.0030; also names the package.', example: 'DE' }),
  competentAuthority: z.string().trim().min(1).max(200).openapi({ description: 'The entity\'s competent authority (B_01.01.0050).', example: 'BaFin' }),
};

const alertDays = (what: string, example: readonly number[]) =>
  z
    .array(z.number().int().min(0).max(MAX_ALERT_DAYS))
    .min(1)
    .max(MAX_ALERT_LEAD_TIMES)
    .refine((days) => new Set(days).size === days.length, 'must not repeat a day')
    .openapi({
      description: `Days before ${what} at which a deadline alert is raised (0: on the day), from 0 to ${MAX_ALERT_DAYS}, at most ${MAX_ALERT_LEAD_TIMES}.`,
      example: [...example],
    });
const ContractAlertDaysSchema = alertDays('a contract\'s end date and its notice deadline', DEFAULT_CONTRACT_ALERT_DAYS);
const EvidenceAlertDaysSchema = alertDays('evidence stops being valid', DEFAULT_EVIDENCE_ALERT_DAYS);

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
    notificationEmail: z.string().nullable().openapi({
      description: 'Where deadline alerts go when the supplier\'s owner is not an e-mail address; null: alerts are only listed (GET /v1/deadline-alerts).',
      example: 'supplier-risk@stadtwerke.example',
    }),
    contractAlertDays: ContractAlertDaysSchema,
    evidenceAlertDays: EvidenceAlertDaysSchema,
    lei: TenantLeiSchema.nullable(),
    country: tenantDoraFields.country.nullable(),
    entityType: DoraEntityTypeSchema.nullable(),
    competentAuthority: tenantDoraFields.competentAuthority.nullable(),
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
  .object({
    regime: TenantRegimeSchema.optional(),
    notificationEmail: z
      .string()
      .trim()
      .max(254)
      .refine(isValidMailAddress, 'must be an e-mail address such as supplier-risk@example.com')
      .nullable()
      .optional()
      .openapi({ description: 'Where deadline alerts go when the supplier\'s owner is not an e-mail address; null removes it.', example: 'supplier-risk@stadtwerke.example' }),
    contractAlertDays: ContractAlertDaysSchema.optional(),
    evidenceAlertDays: EvidenceAlertDaysSchema.optional(),
    lei: TenantLeiSchema.nullable().optional(),
    country: tenantDoraFields.country.nullable().optional().openapi({ maxLength: 2 }),
    entityType: DoraEntityTypeSchema.nullable().optional(),
    competentAuthority: tenantDoraFields.competentAuthority.nullable().optional(),
  })
  .strict()
  .openapi('UpdateTenant', {
    description: 'Fields left out keep their value.',
    example: { regime: 'both', notificationEmail: 'supplier-risk@stadtwerke.example', contractAlertDays: [120, 60, 14], lei: '529900T8BM49AURSDO55', country: 'DE', entityType: 'credit_institution', competentAuthority: 'BaFin' },
  });
