import { and, asc, eq, gt } from 'drizzle-orm';
import { contractServices, functions, ictServices, subcontractingLinks } from '../../db/schema';
import type { Db } from '../../db/types';
import { problems } from '../../lib/errors';

export type ServiceRow = typeof ictServices.$inferSelect;

/** What a caller can set on an ICT service. */
export interface ServiceFields {
  name: string;
  description: string | null;
  serviceType: string;
  supportedFunction: string | null;
  criticalOrImportant: boolean;
  dataStorageCountries: string[];
  dataProcessingCountries: string[];
  dataSensitivity: string | null;
  reliance: string | null;
  startDate: string | null;
  endDate: string | null;
  functionId: string | null;
  substitutability: string | null;
  nonSubstitutabilityReason: string | null;
  exitPlanExists: boolean | null;
  reintegrationPossibility: string | null;
  discontinuationImpact: string | null;
  alternativeProvidersIdentified: boolean | null;
  alternativeProviders: string | null;
}

export function serviceFieldsOf(row: ServiceRow): ServiceFields {
  return {
    name: row.name,
    description: row.description,
    serviceType: row.serviceType,
    supportedFunction: row.supportedFunction,
    criticalOrImportant: row.criticalOrImportant,
    dataStorageCountries: row.dataStorageCountries,
    dataProcessingCountries: row.dataProcessingCountries,
    dataSensitivity: row.dataSensitivity,
    reliance: row.reliance,
    startDate: row.startDate,
    endDate: row.endDate,
    functionId: row.functionId,
    substitutability: row.substitutability,
    nonSubstitutabilityReason: row.nonSubstitutabilityReason,
    exitPlanExists: row.exitPlanExists,
    reintegrationPossibility: row.reintegrationPossibility,
    discontinuationImpact: row.discontinuationImpact,
    alternativeProvidersIdentified: row.alternativeProvidersIdentified,
    alternativeProviders: row.alternativeProviders,
  };
}

/**
 * Whether the function exists in the tenant. Takes a share lock on it, so a concurrent delete of
 * the function (refused while a service names it) cannot slip between this check and the write.
 */
export async function functionExists(db: Db, tenantId: string, functionId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: functions.id })
    .from(functions)
    .where(and(eq(functions.tenantId, tenantId), eq(functions.id, functionId)))
    .for('share');
  return row !== undefined;
}

/** The service, only when it belongs to this supplier of this tenant. */
export async function findService(
  db: Db,
  query: { tenantId: string; supplierId: string; serviceId: string },
  options: { forUpdate?: boolean } = {},
): Promise<ServiceRow | undefined> {
  const select = db
    .select()
    .from(ictServices)
    .where(and(eq(ictServices.tenantId, query.tenantId), eq(ictServices.supplierId, query.supplierId), eq(ictServices.id, query.serviceId)));
  const [row] = options.forUpdate ? await select.for('update') : await select;
  return row;
}

export async function requireService(
  db: Db,
  query: { tenantId: string; supplierId: string; serviceId: string },
  options: { forUpdate?: boolean } = {},
): Promise<ServiceRow> {
  const row = await findService(db, query, options);
  if (!row) throw problems.notFound('ICT service');
  return row;
}

export async function insertService(
  db: Db,
  input: { tenantId: string; supplierId: string; id: string; fields: ServiceFields; now: Date },
): Promise<ServiceRow> {
  const [row] = await db
    .insert(ictServices)
    .values({ ...input.fields, tenantId: input.tenantId, supplierId: input.supplierId, id: input.id, createdAt: input.now, updatedAt: input.now })
    .returning();
  return row!;
}

/** Writes the new fields over a locked row and bumps its version. */
export async function updateService(db: Db, current: ServiceRow, fields: ServiceFields, now: Date): Promise<ServiceRow> {
  const [row] = await db
    .update(ictServices)
    .set({ ...fields, version: current.version + 1, updatedAt: now })
    .where(and(eq(ictServices.tenantId, current.tenantId), eq(ictServices.id, current.id), eq(ictServices.version, current.version)))
    .returning();
  if (!row) throw problems.conflict('The service changed while this request ran. Read it again and retry.', 'concurrent_update');
  return row;
}

export async function deleteService(db: Db, row: ServiceRow): Promise<void> {
  await db.delete(ictServices).where(and(eq(ictServices.tenantId, row.tenantId), eq(ictServices.id, row.id)));
}

/** Whether a contract covers this service (then it cannot be deleted: the contract would lose it silently). */
export async function serviceIsContracted(db: Db, tenantId: string, serviceId: string): Promise<boolean> {
  const [row] = await db
    .select({ contractId: contractServices.contractId })
    .from(contractServices)
    .where(and(eq(contractServices.tenantId, tenantId), eq(contractServices.serviceId, serviceId)))
    .limit(1);
  return row !== undefined;
}

/** Whether a subcontracting link names this service (then it cannot be deleted). */
export async function serviceHasSubcontractingLinks(db: Db, tenantId: string, serviceId: string): Promise<boolean> {
  const [row] = await db
    .select({ supplierId: subcontractingLinks.supplierId })
    .from(subcontractingLinks)
    .where(and(eq(subcontractingLinks.tenantId, tenantId), eq(subcontractingLinks.serviceId, serviceId)))
    .limit(1);
  return row !== undefined;
}

export interface ServiceFilter {
  tenantId: string;
  limit: number;
  afterId?: string;
  supplierId?: string;
  serviceType?: string;
  criticalOrImportant?: boolean;
}

/**
 * Oldest first (ids sort by creation time); fetches limit + 1 rows. Served by the primary key
 * (tenant_id, id), or by ict_services_supplier_idx (tenant_id, supplier_id, id) for one supplier.
 */
export function listServices(db: Db, filter: ServiceFilter): Promise<ServiceRow[]> {
  return db
    .select()
    .from(ictServices)
    .where(
      and(
        eq(ictServices.tenantId, filter.tenantId),
        filter.supplierId ? eq(ictServices.supplierId, filter.supplierId) : undefined,
        filter.serviceType ? eq(ictServices.serviceType, filter.serviceType) : undefined,
        filter.criticalOrImportant !== undefined ? eq(ictServices.criticalOrImportant, filter.criticalOrImportant) : undefined,
        filter.afterId ? gt(ictServices.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(ictServices.id))
    .limit(filter.limit + 1);
}
