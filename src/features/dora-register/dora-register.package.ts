import { Zip, ZipDeflate } from 'fflate';
import {
  DORA_ALL_TEMPLATES,
  DORA_PACKAGE,
  DORA_REPORTED_TEMPLATES,
  DORA_TEMPLATES,
} from '../../catalog/dora-register';
import { isValidLei } from '../../lib/identifiers';
import type { TenantRow } from './dora-register.queries';
import type { Cells, TemplateRows } from './dora-register.rows';

/** Rows of a template CSV encoded per deflate push: bounds the text held at once. */
const ROWS_PER_CHUNK = 500;

/**
 * RFC 4180: quoted when it holds a comma, a quote or a line break. Not src/lib/csv's cell: that
 * one is for spreadsheets and prefixes formula-like text with `'`, which would change xBRL values
 * (`decimalsMonetary` is `-3`, and a name may start with `-` or `=`); xBRL-CSV has no BOM either.
 */
function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
const csvLine = (cells: readonly string[]) => `${cells.map(csvCell).join(',')}\r\n`;

/** `yyyymmddhhmmssSSS` in UTC, the creation timestamp of the EBA package name. */
function packageTimestamp(now: Date): string {
  return now.toISOString().replace(/[-:TZ.]/g, '');
}

/**
 * The package (and top folder) name: the EBA form `{LEI}.IND_{country}_DORA010100_DORA_{refDate}_{timestamp}`
 * when the entity has a valid LEI and a country; otherwise a draft name that says what it is.
 */
export function packageName(tenant: TenantRow, referenceDate: string, now: Date): string {
  if (tenant.lei && isValidLei(tenant.lei) && tenant.country) {
    return `${tenant.lei}.${DORA_PACKAGE.reportingLevel}_${tenant.country}_${DORA_PACKAGE.moduleCode}_DORA_${referenceDate}_${packageTimestamp(now)}`;
  }
  return `dora-register-of-information-${tenant.id}-${referenceDate}`;
}

export interface PackageInput {
  name: string;
  tenant: TenantRow;
  referenceDate: string;
  baseCurrency: string;
  rows: TemplateRows;
  now: Date;
}

/** Each file of the package, as a generator of text pieces. */
export function packageFiles(input: PackageInput): [path: string, content: () => Iterable<string>][] {
  const { name, tenant, rows } = input;
  const json = (value: unknown) => () => [`${JSON.stringify(value, null, 2)}\n`];
  const files: [string, () => Iterable<string>][] = [
    [`${name}/META-INF/reportPackage.json`, json({ documentInfo: { documentType: DORA_PACKAGE.reportPackageDocumentType } })],
    [`${name}/reports/report.json`, json({ documentInfo: { documentType: DORA_PACKAGE.reportDocumentType, extends: [DORA_PACKAGE.moduleUrl] } })],
    [
      `${name}/reports/parameters.csv`,
      () => [
        [
          ['name', 'value'],
          ['entityID', `${DORA_PACKAGE.entityIdScheme}:${tenant.lei ?? ''}.${DORA_PACKAGE.reportingLevel}`],
          ['refPeriod', input.referenceDate],
          ['baseCurrency', `iso4217:${input.baseCurrency}`],
          ['decimalsInteger', String(DORA_PACKAGE.decimalsInteger)],
          ['decimalsMonetary', String(DORA_PACKAGE.decimalsMonetary)],
        ]
          .map(csvLine)
          .join(''),
      ],
    ],
    [
      `${name}/reports/FilingIndicators.csv`,
      () => [
        [['templateID', 'reported'], ...DORA_ALL_TEMPLATES.map((id) => [id, String((DORA_REPORTED_TEMPLATES as readonly string[]).includes(id))])].map(csvLine).join(''),
      ],
    ],
  ];
  for (const id of DORA_REPORTED_TEMPLATES) {
    const template = DORA_TEMPLATES[id];
    files.push([
      `${name}/reports/${template.file}`,
      function* () {
        yield csvLine(template.columns.map((column) => column.code));
        const all: Cells[] = rows[id];
        for (let start = 0; start < all.length; start += ROWS_PER_CHUNK) {
          yield all.slice(start, start + ROWS_PER_CHUNK).map(csvLine).join('');
        }
      },
    ]);
  }
  return files;
}

/**
 * The ZIP as a stream: files are deflated one piece at a time as the client reads (pull), so
 * what is held is the register's rows (already read) and the compressed bytes not yet sent.
 */
export function packageStream(input: PackageInput): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const files = packageFiles(input);
  let fileIndex = 0;
  let pieces: Iterator<string> | undefined;
  let entry: ZipDeflate | undefined;
  let pending: Uint8Array[] = [];
  let finished = false;
  let failure: Error | undefined;
  const zip = new Zip((error, chunk, final) => {
    if (error) failure = error;
    else {
      if (chunk.length > 0) pending.push(chunk);
      if (final) finished = true;
    }
  });
  /** Feeds the deflater until it produced output or the ZIP is complete. */
  const step = () => {
    while (pending.length === 0 && !finished && !failure) {
      if (!pieces) {
        const file = files[fileIndex];
        if (!file) {
          zip.end();
          continue;
        }
        entry = new ZipDeflate(file[0], { level: 6 });
        entry.mtime = input.now;
        zip.add(entry);
        pieces = file[1]()[Symbol.iterator]();
      }
      const next = pieces.next();
      if (next.done) {
        entry!.push(new Uint8Array(0), true);
        pieces = undefined;
        fileIndex += 1;
      } else if (next.value.length > 0) {
        entry!.push(encoder.encode(next.value));
      }
    }
  };
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      step();
      if (failure) {
        controller.error(failure);
        return;
      }
      for (const chunk of pending) controller.enqueue(chunk);
      pending = [];
      if (finished) controller.close();
    },
  });
}
