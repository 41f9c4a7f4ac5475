/**
 * The words of the PDF reports: section titles, their one-line purpose and recurring labels, kept
 * as data so that wording (or a translation) changes in one place. Placeholders in braces are
 * filled in by the report.
 */

export const REPORT_COMMON = {
  page: 'Page {n} of {m}',
  generated: 'Generated {date} for {tenant}',
  none: 'None recorded.',
  more: '{n} more not shown: see the API for the full list.',
  yes: 'yes',
  no: 'no',
  notScored: 'not scored yet',
} as const;

export const DOSSIER_LABELS = {
  kicker: 'Supplier dossier',
  confidential:
    'Confidential. Prepared from the supplier register, questionnaires, contracts, evidence, audits and incidents recorded in Chainproof at the time shown. Scores explain themselves: every factor and its contribution is listed in section 4.',
  archived: 'This supplier is archived (since {date}); the dossier shows its records as kept.',
  sections: {
    identity: { title: '1. Identity and identifiers', intro: 'Who the supplier is, how it is identified and who its contact points are (NIS2 IR 2024/2690 point 5.2(a)).' },
    services: { title: '2. ICT services', intro: 'What the supplier provides (point 5.2(b)); services that support a critical or important function come first.' },
    chain: { title: '3. Subcontracting chain', intro: 'The subcontractors behind this supplier, rank 1 being the supplier itself (DORA ranks).' },
    risk: { title: '4. Tier, risk score and explanation', intro: 'Inherent risk from the profile and services, control strength from answers, certificates and clauses, penalties, and the resulting residual risk.' },
    questionnaires: {
      title: '5. Questionnaire results by domain',
      intro: 'The latest accepted, in-review or submitted assessment of each questionnaire. Score: the mean of scored answers, 0 (worst) to 100 (best).',
    },
    findings: { title: '6. Open findings and accepted risks', intro: 'Weaknesses still open or in remediation, and those whose risk was accepted until an expiry date.' },
    contracts: { title: '7. Contracts and clause coverage', intro: 'Applicable clauses per contract (regime and critical functions decide), how many are satisfied, and the open gaps.' },
    evidence: { title: '8. Evidence and its validity', intro: 'Certificates, reports and policies kept for this supplier, with whether each is valid today.' },
    audits: { title: '9. Audits', intro: 'Audits of the supplier or its services (point 5.1.4(e)).' },
    incidents: { title: '10. Supplier incidents', intro: 'Incidents at or caused by the supplier, with the NIS2 Art. 23 reporting milestones.' },
    lifecycle: {
      title: '11. Onboarding and offboarding',
      intro: 'The onboarding gates of the tenant\'s policy and the decision taken, and the exit checklist (NIS2 IR point 5.1.4(h), DORA Art. 28(8)) when the supplier is being or was offboarded.',
    },
  },
} as const;

export const NIS2_LABELS = {
  kicker: 'NIS2 supply-chain security report',
  title: 'Supply-chain security',
  subtitle: 'For the management body (NIS2 Art. 20) and the supervisory authority',
  note:
    'Prepared from the records in Chainproof at the time shown. It follows Implementing Regulation (EU) 2024/2690, Annex, point 5: the supplier directory of 5.2, the contract clauses of 5.1.4, monitoring under 5.1.6 and 5.1.7, and the audit trail that makes the records verifiable.',
  sections: {
    summary: { title: '1. Summary', intro: 'The supplier portfolio at a glance.' },
    tiers: { title: '2. Suppliers by tier', intro: 'Suppliers are classified by inherent risk: critical (70 and above), strategic (40 to 69), routine (below 40), or by a documented override.' },
    coverage: { title: '3. Assessment coverage and what is overdue', intro: 'Which suppliers have an accepted security questionnaire, which are being assessed, and which were never assessed; then every overdue assessment and review (points 5.1.6, 5.1.7(c)).' },
    clauses: { title: '4. Contract clause coverage (point 5.1.4)', intro: 'For each clause (a) to (h), the share of active contracts that contain it (present, or waived / not applicable with a justification).' },
    evidence: { title: '5. Expiring and expired evidence', intro: 'Certificates and reports whose validity ended within the last {days} days or ends within the next {days}.' },
    findings: { title: '6. Open findings by severity', intro: 'Findings open or in remediation, and accepted risks; then the open critical and high ones.' },
    concentration: { title: '7. Concentration', intro: 'Providers that two or more critical or important services depend on, directly or as subcontractors (fourth parties).' },
    incidents: { title: '8. Supplier incidents', intro: 'Incidents of the last {days} days and every one still open, with the NIS2 Art. 23 milestones (24 h, 72 h, one month).' },
    directory: { title: '9. Supplier directory (point 5.2)', intro: 'Every supplier that is not archived: contact point (5.2(a)), ICT services (5.2(b)), tier and risk, the end of its active contract.' },
    auditLog: { title: '10. Audit log verification', intro: 'Every change in Chainproof is written to an append-only, hash-chained audit log. The chain was verified when this report was made.' },
  },
  auditValid: 'Audit log verified: all {checked} entries are intact and chained (first to last).',
  auditBroken: 'Audit log verification FAILED at entry {seq} after {checked} intact entries. Investigate before relying on this report.',
} as const;

/** The NIS2 IR 2024/2690 5.1.4 points in the words of the report. */
export const NIS2_CLAUSE_POINTS: Record<string, string> = {
  'nis2-ir-5.1.4-a': '(a) Cybersecurity requirements',
  'nis2-ir-5.1.4-b': '(b) Staff awareness, skills, training',
  'nis2-ir-5.1.4-c': '(c) Background checks of staff',
  'nis2-ir-5.1.4-d': '(d) Incident notification',
  'nis2-ir-5.1.4-e': '(e) Right to audit',
  'nis2-ir-5.1.4-f': '(f) Vulnerability handling',
  'nis2-ir-5.1.4-g': '(g) Subcontracting',
  'nis2-ir-5.1.4-h': '(h) Obligations at termination',
};
