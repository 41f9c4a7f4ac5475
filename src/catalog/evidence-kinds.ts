/**
 * Kinds of evidence a supplier provides or that is kept about one. The codes are part of the API
 * contract; the labels are for people.
 */
export const EVIDENCE_KINDS = {
  iso27001_certificate: 'ISO/IEC 27001 certificate',
  soc2_report: 'SOC 2 report',
  iec62443_certificate: 'IEC 62443 certificate',
  pentest_summary: 'Penetration test summary',
  policy: 'Policy',
  sla_report: 'SLA report',
  insurance: 'Insurance certificate',
  sbom: 'Software bill of materials (SBOM)',
  other: 'Other',
} as const;

export type EvidenceKind = keyof typeof EVIDENCE_KINDS;
export const EVIDENCE_KIND_CODES = Object.keys(EVIDENCE_KINDS) as [EvidenceKind, ...EvidenceKind[]];
