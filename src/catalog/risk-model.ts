import type { RiskModel } from '../scoring/risk-model';

/**
 * The built-in risk model (DESIGN.md "Scoring", REFERENCE.md "Scoring references"): what a tenant
 * uses until it PUTs its own to /v1/risk-model, and the starting point for one. Version 0 on the API.
 *
 * Inherent points for the five original profile factors are those of the first inherent-risk
 * model, so scores of suppliers without subcontractors do not move. Subcontracting depth (NIST SP
 * 800-161r1 sub-tier visibility) and concentration (DORA Art. 29) add at most 10 each; the sum is
 * capped at 100.
 */
export const DEFAULT_RISK_MODEL: RiskModel = {
  inherent: {
    unknownShare: 0.5,
    factors: {
      criticalFunction: { label: 'Supports a critical or important function', points: 25 },
      dataSensitivity: {
        label: 'Data the supplier sees',
        points: { none: 0, internal: 5, confidential: 12, personal: 15, special_category: 20 },
      },
      accessLevel: {
        label: 'Access to our systems',
        points: { none: 0, remote: 10, on_site: 8, ot_network: 25, privileged: 25 },
      },
      substitutability: {
        label: 'How hard it is to replace',
        points: { easy: 0, medium: 5, difficult: 10, not_substitutable: 15 },
      },
      outsideEea: { label: 'Outside the EEA', points: 10 },
      subcontractingDepth: { label: 'Levels of subcontracting behind it', pointsPerUnit: 3, max: 9 },
      concentration: { label: 'Other suppliers depending on it (concentration)', pointsPerUnit: 2, max: 10 },
    },
  },
  tiers: { critical: 70, strategic: 40 },
  ratings: { critical: 70, high: 50, medium: 25 },
  reviewCadenceMonths: { critical: 12, strategic: 24, routine: 36 },
  controls: {
    // Clause coverage weighs 0 until contracts land; set it above 0 to let clauses count.
    weights: { answers: 0.75, certifications: 0.25, clauses: 0 },
    mitigation: 0.6,
    domains: {
      // NIS2 supplier baseline
      'access-control': { label: 'access control', weight: 3 },
      'asset-management': { label: 'asset management', weight: 1 },
      assurance: { label: 'assurance', weight: 1 },
      continuity: { label: 'business continuity', weight: 2 },
      'data-protection': { label: 'data protection', weight: 2 },
      exit: { label: 'exit planning', weight: 1 },
      governance: { label: 'governance', weight: 1 },
      'incident-management': { label: 'incident management', weight: 2 },
      people: { label: 'people and training', weight: 1 },
      'secure-development': { label: 'secure development', weight: 2 },
      'supply-chain': { label: 'supply-chain security', weight: 2 },
      'vulnerability-management': { label: 'vulnerability management', weight: 2 },
      // Onboarding intake: context, not controls
      'due-diligence': { label: 'due diligence', weight: 1 },
      profile: { label: 'supplier profile', weight: 0 },
      scope: { label: 'scope', weight: 0 },
      // OT service provider (IEC 62443-2-4 practice areas)
      'sp01-solution-staffing': { label: 'solution staffing', weight: 1 },
      'sp02-assurance': { label: 'OT assurance', weight: 1 },
      'sp03-architecture': { label: 'OT architecture and segmentation', weight: 2 },
      'sp04-wireless': { label: 'wireless', weight: 1 },
      'sp05-sis': { label: 'safety instrumented systems', weight: 2 },
      'sp06-configuration-management': { label: 'configuration management', weight: 1 },
      'sp07-remote-access': { label: 'remote access', weight: 3 },
      'sp08-event-management': { label: 'event management', weight: 1 },
      'sp09-account-management': { label: 'account management', weight: 3 },
      'sp10-malware-protection': { label: 'malware protection', weight: 1 },
      'sp11-patch-management': { label: 'patch management', weight: 2 },
      'sp12-backup-restore': { label: 'backup and restore', weight: 2 },
      // Product secure development (IEC 62443-4-1 practices)
      '4-1-sm': { label: 'security management', weight: 1 },
      '4-1-sr': { label: 'security requirements', weight: 1 },
      '4-1-sd': { label: 'secure design', weight: 1 },
      '4-1-si': { label: 'secure implementation', weight: 1 },
      '4-1-svv': { label: 'security verification and testing', weight: 1 },
      '4-1-dm': { label: 'defect management', weight: 2 },
      '4-1-sum': { label: 'security update management', weight: 2 },
      '4-1-sg': { label: 'security guidelines', weight: 1 },
      'component-transparency': { label: 'component transparency (SBOM)', weight: 1 },
    },
    defaultDomain: { label: 'other controls', weight: 1 },
    certifications: {
      iso27001_certificate: { label: 'ISO/IEC 27001 certificate', credit: 80 },
      iec62443_certificate: { label: 'IEC 62443 certificate', credit: 85 },
      soc2_report: { label: 'SOC 2 report', credit: 70 },
    },
  },
  penalties: {
    findings: { label: 'Open findings', points: { low: 1, medium: 3, high: 8, critical: 15 }, cap: 30 },
    expiredEvidence: { label: 'Expired evidence', points: 2, cap: 10 },
    overdueAssessments: { label: 'Overdue assessments', points: 5, cap: 15 },
    // An incident also raises a finding of its severity; this counts the incident itself until resolved.
    openIncidents: { label: 'Open supplier incidents', points: 5, cap: 15 },
  },
};

/**
 * How profile values read inside a sentence ("High residual risk (81): access to the OT network
 * and …"). Keyed by factor, then code; codes are the supplier register's closed lists.
 */
export const RISK_VALUE_PHRASES: Record<string, Record<string, string>> = {
  dataSensitivity: {
    internal: 'access to internal data',
    confidential: 'access to confidential data',
    personal: 'access to personal data',
    special_category: 'access to special-category personal data',
  },
  accessLevel: {
    remote: 'remote access to our systems',
    on_site: 'on-site access',
    ot_network: 'access to the OT network',
    privileged: 'privileged access',
  },
  substitutability: {
    medium: 'not trivial to replace',
    difficult: 'difficult to replace',
    not_substitutable: 'no substitute',
  },
};

/** How an unrecorded profile value reads: unknown counts as part risk, so it appears in summaries. */
export const RISK_UNKNOWN_PHRASES: Record<string, string> = {
  dataSensitivity: 'data sensitivity not recorded',
  accessLevel: 'kind of access not recorded',
  substitutability: 'substitutability not recorded',
};

/** How the other inherent factors read inside a sentence, when they add points. */
export const RISK_FACTOR_PHRASES = {
  criticalFunction: 'supports a critical or important function',
  outsideEea: 'based outside the EEA',
  subcontractingDepth: (levels: number) => `${levels} ${levels === 1 ? 'level' : 'levels'} of subcontracting`,
  concentration: (dependents: number) => `${dependents} other ${dependents === 1 ? 'supplier depends' : 'suppliers depend'} on it`,
} as const;
