import { and, asc, desc, eq, getTableColumns, ilike, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import { isEeaCountry } from '../../catalog/countries';
import type { PgSelect } from 'drizzle-orm/pg-core';
import { ictServices, suppliers } from '../../db/schema';
import { preparedPerDatabase, preparedPerDatabaseAndShape } from '../../db/prepared';
import type { Db } from '../../db/types';
import { problems } from '../../lib/errors';
import { auditSummaryColumns } from '../audits/audits.queries';
import { isoTimestamp, supplierJsonText } from './suppliers.present';
import { inherentRisk } from '../../scoring/inherent-risk';

export type SupplierRow = typeof suppliers.$inferSelect;

/** The fields a caller can set; everything derived (score, tier, search text) is computed here. */
export interface SupplierFields {
  name: string;
  legalName: string | null;
  country: string;
  website: string | null;
  status: string;
  category: string | null;
  externalRef: string | null;
  lei: string | null;
  euid: string | null;
  vat: string | null;
  duns: string | null;
  owner: string | null;
  tags: string[];
  dataSensitivity: string | null;
  accessLevel: string | null;
  supportsCriticalFunction: boolean;
  substitutability: string | null;
  annualSpendAmount: string | null;
  annualSpendCurrency: string | null;
  /** null: derive from the country. */
  outsideEea: boolean | null;
  tierOverride: string | null;
  tierOverrideReason: string | null;
}

/** The columns a supplier's fields imply: EEA flag, inherent score and tiers. Bulk writers use it too. */
export function derived(fields: SupplierFields, hasCriticalService: boolean) {
  const outsideEea = fields.outsideEea ?? !isEeaCountry(fields.country);
  const risk = inherentRisk({
    supportsCriticalFunction: fields.supportsCriticalFunction,
    hasCriticalService,
    dataSensitivity: fields.dataSensitivity,
    accessLevel: fields.accessLevel,
    substitutability: fields.substitutability,
    outsideEea,
  });
  return {
    outsideEea,
    hasCriticalService,
    inherentScore: risk.score,
    computedTier: risk.tier,
    tier: fields.tierOverride ?? risk.tier,
  };
}

export function fieldsOf(row: SupplierRow): SupplierFields {
  return {
    name: row.name,
    legalName: row.legalName,
    country: row.country,
    website: row.website,
    status: row.status,
    category: row.category,
    externalRef: row.externalRef,
    lei: row.lei,
    euid: row.euid,
    vat: row.vat,
    duns: row.duns,
    owner: row.owner,
    tags: row.tags,
    dataSensitivity: row.dataSensitivity,
    accessLevel: row.accessLevel,
    supportsCriticalFunction: row.supportsCriticalFunction,
    substitutability: row.substitutability,
    annualSpendAmount: row.annualSpendAmount,
    annualSpendCurrency: row.annualSpendCurrency,
    outsideEea: row.outsideEea,
    tierOverride: row.tierOverride,
    tierOverrideReason: row.tierOverrideReason,
  };
}

export async function insertSuppliers(
  db: Db,
  tenantId: string,
  rows: { id: string; fields: SupplierFields }[],
  now: Date,
): Promise<SupplierRow[]> {
  if (rows.length === 0) return [];
  return db
    .insert(suppliers)
    .values(
      rows.map(({ id, fields }) => ({
        ...fields,
        ...derived(fields, false),
        tenantId,
        id,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .returning();
}

/** Writes the new fields over the row, bumping its version. Returns the updated row. */
export async function updateSupplier(db: Db, current: SupplierRow, fields: SupplierFields, now: Date): Promise<SupplierRow> {
  const [row] = await db
    .update(suppliers)
    .set({ ...fields, ...derived(fields, current.hasCriticalService), version: current.version + 1, updatedAt: now })
    .where(and(eq(suppliers.tenantId, current.tenantId), eq(suppliers.id, current.id), eq(suppliers.version, current.version)))
    .returning();
  if (!row) throw problems.conflict('The supplier changed while this request ran. Read it again and retry.', 'concurrent_update');
  return row;
}

export async function findSupplier(
  db: Db,
  tenantId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<SupplierRow | undefined> {
  const query = db
    .select()
    .from(suppliers)
    .where(and(eq(suppliers.tenantId, tenantId), eq(suppliers.id, id)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

const supplierWithAudits = preparedPerDatabase((db) =>
  db
    .select({ ...getTableColumns(suppliers), ...auditSummaryColumns(sql.placeholder('tenantId'), sql.placeholder('id'), sql.placeholder('today')) })
    .from(suppliers)
    .where(and(eq(suppliers.tenantId, sql.placeholder('tenantId')), eq(suppliers.id, sql.placeholder('id'))))
    .prepare('supplier_with_audits'),
);

/** The supplier with its last completed and next planned audit, in one query. */
export async function findSupplierWithAudits(db: Db, tenantId: string, id: string, today: string) {
  const [row] = await supplierWithAudits(db, { tenantId, id, today });
  return row;
}

/** The supplier, or 404 (also for another tenant's id). Sub-resources call this first. */
export async function requireSupplier(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<SupplierRow> {
  const row = await findSupplier(db, tenantId, id, options);
  if (!row) throw problems.notFound('Supplier');
  return row;
}

/** The fields supplier events carry, for many suppliers at once (chunked under the parameter limit). */
export async function supplierEventRows(db: Db, tenantId: string, ids: readonly string[]) {
  const rows = [];
  for (let start = 0; start < ids.length; start += 5000) {
    rows.push(
      ...(await db
        .select({ id: suppliers.id, externalRef: suppliers.externalRef, name: suppliers.name, status: suppliers.status, tier: suppliers.tier })
        .from(suppliers)
        .where(and(eq(suppliers.tenantId, tenantId), inArray(suppliers.id, ids.slice(start, start + 5000))))),
    );
  }
  return rows;
}

export async function findSuppliersByExternalRefs(db: Db, tenantId: string, refs: string[], options: { forUpdate?: boolean } = {}) {
  if (refs.length === 0) return [];
  const query = db
    .select()
    .from(suppliers)
    .where(and(eq(suppliers.tenantId, tenantId), inArray(suppliers.externalRef, refs)));
  return options.forUpdate ? query.for('update') : query;
}

/**
 * Recomputes what depends on the supplier's services (has a critical service, inherent score,
 * tier). Service writes call it in their transaction. Bumps version and updatedAt only on change,
 * so ERP syncs with `updatedSince` see it.
 */
export async function refreshSupplierDerived(db: Db, tenantId: string, supplierId: string, now: Date): Promise<SupplierRow> {
  const current = await requireSupplier(db, tenantId, supplierId, { forUpdate: true });
  const [critical] = await db
    .select({ id: ictServices.id })
    .from(ictServices)
    .where(and(eq(ictServices.tenantId, tenantId), eq(ictServices.supplierId, supplierId), eq(ictServices.criticalOrImportant, true)))
    .limit(1);
  const next = derived(fieldsOf(current), critical !== undefined);
  if (
    next.hasCriticalService === current.hasCriticalService &&
    next.inherentScore === current.inherentScore &&
    next.tier === current.tier &&
    next.computedTier === current.computedTier
  ) {
    return current;
  }
  const [row] = await db
    .update(suppliers)
    .set({ ...next, version: current.version + 1, updatedAt: now })
    .where(and(eq(suppliers.tenantId, tenantId), eq(suppliers.id, supplierId)))
    .returning();
  return row!;
}

export const SUPPLIER_SORTS = ['name', 'createdAt', 'updatedAt'] as const;
export type SupplierSort = (typeof SUPPLIER_SORTS)[number];

export interface SupplierFilter {
  tenantId: string;
  limit: number;
  sort: SupplierSort;
  order: 'asc' | 'desc';
  after?: { value: string; id: string };
  status?: string;
  tier?: string;
  country?: string;
  tag?: string;
  owner?: string;
  supportsCriticalFunction?: boolean;
  q?: string;
  updatedSince?: Date;
  archived?: 'exclude' | 'only' | 'include';
}

const SORT_COLUMNS = { name: suppliers.name, createdAt: suppliers.createdAt, updatedAt: suppliers.updatedAt } as const;

export function sortValue(row: SupplierRow, sort: SupplierSort): string {
  const value = row[sort];
  return value instanceof Date ? value.toISOString() : value;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

const value = (name: string) => sql.placeholder(name);

/**
 * The list's conditions for the filters that are set, each value a placeholder; which filters are
 * set (the shape) decides the SQL, and the values are filled in per call (supplierListValues).
 */
function supplierConditions(filter: Omit<SupplierFilter, 'limit' | 'sort' | 'order' | 'after'>): SQL[] {
  const conditions: (SQL | undefined)[] = [
    eq(suppliers.tenantId, value('tenantId')),
    filter.archived === 'only' ? isNotNull(suppliers.archivedAt) : filter.archived === 'include' ? undefined : isNull(suppliers.archivedAt),
    filter.status ? eq(suppliers.status, value('status')) : undefined,
    filter.tier ? eq(suppliers.tier, value('tier')) : undefined,
    filter.country ? eq(suppliers.country, value('country')) : undefined,
    filter.owner ? eq(suppliers.owner, value('owner')) : undefined,
    filter.tag ? sql`${suppliers.tags} @> array[${value('tag')}]::text[]` : undefined,
    filter.supportsCriticalFunction === true ? or(eq(suppliers.supportsCriticalFunction, true), eq(suppliers.hasCriticalService, true)) : undefined,
    filter.supportsCriticalFunction === false
      ? and(eq(suppliers.supportsCriticalFunction, false), eq(suppliers.hasCriticalService, false))
      : undefined,
    filter.q ? ilike(suppliers.searchText, value('q')) : undefined,
    filter.updatedSince ? sql`${suppliers.updatedAt} >= ${value('updatedSince')}::timestamptz` : undefined,
  ];
  return conditions.filter((condition): condition is SQL => condition !== undefined);
}

function supplierListShape(filter: SupplierFilter): string {
  const set = (name: keyof SupplierFilter) => (filter[name] === undefined || filter[name] === '' ? '-' : '+');
  return [
    filter.archived ?? 'exclude',
    filter.sort,
    filter.order,
    String(filter.supportsCriticalFunction),
    ...(['after', 'status', 'tier', 'country', 'owner', 'tag', 'q', 'updatedSince'] as const).map(set),
  ].join('|');
}

function supplierListValues(filter: SupplierFilter): Record<string, unknown> {
  const after = filter.after;
  return {
    tenantId: filter.tenantId,
    limit: filter.limit + 1,
    status: filter.status,
    tier: filter.tier,
    country: filter.country,
    owner: filter.owner,
    tag: filter.tag,
    q: filter.q ? `%${escapeLike(filter.q.toLowerCase())}%` : undefined,
    updatedSince: filter.updatedSince?.toISOString(),
    afterValue: after ? (filter.sort === 'name' ? after.value : new Date(after.value).toISOString()) : undefined,
    afterId: after?.id,
  };
}

/** The list's filters, keyset and order on `query`, whichever columns it selects; fetches limit + 1 rows. */
function keysetPage<Query extends PgSelect>(query: Query, filter: SupplierFilter): Query {
  const column = SORT_COLUMNS[filter.sort];
  const ascending = filter.order === 'asc';
  let keyset: SQL | undefined;
  if (filter.after) {
    const afterValue = filter.sort === 'name' ? value('afterValue') : sql`${value('afterValue')}::timestamptz`;
    const compare = ascending ? sql`>` : sql`<`;
    keyset = sql`(${column} ${compare} ${afterValue} or (${column} = ${afterValue} and ${suppliers.id} ${compare} ${value('afterId')}))`;
  }
  return query
    .where(and(...supplierConditions(filter), keyset))
    .orderBy(ascending ? asc(column) : desc(column), ascending ? asc(suppliers.id) : desc(suppliers.id))
    .limit(value('limit'));
}

// Both lists are built once per filter shape and database handle (see preparedPerDatabase).
const runSupplierRowList = preparedPerDatabaseAndShape((db: Db, filter: SupplierFilter) =>
  keysetPage(db.select().from(suppliers).$dynamic(), filter).prepare('supplier_rows'),
);

/** Keyset pagination over (sort column, id), whole rows. Used by the export, page after page. */
export function listSuppliers(db: Db, filter: SupplierFilter): Promise<SupplierRow[]> {
  return runSupplierRowList(db, supplierListShape(filter), filter, supplierListValues(filter));
}

const documentSelection = (sort: SupplierSort) => ({
  id: suppliers.id,
  json: supplierJsonText,
  sortValue: sort === 'name' ? sql<string>`${suppliers.name}` : sql<string>`${isoTimestamp(SORT_COLUMNS[sort])}`,
});

const runSupplierDocumentList = preparedPerDatabaseAndShape((db: Db, filter: SupplierFilter) =>
  keysetPage(db.select(documentSelection(filter.sort)).from(suppliers).$dynamic(), filter).prepare('supplier_list'),
);

/** listSuppliers as each supplier's API JSON (supplierJsonText) and its cursor values. */
export function listSupplierDocuments(db: Db, filter: SupplierFilter): Promise<{ id: string; json: string; sortValue: string }[]> {
  return runSupplierDocumentList(db, supplierListShape(filter), filter, supplierListValues(filter));
}

export async function setSupplierArchived(db: Db, current: SupplierRow, archivedAt: Date | null, now: Date): Promise<SupplierRow> {
  const [row] = await db
    .update(suppliers)
    .set({ archivedAt, version: current.version + 1, updatedAt: now })
    .where(and(eq(suppliers.tenantId, current.tenantId), eq(suppliers.id, current.id)))
    .returning();
  return row!;
}


/** Inserts unless a supplier with the same externalRef exists (then returns undefined). Race-safe. */
export async function insertSupplierUnlessRefTaken(db: Db, tenantId: string, id: string, fields: SupplierFields, now: Date) {
  const [row] = await db
    .insert(suppliers)
    .values({ ...fields, ...derived(fields, false), tenantId, id, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: [suppliers.tenantId, suppliers.externalRef], where: sql`${suppliers.externalRef} is not null` })
    .returning();
  return row;
}
