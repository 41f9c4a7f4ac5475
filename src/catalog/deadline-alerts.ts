/**
 * Deadline alerts: what they are about, when they are raised by default, and what they say.
 * Lead times are tenant settings (PATCH /v1/tenant); these are the defaults a new tenant gets,
 * the same as the column defaults in the database.
 */
export const DEADLINE_ALERT_KINDS = {
  contract_end: 'A contract reaches its end date.',
  contract_notice: 'The last day to give notice on a contract (end date minus notice period): after it the contract runs on or renews.',
  evidence_expiry: 'Evidence (a certificate, report or policy) stops being valid.',
} as const;

export type DeadlineAlertKind = keyof typeof DEADLINE_ALERT_KINDS;
export const DEADLINE_ALERT_KIND_CODES = Object.keys(DEADLINE_ALERT_KINDS) as [DeadlineAlertKind, ...DeadlineAlertKind[]];

export const DEFAULT_CONTRACT_ALERT_DAYS = [90, 30, 7] as const;
export const DEFAULT_EVIDENCE_ALERT_DAYS = [60, 30, 0] as const;
/** Lead times are whole days from 0 (on the day) to two years, at most this many per list. */
export const MAX_ALERT_DAYS = 730;
export const MAX_ALERT_LEAD_TIMES = 6;
/**
 * A deadline that passed while no job ran (an outage, a contract entered late) is still alerted
 * for this many days after it; older ones are history, not news.
 */
export const ALERT_GRACE_DAYS = 7;

/** The mail for an alert. Placeholders in braces; `{when}` is one of the `when` phrases. */
export const DEADLINE_ALERT_MAIL = {
  en: {
    subjects: {
      contract_end: 'Contract {reference} with {supplier} {when}',
      contract_notice: 'Notice deadline of contract {reference} with {supplier} {when}',
      evidence_expiry: '{evidence} of {supplier} {when}',
    },
    when: {
      contract_end: { future: 'ends in {days} days ({deadline})', today: 'ends today ({deadline})', past: 'ended {days} days ago ({deadline})' },
      contract_notice: {
        future: 'is in {days} days ({deadline})',
        today: 'is today ({deadline})',
        past: 'passed {days} days ago ({deadline})',
      },
      evidence_expiry: { future: 'expires in {days} days ({deadline})', today: 'expires today ({deadline})', past: 'expired {days} days ago ({deadline})' },
    },
    actions: {
      contract_end: 'Decide whether to renew, renegotiate or exit, and plan the exit for services that support critical or important functions.',
      contract_notice: 'Give notice by then if the contract should not run on{renewal}.',
      evidence_expiry: 'Ask the supplier for a current version and upload it as evidence.',
    },
    autoRenewal: ' (it renews automatically)',
    footer: 'Chainproof deadline alert {id} for {organisation}. Alert lead times and the address they go to are tenant settings (PATCH /v1/tenant).',
  },
} as const;
