import { DEFAULT_RISK_MODEL } from '../catalog/risk-model';
import type { SupplierTier } from '../catalog/supplier-profile';
import { inherentFactors, inherentScore, tierFor } from './score-supplier';

/**
 * The inherent score stored on the supplier row at every write (`inherent_score`, `computed_tier`),
 * from the built-in model (src/catalog/risk-model.ts). The full score with the tenant's model,
 * subcontracting and concentration is `scoreSupplier`; this keeps the register's columns cheap to
 * derive in bulk writers without a database read for the tenant's model.
 */
export interface InherentRiskInput {
  supportsCriticalFunction: boolean;
  hasCriticalService: boolean;
  dataSensitivity: string | null;
  accessLevel: string | null;
  substitutability: string | null;
  outsideEea: boolean;
}

export interface InherentRiskFactor {
  factor: string;
  value: string | number | boolean | null;
  points: number;
}

export interface InherentRisk {
  score: number;
  tier: SupplierTier;
  modelVersion: string;
  factors: InherentRiskFactor[];
}

export const INHERENT_MODEL_VERSION = 'default';

export function tierForScore(score: number): SupplierTier {
  return tierFor(score, DEFAULT_RISK_MODEL);
}

/** Pure and deterministic: the same profile always gives the same score and explanation. */
export function inherentRisk(input: InherentRiskInput): InherentRisk {
  const factors = inherentFactors({ ...input, subcontractingDepth: 0, dependentSuppliers: 0 }, DEFAULT_RISK_MODEL);
  const score = inherentScore(factors);
  return {
    score,
    tier: tierForScore(score),
    modelVersion: INHERENT_MODEL_VERSION,
    factors: factors.map((factor) => ({ factor: factor.key, value: factor.input, points: factor.contribution })),
  };
}
