import type { RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import { CADENCE_REASON } from '../../catalog/reviews';
import { auditContextOf, recordAudit } from '../../lib/audit';
import type { AppEnv } from '../../lib/context';
import { problems } from '../../lib/errors';
import { decodeCursor, toPage } from '../../lib/pagination';
import { requireSupplier } from '../suppliers/suppliers.queries';
import { listDueReviews, recordReview, reviewChanges, type DueReviewRow } from './reviews.queries';
import type { listDueReviewsRoute, recordReviewRoute } from './reviews.routes';
import { DateTimeSchema } from '../../lib/schemas';

const DAY_MS = 86_400_000;

export const recordReviewHandler: RouteHandler<typeof recordReviewRoute, AppEnv> = async (c) => {
  const { supplierId } = c.req.valid('param');
  // The body is optional: a bare POST records a review without outcome or notes.
  const body = (c.req.valid('json') as { outcome?: 'satisfactory'; notes?: string } | undefined) ?? {};
  const { principal, now } = c.var;
  const result = await c.get('db').transaction(async (tx) => {
    const current = await requireSupplier(tx, principal.tenantId, supplierId, { forUpdate: true });
    if (current.archivedAt) throw problems.conflict('The supplier is archived. Restore it before recording a review.', 'supplier_archived');
    const row = await recordReview(tx, current, now);
    await recordAudit(tx, auditContextOf(c), {
      action: 'supplier.reviewed',
      entityType: 'supplier',
      entityId: supplierId,
      changes: { source: 'manual', outcome: body.outcome ?? null, notes: body.notes ?? null, ...reviewChanges(current, row) },
    });
    return { current, row };
  });
  c.header('Location', `/v1/suppliers/${supplierId}`);
  return c.json(
    {
      supplierId,
      reviewedAt: now.toISOString(),
      reviewedBy: principal.actor,
      outcome: body.outcome ?? null,
      notes: body.notes ?? null,
      previousReviewDueReason: result.current.reviewDueReason,
      nextReviewAt: result.row.nextReviewAt!.toISOString(),
    },
    201,
  );
};

const cursorSchema = z.tuple([DateTimeSchema, z.string().max(40)]);

function presentDueReview(row: DueReviewRow, now: Date) {
  const next = row.nextReviewAt!;
  return {
    supplier: { id: row.id, name: row.name, tier: row.tier as 'critical', riskRating: row.riskRating as 'high' | null },
    nextReviewAt: next.toISOString(),
    lastReviewedAt: row.lastReviewedAt?.toISOString() ?? null,
    reason: row.reviewDueReason ?? CADENCE_REASON,
    overdueDays: Math.max(0, Math.floor((now.getTime() - next.getTime()) / DAY_MS)),
  };
}

export const listDueReviewsHandler: RouteHandler<typeof listDueReviewsRoute, AppEnv> = async (c) => {
  const { limit, cursor, before, tier, owner } = c.req.valid('query');
  const now = c.get('now');
  const after = cursor ? decodeCursor(cursor, cursorSchema) : undefined;
  const rows = await listDueReviews(c.get('db'), {
    tenantId: c.get('principal').tenantId,
    before: before ? new Date(before) : now,
    limit,
    ...(tier ? { tier } : {}),
    ...(owner ? { owner } : {}),
    ...(after ? { after: { nextReviewAt: new Date(after[0]), id: after[1] } } : {}),
  });
  return c.json(
    toPage(rows, limit, (row) => presentDueReview(row, now), (row) => [row.nextReviewAt!.toISOString(), row.id]),
    200,
  );
};
