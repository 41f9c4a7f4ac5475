/**
 * The starting inherent-risk model (DESIGN.md "Scoring"): points per factor, summed and capped
 * at 100. Tier thresholds: critical 70+, strategic 40-69, routine below 40. A tenant's own risk
 * model will be able to change these.
 */
export const INHERENT_RISK_MODEL = {
  version: 'inherent-2026.1',
  criticalFunction: 25,
  dataSensitivity: { none: 0, internal: 5, confidential: 12, personal: 15, special_category: 20 },
  accessLevel: { none: 0, remote: 10, on_site: 8, ot_network: 25, privileged: 25 },
  substitutability: { easy: 0, medium: 5, difficult: 10, not_substitutable: 15 },
  outsideEea: 10,
  /** Unknown profile values count as this share of the factor's maximum: unassessed is not safe. */
  unknownShare: 0.5,
  tiers: { critical: 70, strategic: 40 },
} as const;
