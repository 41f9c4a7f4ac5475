import { ProblemSchema } from '../../lib/openapi';
import { CSV_FORMAT_NOTE, csvExportResponse } from '../../lib/csv';
import { defineRoute } from '../../lib/router';
import {
  EXPORT_CSV_COLUMNS,
  EXPORT_CSV_EXAMPLE,
  ExportSuppliersQuery,
  IMPORT_FAILED_EXAMPLE,
  ImportQuerySchema,
  SupplierImportCsvSchema,
  SupplierImportResultSchema,
} from './supplier-transfer.schemas';

const tags = ['Suppliers'];
const REQUEST_ID_EXAMPLE = 'f3c2b1a0-1234-4bcd-9abc-0123456789ab';

export const importSuppliersRoute = defineRoute({
  method: 'post',
  path: '/v1/suppliers/import',
  operationId: 'importSuppliers',
  summary: 'Import suppliers (CSV or JSON)',
  description: [
    'Creates and updates up to 5,000 suppliers in one request, from `text/csv` or from `application/json` `{ "rows": [...] }` (each row in the CreateSupplier shape). The body may be up to 10 MiB (other routes: 1 MiB).',
    'A row whose `externalRef` belongs to an existing supplier updates it, merging like PATCH; a row that changes nothing is `unchanged` and writes nothing (archived suppliers match too, and stay archived). Other rows create suppliers; rows without `externalRef` always do. An `externalRef` repeated in the file is an error on every row after the first. Identifiers, countries and codes are checked as on `POST /v1/suppliers`; each failed row lists its errors by field (CSV: the column name).',
    'Rows are independent by default: good rows are written and failed ones reported, with a 200. With `atomic=true` any failed row means nothing is written, and the answer is 422 carrying the same report. `dryRun=true` checks everything against the current register and writes nothing.',
    'Each created or updated supplier gets its `supplier.created` / `supplier.updated` audit entry, and each committed import one `supplier.imported` entry with its summary.',
    'An instance runs a few imports at once (`IMPORT_CONCURRENCY`, default 2) and lets a few more wait their turn (`IMPORT_QUEUE`, default 8); beyond that it answers 503 `imports_busy` with `Retry-After`, having written nothing.',
  ].join('\n\n'),
  tags,
  access: 'suppliers:write',
  request: {
    query: ImportQuerySchema,
    body: {
      required: true,
      description: 'The rows, as JSON or as CSV. Rows are numbered from 1 in the answer.',
      content: {
        // A reference, not a zod schema: the body is validated row by row by the handler, so one bad row cannot fail the whole request.
        'application/json': { schema: { $ref: '#/components/schemas/SupplierImportRequest' } },
        'text/csv': { schema: SupplierImportCsvSchema },
      },
    },
  },
  responses: {
    200: {
      description: 'The import ran (or, with `dryRun`, was checked): one result per row.',
      content: { 'application/json': { schema: SupplierImportResultSchema } },
    },
    413: {
      description: 'The body is larger than 10 MiB, or has more than 5,000 rows (`too_many_rows`).',
      content: {
        'application/problem+json': {
          schema: ProblemSchema,
          example: {
            type: 'urn:chainproof:problem:too_many_rows',
            title: 'Payload too large',
            status: 413,
            detail: 'The import has 5,001 rows; at most 5,000 are accepted per request. Split it into several imports.',
            code: 'too_many_rows',
            requestId: REQUEST_ID_EXAMPLE,
          },
        },
      },
    },
    422: {
      description:
        'The request as a whole is not valid (`validation_failed`: unknown CSV columns, no `rows`, a bad query parameter; `invalid_csv`; `invalid_encoding`), or `atomic=true` and a row failed (`import_failed`): nothing was written, and the problem carries the import report (`dryRun`, `atomic`, `committed`, `summary`, `results`, as in SupplierImportResult) as extension members.',
      content: {
        'application/problem+json': {
          schema: ProblemSchema,
          examples: {
            importFailed: { summary: 'An atomic import with a failed row', value: IMPORT_FAILED_EXAMPLE },
            unknownColumn: {
              summary: 'A CSV with a column an import does not have',
              value: {
                type: 'urn:chainproof:problem:validation_failed',
                title: 'Validation failed',
                status: 422,
                detail: 'The CSV header names columns that an import does not have.',
                code: 'validation_failed',
                requestId: REQUEST_ID_EXAMPLE,
                errors: [{ location: 'body', path: 'vendorNo', message: 'Unknown column "vendorNo". Known columns: name, legalName, country, …' }],
              },
            },
          },
        },
      },
    },
  },
});

export const exportSuppliersRoute = defineRoute({
  method: 'get',
  path: '/v1/suppliers/export',
  operationId: 'exportSuppliers',
  summary: 'Export the supplier directory (CSV)',
  description: [
    'The directory of suppliers and service providers that NIS2 IR 2024/2690 point 5.2 asks for, as CSV: one row per supplier with its identifiers, tier and inherent score, its contact points (the primary contact, and every contact as `name <email>` joined by `; `) and the ICT services it provides (`name [S19] (critical)` joined by `; `).',
    'Takes the filters and sort of `GET /v1/suppliers`; archived suppliers are left out unless `archived` says otherwise. The file is streamed, so any size of register can be exported; rows are read page by page, not from one snapshot (with `sort=createdAt`, every supplier that existed when the export started appears exactly once).',
    CSV_FORMAT_NOTE,
  ].join('\n\n'),
  tags,
  access: 'suppliers:read',
  request: { query: ExportSuppliersQuery },
  responses: {
    200: csvExportResponse({ name: 'suppliers', description: 'The directory.', headers: EXPORT_CSV_COLUMNS, example: EXPORT_CSV_EXAMPLE }),
  },
});
