import { emitEvent } from '../../lib/events';
import { supplierEventData } from './suppliers.events';
import type { RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import { auditContextOf, recordAudit } from '../../lib/audit';
import type { AppContext, AppEnv } from '../../lib/context';
import { problems } from '../../lib/errors';
import { assertIfMatch, setEtag } from '../../lib/etag';
import { newId } from '../../lib/ids';
import { decodeCursor, toPageJsonText } from '../../lib/pagination';
import { reviewAfterSupplierWrite } from '../reviews/reviews.queries';
import { rescoreAndReload } from '../risk/risk.rescore';
import { assertPatchStatusMove, assertRegistrationStatus } from './supplier-status';
import { applySupplierInput, diffFields, presentSupplier } from './suppliers.present';
import {
  findSupplierWithAudits,
  fieldsOf,
  findSuppliersByExternalRefs,
  insertSupplierUnlessRefTaken,
  insertSuppliers,
  listSupplierDocuments,
  requireSupplier,
  setSupplierArchived,
  updateSupplier,
  type SupplierFields,
  type SupplierRow,
} from './suppliers.queries';
import type {
  archiveSupplierRoute,
  createSupplierRoute,
  getSupplierByExternalRefRoute,
  getSupplierRoute,
  listSuppliersRoute,
  restoreSupplierRoute,
  updateSupplierRoute,
  upsertSupplierRoute,
} from './suppliers.routes';
import { dayOf } from '../../lib/dates';

const cursorSchema = z.tuple([z.string().max(400), z.string().max(40)]);

/** The non-empty fields of a new supplier, for its audit entry. */
function createdChanges(fields: SupplierFields) {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0)),
  );
}

function respondWithSupplier(c: AppContext, row: SupplierRow) {
  setEtag(c, row.version);
  return presentSupplier(row);
}

export const listSuppliersHandler: RouteHandler<typeof listSuppliersRoute, AppEnv> = async (c) => {
  const { limit, cursor, sort, order, updatedSince, ...filters } = c.req.valid('query');
  const direction = order ?? (sort === 'name' ? 'asc' : 'desc');
  const after = cursor ? decodeCursor(cursor, cursorSchema) : undefined;
  const rows = await listSupplierDocuments(c.get('db'), {
    ...filters,
    tenantId: c.get('principal').tenantId,
    limit,
    sort,
    order: direction,
    ...(after ? { after: { value: after[0], id: after[1] } } : {}),
    ...(updatedSince ? { updatedSince: new Date(updatedSince) } : {}),
  });
  const page = toPageJsonText(rows, limit, (row) => row.json, (row) => [row.sortValue, row.id]);
  // The items are the database's JSON (supplierJsonText), already in the documented shape.
  return c.body(page, 200, { 'Content-Type': 'application/json' }) as never;
};

export const createSupplierHandler: RouteHandler<typeof createSupplierRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const fields = applySupplierInput(undefined, input);
  assertRegistrationStatus(undefined, fields.status, input.statusOverride?.justification);
  const { principal, now } = c.var;
  const row = await c.get('db').transaction(async (tx) => {
    const [inserted] = await insertSuppliers(tx, principal.tenantId, [{ id: newId('supplier', now), fields }], now);
    const { row: reviewed } = await reviewAfterSupplierWrite(tx, { before: undefined, after: inserted!, now });
    const created = await rescoreAndReload(tx, reviewed, 'profile', now);
    await emitEvent(tx, principal.tenantId, now, { type: 'supplier.created', data: supplierEventData(created) });
    // Last: the audit entry locks the tenant's chain head until commit, and every write of the tenant waits on it.
    await recordAudit(tx, auditContextOf(c), {
      action: 'supplier.created',
      entityType: 'supplier',
      entityId: created.id,
      changes: { ...createdChanges(fields), ...overrideChange(input.statusOverride) },
    });
    return created;
  });
  c.header('Location', `/v1/suppliers/${row.id}`);
  return c.json(respondWithSupplier(c, row), 201);
};

export const getSupplierHandler: RouteHandler<typeof getSupplierRoute, AppEnv> = async (c) => {
  const found = await findSupplierWithAudits(c.get('db'), c.get('principal').tenantId, c.req.valid('param').supplierId, dayOf(c.get('now')));
  if (!found) throw problems.notFound('Supplier');
  // presentSupplier picks its fields, so the row goes in as it came (no copy without the audits).
  return c.json({ ...respondWithSupplier(c, found), lastAudit: found.lastAudit, nextAudit: found.nextAudit }, 200);
};

export const getSupplierByExternalRefHandler: RouteHandler<typeof getSupplierByExternalRefRoute, AppEnv> = async (c) => {
  const [row] = await findSuppliersByExternalRefs(c.get('db'), c.get('principal').tenantId, [c.req.valid('param').externalRef]);
  if (!row) throw problems.notFound('Supplier');
  return c.json(respondWithSupplier(c, row), 200);
};

/** The documented override of a registration, as the audit entry keeps it. */
const overrideChange = (override: { justification: string } | undefined) => (override ? { statusOverride: override.justification } : {});

/** Applies a change to a locked supplier and audits the difference; no difference, no write. */
async function changeSupplier(c: AppContext, tx: Parameters<typeof updateSupplier>[0], current: SupplierRow, next: SupplierFields, statusOverride?: { justification: string }) {
  const changes: Record<string, unknown> = diffFields(fieldsOf(current), next);
  if (Object.keys(changes).length === 0) return current;
  const updated = await updateSupplier(tx, current, next, c.get('now'));
  const { row, events } = await reviewAfterSupplierWrite(tx, { before: current, after: updated, changedFields: Object.keys(changes), now: c.get('now') });
  // The review it made due first: the change itself stays the latest entry of the supplier.
  const documented = 'status' in changes ? overrideChange(statusOverride) : {};
  await recordAudit(tx, auditContextOf(c), [...events, { action: 'supplier.updated', entityType: 'supplier', entityId: current.id, changes: { ...changes, ...documented } }]);
  const rescored = await rescoreAndReload(tx, row, 'profile', c.get('now'));
  await emitEvent(tx, current.tenantId, c.get('now'), { type: 'supplier.updated', data: supplierEventData(rescored, Object.keys(changes)) });
  return rescored;
}

export const updateSupplierHandler: RouteHandler<typeof updateSupplierRoute, AppEnv> = async (c) => {
  const { supplierId } = c.req.valid('param');
  const patch = c.req.valid('json');
  const row = await c.get('db').transaction(async (tx) => {
    const current = await requireSupplier(tx, c.get('principal').tenantId, supplierId, { forUpdate: true });
    assertIfMatch(c, current.version);
    const next = applySupplierInput(fieldsOf(current), patch);
    assertPatchStatusMove(current.status, next.status);
    return changeSupplier(c, tx, current, next);
  });
  return c.json(respondWithSupplier(c, row), 200);
};

export const upsertSupplierHandler: RouteHandler<typeof upsertSupplierRoute, AppEnv> = async (c) => {
  const { externalRef } = c.req.valid('param');
  const body = c.req.valid('json');
  if (body.externalRef !== undefined && body.externalRef !== externalRef) {
    throw problems.validation([{ location: 'body', path: 'externalRef', message: 'Must match the externalRef in the path, or be left out.' }]);
  }
  const input = { ...body, externalRef };
  const { principal, now } = c.var;
  const result = await c.get('db').transaction(async (tx) => {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const [existing] = await findSuppliersByExternalRefs(tx, principal.tenantId, [externalRef], { forUpdate: true });
      if (existing) {
        assertIfMatch(c, existing.version);
        const next = applySupplierInput(fieldsOf(existing), input);
        assertRegistrationStatus(existing.status, next.status, input.statusOverride?.justification);
        return { created: false, row: await changeSupplier(c, tx, existing, next, input.statusOverride) };
      }
      if (c.req.header('if-match') !== undefined && c.req.header('if-match') !== '*') throw problems.preconditionFailed('No supplier has this externalRef yet.');
      const fields = applySupplierInput(undefined, input);
      assertRegistrationStatus(undefined, fields.status, input.statusOverride?.justification);
      const fresh = await insertSupplierUnlessRefTaken(tx, principal.tenantId, newId('supplier', now), fields, now);
      const inserted = fresh && (await rescoreAndReload(tx, (await reviewAfterSupplierWrite(tx, { before: undefined, after: fresh, now })).row, 'profile', now));
      if (inserted) {
        await recordAudit(tx, auditContextOf(c), {
          action: 'supplier.created',
          entityType: 'supplier',
          entityId: inserted.id,
          changes: { ...createdChanges(fields), ...overrideChange(input.statusOverride) },
        });
        await emitEvent(tx, principal.tenantId, now, { type: 'supplier.created', data: supplierEventData(inserted) });
        return { created: true, row: inserted };
      }
      // A concurrent request created it between our read and our insert: update that one instead.
    }
    throw problems.conflict('The supplier was changed concurrently. Retry the request.', 'concurrent_update');
  });
  if (result.created) {
    c.header('Location', `/v1/suppliers/${result.row.id}`);
    return c.json(respondWithSupplier(c, result.row), 201);
  }
  return c.json(respondWithSupplier(c, result.row), 200);
};

async function setArchived(c: AppContext, supplierId: string, archive: boolean) {
  return c.get('db').transaction(async (tx) => {
    const current = await requireSupplier(tx, c.get('principal').tenantId, supplierId, { forUpdate: true });
    assertIfMatch(c, current.version);
    if ((current.archivedAt !== null) === archive) return current;
    const row = await setSupplierArchived(tx, current, archive ? c.get('now') : null, c.get('now'));
    await recordAudit(tx, auditContextOf(c), {
      action: archive ? 'supplier.archived' : 'supplier.restored',
      entityType: 'supplier',
      entityId: supplierId,
      changes: { archivedAt: { from: current.archivedAt?.toISOString() ?? null, to: row.archivedAt?.toISOString() ?? null } },
    });
    // Archived suppliers are left out of recalculations, so a restored one may carry an old score.
    return archive ? row : rescoreAndReload(tx, row, 'restored', c.get('now'));
  });
}

export const archiveSupplierHandler: RouteHandler<typeof archiveSupplierRoute, AppEnv> = async (c) => {
  const row = await setArchived(c, c.req.valid('param').supplierId, true);
  return c.json(respondWithSupplier(c, row), 200);
};

export const restoreSupplierHandler: RouteHandler<typeof restoreSupplierRoute, AppEnv> = async (c) => {
  const row = await setArchived(c, c.req.valid('param').supplierId, false);
  return c.json(respondWithSupplier(c, row), 200);
};
