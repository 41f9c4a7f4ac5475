import { z } from '@hono/zod-openapi';
import { DateTimeSchema, orNull } from '../../lib/schemas';
import { RiskModelSchema } from '../../scoring/risk-model';

export const RiskModelActorSchema = z
  .object({
    type: z.string().openapi({ example: 'api_key' }),
    id: z.string().openapi({ example: 'key_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
  })
  .openapi('RiskModelActor');

export const RiskModelResponseSchema = z
  .object({
    version: z.number().int().openapi({ description: 'Increments with every PUT; 0 is the built-in model. Also the ETag.', example: 2 }),
    model: RiskModelSchema,
    builtIn: z.boolean().openapi({ description: 'True while the tenant has not stored a model of its own.', example: false }),
    updatedAt: orNull(DateTimeSchema).openapi({ description: 'When this version was stored; null for the built-in model.' }),
    updatedBy: orNull(RiskModelActorSchema).openapi({ description: 'Who stored this version; null for the built-in model.' }),
  })
  .openapi('RiskModel');
