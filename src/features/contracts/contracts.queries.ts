import { and, asc, desc, eq, gt, inArray, isNotNull, lt, or, type SQL } from 'drizzle-orm';
import { BUILTIN_CLAUSES, BUILTIN_CLAUSES_BY_KEY, type ClauseDefinition, type ClauseRegime, type TenantRegime } from '../../catalog/clauses';
import { contractClauses, contracts, contractServices, customClauses, ictServices, tenants } from '../../db/schema';
import type { Db } from '../../db/types';
import { problems } from '../../lib/errors';

export type ContractRow = typeof contracts.$inferSelect;
export type NewContractRow = typeof contracts.$inferInsert;
export type CustomClauseRow = typeof customClauses.$inferSelect;
export type ContractClauseRow = typeof contractClauses.$inferSelect;

const byId = (tenantId: string, id: string) => and(eq(contracts.tenantId, tenantId), eq(contracts.id, id));

export async function findContract(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<ContractRow | undefined> {
  const query = db.select().from(contracts).where(byId(tenantId, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

/** The contract, or 404 (also for another tenant's id). */
export async function requireContract(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<ContractRow> {
  const row = await findContract(db, tenantId, id, options);
  if (!row) throw problems.notFound('Contract');
  return row;
}

export async function findContractByReference(db: Db, tenantId: string, reference: string): Promise<ContractRow | undefined> {
  const [row] = await db.select().from(contracts).where(and(eq(contracts.tenantId, tenantId), eq(contracts.reference, reference)));
  return row;
}

export async function insertContract(db: Db, values: NewContractRow): Promise<ContractRow> {
  const [row] = await db.insert(contracts).values(values).returning();
  return row!;
}

export type ContractChanges = Partial<
  Pick<ContractRow, 'reference' | 'title' | 'status' | 'startDate' | 'endDate' | 'noticePeriodDays' | 'autoRenewal' | 'governingLaw' | 'annualValueAmount' | 'annualValueCurrency' | 'arrangementType' | 'overarchingReference' | 'providerNoticePeriodDays'>
>;

/** Writes changes over a locked row and bumps its version (also when only its services changed). */
export async function updateContract(db: Db, current: ContractRow, changes: ContractChanges, now: Date): Promise<ContractRow> {
  const [row] = await db
    .update(contracts)
    .set({ ...changes, version: current.version + 1, updatedAt: now })
    .where(and(byId(current.tenantId, current.id), eq(contracts.version, current.version)))
    .returning();
  if (!row) throw problems.conflict('The contract changed while this request ran. Read it again and retry.', 'concurrent_update');
  return row;
}

/** Service ids per contract, sorted, in one query. */
export async function servicesOf(db: Db, tenantId: string, contractIds: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(contractIds.map((id) => [id, []]));
  if (contractIds.length === 0) return result;
  const rows = await db
    .select({ contractId: contractServices.contractId, serviceId: contractServices.serviceId })
    .from(contractServices)
    .where(and(eq(contractServices.tenantId, tenantId), inArray(contractServices.contractId, [...contractIds])))
    .orderBy(asc(contractServices.contractId), asc(contractServices.serviceId));
  for (const row of rows) result.get(row.contractId)?.push(row.serviceId);
  return result;
}

export async function replaceServices(db: Db, tenantId: string, contractId: string, serviceIds: readonly string[]): Promise<void> {
  await db.delete(contractServices).where(and(eq(contractServices.tenantId, tenantId), eq(contractServices.contractId, contractId)));
  if (serviceIds.length > 0) await db.insert(contractServices).values(serviceIds.map((serviceId) => ({ tenantId, contractId, serviceId })));
}

/** Which of `ids` are not services of this supplier in this tenant. */
export async function foreignServiceIds(db: Db, tenantId: string, supplierId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await db
    .select({ id: ictServices.id })
    .from(ictServices)
    .where(and(eq(ictServices.tenantId, tenantId), eq(ictServices.supplierId, supplierId), inArray(ictServices.id, [...ids])));
  const own = new Set(found.map((row) => row.id));
  return ids.filter((id) => !own.has(id));
}

/** Whether a covered service supports a critical or important function. */
export async function coversCriticalFunction(db: Db, tenantId: string, contractId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: ictServices.id })
    .from(contractServices)
    .innerJoin(ictServices, and(eq(ictServices.tenantId, contractServices.tenantId), eq(ictServices.id, contractServices.serviceId)))
    .where(and(eq(contractServices.tenantId, tenantId), eq(contractServices.contractId, contractId), eq(ictServices.criticalOrImportant, true)))
    .limit(1);
  return row !== undefined;
}

export async function tenantRegime(db: Db, tenantId: string): Promise<TenantRegime> {
  const [row] = await db.select({ regime: tenants.regime }).from(tenants).where(eq(tenants.id, tenantId));
  return (row?.regime ?? 'nis2') as TenantRegime;
}

export interface ContractFilter {
  tenantId: string;
  limit: number;
  supplierId?: string | undefined;
  status?: string | undefined;
  /** Sorts by endDate (soonest first) instead of newest first. */
  endingBefore?: string | undefined;
  after?: { id: string; endDate?: string | undefined } | undefined;
}

/** Keyset pagination, newest first by id, or soonest end date first; fetches limit + 1 rows. */
export function listContracts(db: Db, filter: ContractFilter): Promise<ContractRow[]> {
  const conditions: (SQL | undefined)[] = [
    eq(contracts.tenantId, filter.tenantId),
    filter.supplierId ? eq(contracts.supplierId, filter.supplierId) : undefined,
    filter.status ? eq(contracts.status, filter.status) : undefined,
  ];
  if (filter.endingBefore) {
    conditions.push(isNotNull(contracts.endDate), lt(contracts.endDate, filter.endingBefore));
    if (filter.after?.endDate) {
      const { endDate, id } = filter.after;
      conditions.push(or(gt(contracts.endDate, endDate), and(eq(contracts.endDate, endDate), gt(contracts.id, id))));
    }
    return db
      .select()
      .from(contracts)
      .where(and(...conditions))
      .orderBy(asc(contracts.endDate), asc(contracts.id))
      .limit(filter.limit + 1);
  }
  if (filter.after) conditions.push(lt(contracts.id, filter.after.id));
  return db
    .select()
    .from(contracts)
    .where(and(...conditions))
    .orderBy(desc(contracts.id))
    .limit(filter.limit + 1);
}

export const customClauseDefinition = (row: CustomClauseRow): ClauseDefinition => ({
  key: row.key,
  regime: row.regime as ClauseRegime,
  criticalOnly: row.criticalOnly,
  topic: row.topic as ClauseDefinition['topic'],
  source: 'custom',
  title: row.title,
  description: row.description,
});

export async function listCustomClauses(db: Db, tenantId: string): Promise<CustomClauseRow[]> {
  return db.select().from(customClauses).where(eq(customClauses.tenantId, tenantId)).orderBy(asc(customClauses.key));
}

/** Built-ins first, in their order, then the tenant's own by key. */
export async function clauseLibrary(db: Db, tenantId: string): Promise<ClauseDefinition[]> {
  return [...BUILTIN_CLAUSES, ...(await listCustomClauses(db, tenantId)).map(customClauseDefinition)];
}

export async function findClause(db: Db, tenantId: string, key: string): Promise<ClauseDefinition | undefined> {
  const builtin = BUILTIN_CLAUSES_BY_KEY.get(key);
  if (builtin) return builtin;
  const [row] = await db.select().from(customClauses).where(and(eq(customClauses.tenantId, tenantId), eq(customClauses.key, key)));
  return row ? customClauseDefinition(row) : undefined;
}

export async function clauseStates(db: Db, tenantId: string, contractId: string): Promise<Map<string, ContractClauseRow>> {
  const rows = await db
    .select()
    .from(contractClauses)
    .where(and(eq(contractClauses.tenantId, tenantId), eq(contractClauses.contractId, contractId)));
  return new Map(rows.map((row) => [row.clauseKey, row]));
}
