import type { SupplierTier } from '../catalog/supplier-profile';

/**
 * The contract between the database and the scoring functions: everything a supplier's score
 * depends on, gathered by src/features/risk, and what the pure functions in src/scoring return.
 */

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const satisfies readonly Severity[];

export type RiskRating = 'low' | 'medium' | 'high' | 'critical';
export const RISK_RATINGS = ['low', 'medium', 'high', 'critical'] as const satisfies readonly RiskRating[];

export interface SupplierRiskInputs {
  profile: {
    supportsCriticalFunction: boolean;
    /** Any of its ICT services supports a critical or important function. */
    hasCriticalService: boolean;
    dataSensitivity: string | null;
    accessLevel: string | null;
    substitutability: string | null;
    outsideEea: boolean;
    /** How many levels of subcontractors stand behind it (0: none known). */
    subcontractingDepth: number;
    /** How many of the tenant's other suppliers depend on it as a subcontractor (concentration). */
    dependentSuppliers: number;
  };
  tierOverride: { tier: SupplierTier; reason: string } | null;
  /**
   * Scored answers that count (see src/features/risk): the chosen option's score 0–100, with the
   * question's weight and domain. Questions without option scores are left out.
   */
  answers: { domain: string; weight: number; score: number }[];
  /** Evidence records that can certify the supplier: their kind and last valid day (YYYY-MM-DD). */
  certifications: { kind: string; validUntil: string | null }[];
  /** Applicable contract clauses and how many are satisfied; null until contracts exist. */
  clauses: { applicable: number; satisfied: number } | null;
  /** Open and in-remediation findings (risk-accepted ones do not count while the acceptance lasts). */
  openFindings: Record<Severity, number>;
  /** Evidence whose validity ended before `asOf`, not archived. */
  expiredEvidence: number;
  /** Assessments past their due date while the supplier still has to act. */
  overdueAssessments: number;
  /**
   * Supplier incidents not yet resolved. Optional, and left out when 0, so inputs gathered before
   * incidents existed (and their hashes) stay as they were.
   */
  openIncidents?: number;
  /** The day the score is for (YYYY-MM-DD): certifications valid on that day count. */
  asOf: string;
}

export interface RiskFactor {
  group: 'inherent' | 'control' | 'penalty';
  /** Stable key, e.g. `accessLevel`, `domain:access-control`, `findings:high`. */
  key: string;
  /** Human label, e.g. "Access to the OT network". */
  label: string;
  /** The input value the factor saw. */
  input: string | number | boolean | null;
  /** Points: added to inherent risk, to control strength, or to residual risk (penalties). */
  contribution: number;
}

export interface RiskScore {
  modelVersion: number;
  inherentRisk: number;
  /** The tier in force (the override when there is one). */
  tier: SupplierTier;
  computedTier: SupplierTier;
  tierOverridden: boolean;
  controlStrength: number;
  residualRisk: number;
  rating: RiskRating;
  /** Every factor with its input and contribution, most important first within each group. */
  factors: RiskFactor[];
  /** The factor that raises residual risk the most: what to act on first. */
  topFactor: RiskFactor | null;
  /** One or two sentences a risk manager can act on. */
  summary: string;
}
