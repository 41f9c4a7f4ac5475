import { z } from '@hono/zod-openapi';
import { defineRoute } from '../../lib/router';
import { SupplierIdParams } from '../suppliers/suppliers.schemas';
import { DueReviewPageSchema, ListDueReviewsQuery, RecordReviewSchema, SupplierReviewSchema } from './reviews.schemas';

const tags = ['Reviews'];

export const recordReviewRoute = defineRoute({
  method: 'post',
  path: '/v1/suppliers/{supplierId}/reviews',
  operationId: 'recordSupplierReview',
  summary: 'Record a supplier review',
  description: [
    'Records that the supplier was reviewed now (NIS2 IR 2024/2690 5.1.5–5.1.7): `lastReviewedAt` becomes now, a reason for an early review is cleared, and `nextReviewAt` moves a full cadence of the supplier\'s tier (from the risk model: 12, 24 and 36 months for critical, strategic and routine by default) away.',
    'Accepting an assessment of the supplier records a review the same way. The audit log is the record of reviews: `supplier.reviewed`, with the outcome and notes. An archived supplier answers 409 `supplier_archived`.',
  ].join('\n\n'),
  tags,
  access: 'findings:write',
  request: {
    params: SupplierIdParams,
    body: { required: false, content: { 'application/json': { schema: RecordReviewSchema } } },
  },
  responses: {
    201: {
      description: 'The review was recorded; `Location` names the supplier.',
      headers: z.object({ Location: z.string().openapi({ example: '/v1/suppliers/sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }) }),
      content: { 'application/json': { schema: SupplierReviewSchema } },
    },
  },
});

export const listDueReviewsRoute = defineRoute({
  method: 'get',
  path: '/v1/reviews/due',
  operationId: 'listDueReviews',
  summary: 'List reviews due',
  description:
    'Active suppliers (not archived; prospects are onboarded and leavers offboarded instead) whose next review is before now, or before `before`: overdue by their tier\'s cadence, or made due early by a material change of their profile or services or by an incident (NIS2 IR 2024/2690 5.1.6, 5.1.7). Longest overdue first (by `nextReviewAt`, then id), keyset-paginated; filter by tier and owner.',
  tags,
  access: 'suppliers:read',
  request: { query: ListDueReviewsQuery },
  responses: { 200: { description: 'A page of due reviews.', content: { 'application/json': { schema: DueReviewPageSchema } } } },
});
