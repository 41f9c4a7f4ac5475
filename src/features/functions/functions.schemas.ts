import { z } from '@hono/zod-openapi';
import {
  DISCONTINUATION_IMPACT_CODES,
  DISCONTINUATION_IMPACTS,
  LICENSED_ACTIVITIES,
  LICENSED_ACTIVITY_CODES,
  type DiscontinuationImpact,
  type LicensedActivity,
} from '../../catalog/dora-register';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { DateTimeSchema, idParam, IsoDateSchema, orNull, text } from '../../lib/schemas';

const FUNCTION_ID_EXAMPLE = 'fun_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';

export const DiscontinuationImpactSchema = z
  .enum(DISCONTINUATION_IMPACT_CODES as [DiscontinuationImpact, ...DiscontinuationImpact[]])
  .openapi('DiscontinuationImpact', {
    description: `Impact of discontinuing (DORA RoI B_06.01.0100, B_07.01.0100): ${Object.entries(DISCONTINUATION_IMPACTS)
      .map(([code, { name }]) => `\`${code}\` ${name}`)
      .join('; ')}.`,
    example: 'high',
  });

export const LicensedActivitySchema = z.enum(LICENSED_ACTIVITY_CODES as [LicensedActivity, ...LicensedActivity[]]).openapi('LicensedActivity', {
  description: `Licensed activity the function belongs to (DORA RoI B_06.01.0020), as the EBA code: ${Object.entries(LICENSED_ACTIVITIES)
    .map(([code, name]) => `\`${code}\` ${name}`)
    .join('; ')}.`,
  example: 'x162',
});

const hours = (what: string) =>
  z.number().int().min(0).max(87_600).openapi({ description: `${what} of the function in hours (0 to 87,600).`, example: 4 });

const functionFields = {
  identifier: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .regex(/^[A-Za-z0-9._-]+$/, 'Letters, digits, dots, hyphens and underscores only.')
    .openapi({ description: 'The RoI function identifier (B_06.01.0010), unique in the tenant. The ITS uses F1, F2, …; the validation warns about other forms.', example: 'F1' }),
  name: text(200).openapi({ example: 'Payment processing' }),
  licensedActivity: LicensedActivitySchema,
  criticalOrImportant: z.boolean().openapi({
    description: 'The function is critical or important (DORA Art. 3(22)); null: the assessment was not performed.',
    example: true,
  }),
  criticalityReasons: text(300).openapi({ description: 'Why the function is (not) critical or important (B_06.01.0060), at most 300 characters.', example: 'Interruption would stop client payments within hours.' }),
  lastCriticalityAssessmentOn: IsoDateSchema.openapi({ description: 'Date of the last criticality assessment (B_06.01.0070), YYYY-MM-DD.', example: '2026-03-31' }),
  rtoHours: hours('Recovery time objective'),
  rpoHours: hours('Recovery point objective'),
  discontinuationImpact: DiscontinuationImpactSchema,
};

const CREATE_EXAMPLE = {
  identifier: 'F1',
  name: 'Payment processing',
  licensedActivity: 'x222',
  criticalOrImportant: true,
  criticalityReasons: 'Interruption would stop client payments within hours.',
  lastCriticalityAssessmentOn: '2026-03-31',
  rtoHours: 4,
  rpoHours: 1,
  discontinuationImpact: 'high',
};

export const FunctionSchema = z
  .object({
    id: z.string().openapi({ example: FUNCTION_ID_EXAMPLE }),
    identifier: z.string().openapi({ description: 'The RoI function identifier (B_06.01.0010), unique in the tenant.', example: 'F1' }),
    name: z.string().openapi({ description: 'Function name (B_06.01.0030).', example: 'Payment processing' }),
    licensedActivity: orNull(LicensedActivitySchema),
    criticalOrImportant: z.boolean().nullable().openapi({ description: 'Critical or important function (DORA Art. 3(22), B_06.01.0050); null: the assessment was not performed.', example: true }),
    criticalityReasons: z.string().nullable().openapi({ description: 'Reasons for the criticality assessment (B_06.01.0060).' }),
    lastCriticalityAssessmentOn: z.string().nullable().openapi({ description: 'Date of the last criticality assessment (B_06.01.0070).', example: '2026-03-31' }),
    rtoHours: z.number().int().nullable().openapi({ description: 'Recovery time objective in hours (B_06.01.0080).', example: 4 }),
    rpoHours: z.number().int().nullable().openapi({ description: 'Recovery point objective in hours (B_06.01.0090).', example: 1 }),
    discontinuationImpact: orNull(DiscontinuationImpactSchema),
    serviceCount: z.number().int().openapi({ description: 'ICT services that support it.', example: 2 }),
    version: z.number().int().openapi({ example: 1 }),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  })
  .openapi('Function', {
    example: {
      id: FUNCTION_ID_EXAMPLE,
      ...CREATE_EXAMPLE,
      serviceCount: 2,
      version: 1,
      createdAt: '2026-11-02T09:32:00.000Z',
      updatedAt: '2026-11-02T09:32:00.000Z',
    },
  });

export const FunctionPageSchema = pageSchema(FunctionSchema, 'FunctionPage');

/** Everything but identifier and name: optional, null clears (the same on create and PATCH). */
const optionalFunctionFields = {
  licensedActivity: orNull(functionFields.licensedActivity).optional(),
  criticalOrImportant: functionFields.criticalOrImportant.nullable().optional(),
  criticalityReasons: functionFields.criticalityReasons.nullable().optional(),
  lastCriticalityAssessmentOn: functionFields.lastCriticalityAssessmentOn.nullable().optional(),
  rtoHours: functionFields.rtoHours.nullable().optional(),
  rpoHours: functionFields.rpoHours.nullable().optional(),
  discontinuationImpact: orNull(functionFields.discontinuationImpact).optional(),
};

export const CreateFunctionSchema = z
  .object({ identifier: functionFields.identifier, name: functionFields.name, ...optionalFunctionFields })
  .strict()
  .openapi('CreateFunction', {
    example: CREATE_EXAMPLE,
  });

export const UpdateFunctionSchema = z
  .object({ identifier: functionFields.identifier.optional(), name: functionFields.name.optional(), ...optionalFunctionFields })
  .strict()
  .openapi('UpdateFunction', { description: 'Fields left out keep their value; null clears one.', example: { rtoHours: 2, rpoHours: 0 } });

export type FunctionInput = z.infer<typeof CreateFunctionSchema>;
export type FunctionPatch = z.infer<typeof UpdateFunctionSchema>;

export const FunctionParams = z.object({ functionId: idParam('functionId', 'function', FUNCTION_ID_EXAMPLE) });

export const ListFunctionsQuery = z.object({
  ...paginationQuery,
  criticalOrImportant: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .openapi({ description: 'Only functions assessed as critical or important (true) or as not (false).', example: 'true' }),
});
