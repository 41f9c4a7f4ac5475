/**
 * Audits of suppliers and outsourced services (NIS2 IR 2024/2690 5.1.4(e), the right to audit).
 * Codes are the API's values, the text is what the OpenAPI descriptions show.
 */

export const AUDIT_TYPES = {
  on_site: 'An audit at the supplier\'s premises.',
  remote: 'An audit held remotely (interviews, screen sharing, remote evidence review).',
  document_review: 'A review of the supplier\'s documents and records.',
  third_party_report: 'A report by an independent auditor received from the supplier, e.g. a SOC 2 report.',
} as const;

export type AuditType = keyof typeof AUDIT_TYPES;
export const AUDIT_TYPE_CODES = Object.keys(AUDIT_TYPES) as [AuditType, ...AuditType[]];

export const AUDIT_STATUSES = {
  planned: 'Agreed or scheduled, not started.',
  in_progress: 'Being carried out.',
  completed: 'Done; needs the date it was performed.',
} as const;

export type AuditStatus = keyof typeof AUDIT_STATUSES;
export const AUDIT_STATUS_CODES = Object.keys(AUDIT_STATUSES) as [AuditStatus, ...AuditStatus[]];

/** Moves PATCH allows; a completed audit can be reopened to correct it. */
export const AUDIT_TRANSITIONS: Record<AuditStatus, readonly AuditStatus[]> = {
  planned: ['in_progress', 'completed'],
  in_progress: ['planned', 'completed'],
  completed: ['in_progress'],
};
