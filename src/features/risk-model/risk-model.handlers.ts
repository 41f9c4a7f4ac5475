import type { RouteHandler } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { DEFAULT_RISK_MODEL } from '../../catalog/risk-model';
import { auditContextOf, recordAudit } from '../../lib/audit';
import type { AppContext, AppEnv } from '../../lib/context';
import { problems } from '../../lib/errors';
import { assertIfMatch, setEtag } from '../../lib/etag';
import { checkRiskModelCoherence, RiskModelSchema } from '../../scoring/risk-model';
import { refreshReviewDates } from '../reviews/reviews.queries';
import { queueRecalculation } from '../risk/risk.recalculate';
import { documentDiff } from '../../lib/document-diff';
import { insertRiskModel, latestRiskModelRow, type RiskModelRow } from './risk-model.queries';
import type { getRiskModelRoute, putRiskModelRoute } from './risk-model.routes';

/** Keeps two PUTs for one tenant from both reading version n and both inserting n + 1. */
const RISK_MODEL_LOCK_CLASS = 7_202;

function present(row: RiskModelRow | undefined) {
  if (!row) return { version: 0, model: DEFAULT_RISK_MODEL, builtIn: true, updatedAt: null, updatedBy: null };
  return {
    version: row.version,
    model: RiskModelSchema.parse(row.document),
    builtIn: false,
    updatedAt: row.createdAt.toISOString(),
    updatedBy: { type: row.createdByType, id: row.createdById },
  };
}

function respond(c: AppContext, row: RiskModelRow | undefined) {
  const body = present(row);
  setEtag(c, body.version);
  return body;
}

export const getRiskModelHandler: RouteHandler<typeof getRiskModelRoute, AppEnv> = async (c) => {
  const row = await latestRiskModelRow(c.get('db'), c.get('principal').tenantId);
  return c.json(respond(c, row), 200);
};

export const putRiskModelHandler: RouteHandler<typeof putRiskModelRoute, AppEnv> = async (c) => {
  const model = c.req.valid('json');
  const errors = checkRiskModelCoherence(model);
  if (errors.length > 0) throw problems.validation(errors, 'The risk model is not coherent.');
  const tenantId = c.get('principal').tenantId;
  const { actor } = c.get('principal');
  const row = await c.get('db').transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${RISK_MODEL_LOCK_CLASS}::int, hashtext(${tenantId}))`);
    const current = await latestRiskModelRow(tx, tenantId);
    const currentVersion = current?.version ?? 0;
    assertIfMatch(c, currentVersion);
    const before = current ? RiskModelSchema.parse(current.document) : DEFAULT_RISK_MODEL;
    const inserted = await insertRiskModel(tx, {
      tenantId,
      version: currentVersion + 1,
      document: model,
      createdByType: actor.type,
      createdById: actor.id,
      createdAt: c.get('now'),
    });
    await recordAudit(tx, auditContextOf(c), {
      action: 'risk_model.updated',
      entityType: 'risk_model',
      entityId: String(inserted.version),
      changes: { fromVersion: currentVersion, toVersion: inserted.version, ...documentDiff(before, model) },
    });
    // Re-score hook: every supplier's score names the model version, so a new one re-scores the tenant.
    await queueRecalculation(tx, { tenantId, actor, now: c.get('now') });
    // The cadence may have changed: every regular review date follows at once.
    await refreshReviewDates(tx, tenantId, undefined, model.reviewCadenceMonths);
    return inserted;
  });
  return c.json(respond(c, row), 200);
};
