import { z } from '@hono/zod-openapi';
import { ICT_SERVICE_TYPE_CODES, ICT_SERVICE_TYPES, type IctServiceType } from '../../catalog/ict-service-types';
import { RELIANCE_LEVELS } from '../../catalog/supplier-profile';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { CountryListSchema, DateTimeSchema, idParam, idString, IsoDateSchema, orNull, text } from '../../lib/schemas';
import { DataSensitivitySchema } from '../suppliers/suppliers.schemas';
import {
  NON_SUBSTITUTABILITY_REASON_CODES,
  NON_SUBSTITUTABILITY_REASONS,
  REINTEGRATION_POSSIBILITIES,
  REINTEGRATION_POSSIBILITY_CODES,
  type NonSubstitutabilityReason,
  type ReintegrationPossibility,
} from '../../catalog/dora-register';
import { SUBSTITUTABILITY_LEVELS } from '../../catalog/supplier-profile';
import { DiscontinuationImpactSchema } from '../functions/functions.schemas';

export const ServiceSubstitutabilitySchema = z.enum(SUBSTITUTABILITY_LEVELS).openapi('ServiceSubstitutability', {
  description:
    'How substitutable the provider is for this service (DORA RoI B_07.01.0050): `easy` easily substitutable; `medium` medium complexity; `difficult` highly complex; `not_substitutable`.',
  example: 'difficult',
});
export const NonSubstitutabilityReasonSchema = z
  .enum(NON_SUBSTITUTABILITY_REASON_CODES as [NonSubstitutabilityReason, ...NonSubstitutabilityReason[]])
  .openapi('NonSubstitutabilityReason', {
    description: `Why the provider is not or hardly substitutable (B_07.01.0060): ${Object.entries(NON_SUBSTITUTABILITY_REASONS)
      .map(([code, { name }]) => `\`${code}\` ${name}`)
      .join('; ')}.`,
    example: 'difficult_migration',
  });
export const ReintegrationPossibilitySchema = z
  .enum(REINTEGRATION_POSSIBILITY_CODES as [ReintegrationPossibility, ...ReintegrationPossibility[]])
  .openapi('ReintegrationPossibility', {
    description: `Possibility of bringing the service back in-house (B_07.01.0090): ${Object.entries(REINTEGRATION_POSSIBILITIES)
      .map(([code, { name }]) => `\`${code}\` ${name}`)
      .join('; ')}.`,
    example: 'difficult',
  });

export const IctServiceTypeSchema = z
  .enum(ICT_SERVICE_TYPE_CODES as [IctServiceType, ...IctServiceType[]])
  .openapi('IctServiceType', {
    description: `DORA Register of Information ICT service type (Implementing Regulation (EU) 2024/2956): ${Object.entries(ICT_SERVICE_TYPES)
      .map(([code, name]) => `${code} ${name}`)
      .join('; ')}.`,
    example: 'S19',
  });

export const RelianceSchema = z
  .enum(RELIANCE_LEVELS)
  .openapi('Reliance', { description: 'Level of reliance of the business on the service (DORA RoI B_02.02).', example: 'material' });

export const END_BEFORE_START = 'Must not be before startDate.';

const countries = (description: string) =>
  CountryListSchema.openapi({ description: `${description} ISO 3166-1 alpha-2 codes, each at most once.`, example: ['DE', 'NL'] });

const serviceInputShape = {
  name: text(200).openapi({ example: 'PLC maintenance and remote support' }),
  description: text(2000).nullable().optional().openapi({ example: 'Quarterly maintenance of the S7 PLCs in plant Duisburg; 24/7 remote support.' }),
  serviceType: IctServiceTypeSchema,
  supportedFunction: text(300).nullable().optional().openapi({ description: 'The business function the service supports.', example: 'Water treatment process control' }),
  criticalOrImportant: z.boolean().optional().openapi({
    description: 'The supported function is critical or important (DORA Art. 3(22)). Default false. Feeds the supplier\'s `hasCriticalService`, inherent score and tier.',
    example: true,
  }),
  dataStorageCountries: countries('Where the service stores data.').optional(),
  dataProcessingCountries: countries('Where the service processes data.').optional(),
  dataSensitivity: orNull(DataSensitivitySchema).optional(),
  reliance: orNull(RelianceSchema).optional(),
  startDate: IsoDateSchema.nullable().optional().openapi({ description: 'YYYY-MM-DD.', example: '2024-01-01' }),
  endDate: IsoDateSchema.nullable().optional().openapi({ description: 'YYYY-MM-DD, not before startDate.', example: '2027-12-31' }),
  functionId: idString('function', 'Not a function id.')
    .nullable()
    .optional()
    .openapi({ description: 'The function it supports (GET /v1/functions), whose identifier the DORA Register of Information reports (B_02.02.0050). Must exist in the tenant.', example: 'fun_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
  substitutability: orNull(ServiceSubstitutabilitySchema).optional(),
  nonSubstitutabilityReason: orNull(NonSubstitutabilityReasonSchema).optional(),
  exitPlanExists: z.boolean().nullable().optional().openapi({ description: 'An exit plan exists for the service (B_07.01.0080).', example: true }),
  reintegrationPossibility: orNull(ReintegrationPossibilitySchema).optional(),
  discontinuationImpact: orNull(DiscontinuationImpactSchema).optional(),
  alternativeProvidersIdentified: z
    .boolean()
    .nullable()
    .optional()
    .openapi({ description: 'Alternative providers have been identified (B_07.01.0110); null: not assessed.', example: true }),
  alternativeProviders: text(1000).nullable().optional().openapi({ description: 'Which alternative providers (B_07.01.0120).', example: 'Siemens Digital Industries; ABB Process Automation' }),
};

function datesInOrder(value: { startDate?: string | null; endDate?: string | null }, ctx: z.RefinementCtx) {
  if (value.startDate && value.endDate && value.endDate < value.startDate) {
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: END_BEFORE_START });
  }
}

export const CreateIctServiceSchema = z
  .object(serviceInputShape)
  .strict()
  .superRefine(datesInOrder)
  .openapi('CreateIctService', {
    example: {
      name: 'PLC maintenance and remote support',
      serviceType: 'S14',
      supportedFunction: 'Water treatment process control',
      criticalOrImportant: true,
      dataStorageCountries: ['DE'],
      dataProcessingCountries: ['DE', 'AT'],
      dataSensitivity: 'internal',
      reliance: 'material',
      startDate: '2024-01-01',
      endDate: '2027-12-31',
    },
  });

export const UpdateIctServiceSchema = z
  .object({
    ...serviceInputShape,
    name: serviceInputShape.name.optional(),
    serviceType: IctServiceTypeSchema.optional(),
  })
  .strict()
  .superRefine(datesInOrder)
  .openapi('UpdateIctService', { example: { criticalOrImportant: false, reliance: 'low', endDate: '2026-06-30' } });

export type IctServiceInput = z.infer<typeof CreateIctServiceSchema>;
export type IctServicePatch = z.infer<typeof UpdateIctServiceSchema>;

export const IctServiceSchema = z
  .object({
    id: z.string().openapi({ example: 'svc_01JD6SC3N5Q7S9V1W3Y5A7C9E1' }),
    supplierId: z.string().openapi({ example: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    name: z.string(),
    description: z.string().nullable(),
    serviceType: IctServiceTypeSchema,
    serviceTypeName: z.string().openapi({ description: 'The DORA name of `serviceType`.', example: 'ICT operation management (including maintenance)' }),
    supportedFunction: z.string().nullable(),
    criticalOrImportant: z.boolean(),
    dataStorageCountries: z.array(z.string()),
    dataProcessingCountries: z.array(z.string()),
    dataSensitivity: orNull(DataSensitivitySchema),
    reliance: orNull(RelianceSchema),
    startDate: z.string().nullable().openapi({ example: '2024-01-01' }),
    endDate: z.string().nullable().openapi({ example: '2027-12-31' }),
    functionId: z.string().nullable().openapi({ description: 'The function it supports.', example: 'fun_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    substitutability: orNull(ServiceSubstitutabilitySchema),
    nonSubstitutabilityReason: orNull(NonSubstitutabilityReasonSchema),
    exitPlanExists: z.boolean().nullable().openapi({ description: 'An exit plan exists (B_07.01.0080).' }),
    reintegrationPossibility: orNull(ReintegrationPossibilitySchema),
    discontinuationImpact: orNull(DiscontinuationImpactSchema),
    alternativeProvidersIdentified: z.boolean().nullable().openapi({ description: 'Alternative providers identified (B_07.01.0110); null: not assessed.' }),
    alternativeProviders: z.string().nullable().openapi({ description: 'Which alternative providers (B_07.01.0120).' }),
    version: z.number().int().openapi({ example: 1 }),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  })
  .openapi('IctService', {
    example: {
      id: 'svc_01JD6SC3N5Q7S9V1W3Y5A7C9E1',
      supplierId: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A',
      name: 'PLC maintenance and remote support',
      description: null,
      serviceType: 'S14',
      serviceTypeName: 'ICT operation management (including maintenance)',
      supportedFunction: 'Water treatment process control',
      criticalOrImportant: true,
      dataStorageCountries: ['DE'],
      dataProcessingCountries: ['DE', 'AT'],
      dataSensitivity: 'internal',
      reliance: 'material',
      startDate: '2024-01-01',
      endDate: '2027-12-31',
      functionId: null,
      substitutability: 'difficult',
      nonSubstitutabilityReason: 'difficult_migration',
      exitPlanExists: true,
      reintegrationPossibility: 'difficult',
      discontinuationImpact: 'high',
      alternativeProvidersIdentified: true,
      alternativeProviders: 'Siemens Digital Industries',
      version: 1,
      createdAt: '2026-11-02T09:32:00.000Z',
      updatedAt: '2026-11-02T09:32:00.000Z',
    },
  });

export const IctServicePageSchema = pageSchema(IctServiceSchema, 'IctServicePage');

const supplierIdParam = idParam('supplierId', 'supplier', 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A');

export const ServiceSupplierParams = z.object({ supplierId: supplierIdParam });

export const ServiceParams = z.object({
  supplierId: supplierIdParam,
  serviceId: idParam('serviceId', 'service', 'svc_01JD6SC3N5Q7S9V1W3Y5A7C9E1'),
});

const serviceFilters = {
  ...paginationQuery,
  serviceType: IctServiceTypeSchema.optional().openapi({ description: 'Only services of this DORA type.', example: 'S19' }),
  criticalOrImportant: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .openapi({ description: 'Only services that do (true) or do not (false) support a critical or important function.', example: 'true' }),
};

export const ListSupplierServicesQuery = z.object(serviceFilters);

export const ListServicesQuery = z.object({
  ...serviceFilters,
  supplierId: idString('supplier', 'Not a supplier id.')
    .optional()
    .openapi({ description: 'Only this supplier\'s services.', example: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
});
