import { emitEvents } from '../../lib/events';
import { sql } from 'drizzle-orm';
import { riskScores, subcontractingLinks, suppliers } from '../../db/schema';
import type { Db } from '../../db/types';
import { canonicalJson, sha256Hex } from '../../lib/crypto';
import { newId } from '../../lib/ids';
import type { RiskModel } from '../../scoring/risk-model';
import { scoreSupplier } from '../../scoring/score-supplier';
import type { RiskScore, SupplierRiskInputs } from '../../scoring/types';
import { refreshReviewDates } from '../reviews/reviews.queries';
import { currentRiskModel } from '../risk-model/risk-model.queries';
import { findSupplier, type SupplierRow } from '../suppliers/suppliers.queries';
import { named, rowsOf } from '../../db/rows';
import { CHAIN_DEPTH_LIMIT, loadRiskInputs } from './risk.queries';

export interface RescoreInput {
  tenantId: string;
  supplierIds: readonly string[];
  now: Date;
  /** What caused the re-score, stored with a new score: profile, service, answers, evidence, model… */
  trigger: string;
}

export interface RescoreResult {
  scored: number;
  /** Suppliers that got a new score row (their result changed). */
  changed: number;
}

/** What `risk_scores.explanation` holds: everything of the score that is not a column. */
export interface StoredExplanation {
  computedTier: RiskScore['computedTier'];
  tierOverridden: boolean;
  factors: RiskScore['factors'];
  topFactor: RiskScore['topFactor'];
  summary: string;
}

/**
 * The hash that decides whether a score changed. `asOf` itself is left out and certifications count
 * as valid or not on that day: otherwise every supplier would get a new row every midnight. What
 * the date does change (a certificate lapsing, evidence expiring, an assessment falling overdue)
 * is in the inputs as those flags and counts. Answers are written compactly rather than through
 * canonicalJson: a recalculation hashes 60 answers × 10,000 suppliers, and their order is fixed
 * by the gathering query.
 */
export function inputsHash(inputs: SupplierRiskInputs, modelVersion: number): Promise<string> {
  const { asOf, certifications, answers, ...rest } = inputs;
  const certified = certifications
    .map((item) => `${item.kind}:${item.validUntil === null || item.validUntil >= asOf ? 1 : 0}`)
    .sort()
    .join(',');
  const answered = answers.map((answer) => `${answer.domain}:${answer.weight}:${answer.score}`).join(',');
  return sha256Hex(`${modelVersion}\n${canonicalJson(rest)}\n${certified}\n${answered}`);
}

/** The certifying evidence kinds are the ones the model gives credit for. */
export const certifyingKinds = (model: RiskModel) => Object.keys(model.controls.certifications);

/**
 * Re-scores the suppliers in the caller's transaction, so a change and the score it causes commit
 * together. Set-based: a fixed number of queries for any number of suppliers (the recalculation
 * job passes 500 at a time, the import up to 5,000). A supplier whose inputs and model version
 * hash the same as its current score keeps it: history holds changes only.
 */
export async function rescoreSuppliers(tx: Db, input: RescoreInput, preloaded?: { version: number; model: RiskModel }): Promise<RescoreResult> {
  const ids = [...new Set(input.supplierIds)];
  if (ids.length === 0) return { scored: 0, changed: 0 };
  const { version, model } = preloaded ?? (await currentRiskModel(tx, input.tenantId));
  const states = await loadRiskInputs(tx, { tenantId: input.tenantId, supplierIds: ids, now: input.now, certifyingKinds: certifyingKinds(model) });

  const now = input.now;
  const inserts: Record<string, unknown>[] = [];
  const updates: Record<string, unknown>[] = [];
  // Digests run off the main thread: started together, they overlap instead of queueing one by one.
  const hashes = await Promise.all(states.map((state) => inputsHash(state.inputs, version)));
  const scoreTiers: string[] = [];
  for (const [index, state] of states.entries()) {
    const score = scoreSupplier(state.inputs, model, version);
    scoreTiers.push(score.tier);
    const hash = hashes[index]!;
    let scoreId = state.riskScoreId;
    if (hash !== state.currentHash) {
      scoreId = newId('riskScore', now);
      const explanation: StoredExplanation = {
        computedTier: score.computedTier,
        tierOverridden: score.tierOverridden,
        factors: score.factors,
        topFactor: score.topFactor,
        summary: score.summary,
      };
      inserts.push({
        id: scoreId,
        supplier_id: state.id,
        model_version: version,
        inherent_risk: score.inherentRisk,
        tier: score.tier,
        control_strength: score.controlStrength,
        residual_risk: score.residualRisk,
        rating: score.rating,
        explanation,
        inputs_hash: hash,
      });
    }
    updates.push({
      id: state.id,
      risk_score_id: scoreId,
      residual_risk: score.residualRisk,
      risk_rating: score.rating,
      inherent_score: score.inherentRisk,
      computed_tier: score.computedTier,
      tier: score.tier,
    });
  }

  if (inserts.length > 0) {
    // One jsonb parameter for the whole batch: drizzle's builder costs ~0.2 ms per row in parameters.
    await tx.execute(named(sql`
      insert into ${riskScores} (tenant_id, id, supplier_id, model_version, inherent_risk, tier, control_strength,
                                 residual_risk, rating, explanation, inputs_hash, trigger, computed_at)
      select ${input.tenantId}, v.id, v.supplier_id, v.model_version, v.inherent_risk, v.tier, v.control_strength,
             v.residual_risk, v.rating, v.explanation, v.inputs_hash, ${input.trigger}, ${now.toISOString()}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(inserts)}::jsonb) as v(
        id text, supplier_id text, model_version int, inherent_risk int, tier text, control_strength int,
        residual_risk int, rating text, explanation jsonb, inputs_hash text)`));
  }
  // risk_scored_at is when the score was last confirmed (the daily job relies on it), the score
  // row's computed_at when it last changed. The version is not bumped: these columns are derived,
  // and a client's If-Match must survive a re-score caused by someone uploading evidence. A change
  // of inherent score or tier does move updated_at, so ERP syncs with `updatedSince` pick it up.
  await tx.execute(named(sql`
    update ${suppliers} as s set
      risk_score_id = v.risk_score_id,
      residual_risk = v.residual_risk,
      risk_rating = v.risk_rating,
      risk_scored_at = ${now.toISOString()}::timestamptz,
      inherent_score = v.inherent_score,
      computed_tier = v.computed_tier,
      tier = v.tier,
      updated_at = case when s.inherent_score is distinct from v.inherent_score or s.computed_tier is distinct from v.computed_tier
                          or s.tier is distinct from v.tier then ${now.toISOString()}::timestamptz else s.updated_at end
    from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(
      id text, risk_score_id text, residual_risk int, risk_rating text, inherent_score int, computed_tier text, tier text)
    where s.tenant_id = ${input.tenantId} and s.id = v.id`));
  // A tier moved by scoring (depth, concentration, the tenant's model) moves the review date too.
  const retiered = states.filter((state, index) => state.tier !== scoreTiers[index]).map((state) => state.id);
  await refreshReviewDates(tx, input.tenantId, retiered, model.reviewCadenceMonths);
  // A first score is part of the supplier's creation, not a change of rating.
  const rerated = states.flatMap((state, index) => {
    const update = updates[index]!;
    return state.riskRating !== null && state.riskRating !== update.risk_rating ? [{ state, update }] : [];
  });
  await emitEvents(tx, input.tenantId, now, rerated.length > 0 ? ['risk.rating_changed'] : [], () =>
    rerated.map(({ state, update }) => ({
      type: 'risk.rating_changed' as const,
      data: { supplierId: state.id, from: state.riskRating, to: update.risk_rating, residualRisk: update.residual_risk, riskScoreId: update.risk_score_id, trigger: input.trigger },
    })),
  );
  return { scored: states.length, changed: inserts.length };
}

export async function rescoreSupplier(tx: Db, input: { tenantId: string; supplierId: string; now: Date; trigger: string }): Promise<RescoreResult> {
  return rescoreSuppliers(tx, { tenantId: input.tenantId, supplierIds: [input.supplierId], now: input.now, trigger: input.trigger });
}


/**
 * For single-supplier writers: re-scores the supplier and returns its row as it is now (the score
 * may have moved its inherent score and tier), to present in the response.
 */
export async function rescoreAndReload(tx: Db, row: SupplierRow, trigger: string, now: Date): Promise<SupplierRow> {
  await rescoreSuppliers(tx, { tenantId: row.tenantId, supplierIds: [row.id], now, trigger });
  return (await findSupplier(tx, row.tenantId, row.id)) ?? row;
}

/** At most this many suppliers are re-scored in the request that changes a link; the rest keep their score until the next recalculation. */
const CHAIN_RESCORE_LIMIT = 500;

/**
 * A subcontracting link added or removed changes the depth of the supplier and of everyone above
 * it, and the concentration of the subcontractor and of everyone below it. Both sides are
 * re-scored, as far as the depth the score looks at, and bounded in number.
 */
export async function rescoreChainAround(tx: Db, input: { tenantId: string; supplierId: string; subcontractorId: string; now: Date }): Promise<void> {
  const { tenantId } = input;
  const rows = await rowsOf<{ id: string }>(
    tx,
    sql`with recursive
          up(node, depth) as (
            select ${input.supplierId}::text, 0
            union
            select l.supplier_id, u.depth + 1 from up u
            join ${subcontractingLinks} l on l.tenant_id = ${tenantId} and l.subcontractor_id = u.node
            where u.depth < ${CHAIN_DEPTH_LIMIT}
          ),
          down(node, depth) as (
            select ${input.subcontractorId}::text, 0
            union
            select l.subcontractor_id, d.depth + 1 from down d
            join ${subcontractingLinks} l on l.tenant_id = ${tenantId} and l.supplier_id = d.node
            where d.depth < ${CHAIN_DEPTH_LIMIT}
          ),
          nodes as (select node, min(depth) as depth from (select * from up union all select * from down) as n group by node)
        select node as id from nodes order by depth, node limit ${CHAIN_RESCORE_LIMIT}`,
  );
  await rescoreSuppliers(tx, { tenantId, supplierIds: rows.map((row) => row.id), now: input.now, trigger: 'supply_chain' });
}
