import { and, asc, desc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import { ictServices, supplierContacts, suppliers } from '../../db/schema';
import type { Db } from '../../db/types';
import { postgresErrorCode, problems } from '../../lib/errors';
import { derived, type SupplierFields, type SupplierRow } from '../suppliers/suppliers.queries';
import { rowsOf } from '../../db/rows';

/*
 * Bulk writes. drizzle's insert builder spends ~0.2 ms per 30-column row building parameters
 * (1 s for 5,000 suppliers, more than Postgres takes to store them), so the import sends each
 * chunk as ONE jsonb parameter and lets Postgres unpack it with jsonb_to_recordset. Column names
 * and types come from the drizzle table, so the schema is not restated here.
 */

const SUPPLIER_COLUMNS = getTableColumns(suppliers);
type SupplierKey = keyof typeof SUPPLIER_COLUMNS;

const FIELD_KEYS = [
  'name', 'legalName', 'country', 'website', 'status', 'externalRef', 'lei', 'euid', 'vat', 'duns', 'owner', 'tags',
  'dataSensitivity', 'accessLevel', 'supportsCriticalFunction', 'substitutability', 'annualSpendAmount', 'annualSpendCurrency',
  'outsideEea', 'tierOverride', 'tierOverrideReason',
] as const satisfies readonly (keyof SupplierFields & SupplierKey)[];
const DERIVED_KEYS = ['hasCriticalService', 'inherentScore', 'computedTier', 'tier'] as const satisfies readonly SupplierKey[];
const INSERT_KEYS: readonly SupplierKey[] = ['tenantId', 'id', ...FIELD_KEYS, ...DERIVED_KEYS, 'createdAt', 'updatedAt'];
const UPDATE_KEYS: readonly SupplierKey[] = [...FIELD_KEYS, ...DERIVED_KEYS, 'version', 'updatedAt'];

type SupplierValues = Partial<Record<SupplierKey, unknown>>;

const columnName = (key: SupplierKey) => sql.identifier(SUPPLIER_COLUMNS[key].name);

/** `jsonb_to_recordset($1::jsonb) as v(column type, …)`: every row of the chunk in one parameter. */
function recordset(rows: readonly SupplierValues[], keys: readonly SupplierKey[]): SQL {
  const json = JSON.stringify(
    rows.map((row) =>
      Object.fromEntries(
        keys.map((key) => {
          const value = row[key];
          return [SUPPLIER_COLUMNS[key].name, value instanceof Date ? value.toISOString() : (value ?? null)];
        }),
      ),
    ),
  );
  const definition = sql.join(
    keys.map((key) => sql`${columnName(key)} ${sql.raw(SUPPLIER_COLUMNS[key].getSQLType())}`),
    sql`, `,
  );
  return sql`jsonb_to_recordset(${json}::jsonb) as v(${definition})`;
}

/** Inserts new suppliers in one statement. */
export async function bulkInsertSuppliers(db: Db, tenantId: string, rows: readonly { id: string; fields: SupplierFields }[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map(({ id, fields }) => ({ ...fields, ...derived(fields, false), tenantId, id, createdAt: now, updatedAt: now }));
  const columns = sql.join(INSERT_KEYS.map(columnName), sql`, `);
  const selected = sql.join(INSERT_KEYS.map((key) => sql`v.${columnName(key)}`), sql`, `);
  await db.execute(sql`insert into ${suppliers} (${columns}) select ${selected} from ${recordset(values, INSERT_KEYS)}`);
}

/** Writes new fields over locked suppliers in one statement, bumping each version (as updateSupplier does one by one). */
export async function bulkUpdateSuppliers(db: Db, rows: readonly { current: SupplierRow; fields: SupplierFields }[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const tenantId = rows[0]!.current.tenantId;
  const values = rows.map(({ current, fields }) => ({
    ...fields,
    ...derived(fields, current.hasCriticalService),
    id: current.id,
    version: current.version + 1,
    updatedAt: now,
  }));
  const assignments = sql.join(UPDATE_KEYS.map((key) => sql`${columnName(key)} = v.${columnName(key)}`), sql`, `);
  const updated = await rowsOf<{ id: string }>(
    db,
    sql`update ${suppliers} as s set ${assignments} from ${recordset(values, ['id', ...UPDATE_KEYS])}
        where s.tenant_id = ${tenantId} and s.id = v.id and s.version = v.version - 1 returning s.id`,
  );
  if (updated.length !== rows.length) throw problems.conflict('A supplier changed while the import ran. Retry the import.', 'concurrent_update');
}

/** The suppliers holding these externalRefs, in one query with one parameter, locked when asked. */
export async function suppliersByExternalRefs(db: Db, tenantId: string, refs: readonly string[], options: { forUpdate?: boolean } = {}): Promise<SupplierRow[]> {
  if (refs.length === 0) return [];
  const query = db
    .select()
    .from(suppliers)
    .where(and(eq(suppliers.tenantId, tenantId), sql`${suppliers.externalRef} in (select jsonb_array_elements_text(${JSON.stringify(refs)}::jsonb))`));
  return options.forUpdate ? query.for('update') : query;
}

/**
 * SQLSTATE classes that blame the row's data, not the database: data exceptions (22),
 * integrity violations (23) and limits such as an oversized index entry (54).
 */
export function isRowDataError(error: unknown): boolean {
  const code = postgresErrorCode(error);
  return code !== undefined && ['22', '23', '54'].includes(code.slice(0, 2));
}

/**
 * Writes items chunk by chunk, each chunk in a savepoint. When the database refuses a chunk
 * because of a row's data, that chunk is rolled back and retried row by row, each in its own
 * savepoint: the good rows are kept and each bad one is handed to `onRowError`. Any other error
 * (connection lost, serialization failure) propagates and fails the whole transaction.
 */
export async function writeInChunks<T>(
  tx: Db,
  items: readonly T[],
  size: number,
  write: (db: Db, chunk: T[]) => Promise<unknown>,
  onRowError: (item: T, error: unknown) => void,
): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    const chunk = items.slice(start, start + size);
    try {
      await tx.transaction((savepoint) => write(savepoint, chunk));
    } catch (error) {
      if (!isRowDataError(error)) throw error;
      for (const item of chunk) {
        try {
          await tx.transaction((savepoint) => write(savepoint, [item]));
        } catch (rowError) {
          if (!isRowDataError(rowError)) throw rowError;
          onRowError(item, rowError);
        }
      }
    }
  }
}

export interface ExportContact {
  supplierId: string;
  name: string;
  email: string;
  phone: string | null;
  isPrimary: boolean;
}

/** Contacts of a page of suppliers in one query, primary first, then by name. */
export async function contactsOfSuppliers(db: Db, tenantId: string, supplierIds: string[]): Promise<Map<string, ExportContact[]>> {
  if (supplierIds.length === 0) return new Map();
  const rows = await db
    .select({
      supplierId: supplierContacts.supplierId,
      name: supplierContacts.name,
      email: supplierContacts.email,
      phone: supplierContacts.phone,
      isPrimary: supplierContacts.isPrimary,
    })
    .from(supplierContacts)
    .where(and(eq(supplierContacts.tenantId, tenantId), inArray(supplierContacts.supplierId, supplierIds)))
    .orderBy(asc(supplierContacts.supplierId), desc(supplierContacts.isPrimary), asc(supplierContacts.name), asc(supplierContacts.id));
  return groupBySupplier(rows);
}

export interface ExportService {
  supplierId: string;
  name: string;
  serviceType: string;
  criticalOrImportant: boolean;
}

/** ICT services of a page of suppliers in one query, by name. */
export async function servicesOfSuppliers(db: Db, tenantId: string, supplierIds: string[]): Promise<Map<string, ExportService[]>> {
  if (supplierIds.length === 0) return new Map();
  const rows = await db
    .select({
      supplierId: ictServices.supplierId,
      name: ictServices.name,
      serviceType: ictServices.serviceType,
      criticalOrImportant: ictServices.criticalOrImportant,
    })
    .from(ictServices)
    .where(and(eq(ictServices.tenantId, tenantId), inArray(ictServices.supplierId, supplierIds)))
    .orderBy(asc(ictServices.supplierId), asc(ictServices.name), asc(ictServices.id));
  return groupBySupplier(rows);
}

function groupBySupplier<Row extends { supplierId: string }>(rows: Row[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const group = groups.get(row.supplierId);
    if (group) group.push(row);
    else groups.set(row.supplierId, [row]);
  }
  return groups;
}
