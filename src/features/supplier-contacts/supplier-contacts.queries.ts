import { and, asc, eq, gt, ne, sql } from 'drizzle-orm';
import { supplierContacts } from '../../db/schema';
import type { Db } from '../../db/types';
import { problems } from '../../lib/errors';

export type ContactRow = typeof supplierContacts.$inferSelect;

/** What a caller can set on a contact. */
export interface ContactFields {
  name: string;
  email: string;
  role: string | null;
  phone: string | null;
  isPrimary: boolean;
}

export function contactFieldsOf(row: ContactRow): ContactFields {
  return { name: row.name, email: row.email, role: row.role, phone: row.phone, isPrimary: row.isPrimary };
}

const bySupplier = (tenantId: string, supplierId: string) =>
  and(eq(supplierContacts.tenantId, tenantId), eq(supplierContacts.supplierId, supplierId));

/** The contact, only when it belongs to this supplier of this tenant. */
export async function findContact(
  db: Db,
  query: { tenantId: string; supplierId: string; contactId: string },
  options: { forUpdate?: boolean } = {},
): Promise<ContactRow | undefined> {
  const select = db
    .select()
    .from(supplierContacts)
    .where(and(bySupplier(query.tenantId, query.supplierId), eq(supplierContacts.id, query.contactId)));
  const [row] = options.forUpdate ? await select.for('update') : await select;
  return row;
}

export async function requireContact(
  db: Db,
  query: { tenantId: string; supplierId: string; contactId: string },
  options: { forUpdate?: boolean } = {},
): Promise<ContactRow> {
  const row = await findContact(db, query, options);
  if (!row) throw problems.notFound('Contact');
  return row;
}

export async function supplierHasContacts(db: Db, tenantId: string, supplierId: string): Promise<boolean> {
  const [row] = await db.select({ id: supplierContacts.id }).from(supplierContacts).where(bySupplier(tenantId, supplierId)).limit(1);
  return row !== undefined;
}

/**
 * Takes the primary flag away from the supplier's current primary contact (if any, and if it is
 * not `exceptId`). Returns the contacts changed, for the audit log. Call it before setting a new
 * primary: the partial unique index allows one primary per supplier at any moment.
 */
export function clearPrimaryContact(db: Db, tenantId: string, supplierId: string, now: Date, exceptId?: string): Promise<ContactRow[]> {
  return db
    .update(supplierContacts)
    .set({ isPrimary: false, version: sql`${supplierContacts.version} + 1`, updatedAt: now })
    .where(
      and(
        bySupplier(tenantId, supplierId),
        eq(supplierContacts.isPrimary, true),
        exceptId ? ne(supplierContacts.id, exceptId) : undefined,
      ),
    )
    .returning();
}

export async function insertContact(
  db: Db,
  input: { tenantId: string; supplierId: string; id: string; fields: ContactFields; now: Date },
): Promise<ContactRow> {
  const [row] = await db
    .insert(supplierContacts)
    .values({ ...input.fields, tenantId: input.tenantId, supplierId: input.supplierId, id: input.id, createdAt: input.now, updatedAt: input.now })
    .returning();
  return row!;
}

/** Writes the new fields over a locked row and bumps its version. */
export async function updateContact(db: Db, current: ContactRow, fields: ContactFields, now: Date): Promise<ContactRow> {
  const [row] = await db
    .update(supplierContacts)
    .set({ ...fields, version: current.version + 1, updatedAt: now })
    .where(
      and(
        eq(supplierContacts.tenantId, current.tenantId),
        eq(supplierContacts.id, current.id),
        eq(supplierContacts.version, current.version),
      ),
    )
    .returning();
  if (!row) throw problems.conflict('The contact changed while this request ran. Read it again and retry.', 'concurrent_update');
  return row;
}

export async function deleteContact(db: Db, row: ContactRow): Promise<void> {
  await db.delete(supplierContacts).where(and(eq(supplierContacts.tenantId, row.tenantId), eq(supplierContacts.id, row.id)));
}

/** Oldest first (ids sort by creation time); fetches limit + 1 rows. */
export function listContacts(
  db: Db,
  query: { tenantId: string; supplierId: string; limit: number; afterId?: string; isPrimary?: boolean },
): Promise<ContactRow[]> {
  return db
    .select()
    .from(supplierContacts)
    .where(
      and(
        bySupplier(query.tenantId, query.supplierId),
        query.isPrimary !== undefined ? eq(supplierContacts.isPrimary, query.isPrimary) : undefined,
        query.afterId ? gt(supplierContacts.id, query.afterId) : undefined,
      ),
    )
    .orderBy(asc(supplierContacts.id))
    .limit(query.limit + 1);
}
