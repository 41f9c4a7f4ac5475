import type { RouteHandler } from '@hono/zod-openapi';
import { and, desc, eq, lt, or } from 'drizzle-orm';
import { z } from 'zod';
import { riskScores } from '../../db/schema';
import type { Db } from '../../db/types';
import { auditContextOf, recordAudit } from '../../lib/audit';
import type { AppEnv } from '../../lib/context';
import { problems } from '../../lib/errors';
import { decodeCursor, toPage } from '../../lib/pagination';
import { requireSupplier } from '../suppliers/suppliers.queries';
import { findRecalculation, presentRecalculation, queueRecalculation } from './risk.recalculate';
import { rescoreSupplier, type StoredExplanation } from './risk.rescore';
import type { getRecalculationRoute, getSupplierRiskRoute, listSupplierRiskHistoryRoute, recalculateRiskRoute } from './risk.routes';
import { DateTimeSchema } from '../../lib/schemas';

type ScoreRow = typeof riskScores.$inferSelect;

function presentScore(row: ScoreRow) {
  const explanation = row.explanation as StoredExplanation;
  return {
    id: row.id,
    supplierId: row.supplierId,
    modelVersion: row.modelVersion,
    inherentRisk: row.inherentRisk,
    tier: row.tier as 'critical',
    computedTier: explanation.computedTier,
    tierOverridden: explanation.tierOverridden,
    controlStrength: row.controlStrength,
    residualRisk: row.residualRisk,
    rating: row.rating as 'high',
    summary: explanation.summary,
    topFactor: explanation.topFactor,
    factors: explanation.factors,
    trigger: row.trigger,
    computedAt: row.computedAt.toISOString(),
  };
}

async function findScore(db: Db, tenantId: string, id: string): Promise<ScoreRow | undefined> {
  const [row] = await db
    .select()
    .from(riskScores)
    .where(and(eq(riskScores.tenantId, tenantId), eq(riskScores.id, id)));
  return row;
}

export const getSupplierRiskHandler: RouteHandler<typeof getSupplierRiskRoute, AppEnv> = async (c) => {
  const tenantId = c.get('principal').tenantId;
  const { supplierId } = c.req.valid('param');
  let supplier = await requireSupplier(c.get('db'), tenantId, supplierId);
  if (supplier.riskScoreId === null) {
    // Suppliers written before scoring existed (or by a path without the hook): score on first read.
    supplier = await c.get('db').transaction(async (tx) => {
      await rescoreSupplier(tx, { tenantId, supplierId, now: c.get('now'), trigger: 'first_read' });
      return requireSupplier(tx, tenantId, supplierId);
    });
  }
  const row = supplier.riskScoreId ? await findScore(c.get('db'), tenantId, supplier.riskScoreId) : undefined;
  if (!row) throw new Error(`Supplier ${supplierId} has no score after scoring`);
  return c.json(presentScore(row), 200);
};

const historyCursor = z.tuple([DateTimeSchema, z.string().max(40)]);

export const listSupplierRiskHistoryHandler: RouteHandler<typeof listSupplierRiskHistoryRoute, AppEnv> = async (c) => {
  const tenantId = c.get('principal').tenantId;
  const { supplierId } = c.req.valid('param');
  const { limit, cursor } = c.req.valid('query');
  await requireSupplier(c.get('db'), tenantId, supplierId);
  const after = cursor ? decodeCursor(cursor, historyCursor) : undefined;
  const rows = await c.get('db')
    .select()
    .from(riskScores)
    .where(
      and(
        eq(riskScores.tenantId, tenantId),
        eq(riskScores.supplierId, supplierId),
        after
          ? or(lt(riskScores.computedAt, new Date(after[0])), and(eq(riskScores.computedAt, new Date(after[0])), lt(riskScores.id, after[1])))
          : undefined,
      ),
    )
    .orderBy(desc(riskScores.computedAt), desc(riskScores.id))
    .limit(limit + 1);
  return c.json(toPage(rows, limit, presentScore, (row) => [row.computedAt.toISOString(), row.id]), 200);
};

export const recalculateRiskHandler: RouteHandler<typeof recalculateRiskRoute, AppEnv> = async (c) => {
  const { principal, now } = c.var;
  const result = await c.get('db').transaction(async (tx) => {
    const queued = await queueRecalculation(tx, { tenantId: principal.tenantId, actor: principal.actor, now });
    if (queued.created) {
      await recordAudit(tx, auditContextOf(c), {
        action: 'risk.recalculation_requested',
        entityType: 'risk_recalculation',
        entityId: queued.row.id,
        changes: { total: queued.row.total, modelVersion: queued.row.modelVersion },
      });
    }
    return queued;
  });
  c.header('Location', `/v1/risk/recalculations/${result.row.id}`);
  if (result.created) return c.json(presentRecalculation(result.row), 202);
  return c.json(presentRecalculation(result.row), 200);
};

export const getRecalculationHandler: RouteHandler<typeof getRecalculationRoute, AppEnv> = async (c) => {
  const row = await findRecalculation(c.get('db'), c.get('principal').tenantId, c.req.valid('param').recalculationId);
  if (!row) throw problems.notFound('Recalculation');
  return c.json(presentRecalculation(row), 200);
};
