import { and, asc, eq, getTableColumns, gt, sql } from 'drizzle-orm';
import { functions, ictServices } from '../../db/schema';
import type { Db } from '../../db/types';
import { problems } from '../../lib/errors';

export type FunctionRow = typeof functions.$inferSelect;
export type FunctionWithCount = FunctionRow & { serviceCount: number };

/** What a caller can set on a function. */
export type FunctionFields = Pick<
  FunctionRow,
  | 'identifier'
  | 'name'
  | 'licensedActivity'
  | 'criticalOrImportant'
  | 'criticalityReasons'
  | 'lastCriticalityAssessmentOn'
  | 'rtoHours'
  | 'rpoHours'
  | 'discontinuationImpact'
>;

export const FUNCTION_FIELDS = [
  'identifier',
  'name',
  'licensedActivity',
  'criticalOrImportant',
  'criticalityReasons',
  'lastCriticalityAssessmentOn',
  'rtoHours',
  'rpoHours',
  'discontinuationImpact',
] as const satisfies readonly (keyof FunctionFields)[];

export function functionFieldsOf(row: FunctionRow): FunctionFields {
  return Object.fromEntries(FUNCTION_FIELDS.map((key) => [key, row[key]])) as FunctionFields;
}

/** Services that name the function; served by ict_services_function_idx. */
const serviceCount = sql<number>`(select count(*)::int from ${ictServices} s where s.tenant_id = ${functions.tenantId} and s.function_id = ${functions.id})`;

export async function findFunction(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<FunctionRow | undefined> {
  const select = db.select().from(functions).where(and(eq(functions.tenantId, tenantId), eq(functions.id, id)));
  const [row] = options.forUpdate ? await select.for('update') : await select;
  return row;
}

export async function requireFunction(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<FunctionRow> {
  const row = await findFunction(db, tenantId, id, options);
  if (!row) throw problems.notFound('Function');
  return row;
}

export async function countServicesOf(db: Db, tenantId: string, functionId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(ictServices)
    .where(and(eq(ictServices.tenantId, tenantId), eq(ictServices.functionId, functionId)));
  return row?.count ?? 0;
}

export async function findFunctionByIdentifier(db: Db, tenantId: string, identifier: string): Promise<FunctionRow | undefined> {
  const [row] = await db.select().from(functions).where(and(eq(functions.tenantId, tenantId), eq(functions.identifier, identifier)));
  return row;
}

export async function insertFunction(db: Db, input: { tenantId: string; id: string; fields: FunctionFields; now: Date }): Promise<FunctionRow> {
  const [row] = await db
    .insert(functions)
    .values({ ...input.fields, tenantId: input.tenantId, id: input.id, createdAt: input.now, updatedAt: input.now })
    .returning();
  return row!;
}

export async function updateFunction(db: Db, current: FunctionRow, fields: FunctionFields, now: Date): Promise<FunctionRow> {
  const [row] = await db
    .update(functions)
    .set({ ...fields, version: current.version + 1, updatedAt: now })
    .where(and(eq(functions.tenantId, current.tenantId), eq(functions.id, current.id), eq(functions.version, current.version)))
    .returning();
  if (!row) throw problems.conflict('The function changed while this request ran. Read it again and retry.', 'concurrent_update');
  return row;
}

export async function deleteFunction(db: Db, row: FunctionRow): Promise<void> {
  await db.delete(functions).where(and(eq(functions.tenantId, row.tenantId), eq(functions.id, row.id)));
}

/** Oldest first by id (the primary key), limit + 1 rows, each with its service count. */
export function listFunctions(
  db: Db,
  filter: { tenantId: string; limit: number; afterId?: string; criticalOrImportant?: boolean },
): Promise<FunctionWithCount[]> {
  return db
    .select({ ...getTableColumns(functions), serviceCount })
    .from(functions)
    .where(
      and(
        eq(functions.tenantId, filter.tenantId),
        filter.criticalOrImportant !== undefined ? eq(functions.criticalOrImportant, filter.criticalOrImportant) : undefined,
        filter.afterId ? gt(functions.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(functions.id))
    .limit(filter.limit + 1);
}
