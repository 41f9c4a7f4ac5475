/**
 * The events an endpoint can subscribe to, with when they happen. `data` carries ids and the few
 * fields a receiver needs to decide whether to fetch the resource; the API has the rest.
 */
export const WEBHOOK_EVENTS = {
  'supplier.created': 'A supplier is added (API, import or ERP upsert).',
  'supplier.updated': 'A supplier\'s record is changed (API, import or ERP upsert).',
  'assessment.sent': 'An assessment is sent to the supplier.',
  'assessment.submitted': 'The supplier submits an assessment.',
  'assessment.accepted': 'A reviewer accepts an assessment.',
  'assessment.overdue': 'An assessment passes its due date without being submitted.',
  'risk.rating_changed': 'A supplier\'s risk rating changes.',
  'finding.created': 'A finding is raised.',
  'evidence.expiring': 'Evidence nears (or reaches) the end of its validity, at the tenant\'s lead times.',
  'contract.clause_gap': 'A clause of a contract is recorded as not satisfied (missing, partial or negotiating).',
  'contract.notice_deadline': 'A contract\'s notice deadline is near, at the tenant\'s lead times.',
  'supplier.onboarding_started': 'An onboarding case is started for a supplier.',
  'supplier.approved': 'A supplier\'s onboarding is approved (with or without conditions).',
  'supplier.rejected': 'A supplier\'s onboarding is rejected.',
  'supplier.offboarded': 'A supplier\'s offboarding is completed: it is terminated.',
  'incident.reported': 'A supplier incident is recorded, by the tenant or by the supplier through its link.',
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as [WebhookEventType, ...WebhookEventType[]];

/**
 * Seconds after the event at which attempts are made: quick retries for a blip, then spread out
 * over a day. A delivery still failing after the last one has failed for 24 hours: it is given up
 * and its endpoint disabled (with notice), so that a dead receiver does not pile up work.
 */
export const WEBHOOK_RETRY_SCHEDULE_SECONDS = [0, 5, 30, 120, 600, 1800, 3600, 7200, 14_400, 28_800, 43_200, 86_400] as const;

/** Response bytes kept from a failed attempt, for the delivery log. */
export const WEBHOOK_ERROR_EXCERPT_CHARS = 300;
