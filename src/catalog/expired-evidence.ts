import type { EvidenceKind } from './evidence-kinds';
import type { Severity } from '../scoring/types';

/**
 * How serious it is when a supplier's evidence runs out while the supplier is active: a lapsed
 * certificate or test report removes assurance the risk score relied on; an old SLA report or
 * policy is housekeeping.
 */
export const EXPIRED_EVIDENCE_SEVERITY: Record<EvidenceKind, Severity> = {
  iso27001_certificate: 'medium',
  iec62443_certificate: 'medium',
  soc2_report: 'medium',
  pentest_summary: 'medium',
  insurance: 'medium',
  sbom: 'low',
  policy: 'low',
  sla_report: 'low',
  other: 'low',
};
