import { INHERENT_RISK_MODEL as MODEL } from '../catalog/inherent-risk-model';
import type { SupplierTier } from '../catalog/supplier-profile';

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
  value: string | boolean | null;
  points: number;
}

export interface InherentRisk {
  score: number;
  tier: SupplierTier;
  modelVersion: string;
  factors: InherentRiskFactor[];
}

function pointsFor(table: Record<string, number>, value: string | null): number {
  if (value === null) return Math.round(Math.max(...Object.values(table)) * MODEL.unknownShare);
  return table[value] ?? 0;
}

export function tierForScore(score: number): SupplierTier {
  if (score >= MODEL.tiers.critical) return 'critical';
  if (score >= MODEL.tiers.strategic) return 'strategic';
  return 'routine';
}

/** Pure and deterministic: the same profile always gives the same score and explanation. */
export function inherentRisk(input: InherentRiskInput): InherentRisk {
  const critical = input.supportsCriticalFunction || input.hasCriticalService;
  const factors: InherentRiskFactor[] = [
    { factor: 'criticalFunction', value: critical, points: critical ? MODEL.criticalFunction : 0 },
    { factor: 'dataSensitivity', value: input.dataSensitivity, points: pointsFor(MODEL.dataSensitivity, input.dataSensitivity) },
    { factor: 'accessLevel', value: input.accessLevel, points: pointsFor(MODEL.accessLevel, input.accessLevel) },
    { factor: 'substitutability', value: input.substitutability, points: pointsFor(MODEL.substitutability, input.substitutability) },
    { factor: 'outsideEea', value: input.outsideEea, points: input.outsideEea ? MODEL.outsideEea : 0 },
  ];
  const score = Math.min(100, factors.reduce((sum, factor) => sum + factor.points, 0));
  return { score, tier: tierForScore(score), modelVersion: MODEL.version, factors };
}
