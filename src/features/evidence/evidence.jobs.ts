import { sql } from 'drizzle-orm';
import { EVIDENCE_KINDS, type EvidenceKind } from '../../catalog/evidence-kinds';
import { EXPIRED_EVIDENCE_SEVERITY } from '../../catalog/expired-evidence';
import type { Db } from '../../db/types';
import { jobsAuditContext } from '../../jobs/system-actor';
import type { Logger } from '../../lib/logger';
import { changesScore, raiseFinding } from '../findings/findings.raise';
import { rowsOf } from '../../db/rows';
import { rescoreSupplier } from '../risk/risk.rescore';
import { dayOf } from '../../lib/dates';
import type { FindingJobOptions } from '../findings/findings.jobs';

interface ExpiredEvidence {
  tenant_id: string;
  id: string;
  supplier_id: string;
  kind: string;
  title: string | null;
  file_name: string;
  valid_until: string;
}

/**
 * Raises a finding for evidence whose validity ended while its supplier is active (NIS2 IR
 * 2024/2690 5.1.6: monitoring outsourced services needs current assurance), once per evidence
 * record: a finding that was resolved or accepted is not raised again by the same record. The
 * supplier is re-scored with it. Safe on several instances: raiseFinding dedupes by source.
 */
export async function raiseExpiredEvidenceFindings(db: Db, now: Date, logger: Logger, options: FindingJobOptions = {}): Promise<number> {
  const today = dayOf(now);
  const candidates = await rowsOf<ExpiredEvidence>(
    db,
    sql`
    select e.tenant_id, e.id, e.supplier_id, e.kind, e.title, e.file_name, e.valid_until::text as valid_until
    from evidence e
    join suppliers s on s.tenant_id = e.tenant_id and s.id = e.supplier_id
    where e.archived_at is null and e.valid_until < ${today}::date
      and s.status = 'active' and s.archived_at is null
      ${options.tenantId ? sql`and e.tenant_id = ${options.tenantId}` : sql``}
      and not exists (
        select 1 from findings f
        where f.tenant_id = e.tenant_id and f.source = 'evidence_expired' and f.source_ref = 'evidence:' || e.id)
    order by e.valid_until, e.tenant_id, e.id
    limit ${options.batchSize ?? 200}`,
  );
  let raised = 0;
  for (const evidence of candidates) {
    try {
      const kind = EVIDENCE_KINDS[evidence.kind as EvidenceKind] ?? evidence.kind;
      const outcome = await db.transaction(async (tx) => {
        const { outcome } = await raiseFinding(tx, jobsAuditContext(evidence.tenant_id, now), {
          supplierId: evidence.supplier_id,
          source: 'evidence_expired',
          sourceRef: `evidence:${evidence.id}`,
          title: `Expired: ${kind} (${evidence.title ?? evidence.file_name}), valid until ${evidence.valid_until}`,
          description: 'The supplier is active, but this evidence is no longer valid. Ask the supplier for a current version and upload it.',
          severity: EXPIRED_EVIDENCE_SEVERITY[evidence.kind as EvidenceKind] ?? 'low',
          links: { evidenceId: evidence.id },
        });
        if (changesScore(outcome)) {
          await rescoreSupplier(tx, { tenantId: evidence.tenant_id, supplierId: evidence.supplier_id, now, trigger: 'evidence' });
        }
        return outcome;
      });
      if (outcome === 'created' || outcome === 'reopened') raised += 1;
    } catch (error) {
      logger.error('raising a finding for expired evidence failed', { tenantId: evidence.tenant_id, evidenceId: evidence.id, error });
    }
  }
  return raised;
}
