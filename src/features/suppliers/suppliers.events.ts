import type { SupplierRow } from './suppliers.queries';

/** What `supplier.created` and `supplier.updated` webhooks carry: enough to decide whether to fetch the supplier. */
export function supplierEventData(row: Pick<SupplierRow, 'id' | 'externalRef' | 'name' | 'status' | 'tier'>, changedFields?: readonly string[]) {
  return {
    supplierId: row.id,
    externalRef: row.externalRef,
    name: row.name,
    status: row.status,
    tier: row.tier,
    ...(changedFields ? { changedFields: [...changedFields] } : {}),
  };
}
