import { z } from '@hono/zod-openapi';
import { SUPPLIER_TIERS } from '../../catalog/supplier-profile';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { DateTimeSchema, idParam, orNull } from '../../lib/schemas';
import { RISK_RATINGS } from '../../scoring/types';

const SUPPLIER_ID_EXAMPLE = 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';
const SCORE_ID_EXAMPLE = 'rsk_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';
const RECALCULATION_ID_EXAMPLE = 'rcl_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';

export const SupplierRiskParams = z.object({ supplierId: idParam('supplierId', 'supplier', SUPPLIER_ID_EXAMPLE) });
export const RecalculationIdParams = z.object({ recalculationId: idParam('recalculationId', 'recalculation', RECALCULATION_ID_EXAMPLE) });

export const RiskHistoryQuery = z.object({ ...paginationQuery });

export const RiskScoreFactorSchema = z
  .object({
    group: z.enum(['inherent', 'control', 'penalty']).openapi({
      description: '`inherent`: points added to inherent risk. `control`: points of control strength. `penalty`: points added to residual risk.',
    }),
    key: z.string().openapi({ description: 'Stable key, e.g. `accessLevel`, `domain:access-control`, `findings:high`.', example: 'accessLevel' }),
    label: z.string().openapi({ example: 'Access to our systems' }),
    input: z.union([z.string(), z.number(), z.boolean(), z.null()]).openapi({ description: 'The input value the factor saw.', example: 'ot_network' }),
    contribution: z.number().openapi({ description: 'Points the factor contributes.', example: 25 }),
  })
  .openapi('RiskScoreFactor');

const RatingSchema = z.enum(RISK_RATINGS).openapi('RiskRating', { example: 'high' });
const TierSchema = z.enum(SUPPLIER_TIERS);

export const RiskScoreSchema = z
  .object({
    id: z.string().openapi({ example: SCORE_ID_EXAMPLE }),
    supplierId: z.string().openapi({ example: SUPPLIER_ID_EXAMPLE }),
    modelVersion: z.number().int().openapi({ description: 'The risk model version it was computed with (0: the built-in model).', example: 0 }),
    inherentRisk: z.number().int().openapi({ description: 'Inherent risk, 0–100, from profile, services and supply chain.', example: 78 }),
    tier: TierSchema.openapi({ description: 'The tier in force: the override when there is one.', example: 'critical' }),
    computedTier: TierSchema.openapi({ description: 'The tier inherent risk gives.', example: 'critical' }),
    tierOverridden: z.boolean().openapi({ example: false }),
    controlStrength: z.number().int().openapi({ description: 'Control strength, 0–100, from accepted answers, certifications and clauses.', example: 35 }),
    residualRisk: z.number().int().openapi({ description: 'Residual risk, 0–100: inherent risk reduced by control strength, plus penalties.', example: 66 }),
    rating: RatingSchema,
    summary: z.string().openapi({
      description: 'One or two sentences a risk manager can act on.',
      example: 'High residual risk (66): OT network access with weak remote-access controls. Act first on: Access to our systems.',
    }),
    topFactor: orNull(RiskScoreFactorSchema).openapi({ description: 'The factor that raises residual risk the most: what to act on first.' }),
    factors: z.array(RiskScoreFactorSchema).openapi({ description: 'Every factor with its input and contribution, most important first within each group.' }),
    trigger: z.string().openapi({ description: 'What caused this score: `profile`, `service`, `supply_chain`, `assessment`, `evidence`, `finding`, `date`, `recalculation`…', example: 'assessment' }),
    computedAt: DateTimeSchema.openapi({ description: 'When the result last changed (a re-score with the same result keeps this score).' }),
  })
  .openapi('RiskScore');

export const RiskScorePageSchema = pageSchema(RiskScoreSchema, 'RiskScorePage');

export const RECALCULATION_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;

export const RecalculationSchema = z
  .object({
    id: z.string().openapi({ example: RECALCULATION_ID_EXAMPLE }),
    status: z.enum(RECALCULATION_STATUSES).openapi({ example: 'running' }),
    total: z.number().int().openapi({ description: 'Suppliers to re-score (archived ones are left out).', example: 10_000 }),
    processed: z.number().int().openapi({ example: 4_500 }),
    changed: z.number().int().openapi({ description: 'Suppliers whose score changed.', example: 1_200 }),
    modelVersion: z.number().int().openapi({ description: 'The model version in force when it was requested.', example: 3 }),
    error: z.string().nullable().openapi({ description: 'Why it failed, when it did.', example: null }),
    createdAt: DateTimeSchema,
    startedAt: DateTimeSchema.nullable(),
    finishedAt: DateTimeSchema.nullable(),
  })
  .openapi('RiskRecalculation');
