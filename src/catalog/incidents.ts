/**
 * Supplier incidents (NIS2 Art. 23, IR 2024/2690 5.1.7(b)): the states an incident moves through
 * and the reporting milestones counted from the time of awareness. Codes are the API's values,
 * the text is what the OpenAPI descriptions show.
 */

export const INCIDENT_STATUSES = {
  open: 'Known and not yet under control.',
  contained: 'Under control; the cause is still being worked on.',
  resolved: 'Over: no further effect on our services.',
} as const;

export type IncidentStatus = keyof typeof INCIDENT_STATUSES;
export const INCIDENT_STATUS_CODES = Object.keys(INCIDENT_STATUSES) as [IncidentStatus, ...IncidentStatus[]];

/** Statuses in which an incident still lowers the supplier's score. */
export const ACTIVE_INCIDENT_STATUSES = ['open', 'contained'] as const satisfies readonly IncidentStatus[];

/** Moves PATCH allows; a resolved incident can be reopened when it flares up again. */
export const INCIDENT_TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
  open: ['contained', 'resolved'],
  contained: ['open', 'resolved'],
  resolved: ['open'],
};

/**
 * NIS2 Art. 23(4): early warning within 24 hours of becoming aware, incident notification within
 * 72 hours, final report within one month (a calendar month, UTC; the 31st runs to the month's
 * last day, as Postgres' `interval '1 month'` does). `column` is the completion column's API name.
 */
export const INCIDENT_MILESTONES = {
  earlyWarning: { label: 'Early warning', hours: 24, months: 0 },
  notification: { label: 'Incident notification', hours: 72, months: 0 },
  finalReport: { label: 'Final report', hours: 0, months: 1 },
} as const;

export type IncidentMilestone = keyof typeof INCIDENT_MILESTONES;
export const INCIDENT_MILESTONE_CODES = Object.keys(INCIDENT_MILESTONES) as [IncidentMilestone, ...IncidentMilestone[]];

/** What an incident reported through a supplier's own link is recorded as, until someone triages it. */
export const SUPPLIER_REPORTED_INCIDENT_DEFAULTS = { severity: 'medium', significant: false, status: 'open' } as const;

/** How long a supplier's incident-report link works, in days. */
export const INCIDENT_LINK_DEFAULT_DAYS = 365;
export const INCIDENT_LINK_MAX_DAYS = 3 * 365;
