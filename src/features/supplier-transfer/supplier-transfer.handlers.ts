import type { RouteHandler } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { auditContextOf } from '../../lib/audit';
import { ConcurrencyGate } from '../../lib/concurrency-gate';
import type { AppContext, AppDeps, AppEnv } from '../../lib/context';
import { csvAttachment } from '../../lib/csv';
import { ApiError, PROBLEM_CONTENT_TYPE, problems, problemType } from '../../lib/errors';
import { fieldErrors } from '../../lib/router';
import { csvFieldOf, readImportCsv } from './supplier-transfer.csv';
import { supplierExportStream } from './supplier-transfer.export';
import { suppliersByExternalRefs } from './supplier-transfer.queries';
import {
  assertRowCount,
  checkRows,
  importReport,
  jsonFieldOf,
  planRows,
  referencedRefs,
  runImport,
  type ImportSource,
} from './supplier-transfer.import';
import type { exportSuppliersRoute, importSuppliersRoute } from './supplier-transfer.routes';
import { ImportEnvelopeSchema, type SupplierImportResult } from './supplier-transfer.schemas';

function unsupportedMediaType(detail: string) {
  return new ApiError({ status: 415, code: 'unsupported_media_type', title: 'Unsupported media type', detail });
}

/** The body as rows to check: JSON `{ rows: [...] }` or CSV with a header row. */
async function readImportSource(c: AppContext): Promise<ImportSource> {
  const [mediaType = '', ...parameters] = (c.req.header('content-type') ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (mediaType === 'application/json') {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new HTTPException(400, { message: 'Malformed JSON in request body' });
    }
    if (Array.isArray(body)) {
      throw problems.validation([{ location: 'body', path: '', message: 'Send an object { "rows": [...] }, not a bare array.' }]);
    }
    const envelope = ImportEnvelopeSchema.safeParse(body);
    if (!envelope.success) throw problems.validation(fieldErrors(envelope.error.issues, 'json'));
    assertRowCount(envelope.data.rows.length);
    return {
      format: 'json',
      rows: envelope.data.rows.map((input, index) => ({ row: index + 1, input, errors: [] })),
      fieldOf: jsonFieldOf,
    };
  }
  if (mediaType === 'text/csv') {
    const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length).replaceAll('"', '');
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      throw unsupportedMediaType('A CSV import must be UTF-8 (charset=utf-8).');
    }
    return { format: 'csv', rows: readImportCsv(await c.req.arrayBuffer(), assertRowCount), fieldOf: csvFieldOf };
  }
  throw unsupportedMediaType('Send application/json ({ "rows": [...] }) or text/csv.');
}

/** An atomic import with failed rows: a problem, with the report as RFC 9457 extension members. */
function importFailedProblem(c: AppContext, report: SupplierImportResult) {
  const failedRows = report.results.filter((result) => result.status === 'error').map((result) => result.row);
  const listed = failedRows.slice(0, 10).join(', ') + (failedRows.length > 10 ? ', …' : '');
  const requestId = c.get('requestId') ?? null;
  const body = {
    type: problemType('import_failed'),
    title: 'Import failed',
    status: 422,
    detail: `${failedRows.length} of ${report.summary.rows} rows failed (row${failedRows.length === 1 ? '' : 's'} ${listed}); the import is atomic, so nothing was written.`,
    code: 'import_failed',
    requestId,
    ...report,
  };
  return body;
}

const importGates = new WeakMap<AppDeps, ConcurrencyGate>();

/** One gate per app (tests build many apps); IMPORT_CONCURRENCY and IMPORT_QUEUE size it. */
function importGateOf(deps: AppDeps): ConcurrencyGate {
  let gate = importGates.get(deps);
  if (!gate) {
    gate = new ConcurrencyGate(deps.config.imports.concurrency, deps.config.imports.queue);
    importGates.set(deps, gate);
  }
  return gate;
}

const IMPORT_RETRY_AFTER_SECONDS = 10;

export const importSuppliersHandler: RouteHandler<typeof importSuppliersRoute, AppEnv> = (c) =>
  importGateOf(c.get('deps')).run(
    () => importSuppliers(c),
    () => problems.busy('imports_busy', `This instance is running and queueing as many imports as it takes. Retry after ${IMPORT_RETRY_AFTER_SECONDS} seconds.`, IMPORT_RETRY_AFTER_SECONDS),
  );

type ImportContext = Parameters<RouteHandler<typeof importSuppliersRoute, AppEnv>>[0];

async function importSuppliers(c: ImportContext) {
  const { dryRun, atomic, statusJustification } = c.req.valid('query');
  const source = await readImportSource(c);
  const rows = checkRows(source);
  const { db, principal, now } = c.var;
  let outcome;
  if (dryRun) {
    const existing = await suppliersByExternalRefs(db, principal.tenantId, referencedRefs(rows));
    outcome = { plan: planRows(rows, existing, source.fieldOf, statusJustification), committed: false, importId: null };
  } else {
    outcome = await runImport(db, rows, {
      tenantId: principal.tenantId,
      now,
      audit: auditContextOf(c),
      atomic,
      format: source.format,
      fieldOf: source.fieldOf,
      statusJustification,
    });
  }
  const report = importReport(outcome.plan, { dryRun, atomic, committed: outcome.committed, importId: outcome.importId });
  if (atomic && report.summary.failed > 0) return c.json(importFailedProblem(c, report), 422, { 'Content-Type': PROBLEM_CONTENT_TYPE });
  return c.json(report, 200);
}

export const exportSuppliersHandler: RouteHandler<typeof exportSuppliersRoute, AppEnv> = async (c) => {
  const { sort, order, updatedSince, ...filters } = c.req.valid('query');
  const filter = {
    ...filters,
    tenantId: c.get('principal').tenantId,
    sort,
    order: order ?? (sort === 'name' ? ('asc' as const) : ('desc' as const)),
    ...(updatedSince ? { updatedSince: new Date(updatedSince) } : {}),
  };
  return csvAttachment(c, 'suppliers', (hooks) => supplierExportStream(c.get('db'), filter, hooks));
};
