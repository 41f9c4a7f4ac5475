import { z } from '@hono/zod-openapi';
import { CreateSupplierSchema, ListSuppliersQuery, UpdateSupplierSchema } from '../suppliers/suppliers.schemas';

/** Rows per import request; a larger file is refused whole (413) so that it can be split. */
export const IMPORT_MAX_ROWS = 5_000;

/**
 * Body limit of the import route, above the app's default (BODY_LIMIT_BYTES, 1 MiB): 5,000 CSV or
 * JSON rows take 1.5-3 MiB. When BODY_LIMIT_BYTES is set higher, that wins.
 */
export const IMPORT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/** CSV import columns, in the order of the documented template. Any other header is refused. */
export const IMPORT_CSV_COLUMNS = [
  'name',
  'legalName',
  'country',
  'website',
  'status',
  'externalRef',
  'lei',
  'euid',
  'vat',
  'duns',
  'owner',
  'tags',
  'dataSensitivity',
  'accessLevel',
  'supportsCriticalFunction',
  'substitutability',
  'annualSpendAmount',
  'annualSpendCurrency',
  'outsideEea',
] as const;
export type ImportCsvColumn = (typeof IMPORT_CSV_COLUMNS)[number];

/**
 * One import row as checked. Rows for an existing externalRef merge like PATCH, so name and country
 * are optional here; a row that creates a supplier must have them (checked when the row is planned).
 */
export const ImportRowSchema = UpdateSupplierSchema;
export type ImportRowInput = z.infer<typeof ImportRowSchema>;

/** What the handler checks first; rows are checked one by one so that a bad row does not fail the whole request. */
export const ImportEnvelopeSchema = z.object({ rows: z.array(z.unknown()) }).strict();

const IMPORT_ROWS_EXAMPLE = [
  {
    name: 'Rhein Automation GmbH',
    country: 'DE',
    externalRef: 'SAP-100482',
    status: 'active',
    identifiers: { lei: '5493001KJTIIGC8Y1R12', vat: 'DE123456789' },
    profile: { accessLevel: 'ot_network', supportsCriticalFunction: true },
    tags: ['ot', 'integrator'],
  },
  { name: 'Nordic Cloud AB', country: 'SE', externalRef: 'SAP-100517', profile: { dataSensitivity: 'personal' } },
];

/** Documentation of the JSON body; the handler validates it row by row (see ImportEnvelopeSchema). */
export const SupplierImportRequestSchema = z
  .object({
    rows: z
      .array(CreateSupplierSchema)
      .max(IMPORT_MAX_ROWS)
      .openapi({
        description:
          'Up to 5,000 suppliers in the CreateSupplier shape. A row whose `externalRef` belongs to an existing supplier updates it (merge like PATCH: `name` and `country` may then be left out).',
      }),
  })
  .strict()
  .openapi('SupplierImportRequest', { example: { rows: IMPORT_ROWS_EXAMPLE } });

export const IMPORT_CSV_EXAMPLE =
  'name,country,externalRef,status,lei,vat,tags,accessLevel,supportsCriticalFunction,annualSpendAmount,annualSpendCurrency\r\n' +
  'Rhein Automation GmbH,DE,SAP-100482,active,5493001KJTIIGC8Y1R12,DE123456789,ot;integrator,ot_network,true,250000,EUR\r\n' +
  '"Nordic Cloud AB, Stockholm",SE,SAP-100517,,,,cloud,remote,,,\r\n';

export const SupplierImportCsvSchema = z.string().openapi({
  description: [
    'RFC 4180 CSV in UTF-8 (a byte-order mark is allowed), with a header row. Line ends CRLF or LF; fields with commas, quotes or line breaks are quoted, inner quotes doubled.',
    `Columns (any order, any subset; names match without regard to case): ${IMPORT_CSV_COLUMNS.join(', ')}. An unknown column refuses the file (422).`,
    'An empty cell means "not given": it never clears a value (use JSON with `null` for that). `tags` are separated by `;`. Booleans are `true`/`false` (also `yes`/`no`, `1`/`0`). `annualSpendAmount` is a plain number such as `250000.00`, with `annualSpendCurrency` (ISO 4217).',
    'Rows are numbered from 1 for the first line after the header; empty lines keep their number but are skipped.',
  ].join('\n\n'),
  example: IMPORT_CSV_EXAMPLE,
  // The route's body limit; UTF-8 has no fewer bytes than characters.
  maxLength: IMPORT_BODY_LIMIT_BYTES,
});

const booleanQuery = (description: string) =>
  z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .openapi({ description, example: 'false' });

export const ImportQuerySchema = z.object({
  dryRun: booleanQuery('Check every row and report what would happen, but write nothing.'),
  atomic: booleanQuery('All rows or none: if any row fails, nothing is written and the answer is 422.'),
  statusJustification: z
    .string()
    .trim()
    .min(20)
    .max(2000)
    .optional()
    .openapi({
      description:
        'Documents why rows may register suppliers as `active` or `terminated` without an onboarding approval or offboarding (existing relationships taken over from the ERP). Without it, such rows fail naming `status`. Audited on each supplier it applies to.',
      example: 'Vendors already approved in SAP before Chainproof went live.',
    }),
});

const RowErrorSchema = z
  .object({
    field: z.string().openapi({
      description: 'The field: a JSON path such as `identifiers.lei` for JSON rows, the column name for CSV rows; empty for the whole row.',
      example: 'lei',
    }),
    message: z.string().openapi({ example: 'Not a valid LEI: 20 characters with ISO 17442 check digits.' }),
  })
  .openapi('SupplierImportRowError');

export const IMPORT_ROW_STATUSES = ['created', 'updated', 'unchanged', 'error'] as const;
export type ImportRowStatus = (typeof IMPORT_ROW_STATUSES)[number];

const RowResultSchema = z
  .object({
    row: z.number().int().openapi({ description: 'Data row number, from 1 (the first row after a CSV header, or rows[0]).', example: 1 }),
    status: z.enum(IMPORT_ROW_STATUSES).openapi({
      description: 'What was done, or with `committed: false` what would have been done.',
      example: 'created',
    }),
    supplierId: z.string().optional().openapi({
      description: 'The supplier the row matched or created. Absent for rows with errors, and for new suppliers when nothing was committed.',
      example: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A',
    }),
    externalRef: z.string().optional().openapi({ example: 'SAP-100482' }),
    errors: z.array(RowErrorSchema).optional(),
  })
  .openapi('SupplierImportRowResult');

const SummarySchema = z
  .object({
    rows: z.number().int().openapi({ example: 3 }),
    created: z.number().int().openapi({ example: 1 }),
    updated: z.number().int().openapi({ example: 1 }),
    unchanged: z.number().int().openapi({ example: 0 }),
    failed: z.number().int().openapi({ example: 1 }),
  })
  .openapi('SupplierImportSummary');

const IMPORT_RESULT_EXAMPLE = {
  importId: 'imp_01JD6S9Q7Y3M8V5R2T4W6X8Z0A',
  dryRun: false,
  atomic: false,
  committed: true,
  summary: { rows: 3, created: 1, updated: 1, unchanged: 0, failed: 1 },
  results: [
    { row: 1, status: 'updated', supplierId: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A', externalRef: 'SAP-100482' },
    { row: 2, status: 'created', supplierId: 'sup_01JD6SA2M4Q8V5R2T4W6X8Z0B7', externalRef: 'SAP-100517' },
    {
      row: 3,
      status: 'error',
      externalRef: 'SAP-100533',
      errors: [{ field: 'lei', message: 'Not a valid LEI: 20 characters with ISO 17442 check digits.' }],
    },
  ],
};

export const SupplierImportResultSchema = z
  .object({
    importId: z.string().nullable().openapi({
      description: 'Id of the import in the audit log (`supplier.imported`); null when nothing was committed.',
      example: 'imp_01JD6S9Q7Y3M8V5R2T4W6X8Z0A',
    }),
    dryRun: z.boolean(),
    atomic: z.boolean(),
    committed: z.boolean().openapi({ description: 'Whether the changes were written: false for a dry run and for an atomic import with a failed row.' }),
    summary: SummarySchema,
    results: z.array(RowResultSchema).openapi({ description: 'One entry per data row, in file order.' }),
  })
  .openapi('SupplierImportResult', { example: IMPORT_RESULT_EXAMPLE });

export type SupplierImportResult = z.infer<typeof SupplierImportResultSchema>;

/** The atomic-import failure as it is answered: a problem, with the import report as extension members. */
export const IMPORT_FAILED_EXAMPLE = {
  type: 'urn:chainproof:problem:import_failed',
  title: 'Import failed',
  status: 422,
  detail: '1 of 3 rows failed (row 3); the import is atomic, so nothing was written.',
  code: 'import_failed',
  requestId: 'f3c2b1a0-1234-4bcd-9abc-0123456789ab',
  ...IMPORT_RESULT_EXAMPLE,
  importId: null,
  atomic: true,
  committed: false,
  results: [
    { row: 1, status: 'updated', supplierId: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A', externalRef: 'SAP-100482' },
    { row: 2, status: 'created', externalRef: 'SAP-100517' },
    IMPORT_RESULT_EXAMPLE.results[2],
  ],
};

/** The list's filters and sort; an export has no page size or cursor: it streams every match. */
export const ExportSuppliersQuery = ListSuppliersQuery.omit({ limit: true, cursor: true });

/** Columns of the exported directory, in file order. */
export const EXPORT_CSV_COLUMNS = [
  'id',
  'name',
  'legalName',
  'country',
  'status',
  'tier',
  'inherentScore',
  'lei',
  'euid',
  'vat',
  'duns',
  'externalRef',
  'owner',
  'tags',
  'primaryContactName',
  'primaryContactEmail',
  'primaryContactPhone',
  'contacts',
  'ictServices',
  'updatedAt',
] as const;
export type ExportCsvColumn = (typeof EXPORT_CSV_COLUMNS)[number];

/** One row of the exported directory, as the cells the export writes (for the documented example). */
export const EXPORT_CSV_EXAMPLE = [
  [
    'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A', 'Rhein Automation GmbH', null, 'DE', 'active', 'critical', 72, '5493001KJTIIGC8Y1R12', null, 'DE123456789', null,
    'SAP-100482', 'j.weber@stadtwerke.example', 'ot; integrator', 'Anna Schmidt', 'a.schmidt@rheinautomation.example', '+49 211 555 0100',
    'Anna Schmidt <a.schmidt@rheinautomation.example>; SOC Desk <soc@rheinautomation.example>', 'Remote maintenance [S19] (critical); Historian hosting [S06]',
    '2026-11-02T09:30:00.000Z',
  ],
];
