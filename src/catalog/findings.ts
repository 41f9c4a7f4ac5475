/**
 * Findings (DESIGN.md "Finding"): where one comes from and the states it moves through. The codes
 * are the API's values; the text is what the OpenAPI descriptions show.
 */

export const FINDING_SOURCES = {
  answer: 'An accepted questionnaire answer that fails the template\'s expectation (raised automatically).',
  clause_gap: 'A contract clause that is missing or only partly present.',
  audit: 'A weakness an audit of the service found.',
  evidence_expired: 'A certificate or report that is no longer valid.',
  incident: 'A weakness a supplier incident revealed.',
  onboarding_condition: 'A condition of an onboarding approval (approved_with_conditions), with its due date and owner.',
  manual: 'Entered by hand.',
} as const;

export type FindingSource = keyof typeof FINDING_SOURCES;
export const FINDING_SOURCE_CODES = Object.keys(FINDING_SOURCES) as [FindingSource, ...FindingSource[]];

export const FINDING_STATUSES = {
  open: 'Found, nobody working on it yet.',
  in_remediation: 'The supplier or an owner is fixing it.',
  resolved: 'Fixed or no longer relevant.',
  risk_accepted: 'Not fixed: the risk was accepted by an admin or risk manager until an expiry date.',
} as const;

export type FindingStatus = keyof typeof FINDING_STATUSES;
export const FINDING_STATUS_CODES = Object.keys(FINDING_STATUSES) as [FindingStatus, ...FindingStatus[]];

/** Statuses in which a finding still counts against the supplier's score and can be overdue. */
export const ACTIVE_FINDING_STATUSES = ['open', 'in_remediation'] as const satisfies readonly FindingStatus[];

/**
 * The moves PATCH allows. `risk_accepted` is reached only through accept-risk (it needs its own
 * scope and a justification); leaving it by hand (open again, or resolved) withdraws the acceptance.
 */
export const FINDING_TRANSITIONS: Record<FindingStatus, readonly FindingStatus[]> = {
  open: ['in_remediation', 'resolved'],
  in_remediation: ['open', 'resolved'],
  resolved: ['open'],
  risk_accepted: ['open', 'resolved'],
};

/** Statuses accept-risk starts from; accepting an accepted finding again renews its acceptance. */
export const RISK_ACCEPTABLE_STATUSES = ['open', 'in_remediation', 'risk_accepted'] as const satisfies readonly FindingStatus[];

/** A risk acceptance lasts at most this long, so every accepted risk is looked at again. */
export const MAX_RISK_ACCEPTANCE_DAYS = 3 * 365 + 1;
export const MIN_JUSTIFICATION_CHARS = 20;
