/**
 * What makes a supplier review due early (NIS2 IR 2024/2690 points 5.1.6 and 5.1.7). The regular
 * cadence per tier is part of the risk model (`reviewCadenceMonths`, src/catalog/risk-model.ts).
 */

/**
 * Supplier profile fields whose change is material: they feed inherent risk, so a change means the
 * last review no longer describes the supplier. Names are the supplier fields (and audit keys).
 */
export const MATERIAL_PROFILE_FIELDS = ['dataSensitivity', 'accessLevel', 'supportsCriticalFunction', 'substitutability', 'outsideEea'] as const;

/** Why a review became due before its cadence date; `profile_changed` is followed by the fields. */
export const REVIEW_DUE_REASONS = {
  profileChanged: 'profile_changed',
  serviceAdded: 'service_added',
  serviceRemoved: 'service_removed',
  serviceCriticalityChanged: 'service_criticality_changed',
  incident: 'incident',
} as const;

/** The reason shown for a review that is due because its cadence ran out. */
export const CADENCE_REASON = 'cadence';

export const REVIEW_OUTCOMES = ['satisfactory', 'action_required', 'escalated'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];
