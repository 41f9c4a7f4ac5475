import { and, asc, eq, inArray, lte, max, sql } from 'drizzle-orm';
import { REPORTABLE_CONTRACT_STATUSES } from '../../catalog/dora-register';
import { audits, contracts, contractServices, functions, ictServices, subcontractingLinks, suppliers, tenants } from '../../db/schema';
import { rowsOf } from '../../db/rows';
import type { Db } from '../../db/types';
import { problems } from '../../lib/errors';
import { MAX_CHAIN_DEPTH } from '../supply-chain/supply-chain.schemas';

export type TenantRow = typeof tenants.$inferSelect;
export type ContractRow = typeof contracts.$inferSelect;
export type ServiceRow = typeof ictServices.$inferSelect;
export type SupplierRow = typeof suppliers.$inferSelect;
export type FunctionRow = typeof functions.$inferSelect;

/** A link of a contracted service's chain below its direct provider (rank 2 and deeper). */
export interface ChainLink {
  serviceId: string;
  providerId: string;
  /** The provider one rank up, who subcontracted to this one. */
  recipientId: string;
  rank: number;
}

/** Everything the register is built from, read before the response starts. */
export interface RegisterData {
  tenant: TenantRow;
  referenceDate: string;
  /** In force at the reference date, by reference. */
  contracts: ContractRow[];
  /** Per contract id, the services it covers, by service id. */
  servicesByContract: Map<string, ServiceRow[]>;
  chain: ChainLink[];
  /** The direct providers and every subcontractor in their chains, by id. */
  suppliers: Map<string, SupplierRow>;
  functions: FunctionRow[];
  /** Per supplier id, the date of its latest completed audit up to the reference date. */
  lastAuditOn: Map<string, string>;
}

/**
 * A contract is in the register when it is in force at the reference date: not a draft, started
 * on or before it (or no start date recorded, which the validation reports), and not ended before
 * it. An expired or terminated contract with no end date ended on an unknown day and is left out.
 */
export function inForceAt(tenantId: string, referenceDate: string) {
  return sql`${contracts.tenantId} = ${tenantId}
    and ${contracts.status} in (${sql.join(
      REPORTABLE_CONTRACT_STATUSES.map((status) => sql`${status}`),
      sql`, `,
    )})
    and (${contracts.startDate} is null or ${contracts.startDate} <= ${referenceDate}::date)
    and (${contracts.endDate} is null or ${contracts.endDate} >= ${referenceDate}::date)
    and (${contracts.status} = 'active' or ${contracts.endDate} is not null)`;
}

/**
 * The chains of every contracted service in one recursive CTE (same rules as the concentration
 * analysis): rank 1 is the service's supplier; at rank 1 only links for that service or for all
 * of the supplier's services follow, deeper every link. UNION over (service, provider, recipient,
 * rank) keeps it polynomial on a DAG; the depth bound ends it.
 */
function chainLinks(db: Db, tenantId: string, referenceDate: string): Promise<ChainLink[]> {
  return rowsOf<ChainLink>(
    db,
    sql`
      with recursive seed as (
        select distinct svc.id as service_id, svc.supplier_id
        from ${contracts}
        join ${contractServices} cs on cs.tenant_id = ${contracts.tenantId} and cs.contract_id = ${contracts.id}
        join ${ictServices} svc on svc.tenant_id = cs.tenant_id and svc.id = cs.service_id
        where ${inForceAt(tenantId, referenceDate)}
      ),
      reach(service_id, provider_id, recipient_id, rank) as (
        select service_id, supplier_id, supplier_id, 1 from seed
        union
        select r.service_id, l.subcontractor_id, r.provider_id, r.rank + 1
        from reach r
        join ${subcontractingLinks} l on l.tenant_id = ${tenantId} and l.supplier_id = r.provider_id
        where r.rank < ${MAX_CHAIN_DEPTH}::int and (r.rank > 1 or l.service_id is null or l.service_id = r.service_id)
      )
      select service_id as "serviceId", provider_id as "providerId", recipient_id as "recipientId", rank::int as rank
      from reach
      where rank > 1
      order by service_id, rank, recipient_id, provider_id`,
  );
}

/** Six set-based queries, whatever the number of contracts. */
export async function loadRegisterData(db: Db, tenantId: string, referenceDate: string): Promise<RegisterData> {
  const inForce = inForceAt(tenantId, referenceDate);
  const [[tenant], contractRows, serviceRows, chain, functionRows, auditRows] = await Promise.all([
    db.select().from(tenants).where(eq(tenants.id, tenantId)),
    db.select().from(contracts).where(inForce).orderBy(asc(contracts.reference)),
    db
      .select({ contractId: contractServices.contractId, service: ictServices })
      .from(contractServices)
      .innerJoin(ictServices, and(eq(ictServices.tenantId, contractServices.tenantId), eq(ictServices.id, contractServices.serviceId)))
      .where(
        and(
          eq(contractServices.tenantId, tenantId),
          inArray(contractServices.contractId, db.select({ id: contracts.id }).from(contracts).where(inForce)),
        ),
      )
      .orderBy(asc(contractServices.contractId), asc(ictServices.id)),
    chainLinks(db, tenantId, referenceDate),
    db.select().from(functions).where(eq(functions.tenantId, tenantId)).orderBy(asc(functions.identifier)),
    db
      .select({ supplierId: audits.supplierId, lastOn: max(audits.performedDate) })
      .from(audits)
      .where(and(eq(audits.tenantId, tenantId), eq(audits.status, 'completed'), lte(audits.performedDate, referenceDate)))
      .groupBy(audits.supplierId),
  ]);
  if (!tenant) throw problems.notFound('Tenant');
  const servicesByContract = new Map<string, ServiceRow[]>();
  for (const { contractId, service } of serviceRows) {
    const list = servicesByContract.get(contractId);
    if (list) list.push(service);
    else servicesByContract.set(contractId, [service]);
  }
  const supplierIds = new Set<string>(contractRows.map((row) => row.supplierId));
  for (const link of chain) supplierIds.add(link.providerId);
  const supplierRows =
    supplierIds.size === 0
      ? []
      : await db
          .select()
          .from(suppliers)
          .where(and(eq(suppliers.tenantId, tenantId), inArray(suppliers.id, [...supplierIds])));
  return {
    tenant,
    referenceDate,
    contracts: contractRows,
    servicesByContract,
    chain,
    suppliers: new Map(supplierRows.map((row) => [row.id, row])),
    functions: functionRows,
    lastAuditOn: new Map(auditRows.filter((row) => row.lastOn !== null).map((row) => [row.supplierId, row.lastOn!])),
  };
}
