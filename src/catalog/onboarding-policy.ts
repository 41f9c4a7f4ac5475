import type { Role } from './access';
import type { EvidenceKind } from './evidence-kinds';
import type { AccessLevel, SupplierCategory, SupplierTier } from './supplier-profile';

/**
 * The onboarding policy: what a supplier must have before it may be approved, by tier, category
 * and access, and who may approve. Requirements of every matching rule add up; within a rule's
 * `when`, each list means "any of" and the lists together mean "all of" (no `when` matches every
 * supplier).
 */
export interface OnboardingRequirementRule {
  /** Short stable name, shown on each gate as the rule that asked for it. */
  id: string;
  description: string;
  when?: { tiers?: SupplierTier[]; categories?: SupplierCategory[]; accessLevels?: AccessLevel[] };
  /** Questionnaire template keys: an accepted assessment of each is required. */
  templates?: string[];
  /** Each entry is satisfied by valid evidence of any one of its kinds. */
  evidence?: { anyOf: EvidenceKind[] }[];
  /** Clause keys that a current contract of the supplier must have as `present`. */
  clauses?: string[];
}

export interface OnboardingApprovalRule {
  /** Roles whose holders may decide. A credential holds a role when it has every scope of it. */
  roles: Role[];
  /** Distinct people who must approve; a rejection by any one of them decides at once. */
  approvers: 1 | 2;
}

export interface OnboardingPolicy {
  /** An accepted assessment older than this does not satisfy a questionnaire gate. */
  assessmentMaxAgeMonths: number;
  rules: OnboardingRequirementRule[];
  approval: Record<SupplierTier, OnboardingApprovalRule>;
}

export const DEFAULT_ONBOARDING_POLICY: OnboardingPolicy = {
  assessmentMaxAgeMonths: 12,
  rules: [
    {
      id: 'baseline',
      description: 'Every supplier that reaches our systems or data answers the NIS2 baseline (2024/2690 point 5.1.4).',
      when: { tiers: ['critical', 'strategic'] },
      templates: ['nis2-supplier-baseline'],
    },
    {
      id: 'critical-certification',
      description: 'Critical suppliers hold a current ISO/IEC 27001 or IEC 62443 certificate, or a SOC 2 report.',
      when: { tiers: ['critical'] },
      evidence: [{ anyOf: ['iso27001_certificate', 'iec62443_certificate', 'soc2_report'] }],
    },
    {
      id: 'critical-clauses',
      description: 'Contracts with critical suppliers carry the NIS2 security, incident notification, audit and exit clauses.',
      when: { tiers: ['critical'] },
      clauses: ['nis2-ir-5.1.4-a', 'nis2-ir-5.1.4-d', 'nis2-ir-5.1.4-e', 'nis2-ir-5.1.4-h'],
    },
    {
      id: 'ot-integrator',
      description: 'OT integrators and maintainers answer the IEC 62443-2-4 service provider questionnaire.',
      when: { categories: ['ot_integrator'] },
      templates: ['ot-service-provider'],
    },
    {
      id: 'ot-access',
      description: 'Anyone with access to the plant network answers the OT service provider questionnaire, whatever its category.',
      when: { accessLevels: ['ot_network'] },
      templates: ['ot-service-provider'],
    },
    {
      id: 'product-vendor',
      description: 'Product vendors answer the secure development questionnaire (IEC 62443-4-1) and provide an SBOM.',
      when: { categories: ['product_vendor'], tiers: ['critical', 'strategic'] },
      templates: ['product-secure-development'],
      evidence: [{ anyOf: ['sbom'] }],
    },
  ],
  approval: {
    critical: { roles: ['admin', 'risk_manager'], approvers: 2 },
    strategic: { roles: ['admin', 'risk_manager'], approvers: 1 },
    routine: { roles: ['admin', 'risk_manager', 'reviewer'], approvers: 1 },
  },
};

/** Why a gate exists. The codes are part of the API. */
export const ONBOARDING_GATE_KINDS = {
  intake: 'The supplier record has what intake asks for: legal name, an identifier, an owner, a primary contact and a category.',
  tier: 'The tier rests on a complete risk profile (data sensitivity and access level) or a documented override.',
  assessment: 'An accepted assessment of the questionnaire, not older than the policy allows.',
  evidence: 'Evidence of one of the kinds, valid today.',
  clause: 'A current contract of the supplier has the clause as present.',
  findings: 'No open critical finding.',
} as const;
export type OnboardingGateKind = keyof typeof ONBOARDING_GATE_KINDS;
