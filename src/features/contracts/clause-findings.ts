import { and, eq, inArray } from 'drizzle-orm';
import { SATISFIED_CLAUSE_STATUSES, type ClauseDefinition, type ClauseStatus } from '../../catalog/clauses';
import { findings } from '../../db/schema';
import type { Db } from '../../db/types';
import type { AuditContext } from '../../lib/audit';
import { raiseFinding, resolveRaisedFinding, type RaiseFindingInput } from '../findings/findings.raise';
import { findFindingBySource } from '../findings/findings.queries';
import type { ContractRow } from './contracts.queries';

/*
 * Clause gaps as findings. The rule: a clause recorded as `missing` in a live contract of a
 * critical-tier supplier is a finding (high); it stays open through partial and negotiating, and
 * is resolved once the clause is satisfied, the contract ends, the supplier leaves the critical
 * tier or the clause stops applying. Clause changes and contract ends act at once (here); tier
 * and regime changes are caught up by the clause-gap job (contracts.jobs.ts).
 */

export const isSatisfied = (status: string | undefined) => status !== undefined && (SATISFIED_CLAUSE_STATUSES as readonly string[]).includes(status);

export const ENDED_CONTRACT_STATUSES: ReadonlySet<string> = new Set(['expired', 'terminated']);

/** A contract that ended has no clauses left to fix: its clause-gap findings are resolved, audited. */
export async function resolveClauseFindingsOfEndedContract(tx: Db, audit: AuditContext, contract: ContractRow) {
  const open = await tx
    .select()
    .from(findings)
    .where(
      and(
        eq(findings.tenantId, contract.tenantId),
        eq(findings.source, 'clause_gap'),
        eq(findings.contractId, contract.id),
        inArray(findings.status, ['open', 'in_remediation', 'risk_accepted']),
      ),
    )
    .for('update');
  for (const finding of open) {
    await resolveRaisedFinding(tx, audit, finding, `Contract ${contract.reference} is ${contract.status}.`);
  }
}

export const clauseSourceRef = (contractId: string, clauseKey: string) => `clause:${contractId}:${clauseKey}`;

/** The finding for a clause missing from a contract of a critical supplier. */
export function clauseGapFinding(contract: Pick<ContractRow, 'id' | 'reference' | 'supplierId'>, clause: ClauseDefinition): RaiseFindingInput {
  return {
    supplierId: contract.supplierId,
    source: 'clause_gap',
    sourceRef: clauseSourceRef(contract.id, clause.key),
    title: `Contract ${contract.reference} lacks: ${clause.title}`.slice(0, 200),
    description: `${clause.source === 'custom' ? 'Custom clause' : clause.source}: ${clause.description ?? clause.title}`,
    severity: 'high',
    links: { contractId: contract.id, clauseKey: clause.key },
  };
}

/**
 * The finding side of a clause state: `missing` at a critical-tier supplier raises one (kept open
 * through partial or negotiating), a satisfied state resolves it. Returns whether open findings changed.
 */
export async function clauseFindingEffect(tx: Db, audit: AuditContext, contract: ContractRow, clause: ClauseDefinition, status: ClauseStatus, supplierTier: string) {
  const sourceRef = clauseSourceRef(contract.id, clause.key);
  if (status === 'missing' && supplierTier === 'critical') {
    await raiseFinding(tx, audit, clauseGapFinding(contract, clause));
    return;
  }
  if (!isSatisfied(status)) return;
  const finding = await findFindingBySource(tx, audit.tenantId, 'clause_gap', sourceRef, { forUpdate: true });
  if (!finding || finding.status === 'resolved') return;
  await resolveRaisedFinding(tx, audit, finding, `Clause ${clause.key} of contract ${contract.reference} is now ${status}.`);
}

