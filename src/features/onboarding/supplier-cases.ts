import type { Db } from '../../db/types';
import { recordAudit, type AuditContext } from '../../lib/audit';
import { problems } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { requireSupplier, type SupplierRow } from '../suppliers/suppliers.queries';
import { insertCase, latestCase, setSupplierApproval, type SupplierCaseRow } from './onboarding.queries';

/** What tells onboarding and offboarding cases apart when one is opened. */
export interface CaseKind {
  kind: 'onboarding' | 'offboarding';
  /** Supplier statuses the case may start from; the supplier moves to `kind` as its status. */
  from: ReadonlySet<string>;
  policyVersion: number;
  /** Kept on the case (the offboarding reason) and in the audit entry. */
  note: string | null;
}

const NOT_STARTABLE_CODE = { onboarding: 'supplier_not_onboardable', offboarding: 'supplier_not_offboardable' } as const;

/**
 * Opens a case for a supplier in the caller's transaction: locks the supplier, checks its status
 * and that no case of the kind is open (409 otherwise), inserts the case, moves the supplier's
 * status and audits both. Returns the case and the supplier as it is now.
 */
export async function startSupplierCase(tx: Db, audit: AuditContext, supplierId: string, spec: CaseKind): Promise<{ row: SupplierCaseRow; supplier: SupplierRow }> {
  const { tenantId, now, actor } = audit;
  const supplier = await requireSupplier(tx, tenantId, supplierId, { forUpdate: true });
  if (supplier.archivedAt) throw problems.conflict(`The supplier is archived. Restore it before ${spec.kind} starts.`, 'supplier_archived');
  if (!spec.from.has(supplier.status)) {
    throw problems.conflict(`The supplier is ${supplier.status}; ${spec.kind} starts from ${[...spec.from].join(' or ')}.`, NOT_STARTABLE_CODE[spec.kind]);
  }
  const open = await latestCase(tx, tenantId, supplierId, spec.kind);
  if (open?.status === 'open') throw problems.conflict(`${spec.kind === 'onboarding' ? 'Onboarding' : 'Offboarding'} case ${open.id} is already open for this supplier.`, `${spec.kind}_in_progress`);
  const row = await insertCase(tx, {
    tenantId,
    id: newId('supplierCase', now),
    supplierId,
    kind: spec.kind,
    status: 'open',
    policyVersion: spec.policyVersion,
    decisionNote: spec.note,
    startedByType: actor.type,
    startedById: actor.id,
    createdAt: now,
    updatedAt: now,
  });
  const moved = supplier.status === spec.kind ? supplier : await setSupplierApproval(tx, supplier, { status: spec.kind }, now);
  await recordAudit(tx, audit, [
    { action: `supplier.${spec.kind}_started`, entityType: 'supplier_case', entityId: row.id, changes: { supplierId, policyVersion: spec.policyVersion, note: spec.note } },
    ...(moved === supplier ? [] : [{ action: 'supplier.updated', entityType: 'supplier', entityId: supplierId, changes: { status: { from: supplier.status, to: spec.kind } } }]),
  ]);
  return { row, supplier: moved };
}
