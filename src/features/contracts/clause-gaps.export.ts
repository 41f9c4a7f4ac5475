import { BUILTIN_CLAUSES_BY_KEY } from '../../catalog/clauses';
import type { Db } from '../../db/types';
import { keysetCsvStream, type CsvColumn, type CsvStreamHooks } from '../../lib/csv';
import { listGaps, type GapFilter, type GapRow } from './clause-sql';

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** Columns of the clause-gap export, in file order: the contract, its supplier, the clause and its state. */
export const CLAUSE_GAP_EXPORT_COLUMNS = [
  { header: 'contractId', value: (row) => row.contract_id },
  { header: 'contractReference', value: (row) => row.contract_reference },
  { header: 'contractTitle', value: (row) => row.contract_title },
  { header: 'contractStatus', value: (row) => row.contract_status },
  { header: 'supplierId', value: (row) => row.supplier_id },
  { header: 'supplierName', value: (row) => row.supplier_name },
  { header: 'supplierTier', value: (row) => row.supplier_tier },
  { header: 'clauseKey', value: (row) => row.clause_key },
  { header: 'clauseTitle', value: (row) => row.clause_title },
  // The legal source of a built-in clause (custom clauses: `custom`, as in the clause library).
  { header: 'clauseSource', value: (row) => BUILTIN_CLAUSES_BY_KEY.get(row.clause_key)?.source ?? 'custom' },
  { header: 'topic', value: (row) => row.topic },
  { header: 'regime', value: (row) => row.regime },
  { header: 'criticalOnly', value: (row) => Boolean(row.critical_only) },
  { header: 'status', value: (row) => row.status },
  { header: 'sectionRef', value: (row) => row.section_ref },
  { header: 'notes', value: (row) => row.notes },
  { header: 'updatedAt', value: (row) => iso(row.updated_at) },
] as const satisfies readonly CsvColumn<GapRow>[];

/** Every gap the filters match, by contract then clause, as CSV: one query per page of 1,000 (supplier joined in). */
export function clauseGapExportStream(db: Db, filter: Omit<GapFilter, 'limit' | 'after'>, hooks: CsvStreamHooks): ReadableStream<Uint8Array> {
  return keysetCsvStream(
    {
      columns: CLAUSE_GAP_EXPORT_COLUMNS,
      page: (after: GapFilter['after'], limit) => listGaps(db, { ...filter, limit, after }),
      keyOf: (row) => ({ contractId: row.contract_id, clauseKey: row.clause_key }),
    },
    hooks,
  );
}
