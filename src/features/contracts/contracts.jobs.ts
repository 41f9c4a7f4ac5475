import type { Db } from '../../db/types';
import { jobsAuditContext } from '../../jobs/system-actor';
import type { Logger } from '../../lib/logger';
import { changesScore, raiseFinding, resolveRaisedFinding } from '../findings/findings.raise';
import { findFinding } from '../findings/findings.queries';
import { rescoreSupplier } from '../risk/risk.rescore';
import { clauseGapFinding } from './clause-findings';
import { clauseGapsToRaise, clauseGapsToResolve, tenantsWithClauseGaps, type ClauseGapToResolve } from './clause-sql';
import { findClause, findContract } from './contracts.queries';

export interface ClauseGapJobOptions {
  /** Findings raised or resolved per tenant and run; the rest wait for the next run. */
  batchSize?: number;
  /** Only this tenant (tests). Default: every tenant with missing clauses or clause-gap findings. */
  tenantId?: string;
}

function resolveReason(gap: ClauseGapToResolve): string {
  if (gap.contract_status === null) return 'The contract no longer exists.';
  if (gap.contract_status !== 'draft' && gap.contract_status !== 'active') return `Contract ${gap.contract_reference} is ${gap.contract_status}.`;
  if (gap.supplier_archived) return 'The supplier was archived.';
  if (gap.supplier_tier !== 'critical') return `The supplier is no longer in the critical tier (now ${gap.supplier_tier ?? 'none'}).`;
  if (!gap.applies) return 'The clause no longer applies to the contract (tenant regime or covered services changed).';
  return `The clause is now ${gap.clause_status}.`;
}

/**
 * Keeps clause-gap findings in line with what changed elsewhere: a supplier that became critical
 * gets findings for the clauses its contracts miss, one that left the critical tier (or a clause
 * that stopped applying under a new regime) has them resolved. Set-based selection, one small
 * transaction per finding, each re-scoring its supplier. Safe on several instances: raiseFinding
 * dedupes by source, and a resolve locks and re-reads the finding.
 */
export async function syncClauseGapFindings(db: Db, now: Date, logger: Logger, options: ClauseGapJobOptions = {}): Promise<number> {
  const limit = options.batchSize ?? 200;
  let changed = 0;
  for (const tenantId of await tenantsWithClauseGaps(db, options.tenantId)) {
    const audit = jobsAuditContext(tenantId, now);
    for (const gap of await clauseGapsToRaise(db, tenantId, limit)) {
      try {
        const outcome = await db.transaction(async (tx) => {
          const [contract, clause] = await Promise.all([findContract(tx, tenantId, gap.contract_id), findClause(tx, tenantId, gap.clause_key)]);
          if (!contract || !clause) return 'kept';
          const { outcome } = await raiseFinding(tx, audit, clauseGapFinding(contract, clause));
          if (changesScore(outcome)) await rescoreSupplier(tx, { tenantId, supplierId: contract.supplierId, now, trigger: 'contract' });
          return outcome;
        });
        if (changesScore(outcome)) changed += 1;
      } catch (error) {
        logger.error('raising a clause-gap finding failed', { tenantId, contractId: gap.contract_id, clauseKey: gap.clause_key, error });
      }
    }
    for (const gap of await clauseGapsToResolve(db, tenantId, limit)) {
      try {
        const resolved = await db.transaction(async (tx) => {
          const finding = await findFinding(tx, tenantId, gap.finding_id, { forUpdate: true });
          if (!finding || finding.status === 'resolved') return false;
          await resolveRaisedFinding(tx, audit, finding, resolveReason(gap));
          await rescoreSupplier(tx, { tenantId, supplierId: finding.supplierId, now, trigger: 'contract' });
          return true;
        });
        if (resolved) changed += 1;
      } catch (error) {
        logger.error('resolving a clause-gap finding failed', { tenantId, findingId: gap.finding_id, error });
      }
    }
  }
  return changed;
}
