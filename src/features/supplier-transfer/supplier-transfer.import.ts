import { emitEvents, type DomainEvent } from '../../lib/events';
import { supplierEventData } from '../suppliers/suppliers.events';
import { supplierEventRows } from '../suppliers/suppliers.queries';
import { recordAudit, type AuditContext, type AuditEvent } from '../../lib/audit';
import { ApiError, postgresErrorCode } from '../../lib/errors';
import type { Db } from '../../db/types';
import { newId } from '../../lib/ids';
import { markReviewsDue, materialProfileChange, refreshReviewDates } from '../reviews/reviews.queries';
import { rescoreSuppliers } from '../risk/risk.rescore';
import { registrationStatusProblem } from '../suppliers/supplier-status';
import { applySupplierInput, diffFields } from '../suppliers/suppliers.present';
import { fieldsOf, type SupplierFields, type SupplierRow } from '../suppliers/suppliers.queries';
import { bulkInsertSuppliers, bulkUpdateSuppliers, suppliersByExternalRefs, writeInChunks } from './supplier-transfer.queries';
import {
  IMPORT_MAX_ROWS,
  ImportRowSchema,
  type ImportRowInput,
  type ImportRowStatus,
  type SupplierImportResult,
} from './supplier-transfer.schemas';

/**
 * Bulk import: every row is checked in memory, existing suppliers are loaded with one query, new
 * ones are inserted in chunks, and the audit entries are written in batches, all in one
 * transaction. Rows are independent unless the import is atomic.
 */

export interface ImportRowError {
  /** JSON path (`identifiers.lei`) for JSON rows, the column name for CSV rows; empty for the whole row. */
  field: string;
  message: string;
}

/** A row as read from the body, before it is checked. */
export interface ImportSourceRow {
  /** 1-based data row number. */
  row: number;
  input: unknown;
  /** Problems found while reading it (CSV cells that are not a boolean or a number, ...). */
  errors: ImportRowError[];
}

export interface ImportSource {
  format: 'json' | 'csv';
  rows: ImportSourceRow[];
  /** Names a field for the caller: a JSON path, or the CSV column it came from. */
  fieldOf: (path: readonly PropertyKey[]) => string;
}

export const jsonFieldOf = (path: readonly PropertyKey[]) => path.map(String).join('.');

/** Suppliers per INSERT or UPDATE statement (one jsonb parameter each). */
const WRITE_CHUNK = 500;
/** Audit entries per recordAudit call (13 parameters each; Postgres takes at most 65,535 per statement). */
const AUDIT_CHUNK = 1_000;

export function assertRowCount(rows: number): void {
  if (rows > IMPORT_MAX_ROWS) {
    throw new ApiError({
      status: 413,
      code: 'too_many_rows',
      title: 'Payload too large',
      detail: `The import has ${rows.toLocaleString('en')} rows; at most ${IMPORT_MAX_ROWS.toLocaleString('en')} are accepted per request. Split it into several imports.`,
    });
  }
}

interface CheckedRow {
  row: number;
  externalRef: string | undefined;
  /** Present when the row passed every check that needs no database. */
  input: ImportRowInput | undefined;
  errors: ImportRowError[];
}

type Issue = { code: string; path: PropertyKey[]; message: string; keys?: string[] };

function issueErrors(issues: readonly Issue[], fieldOf: ImportSource['fieldOf']): ImportRowError[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' && issue.keys
      ? issue.keys.map((key) => ({ field: fieldOf([...issue.path, key]), message: `Unknown field "${key}".` }))
      : [{ field: fieldOf(issue.path), message: issue.message }],
  );
}

function unique(errors: ImportRowError[]): ImportRowError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.field}\u0000${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks each row on its own (the same rules as the single-supplier API) and flags repeated externalRefs. */
export function checkRows(source: ImportSource): CheckedRow[] {
  const firstRowOfRef = new Map<string, number>();
  const refSchema = ImportRowSchema.shape.externalRef;
  return source.rows.map(({ row, input, errors }) => {
    const parsed = ImportRowSchema.safeParse(input);
    const rowErrors = [...errors, ...(parsed.success ? [] : issueErrors(parsed.error.issues as Issue[], source.fieldOf))];
    // A row that fails for another reason still claims its externalRef: later rows with it are duplicates.
    const ref = isRecord(input) ? refSchema.safeParse(input.externalRef) : undefined;
    const externalRef = ref?.success ? (ref.data ?? undefined) : undefined;
    if (externalRef !== undefined) {
      const first = firstRowOfRef.get(externalRef);
      if (first === undefined) firstRowOfRef.set(externalRef, row);
      else rowErrors.push({ field: source.fieldOf(['externalRef']), message: `Duplicate of row ${first}: an externalRef may appear only once per import.` });
    }
    return { row, externalRef, input: parsed.success && rowErrors.length === 0 ? parsed.data : undefined, errors: unique(rowErrors) };
  });
}

/** The externalRefs that may match existing suppliers: one query loads them all. */
export function referencedRefs(rows: readonly CheckedRow[]): string[] {
  return [...new Set(rows.flatMap((row) => (row.input && row.externalRef !== undefined ? [row.externalRef] : [])))];
}

export interface PlannedRow {
  row: number;
  externalRef: string | undefined;
  action: 'create' | 'update' | 'unchanged' | 'error';
  errors: ImportRowError[];
  fields?: SupplierFields;
  current?: SupplierRow;
  changes?: Record<string, { from: unknown; to: unknown }>;
  /** The matched supplier; for a new one, its id once it is being written. */
  supplierId?: string;
  /** The import's status justification, when this new supplier needed it. */
  statusOverride?: string;
}

/** Decides, per row, create / update / unchanged against the suppliers that hold the rows' externalRefs. */
export function planRows(rows: readonly CheckedRow[], existing: readonly SupplierRow[], fieldOf: ImportSource['fieldOf'], statusJustification?: string): PlannedRow[] {
  const byRef = new Map(existing.map((supplier) => [supplier.externalRef!, supplier]));
  const statusError = (before: string | undefined, fields: SupplierFields): ImportRowError[] => {
    const problem = registrationStatusProblem(before, fields.status, statusJustification);
    return problem ? [{ field: fieldOf(['status']), message: `${problem} (query parameter statusJustification)` }] : [];
  };
  return rows.map(({ row, externalRef, input, errors }): PlannedRow => {
    if (!input) return { row, externalRef, action: 'error', errors };
    const current = externalRef !== undefined ? byRef.get(externalRef) : undefined;
    if (current) {
      const before = fieldsOf(current);
      const fields = applySupplierInput(before, input);
      const refused = statusError(current.status, fields);
      if (refused.length > 0) return { row, externalRef, action: 'error', errors: refused };
      const changes: PlannedRow['changes'] = diffFields(before, fields);
      const action = Object.keys(changes).length === 0 ? 'unchanged' : 'update';
      if (changes.status && statusJustification) changes.statusOverride = { from: null, to: statusJustification };
      return { row, externalRef, action, errors: [], current, fields, changes, supplierId: current.id };
    }
    const missing = (['name', 'country'] as const).filter((key) => input[key] === undefined);
    if (missing.length > 0) {
      const why = externalRef !== undefined ? 'Required to create a supplier (no supplier has this externalRef).' : 'Required to create a supplier.';
      return { row, externalRef, action: 'error', errors: missing.map((key) => ({ field: fieldOf([key]), message: why })) };
    }
    const fields = applySupplierInput(undefined, input);
    const refused = statusError(undefined, fields);
    if (refused.length > 0) return { row, externalRef, action: 'error', errors: refused };
    const documented = registrationStatusProblem(undefined, fields.status, undefined) !== null ? { statusOverride: statusJustification } : {};
    return { row, externalRef, action: 'create', errors: [], fields, ...documented };
  });
}

/** What the caller is told about a row the database refused; no internals. */
function databaseRowError(error: unknown, fieldOf: ImportSource['fieldOf']): ImportRowError {
  const code = postgresErrorCode(error);
  if (code === '23505') {
    return { field: fieldOf(['externalRef']), message: 'Another supplier already has this externalRef (it was created while the import ran).' };
  }
  if (code === '22021' || code === '22P05') return { field: '', message: 'A text value contains characters that cannot be stored, such as NUL.' };
  return { field: '', message: `The database refused this row (SQLSTATE ${code ?? 'unknown'}).` };
}

/** The non-empty fields of a new supplier, for its audit entry (as the single-supplier create records them). */
function createdChanges(fields: SupplierFields) {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0)));
}

export interface ImportOptions {
  tenantId: string;
  now: Date;
  audit: AuditContext;
  atomic: boolean;
  format: ImportSource['format'];
  fieldOf: ImportSource['fieldOf'];
  /** Documents rows that register existing suppliers as active or terminated. */
  statusJustification?: string;
}

/**
 * Inserts the new suppliers and updates the changed ones; rows the database refuses become errors.
 * Then keeps their review schedule current, set-based; returns the audit entries of reviews that
 * material profile changes made due now.
 */
async function writePlan(tx: Db, plan: PlannedRow[], options: ImportOptions): Promise<AuditEvent[]> {
  const refuse = (planned: PlannedRow, error: unknown) => {
    planned.action = 'error';
    planned.errors = [databaseRowError(error, options.fieldOf)];
    if (!planned.current) delete planned.supplierId;
  };
  const creates = plan.filter((planned) => planned.action === 'create');
  for (const planned of creates) planned.supplierId = newId('supplier', options.now);
  await writeInChunks(
    tx,
    creates,
    WRITE_CHUNK,
    (db, chunk) => bulkInsertSuppliers(db, options.tenantId, chunk.map((planned) => ({ id: planned.supplierId!, fields: planned.fields! })), options.now),
    refuse,
  );
  const updates = plan.filter((planned) => planned.action === 'update');
  await writeInChunks(
    tx,
    updates,
    WRITE_CHUNK,
    (db, chunk) => bulkUpdateSuppliers(db, chunk.map((planned) => ({ current: planned.current!, fields: planned.fields! })), options.now),
    refuse,
  );
  const written = plan.filter((planned) => planned.action === 'create' || planned.action === 'update');
  await refreshReviewDates(tx, options.tenantId, written.map((planned) => planned.supplierId!));
  const due = plan.flatMap((planned) => {
    const reason = planned.action === 'update' ? materialProfileChange(Object.keys(planned.changes!)) : null;
    return reason ? [{ supplierId: planned.supplierId!, reason }] : [];
  });
  return markReviewsDue(tx, options.tenantId, due, options.now);
}

export function summarize(plan: readonly PlannedRow[]) {
  const count = (action: PlannedRow['action']) => plan.filter((planned) => planned.action === action).length;
  return { rows: plan.length, created: count('create'), updated: count('update'), unchanged: count('unchanged'), failed: count('error') };
}

async function auditImport(tx: Db, plan: readonly PlannedRow[], importId: string, options: ImportOptions, reviewEvents: readonly AuditEvent[]): Promise<void> {
  const events: AuditEvent[] = [];
  for (const planned of plan) {
    if (planned.action === 'create') {
      events.push({ action: 'supplier.created', entityType: 'supplier', entityId: planned.supplierId!, changes: { ...createdChanges(planned.fields!), ...(planned.statusOverride ? { statusOverride: planned.statusOverride } : {}) } });
    } else if (planned.action === 'update') {
      events.push({ action: 'supplier.updated', entityType: 'supplier', entityId: planned.supplierId!, changes: planned.changes! });
    }
  }
  events.push(...reviewEvents);
  // The summary is written even when nothing changed: it is the record that the register was checked against the ERP.
  events.push({
    action: 'supplier.imported',
    entityType: 'supplier_import',
    entityId: importId,
    changes: { format: options.format, atomic: options.atomic, ...summarize(plan) },
  });
  for (let start = 0; start < events.length; start += AUDIT_CHUNK) {
    await recordAudit(tx, options.audit, events.slice(start, start + AUDIT_CHUNK));
  }
}

const ROLLED_BACK = Symbol('atomic import rolled back');

/**
 * Plans and writes in one transaction, with the matched suppliers locked. An atomic import with a
 * failed row (found while checking, or refused by the database) writes nothing.
 */
export async function runImport(
  db: Db,
  rows: readonly CheckedRow[],
  options: ImportOptions,
): Promise<{ plan: PlannedRow[]; committed: boolean; importId: string | null }> {
  let plan: PlannedRow[] = [];
  try {
    return await db.transaction(async (tx) => {
      const existing = await suppliersByExternalRefs(tx, options.tenantId, referencedRefs(rows), { forUpdate: true });
      plan = planRows(rows, existing, options.fieldOf, options.statusJustification);
      const failed = () => plan.some((planned) => planned.action === 'error');
      if (options.atomic && failed()) return { plan, committed: false, importId: null };
      const reviewEvents = await writePlan(tx, plan, options);
      if (options.atomic && failed()) throw ROLLED_BACK;
      // Once for every written supplier, set-based: 5,000 rows cost a handful of queries.
      const written = plan.filter((planned) => planned.action === 'create' || planned.action === 'update').map((planned) => planned.supplierId!);
      await rescoreSuppliers(tx, { tenantId: options.tenantId, supplierIds: written, now: options.now, trigger: 'import' });
      const importId = newId('importRun', options.now);
      await auditImport(tx, plan, importId, options, reviewEvents);
      await emitEvents(tx, options.tenantId, options.now, ['supplier.created', 'supplier.updated'], async () => {
        const rows = new Map((await supplierEventRows(tx, options.tenantId, written)).map((row) => [row.id, row]));
        return plan.flatMap((planned): DomainEvent[] => {
          const row = planned.supplierId ? rows.get(planned.supplierId) : undefined;
          if (!row || (planned.action !== 'create' && planned.action !== 'update')) return [];
          return planned.action === 'create'
            ? [{ type: 'supplier.created', data: supplierEventData(row) }]
            : [{ type: 'supplier.updated', data: supplierEventData(row, Object.keys(planned.changes!)) }];
        });
      });
      return { plan, committed: true, importId };
    });
  } catch (error) {
    if (error === ROLLED_BACK) return { plan, committed: false, importId: null };
    throw error;
  }
}

const STATUS: Record<PlannedRow['action'], ImportRowStatus> = { create: 'created', update: 'updated', unchanged: 'unchanged', error: 'error' };

export function importReport(
  plan: readonly PlannedRow[],
  outcome: { dryRun: boolean; atomic: boolean; committed: boolean; importId: string | null },
): SupplierImportResult {
  return {
    importId: outcome.importId,
    dryRun: outcome.dryRun,
    atomic: outcome.atomic,
    committed: outcome.committed,
    summary: summarize(plan),
    results: plan.map((planned) => {
      // A new supplier's id exists only once it is committed.
      const supplierId = planned.action === 'error' || (planned.action === 'create' && !outcome.committed) ? undefined : planned.supplierId;
      return {
        row: planned.row,
        status: STATUS[planned.action],
        ...(supplierId ? { supplierId } : {}),
        ...(planned.externalRef !== undefined ? { externalRef: planned.externalRef } : {}),
        ...(planned.action === 'error' ? { errors: planned.errors } : {}),
      };
    }),
  };
}
