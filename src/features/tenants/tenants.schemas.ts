import { z } from '@hono/zod-openapi';
import { TENANT_REGIME_CODES, TENANT_REGIMES } from '../../catalog/clauses';
import { CreatedApiKeySchema } from '../api-keys/api-keys.schemas';
import { DEFAULT_CONTRACT_ALERT_DAYS, DEFAULT_EVIDENCE_ALERT_DAYS, MAX_ALERT_DAYS, MAX_ALERT_LEAD_TIMES } from '../../catalog/deadline-alerts';
import { isValidMailAddress } from '../../lib/mail/outbox';

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
  })
  .strict()
  .openapi('UpdateTenant', {
    description: 'Fields left out keep their value.',
    example: { regime: 'both', notificationEmail: 'supplier-risk@stadtwerke.example', contractAlertDays: [120, 60, 14] },
  });
