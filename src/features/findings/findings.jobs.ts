import { and, eq, lte } from 'drizzle-orm';
import { findings } from '../../db/schema';
import type { Db } from '../../db/types';
import { jobsAuditContext } from '../../jobs/system-actor';
import { recordAudit } from '../../lib/audit';
import type { Logger } from '../../lib/logger';
import { rescoreSupplier } from '../risk/risk.rescore';
import { acceptanceRecord } from './findings.present';
import { expiredAcceptances, NO_ACCEPTANCE, updateFinding } from './findings.queries';
import { dayOf } from '../../lib/dates';

export interface FindingJobOptions {
  /** Findings looked at per run; the rest wait for the next run. */
  batchSize?: number;
  /** Only this tenant's findings (tests). Default: every tenant's. */
  tenantId?: string;
}

/**
 * Reopens findings whose risk acceptance has run out (the acceptance ends at the start of its
 * expiry day, UTC), so they count against the supplier's score again, and re-scores the supplier.
 * The acceptance columns are cleared, their content goes into the audit entry. Each finding
 * changes in its own transaction; the row lock and the repeated condition make a second instance
 * that picked the same finding skip it, so each acceptance expires exactly once.
 */
export async function reopenExpiredRiskAcceptances(db: Db, now: Date, logger: Logger, options: FindingJobOptions = {}): Promise<number> {
  const today = dayOf(now);
  const candidates = await expiredAcceptances(db, today, options.batchSize ?? 200, options.tenantId);
  let reopened = 0;
  for (const candidate of candidates) {
    try {
      const done = await db.transaction(async (tx) => {
        const [current] = await tx
          .select()
          .from(findings)
          .where(
            and(
              eq(findings.tenantId, candidate.tenantId),
              eq(findings.id, candidate.id),
              eq(findings.status, 'risk_accepted'),
              lte(findings.riskAcceptanceExpiresAt, today),
            ),
          )
          .for('update');
        if (!current) return false;
        await updateFinding(tx, current, { status: 'open', ...NO_ACCEPTANCE }, now);
        await recordAudit(tx, jobsAuditContext(current.tenantId, now), {
          action: 'finding.risk_acceptance_expired',
          entityType: 'finding',
          entityId: current.id,
          changes: { status: { from: 'risk_accepted', to: 'open' }, expiredAcceptance: acceptanceRecord(current) },
        });
        await rescoreSupplier(tx, { tenantId: current.tenantId, supplierId: current.supplierId, now, trigger: 'finding' });
        return true;
      });
      if (done) reopened += 1;
    } catch (error) {
      logger.error('reopening an expired risk acceptance failed', { tenantId: candidate.tenantId, findingId: candidate.id, error });
    }
  }
  return reopened;
}
