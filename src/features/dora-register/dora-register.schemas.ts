import { z } from '@hono/zod-openapi';
import { DORA_REPORTED_TEMPLATES } from '../../catalog/dora-register';
import { IsoDateSchema } from '../../lib/schemas';

export const RegisterQuery = z.object({
  referenceDate: IsoDateSchema.optional().openapi({
    description: 'The date the register describes (YYYY-MM-DD): contracts in force on it are reported. Default: 31 December of last year (UTC), the date of the yearly submission.',
    example: '2025-12-31',
  }),
});

/** A ZIP archive; the bytes are streamed. */
export const ZipSchema = z.string().openapi({ format: 'binary', description: 'An xBRL-CSV report package (application/zip).' });

export const zipHeaders = z.object({
  'Content-Disposition': z.string().openapi({ example: 'attachment; filename="529900T8BM49AURSDO55.IND_DE_DORA010100_DORA_2025-12-31_20260115093000000.zip"' }),
  'Chainproof-Register-Problems': z.string().openapi({
    description: 'How many errors GET /v1/exports/dora-register-of-information/validation lists for the same reference date; above 0 the package is a draft that the supervisor would reject.',
    example: '0',
  }),
});

const ProblemRecordSchema = z
  .object({
    type: z.enum(['tenant', 'supplier', 'contract', 'service', 'function']).openapi({ example: 'service' }),
    id: z.string().openapi({ example: 'svc_01JD6SC3N5Q7S9V1W3Y5A7C9E1' }),
    href: z.string().openapi({ description: 'The API resource to fix.', example: '/v1/suppliers/sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A/services/svc_01JD6SC3N5Q7S9V1W3Y5A7C9E1' }),
  })
  .openapi('RegisterProblemRecord');

export const RegisterProblemSchema = z
  .object({
    code: z.string().openapi({ description: 'Stable problem code, e.g. `tenant_lei_missing`, `provider_identifier_missing`, `service_assessment_missing`.', example: 'service_assessment_missing' }),
    severity: z.enum(['error', 'warning']).openapi({ description: '`error`: the filing would fail; `warning`: it passes, but the supervisor would likely query it.', example: 'error' }),
    template: z.enum(DORA_REPORTED_TEMPLATES).openapi({ example: 'B_07.01' }),
    column: z.string().openapi({ description: 'The column code in that template.', example: 'c0050' }),
    message: z.string().openapi({ example: 'Service "Core banking hosting" supports a critical or important function but its B_07.01 assessment lacks substitutability (c0050).' }),
    record: ProblemRecordSchema,
  })
  .openapi('RegisterProblem');

export const RegisterValidationSchema = z
  .object({
    referenceDate: IsoDateSchema,
    ready: z.boolean().openapi({ description: 'No errors: the package can be filed.', example: false }),
    counts: z
      .object({
        errors: z.number().int(),
        warnings: z.number().int(),
        contracts: z.number().int().openapi({ description: 'Contracts in force at the reference date.' }),
        providers: z.number().int().openapi({ description: 'Direct providers and subcontractors reported.' }),
        functions: z.number().int(),
        rows: z.record(z.string(), z.number().int()).openapi({ description: 'Rows per template file.', example: { 'B_02.01': 12 } }),
      })
      .openapi('RegisterCounts'),
    problems: z.array(RegisterProblemSchema),
  })
  .openapi('RegisterValidation', {
    example: {
      referenceDate: '2025-12-31',
      ready: false,
      counts: { errors: 1, warnings: 0, contracts: 12, providers: 9, functions: 4, rows: { 'B_01.01': 1, 'B_02.01': 12 } },
      problems: [
        {
          code: 'tenant_lei_missing',
          severity: 'error',
          template: 'B_01.01',
          column: 'c0010',
          message: 'The entity has no LEI. Set `lei` with PATCH /v1/tenant.',
          record: { type: 'tenant', id: 'ten_01JD6S9Q7Y3M8V5R2T4W6X8Z0A', href: '/v1/tenant' },
        },
      ],
    },
  });
