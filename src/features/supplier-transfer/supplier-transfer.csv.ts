import { CsvError, parse } from 'csv-parse/sync';
import { problems, type FieldError } from '../../lib/errors';
import type { ImportRowError, ImportSourceRow } from './supplier-transfer.import';
import { IMPORT_CSV_COLUMNS, type ImportCsvColumn } from './supplier-transfer.schemas';

// ---------------------------------------------------------------------------------------------
// Reading an import file
// ---------------------------------------------------------------------------------------------

const COLUMN_BY_LOWER_NAME = new Map<string, ImportCsvColumn>(IMPORT_CSV_COLUMNS.map((column) => [column.toLowerCase(), column]));

const IDENTIFIER_COLUMNS = new Set<ImportCsvColumn>(['lei', 'euid', 'vat', 'duns']);
const PROFILE_TEXT_COLUMNS = new Set<ImportCsvColumn>(['dataSensitivity', 'accessLevel', 'substitutability']);
const BOOLEAN_COLUMNS = new Set<ImportCsvColumn>(['supportsCriticalFunction', 'outsideEea']);
const BOOLEANS: Record<string, boolean> = { true: true, false: false, yes: true, no: false, '1': true, '0': false };
const AMOUNT_PATTERN = /^-?\d+(\.\d+)?$/;

/** UTF-8 only: Excel's "CSV UTF-8" writes it (with a BOM, which is dropped here). */
function decodeUtf8(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw problems.unprocessable('invalid_encoding', 'The CSV is not valid UTF-8. Save it as UTF-8 (in Excel: "CSV UTF-8").');
  }
}

function readHeader(cells: string[]): ImportCsvColumn[] {
  const errors: FieldError[] = [];
  const columns: ImportCsvColumn[] = [];
  const seen = new Set<ImportCsvColumn>();
  cells.forEach((raw, index) => {
    const name = raw.trim();
    const column = COLUMN_BY_LOWER_NAME.get(name.toLowerCase());
    if (!column) {
      const hint = name.includes(';') ? ' The file seems to use ";" between fields; use ",".' : '';
      errors.push({
        location: 'body',
        path: name === '' ? `column ${index + 1}` : name,
        message: `Unknown column "${name}".${hint} Known columns: ${IMPORT_CSV_COLUMNS.join(', ')}.`,
      });
    } else if (seen.has(column)) {
      errors.push({ location: 'body', path: name, message: `Column "${column}" appears more than once.` });
    } else {
      seen.add(column);
      columns.push(column);
    }
  });
  if (errors.length > 0) throw problems.validation(errors, 'The CSV header names columns that an import does not have.');
  return columns;
}

/** A CSV row as the same object a JSON import would send; cells that cannot become one are row errors. */
function rowInput(columns: readonly ImportCsvColumn[], cells: readonly string[]) {
  const input: Record<string, unknown> = {};
  const identifiers: Record<string, string> = {};
  const profile: Record<string, unknown> = {};
  const errors: ImportRowError[] = [];
  if (cells.length !== columns.length) {
    errors.push({ field: '', message: `The row has ${cells.length} cells; the header has ${columns.length}.` });
    return { input, errors };
  }
  let amount: number | undefined;
  let currency: string | undefined;
  columns.forEach((column, index) => {
    const value = cells[index]!.trim();
    if (value === '') return; // empty = not given
    if (IDENTIFIER_COLUMNS.has(column)) identifiers[column] = value;
    else if (PROFILE_TEXT_COLUMNS.has(column)) profile[column] = value;
    else if (BOOLEAN_COLUMNS.has(column)) {
      const parsed = BOOLEANS[value.toLowerCase()];
      if (parsed === undefined) errors.push({ field: column, message: 'Must be true or false (also yes/no, 1/0).' });
      else profile[column] = parsed;
    } else if (column === 'tags') {
      input.tags = value
        .split(';')
        .map((tag) => tag.trim())
        .filter((tag) => tag !== '');
    } else if (column === 'annualSpendAmount') {
      if (AMOUNT_PATTERN.test(value)) amount = Number(value);
      else errors.push({ field: column, message: 'Must be a plain number such as 250000.00 (no thousands separators).' });
    } else if (column === 'annualSpendCurrency') currency = value;
    else input[column] = value;
  });
  if (amount !== undefined && currency !== undefined) profile.annualSpend = { amount, currency };
  else if (amount !== undefined) errors.push({ field: 'annualSpendCurrency', message: 'Required with annualSpendAmount.' });
  else if (currency !== undefined && !errors.some((error) => error.field === 'annualSpendAmount')) {
    errors.push({ field: 'annualSpendAmount', message: 'Required with annualSpendCurrency.' });
  }
  if (Object.keys(identifiers).length > 0) input.identifiers = identifiers;
  if (Object.keys(profile).length > 0) input.profile = profile;
  return { input, errors };
}

/** Where a validation issue in a CSV row's object points: the column it came from. */
export function csvFieldOf(path: readonly PropertyKey[]): string {
  const [first, second, third] = path.map(String);
  if (first === 'identifiers' && second) return second;
  if (first === 'profile' && second === 'annualSpend') return third === 'currency' ? 'annualSpendCurrency' : 'annualSpendAmount';
  if (first === 'profile' && second) return second;
  return first ?? '';
}

/**
 * Parses an import CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF, BOM) into rows in
 * the JSON import shape. File-level problems (encoding, broken quoting, unknown columns) are
 * thrown; row-level ones are returned with the row. `assertRowCount` sees the number of data rows
 * before any row is built.
 */
export function readImportCsv(bytes: ArrayBuffer, assertRowCount: (rows: number) => void): ImportSourceRow[] {
  const text = decodeUtf8(bytes);
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) throw problems.unprocessable('invalid_csv', `The CSV cannot be read: ${error.message}`);
    throw error;
  }
  const [header, ...data] = records;
  if (!header) throw problems.unprocessable('invalid_csv', 'The CSV is empty: it needs a header row naming its columns.');
  const columns = readHeader(header);
  const isBlank = (cells: string[]) => cells.every((cell) => cell.trim() === '');
  assertRowCount(data.reduce((count, cells) => (isBlank(cells) ? count : count + 1), 0));
  const rows: ImportSourceRow[] = [];
  data.forEach((cells, index) => {
    if (isBlank(cells)) return;
    rows.push({ row: index + 1, ...rowInput(columns, cells) });
  });
  return rows;
}
