import type { RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import { auditContextOf, recordAudit } from '../../lib/audit';
import { blobStoreFor, trackStream, withBlobUploads } from '../../lib/blobs';
import { releaseDatabaseAfter, type AppContext, type AppEnv } from '../../lib/context';
import { fileBytes } from '../../lib/multipart';
import { problems, type FieldError } from '../../lib/errors';
import { assertIfMatch, setEtag } from '../../lib/etag';
import { decodeCursor, toPage } from '../../lib/pagination';
import { rescoreSupplier } from '../risk/risk.rescore';
import { findSupplier } from '../suppliers/suppliers.queries';
import { ingestEvidence, presentEvidence } from './evidence.ingest';
import { listEvidence, requireEvidence, updateEvidence, type EvidenceChanges, type EvidenceRow } from './evidence.queries';
import type {
  archiveEvidenceRoute,
  downloadEvidenceRoute,
  getEvidenceRoute,
  listEvidenceRoute,
  updateEvidenceRoute,
  uploadEvidenceRoute,
} from './evidence.routes';

function respond(c: AppContext, row: EvidenceRow) {
  setEtag(c, row.version);
  return presentEvidence(row);
}

// An id-only cursor for the default order; [validUntil, id] when sorted by expiry.
const cursorSchema = z.union([z.tuple([z.string().max(40)]), z.tuple([z.iso.date(), z.string().max(40)])]);

export const listEvidenceHandler: RouteHandler<typeof listEvidenceRoute, AppEnv> = async (c) => {
  const { limit, cursor, expiringBefore, ...filters } = c.req.valid('query');
  const after = cursor ? decodeCursor(cursor, cursorSchema) : undefined;
  if (after && (after.length === 2) !== Boolean(expiringBefore)) {
    throw problems.validation([{ location: 'query', path: 'cursor', message: 'Not a cursor from this list.' }]);
  }
  const rows = await listEvidence(c.get('db'), {
    ...filters,
    tenantId: c.get('principal').tenantId,
    limit,
    expiringBefore,
    ...(after ? { after: after.length === 2 ? { validUntil: after[0], id: after[1] } : { id: after[0] } } : {}),
  });
  return c.json(
    toPage(rows, limit, presentEvidence, (row) => (expiringBefore ? [row.validUntil ?? '', row.id] : [row.id])),
    200,
  );
};

export const uploadEvidenceHandler: RouteHandler<typeof uploadEvidenceRoute, AppEnv> = async (c) => {
  const { file, supplierId, kind, title, issuedAt, validFrom, validUntil, periodStart, periodEnd, serviceId, assessmentId, questionKey } =
    c.req.valid('form');
  const { db, principal, now, deps } = c.var;
  const tenantId = principal.tenantId;
  const supplier = await findSupplier(db, tenantId, supplierId);
  if (supplier?.archivedAt) {
    throw problems.validation([{ location: 'body', path: 'supplierId', message: 'The supplier is archived. Restore it first.' } satisfies FieldError]);
  }
  const bytes = await fileBytes(file);
  const row = await withBlobUploads(db, deps.config, (storeFor) => db.transaction(async (tx) => {
    const created = await ingestEvidence(tx, storeFor(tx, () => now), {
      tenantId,
      supplierId,
      file: { name: file.name, type: file.type, bytes },
      kind,
      title: title ?? null,
      issuedAt: issuedAt ?? null,
      validFrom: validFrom ?? null,
      validUntil: validUntil ?? null,
      periodStart: periodStart ?? null,
      periodEnd: periodEnd ?? null,
      links: {
        ...(serviceId ? { serviceId } : {}),
        ...(assessmentId ? { assessmentId } : {}),
        ...(questionKey ? { questionKey } : {}),
      },
      uploadedBy: principal.actor,
      now,
      maxBytes: deps.config.evidenceMaxBytes,
    });
    await recordAudit(tx, auditContextOf(c), {
      action: 'evidence.uploaded',
      entityType: 'evidence',
      entityId: created.id,
      changes: {
        supplierId,
        kind,
        fileName: created.fileName,
        contentType: created.contentType,
        size: created.size,
        sha256: created.sha256,
        ...(created.validUntil ? { validUntil: created.validUntil } : {}),
        ...(created.serviceId ? { serviceId: created.serviceId } : {}),
        ...(created.assessmentId ? { assessmentId: created.assessmentId, questionKey: created.questionKey } : {}),
      },
    });
    await rescoreSupplier(tx, { tenantId, supplierId, now, trigger: 'evidence' });
    return created;
  }), deps.logger);
  c.header('Location', `/v1/evidence/${row.id}`);
  return c.json(respond(c, row), 201);
};

export const getEvidenceHandler: RouteHandler<typeof getEvidenceRoute, AppEnv> = async (c) => {
  const row = await requireEvidence(c.get('db'), c.get('principal').tenantId, c.req.valid('param').evidenceId);
  return c.json(respond(c, row), 200);
};

const DATE_FIELDS = ['issuedAt', 'validFrom', 'validUntil', 'periodStart', 'periodEnd'] as const;

export const updateEvidenceHandler: RouteHandler<typeof updateEvidenceRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const { evidenceId } = c.req.valid('param');
  const row = await c.get('db').transaction(async (tx) => {
    const current = await requireEvidence(tx, c.get('principal').tenantId, evidenceId, { forUpdate: true });
    assertIfMatch(c, current.version);
    if (current.archivedAt) throw problems.conflict('This evidence is archived; archived evidence keeps its metadata.', 'evidence_archived');
    const changes: EvidenceChanges = {};
    if (input.kind !== undefined && input.kind !== current.kind) changes.kind = input.kind;
    if (input.title !== undefined && input.title !== current.title) changes.title = input.title;
    for (const field of DATE_FIELDS) {
      const value = input[field];
      if (value !== undefined && value !== current[field]) changes[field] = value;
    }
    const next = { ...current, ...changes };
    const errors: FieldError[] = [];
    if (next.validFrom && next.validUntil && next.validFrom > next.validUntil) {
      errors.push({ location: 'body', path: input.validUntil !== undefined ? 'validUntil' : 'validFrom', message: `validUntil (${next.validUntil}) is before validFrom (${next.validFrom}).` });
    }
    if (next.periodStart && next.periodEnd && next.periodStart > next.periodEnd) {
      errors.push({ location: 'body', path: input.periodEnd !== undefined ? 'periodEnd' : 'periodStart', message: `periodEnd (${next.periodEnd}) is before periodStart (${next.periodStart}).` });
    }
    if (errors.length > 0) throw problems.validation(errors);
    if (Object.keys(changes).length === 0) return current;
    const updated = await updateEvidence(tx, current, changes, c.get('now'));
    await recordAudit(tx, auditContextOf(c), {
      action: 'evidence.updated',
      entityType: 'evidence',
      entityId: evidenceId,
      changes: Object.fromEntries(Object.entries(changes).map(([field, to]) => [field, { from: current[field as keyof EvidenceChanges] ?? null, to }])),
    });
    // Kind and validity decide whether it certifies or counts as expired.
    await rescoreSupplier(tx, { tenantId: current.tenantId, supplierId: current.supplierId, now: c.get('now'), trigger: 'evidence' });
    return updated;
  });
  return c.json(respond(c, row), 200);
};

export const archiveEvidenceHandler: RouteHandler<typeof archiveEvidenceRoute, AppEnv> = async (c) => {
  const { evidenceId } = c.req.valid('param');
  await c.get('db').transaction(async (tx) => {
    const current = await requireEvidence(tx, c.get('principal').tenantId, evidenceId, { forUpdate: true });
    assertIfMatch(c, current.version);
    if (current.archivedAt) return;
    await updateEvidence(tx, current, { archivedAt: c.get('now') }, c.get('now'));
    await recordAudit(tx, auditContextOf(c), { action: 'evidence.archived', entityType: 'evidence', entityId: evidenceId, changes: { supplierId: current.supplierId } });
    await rescoreSupplier(tx, { tenantId: current.tenantId, supplierId: current.supplierId, now: c.get('now'), trigger: 'evidence' });
  });
  return c.body(null, 204);
};

/** `filename="…"` for old clients (ASCII, no quotes or backslashes) and RFC 5987 `filename*` with the real name. */
function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export const downloadEvidenceHandler: RouteHandler<typeof downloadEvidenceRoute, AppEnv> = async (c) => {
  const row = await requireEvidence(c.get('db'), c.get('principal').tenantId, c.req.valid('param').evidenceId);
  const etag = `"${row.sha256}"`;
  const headers = {
    'Content-Type': row.contentType,
    'Content-Disposition': contentDisposition(row.fileName),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
    ETag: etag,
  };
  const ifNoneMatch = c.req.header('if-none-match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === `W/${etag}`)) {
    return c.body(null, 304, headers);
  }
  // HEAD: the body would be dropped unread, so none is made (and the database is released at once).
  if (c.req.method === 'HEAD') return c.body(null, 200, { ...headers, 'Content-Length': String(row.size) });
  const { requestId, deps } = c.var;
  // Opened before answering: a lost file or a store that is down is a problem, not a cut-off download.
  const source = await blobStoreFor(c.get('db'), deps.config).open(row.tenantId, row.sha256);
  const { stream, done } = trackStream(source, {
    onError: (error) => deps.logger.error('evidence download failed while streaming', { requestId, error }),
  });
  // The body is read after this handler returns: keep the database handle until the stream is done.
  releaseDatabaseAfter(c, done);
  return c.body(stream, 200, { ...headers, 'Content-Length': String(row.size) });
};
