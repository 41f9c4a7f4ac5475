/**
 * The built-in contract clause library (DESIGN.md "Contract", REFERENCE.md): what NIS2 IR
 * 2024/2690 point 5.1.4 and DORA Art. 30(2) and 30(3) ask contracts to contain, in our own words.
 * Keys are stable API values: clause states are stored under them.
 *
 * `topic` groups clauses of different regimes that ask for the same thing, so one question ("which
 * critical suppliers lack a right-to-audit clause?") covers NIS2 and DORA alike.
 */

export const TENANT_REGIMES = {
  nis2: 'NIS2: the clauses of Implementing Regulation (EU) 2024/2690, point 5.1.4.',
  dora: 'DORA: the clauses of Regulation (EU) 2022/2554, Art. 30(2), and 30(3) for contracts covering a critical or important function.',
  both: 'Both NIS2 and DORA.',
} as const;
export type TenantRegime = keyof typeof TENANT_REGIMES;
export const TENANT_REGIME_CODES = Object.keys(TENANT_REGIMES) as [TenantRegime, ...TenantRegime[]];

/** A clause belongs to one regime, or (custom clauses only) to both. */
export type ClauseRegime = TenantRegime;

export const CLAUSE_TOPICS = {
  security_requirements: 'Security requirements the supplier must meet.',
  training: 'Security awareness, skills and training of the supplier\'s staff.',
  background_checks: 'Background verification of the supplier\'s staff.',
  incident_notification: 'Notifying the entity of incidents and material developments.',
  incident_assistance: 'Help with ICT incidents.',
  right_to_audit: 'Access, inspection and audit rights, or audit reports.',
  vulnerability_handling: 'Handling vulnerabilities that put the entity at risk.',
  subcontracting: 'Whether and how the supplier may subcontract.',
  termination: 'Termination rights, notice periods and what happens to data at the end.',
  data_location: 'Where services are provided and data is stored or processed.',
  data_protection: 'Availability, authenticity, integrity and confidentiality of data.',
  data_return: 'Access to, recovery and return of data.',
  service_levels: 'Service levels and their targets.',
  authority_cooperation: 'Cooperation with supervisory and resolution authorities.',
  business_continuity: 'Business contingency plans and their testing.',
  penetration_testing: 'Participation in threat-led penetration testing.',
  exit: 'Exit strategy and transition period.',
} as const;
export type ClauseTopic = keyof typeof CLAUSE_TOPICS;
export const CLAUSE_TOPIC_CODES = Object.keys(CLAUSE_TOPICS) as [ClauseTopic, ...ClauseTopic[]];

export const CLAUSE_STATUSES = {
  present: 'The contract contains the clause.',
  partial: 'The contract covers part of it.',
  missing: 'The contract lacks it.',
  negotiating: 'Being negotiated with the supplier.',
  waived: 'Knowingly left out; a justification is recorded.',
  not_applicable: 'Does not apply to this contract; a justification is recorded.',
} as const;
export type ClauseStatus = keyof typeof CLAUSE_STATUSES;
export const CLAUSE_STATUS_CODES = Object.keys(CLAUSE_STATUSES) as [ClauseStatus, ...ClauseStatus[]];

/** States that close the gap; anything else (and no state at all: `unassessed`) is a gap. */
export const SATISFIED_CLAUSE_STATUSES = ['present', 'waived', 'not_applicable'] as const satisfies readonly ClauseStatus[];
/** States that need a written reason. */
export const JUSTIFIED_CLAUSE_STATUSES = ['waived', 'not_applicable'] as const satisfies readonly ClauseStatus[];

export interface ClauseDefinition {
  key: string;
  regime: ClauseRegime;
  /** Applies only when a covered service supports a critical or important function. */
  criticalOnly: boolean;
  topic: ClauseTopic | null;
  /** Where it comes from, as a citation. */
  source: string;
  title: string;
  description: string | null;
}

const nis2 = (point: string, topic: ClauseTopic, title: string, description: string): ClauseDefinition => ({
  key: `nis2-ir-5.1.4-${point}`,
  regime: 'nis2',
  criticalOnly: false,
  topic,
  source: `Implementing Regulation (EU) 2024/2690, Annex, point 5.1.4(${point})`,
  title,
  description,
});

const dora = (paragraph: 2 | 3, point: string, topic: ClauseTopic, title: string, description: string): ClauseDefinition => ({
  key: `dora-30.${paragraph}-${point}`,
  regime: 'dora',
  criticalOnly: paragraph === 3,
  topic,
  source: `Regulation (EU) 2022/2554 (DORA), Art. 30(${paragraph})(${point})`,
  title,
  description,
});

export const BUILTIN_CLAUSES: readonly ClauseDefinition[] = [
  nis2('a', 'security_requirements', 'Cybersecurity requirements', 'The supplier must meet stated cybersecurity requirements, including the security requirements for what the entity acquires.'),
  nis2('b', 'training', 'Staff awareness, skills and training', 'The supplier\'s staff are trained and aware of security, with certification where appropriate.'),
  nis2('c', 'background_checks', 'Background checks of staff', 'The supplier verifies the background of staff who work on the entity\'s services.'),
  nis2('d', 'incident_notification', 'Incident notification', 'The supplier notifies the entity without undue delay of incidents that put the entity at risk.'),
  nis2('e', 'right_to_audit', 'Right to audit', 'The entity may audit the supplier, or at least receive its audit reports.'),
  nis2('f', 'vulnerability_handling', 'Vulnerability handling', 'The supplier handles vulnerabilities that put the entity at risk.'),
  nis2('g', 'subcontracting', 'Subcontracting', 'Rules on subcontracting, with the same security requirements passed down to subcontractors.'),
  nis2('h', 'termination', 'Obligations at termination', 'At the end of the contract the entity\'s information is returned and disposed of securely.'),
  dora(2, 'a', 'subcontracting', 'Service description and subcontracting', 'The services are described, with whether and on what terms subcontracting of critical or important functions is allowed.'),
  dora(2, 'b', 'data_location', 'Service and data locations', 'Where services are provided and data is processed and stored, with advance notice of any change.'),
  dora(2, 'c', 'data_protection', 'Data protection', 'Provisions on the availability, authenticity, integrity and confidentiality of data, personal data included.'),
  dora(2, 'd', 'data_return', 'Access, recovery and return of data', 'The entity can access, recover and get back its data in an easily accessible format on insolvency, resolution, discontinuation or termination.'),
  dora(2, 'e', 'service_levels', 'Service level descriptions', 'The service levels are described, with their updates and revisions.'),
  dora(2, 'f', 'incident_assistance', 'Incident assistance', 'The provider helps with ICT incidents related to the service at no extra cost or at a cost fixed in advance.'),
  dora(2, 'g', 'authority_cooperation', 'Cooperation with authorities', 'The provider cooperates fully with the competent and resolution authorities of the entity.'),
  dora(2, 'h', 'termination', 'Termination rights and notice periods', 'The entity\'s termination rights and the minimum notice periods, as supervisors expect them.'),
  dora(2, 'i', 'training', 'Security awareness and resilience training', 'The provider takes part in the entity\'s ICT security awareness programmes and digital operational resilience training.'),
  dora(3, 'a', 'service_levels', 'Full service levels with measurable targets', 'Complete service level descriptions with precise quantitative and qualitative performance targets, so corrective action can be taken.'),
  dora(3, 'b', 'incident_notification', 'Notice and reporting duties', 'Notice periods and reporting duties of the provider, including notice of any development that may materially affect the service.'),
  dora(3, 'c', 'business_continuity', 'Business contingency and security measures', 'The provider implements and tests business contingency plans and keeps appropriate ICT security measures and tools.'),
  dora(3, 'd', 'penetration_testing', 'Threat-led penetration testing', 'The provider takes part in and cooperates fully with the entity\'s threat-led penetration testing.'),
  dora(3, 'e', 'right_to_audit', 'Access, inspection and audit', 'Unrestricted rights of access, inspection and audit for the entity, its appointed auditors and the authorities.'),
  dora(3, 'f', 'exit', 'Exit strategy', 'Exit strategies, including a mandatory and adequate transition period.'),
];

export const BUILTIN_CLAUSES_BY_KEY: ReadonlyMap<string, ClauseDefinition> = new Map(BUILTIN_CLAUSES.map((clause) => [clause.key, clause]));

/** Tenants' own clause keys start with this, so they never collide with built-in keys. */
export const CUSTOM_CLAUSE_PREFIX = 'custom-';
export const CUSTOM_CLAUSES_PER_TENANT = 200;
