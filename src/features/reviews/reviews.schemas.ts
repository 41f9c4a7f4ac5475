import { z } from '@hono/zod-openapi';
import { CADENCE_REASON, REVIEW_OUTCOMES } from '../../catalog/reviews';
import { RISK_RATINGS } from '../../scoring/types';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { DateTimeSchema, dateTimeWithOffset, orNull, text } from '../../lib/schemas';
import { SupplierTierSchema } from '../suppliers/suppliers.schemas';

const SUPPLIER_ID_EXAMPLE = 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';

export const ReviewOutcomeSchema = z.enum(REVIEW_OUTCOMES).openapi('ReviewOutcome', { example: 'satisfactory' });
const RiskRatingSchema = z.enum(RISK_RATINGS).openapi({ example: 'high' });

export const RecordReviewSchema = z
  .object({
    outcome: ReviewOutcomeSchema.optional(),
    notes: text(4000).optional().openapi({ example: 'Annual review: SOC 2 report renewed, remote access now via the jump host only.' }),
  })
  .strict()
  .openapi('RecordReview', { example: { outcome: 'satisfactory', notes: 'Annual review: SOC 2 report renewed, remote access now via the jump host only.' } });

export const SupplierReviewSchema = z
  .object({
    supplierId: z.string().openapi({ example: SUPPLIER_ID_EXAMPLE }),
    reviewedAt: DateTimeSchema,
    reviewedBy: z.object({ type: z.string(), id: z.string() }).openapi({ example: { type: 'api_key', id: 'key_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' } }),
    outcome: orNull(ReviewOutcomeSchema),
    notes: z.string().nullable(),
    previousReviewDueReason: z.string().nullable().openapi({ description: 'Why the review was due early, if it was; now cleared.', example: 'profile_changed: accessLevel' }),
    nextReviewAt: DateTimeSchema.openapi({ description: 'A full cadence of the supplier\'s tier from now.' }),
  })
  .openapi('SupplierReview', {
    example: {
      supplierId: SUPPLIER_ID_EXAMPLE,
      reviewedAt: '2026-11-20T14:02:11.000Z',
      reviewedBy: { type: 'api_key', id: 'key_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' },
      outcome: 'satisfactory',
      notes: 'Annual review: SOC 2 report renewed, remote access now via the jump host only.',
      previousReviewDueReason: 'profile_changed: accessLevel',
      nextReviewAt: '2027-11-20T14:02:11.000Z',
    },
  });

export const DueReviewSchema = z
  .object({
    supplier: z.object({
      id: z.string().openapi({ example: SUPPLIER_ID_EXAMPLE }),
      name: z.string().openapi({ example: 'Rhein Automation GmbH' }),
      tier: SupplierTierSchema,
      riskRating: orNull(RiskRatingSchema).openapi({ description: 'Null until the supplier is scored.' }),
    }),
    nextReviewAt: DateTimeSchema,
    lastReviewedAt: DateTimeSchema.nullable().openapi({ description: 'Null when never reviewed: the cadence counts from creation.' }),
    reason: z.string().openapi({
      description: `Why it is due: \`${CADENCE_REASON}\` when the tier's cadence ran out, otherwise the material change or incident that made it due early (\`profile_changed: accessLevel\`, \`service_added\`, \`service_removed\`, \`service_criticality_changed\`, \`incident\`).`,
      example: 'profile_changed: accessLevel',
    }),
    overdueDays: z.number().int().min(0).openapi({ description: 'Whole days since nextReviewAt; 0 when not yet past (with a later `before`).', example: 12 }),
  })
  .openapi('DueReview', {
    example: {
      supplier: { id: SUPPLIER_ID_EXAMPLE, name: 'Rhein Automation GmbH', tier: 'critical', riskRating: 'high' },
      nextReviewAt: '2026-11-08T09:30:00.000Z',
      lastReviewedAt: '2025-11-08T09:30:00.000Z',
      reason: CADENCE_REASON,
      overdueDays: 12,
    },
  });

export const DueReviewPageSchema = pageSchema(DueReviewSchema, 'DueReviewPage');

export const ListDueReviewsQuery = z.object({
  ...paginationQuery,
  before: dateTimeWithOffset()
    .optional()
    .openapi({ description: 'List reviews due before this time instead of now: what falls due in the next quarter, say.', example: '2027-01-01T00:00:00Z' }),
  tier: SupplierTierSchema.optional().openapi({ description: 'Tier in force.' }),
  owner: z.string().trim().min(1).max(200).optional().openapi({ description: 'Owned by.', example: 'j.weber@stadtwerke.example' }),
});
