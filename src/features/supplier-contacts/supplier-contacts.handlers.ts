import type { RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import { auditContextOf, recordAudit, type AuditEvent } from '../../lib/audit';
import type { AppContext, AppEnv } from '../../lib/context';
import { problems } from '../../lib/errors';
import { assertIfMatch, setEtag } from '../../lib/etag';
import { newId } from '../../lib/ids';
import { decodeCursor, toPage } from '../../lib/pagination';
import { requireSupplier } from '../suppliers/suppliers.queries';
import {
  clearPrimaryContact,
  contactFieldsOf,
  deleteContact,
  insertContact,
  listContacts,
  requireContact,
  supplierHasContacts,
  updateContact,
  type ContactFields,
  type ContactRow,
} from './supplier-contacts.queries';
import type {
  createContactRoute,
  deleteContactRoute,
  getContactRoute,
  listContactsRoute,
  updateContactRoute,
} from './supplier-contacts.routes';
import type { ContactPatch } from './supplier-contacts.schemas';

export function presentContact(row: ContactRow) {
  return {
    id: row.id,
    supplierId: row.supplierId,
    name: row.name,
    email: row.email,
    role: row.role,
    phone: row.phone,
    isPrimary: row.isPrimary,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const cursorSchema = z.tuple([z.string().max(40)]);

function respondWithContact(c: AppContext, row: ContactRow) {
  setEtag(c, row.version);
  return presentContact(row);
}

/** Audit entries for contacts that just lost the primary flag to another one. */
const demotions = (rows: ContactRow[]): AuditEvent[] =>
  rows.map((row) => ({
    action: 'contact.updated',
    entityType: 'contact',
    entityId: row.id,
    changes: { isPrimary: { from: true, to: false } },
  }));

function applyPatch(current: ContactFields, patch: ContactPatch): ContactFields {
  return {
    name: patch.name ?? current.name,
    email: patch.email ?? current.email,
    role: patch.role === undefined ? current.role : patch.role,
    phone: patch.phone === undefined ? current.phone : patch.phone,
    isPrimary: patch.isPrimary ?? current.isPrimary,
  };
}

function diff(before: ContactFields, after: ContactFields): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof ContactFields)[]) {
    if (before[key] !== after[key]) changes[key] = { from: before[key], to: after[key] };
  }
  return changes;
}

export const listContactsHandler: RouteHandler<typeof listContactsRoute, AppEnv> = async (c) => {
  const { supplierId } = c.req.valid('param');
  const { limit, cursor, primary } = c.req.valid('query');
  const tenantId = c.get('principal').tenantId;
  await requireSupplier(c.get('db'), tenantId, supplierId);
  const rows = await listContacts(c.get('db'), {
    tenantId,
    supplierId,
    limit,
    ...(cursor ? { afterId: decodeCursor(cursor, cursorSchema)[0] } : {}),
    ...(primary !== undefined ? { isPrimary: primary } : {}),
  });
  return c.json(toPage(rows, limit, presentContact, (row) => [row.id]), 200);
};

export const createContactHandler: RouteHandler<typeof createContactRoute, AppEnv> = async (c) => {
  const { supplierId } = c.req.valid('param');
  const body = c.req.valid('json');
  const { principal, now } = c.var;
  const tenantId = principal.tenantId;
  const row = await c.get('db').transaction(async (tx) => {
    // The supplier's row lock serialises every change to its primary contact.
    const supplier = await requireSupplier(tx, tenantId, supplierId, { forUpdate: true });
    if (supplier.archivedAt) throw problems.conflict('The supplier is archived. Restore it before adding contacts.', 'supplier_archived');
    const isPrimary = body.isPrimary ?? !(await supplierHasContacts(tx, tenantId, supplierId));
    const demoted = isPrimary ? await clearPrimaryContact(tx, tenantId, supplierId, now) : [];
    const fields: ContactFields = { name: body.name, email: body.email, role: body.role ?? null, phone: body.phone ?? null, isPrimary };
    const created = await insertContact(tx, { tenantId, supplierId, id: newId('contact', now), fields, now });
    await recordAudit(tx, auditContextOf(c), [
      ...demotions(demoted),
      {
        action: 'contact.created',
        entityType: 'contact',
        entityId: created.id,
        changes: { supplierId, ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null)) },
      },
    ]);
    return created;
  });
  c.header('Location', `/v1/suppliers/${supplierId}/contacts/${row.id}`);
  return c.json(respondWithContact(c, row), 201);
};

export const getContactHandler: RouteHandler<typeof getContactRoute, AppEnv> = async (c) => {
  const { supplierId, contactId } = c.req.valid('param');
  const row = await requireContact(c.get('db'), { tenantId: c.get('principal').tenantId, supplierId, contactId });
  return c.json(respondWithContact(c, row), 200);
};

export const updateContactHandler: RouteHandler<typeof updateContactRoute, AppEnv> = async (c) => {
  const { supplierId, contactId } = c.req.valid('param');
  const patch = c.req.valid('json');
  const { principal, now } = c.var;
  const tenantId = principal.tenantId;
  const row = await c.get('db').transaction(async (tx) => {
    await requireSupplier(tx, tenantId, supplierId, { forUpdate: true });
    const current = await requireContact(tx, { tenantId, supplierId, contactId }, { forUpdate: true });
    assertIfMatch(c, current.version);
    const before = contactFieldsOf(current);
    const next = applyPatch(before, patch);
    const changes = diff(before, next);
    if (Object.keys(changes).length === 0) return current;
    const demoted = next.isPrimary && !current.isPrimary ? await clearPrimaryContact(tx, tenantId, supplierId, now, contactId) : [];
    const updated = await updateContact(tx, current, next, now);
    await recordAudit(tx, auditContextOf(c), [
      ...demotions(demoted),
      { action: 'contact.updated', entityType: 'contact', entityId: contactId, changes },
    ]);
    return updated;
  });
  return c.json(respondWithContact(c, row), 200);
};

export const deleteContactHandler: RouteHandler<typeof deleteContactRoute, AppEnv> = async (c) => {
  const { supplierId, contactId } = c.req.valid('param');
  const tenantId = c.get('principal').tenantId;
  await c.get('db').transaction(async (tx) => {
    await requireSupplier(tx, tenantId, supplierId, { forUpdate: true });
    const current = await requireContact(tx, { tenantId, supplierId, contactId }, { forUpdate: true });
    assertIfMatch(c, current.version);
    await deleteContact(tx, current);
    await recordAudit(tx, auditContextOf(c), {
      action: 'contact.deleted',
      entityType: 'contact',
      entityId: contactId,
      // What was deleted, so the audit log still shows it.
      changes: Object.fromEntries(Object.entries({ supplierId, ...contactFieldsOf(current) }).map(([key, value]) => [key, { from: value, to: null }])),
    });
  });
  return c.body(null, 204);
};
