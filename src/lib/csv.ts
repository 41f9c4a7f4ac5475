import { z } from '@hono/zod-openapi';
import { releaseDatabaseAfter, type AppContext } from './context';

/*
 * Writing CSV exports: one implementation for every export (suppliers, findings, clause gaps,
 * assessments). RFC 4180 (CRLF line ends, quotes doubled, fields with separators quoted), UTF-8 with
 * a byte-order mark, text that a spreadsheet would run as a formula neutralised, and the rows read
 * in keyset pages into a stream, so that memory holds one page whatever the tenant's size.
 */

export type CsvValue = string | number | boolean | Date | null | undefined;

/** Text a spreadsheet would run as a formula (CSV injection, OWASP): it gets a leading apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;
/**
 * Fields that are quoted: RFC 4180 asks it for comma, quote, CR and LF. Semicolons and tabs are
 * quoted too: a spreadsheet in a locale whose list separator is `;` (Excel in German, French…), or
 * an import as tab-separated, would otherwise split the field there and could start a new cell
 * with `=` in the middle of a value.
 */
const NEEDS_QUOTES = /[",;\t\r\n]/;

/**
 * One RFC 4180 field. Text that a spreadsheet would take for a formula is prefixed with `'`
 * (OWASP's advice), so it shows as text: a phone number `+49 …` is written `'+49 …`, the text
 * `-1` is written `'-1`. Numbers (typed as numbers) are written as they are, so `-3` stays a
 * number; booleans as `true`/`false`; dates as ISO 8601 UTC.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return value.toISOString();
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvLine(cells: readonly CsvValue[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Excel reads a CSV as UTF-8 only when it starts with a byte-order mark. */
export const UTF8_BOM = '\uFEFF';

/** One column of an export: its header and how a row fills it. */
export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => CsvValue;
}

export const csvHeaders = (columns: readonly CsvColumn<never>[]) => columns.map((column) => column.header);

/** Rows per page of an export: a fixed number of queries per page, whatever the tenant's size. */
export const EXPORT_PAGE_SIZE = 1_000;

export interface CsvStreamHooks {
  /** Called once when the stream has ended, failed or been cancelled: the database is no longer needed. */
  onSettled(): void;
  onError(error: unknown): void;
}

export interface KeysetCsvSource<Row, Key, Out = Row> {
  columns: readonly CsvColumn<Out>[];
  /**
   * The rows after `after` (undefined: from the start) in the list's order, as a list query reads
   * them: `limit + 1` at most, the extra row only saying that another page exists.
   */
  page(after: Key | undefined, limit: number): Promise<Row[]>;
  /** The keyset position of a row, handed back to `page` for the next one. */
  keyOf(row: Row): Key;
  /** What a page's rows need from other tables, read for the whole page at once (never per row). */
  expand?(rows: Row[]): Promise<Out[]>;
  /** Rows per page; EXPORT_PAGE_SIZE by default. */
  pageSize?: number;
}

/**
 * An export as a CSV byte stream: the BOM and header row first, then page after page read on
 * demand with keyset pagination. A client that stops reading stops the queries. Rows are read page
 * by page, not from one snapshot.
 */
export function keysetCsvStream<Row, Key, Out = Row>(source: KeysetCsvSource<Row, Key, Out>, hooks: CsvStreamHooks): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const pageSize = source.pageSize ?? EXPORT_PAGE_SIZE;
  const expand = source.expand ?? (async (rows: Row[]) => rows as unknown as Out[]);
  let after: Key | undefined;
  let headerSent = false;
  let settled = false;
  const settle = () => {
    if (settled) return;
    settled = true;
    hooks.onSettled();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(UTF8_BOM + csvLine(source.columns.map((column) => column.header))));
          return;
        }
        const rows = await source.page(after, pageSize);
        const page = rows.slice(0, pageSize);
        if (page.length > 0) {
          const records = await expand(page);
          controller.enqueue(encoder.encode(records.map((record) => csvLine(source.columns.map((column) => column.value(record)))).join('')));
        }
        if (rows.length > pageSize) {
          after = source.keyOf(page.at(-1)!);
        } else {
          controller.close();
          settle();
        }
      } catch (error) {
        hooks.onError(error);
        controller.error(error);
        settle();
      }
    },
    cancel() {
      settle();
    },
  });
}

/**
 * Answers a GET with a streamed CSV attachment `<name>-YYYY-MM-DD.csv` (the request's UTC day).
 * The stream reads the database after the handler has returned, so the request's handle is kept
 * until it ends; a failure while streaming (the status is sent by then) is logged with the request
 * id and ends the body early. HEAD gets the headers and no body (nor any query).
 */
export function csvAttachment(c: AppContext, name: string, open: (hooks: CsvStreamHooks) => ReadableStream<Uint8Array>): Response {
  const headers = {
    'Content-Type': 'text/csv; charset=utf-8; header=present',
    'Content-Disposition': `attachment; filename="${name}-${c.get('now').toISOString().slice(0, 10)}.csv"`,
    'Cache-Control': 'no-store',
  };
  if (c.req.method === 'HEAD') return c.body(null, 200, headers);
  let settled!: () => void;
  const finished = new Promise<void>((resolve) => {
    settled = resolve;
  });
  const { requestId, deps } = c.var;
  const stream = open({
    onSettled: settled,
    onError: (error) => deps.logger.error(`${name} export failed while streaming`, { requestId, error }),
  });
  releaseDatabaseAfter(c, finished);
  return c.body(stream, 200, headers);
}

/** The documented 200 of an export route: a CSV attachment with these columns; the example rows are written as the export writes them. */
export function csvExportResponse(options: { name: string; description: string; headers: readonly string[]; example: readonly (readonly CsvValue[])[] }) {
  return {
    description: `${options.description} A CSV attachment named \`${options.name}-YYYY-MM-DD.csv\` (the date in UTC).`,
    headers: z.object({
      'Content-Disposition': z.string().openapi({ example: `attachment; filename="${options.name}-2026-11-20.csv"` }),
    }),
    content: {
      'text/csv': {
        schema: z.string().openapi({
          description: `RFC 4180 CSV, UTF-8 with a byte-order mark, CRLF line ends, one header row. Columns: ${options.headers.join(', ')}.`,
          example: UTF8_BOM + csvLine(options.headers) + options.example.map(csvLine).join(''),
        }),
      },
    },
  };
}

/** How every export describes its format, for route descriptions. */
export const CSV_FORMAT_NOTE =
  'Format: RFC 4180, UTF-8 with a byte-order mark (so that Excel reads it as UTF-8), CRLF line ends; fields with a comma, quote, semicolon, tab or line break are quoted, inner quotes doubled. A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a leading `\'` so that a spreadsheet shows it as text instead of running it as a formula (a phone number `+49 …` is written `\'+49 …`); numbers are written as numbers.';

/** The description of an export route: what it holds, then how it is streamed and written. */
export const csvExportDescription = (what: string) =>
  [what, `The file is streamed, so any number of rows can be exported; rows are read in keyset pages of ${EXPORT_PAGE_SIZE.toLocaleString('en-US')}, not from one snapshot.`, CSV_FORMAT_NOTE].join('\n\n');
