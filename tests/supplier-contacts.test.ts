import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';
import { createSupplier } from './support/fixtures';

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
});
afterAll(() => t.close());

interface Contact {
  id: string;
  supplierId: string;
  name: string;
  email: string;
  role: string | null;
  phone: string | null;
  isPrimary: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  changes: Record<string, unknown>;
}

const contactsPath = (supplierId: string) => `/v1/suppliers/${supplierId}/contacts`;
const post = (supplierId: string, json: unknown, options: { key?: string; headers?: Record<string, string> } = {}) =>
  t.request(contactsPath(supplierId), { method: 'POST', key: options.key ?? tenant.adminKey, json, ...(options.headers ? { headers: options.headers } : {}) });
const create = async (supplierId: string, json: Record<string, unknown>, key = tenant.adminKey) => {
  const response = await post(supplierId, { name: 'Contact', email: 'contact@example.com', ...json }, { key });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Contact;
};
const list = async (supplierId: string, query = '', key = tenant.adminKey) => {
  const response = await t.request(`${contactsPath(supplierId)}${query}`, { key });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as { data: Contact[]; nextCursor: string | null };
};
const primaries = async (supplierId: string) => (await list(supplierId, '?primary=true')).data.map((contact) => contact.id);
const auditOf = async (entityId: string) =>
  ((await (await t.request(`/v1/audit-log?entityId=${entityId}`, { key: tenant.adminKey })).json()) as { data: AuditEntry[] }).data;
const newSupplier = async (body: Record<string, unknown> = {}) => (await createSupplier(t, tenant, body)).id;

describe('creating contacts', () => {
  it('creates a contact with the wire shape, ETag and Location, lower-casing the e-mail', async () => {
    const supplierId = await newSupplier();
    const response = await post(supplierId, {
      name: '  Katrin Vogel ',
      email: 'K.Vogel@RheinAutomation.Example',
      role: 'Information Security Officer',
      phone: '+49 211 555 0100',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('etag')).toBe('"1"');
    const contact = (await response.json()) as Contact;
    expect(response.headers.get('location')).toBe(`/v1/suppliers/${supplierId}/contacts/${contact.id}`);
    expect(contact.id).toMatch(/^con_[0-9A-Z]{26}$/);
    expect(contact).toEqual({
      id: contact.id,
      supplierId,
      name: 'Katrin Vogel',
      email: 'k.vogel@rheinautomation.example',
      role: 'Information Security Officer',
      phone: '+49 211 555 0100',
      isPrimary: true,
      version: 1,
      createdAt: contact.createdAt,
      updatedAt: contact.createdAt,
    });
    const read = await t.request(`${contactsPath(supplierId)}/${contact.id}`, { key: tenant.adminKey });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(await read.json()).toEqual(contact);

    const [entry] = await auditOf(contact.id);
    expect(entry).toMatchObject({
      action: 'contact.created',
      entityType: 'contact',
      changes: { supplierId, name: 'Katrin Vogel', email: 'k.vogel@rheinautomation.example', isPrimary: true },
    });
  });

  it('makes only the first contact primary by default, unless told otherwise', async () => {
    const supplierId = await newSupplier();
    const first = await create(supplierId, { name: 'First' });
    const second = await create(supplierId, { name: 'Second' });
    expect([first.isPrimary, second.isPrimary]).toEqual([true, false]);

    const other = await newSupplier();
    const notPrimary = await create(other, { name: 'Explicitly not primary', isPrimary: false });
    expect(notPrimary.isPrimary).toBe(false);
    expect(await primaries(other)).toEqual([]);
  });

  it('refuses invalid fields with one problem+json error per field path', async () => {
    const supplierId = await newSupplier();
    const cases: { json: Record<string, unknown>; paths: string[] }[] = [
      { json: { email: 'a@example.com' }, paths: ['name'] },
      { json: { name: 'x', email: 'not-an-email' }, paths: ['email'] },
      { json: { name: 'x' }, paths: ['email'] },
      { json: { name: 'x', email: 'a@example.com', phone: '0049-211-555' }, paths: ['phone'] },
      { json: { name: 'x', email: 'a@example.com', phone: '+49 211 555 0100 0100 0100 0100 0100' }, paths: ['phone'] },
      { json: { name: 'x', email: 'a@example.com', phone: 'call me' }, paths: ['phone'] },
      { json: { name: 'x', email: 'a@example.com', role: 'r'.repeat(101) }, paths: ['role'] },
      { json: { name: 'n'.repeat(201), email: 'a@example.com' }, paths: ['name'] },
      { json: { name: ' ', email: 'a@example.com' }, paths: ['name'] },
      { json: { name: 'x', email: 'a@example.com', isPrimary: 'yes' }, paths: ['isPrimary'] },
      { json: { name: 'x', email: 'a@example.com', supplierId: 'sup_x' }, paths: [''] },
      { json: { name: 'n'.repeat(201), email: 'nope', phone: 'x' }, paths: ['name', 'email', 'phone'] },
    ];
    for (const { json, paths } of cases) {
      const response = await post(supplierId, json);
      expect(response.status, JSON.stringify(json)).toBe(422);
      const problem = await problemOf(response);
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors!.map((error) => error.path).sort(), JSON.stringify(json)).toEqual(paths.sort());
      expect(problem.errors!.every((error) => error.location === 'body' && error.message.length > 0)).toBe(true);
    }
    expect((await list(supplierId)).data).toHaveLength(0);
  });

  it('answers 404 for unknown suppliers and malformed ids, and 409 for archived suppliers', async () => {
    const unknown = await post('sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A', { name: 'x', email: 'x@example.com' });
    expect(unknown.status).toBe(404);
    expect((await problemOf(unknown)).detail).toBe('Supplier not found.');
    const malformed = await post('not-a-supplier', { name: 'x', email: 'x@example.com' });
    expect(malformed.status).toBe(422);
    expect((await problemOf(malformed)).errors![0]).toMatchObject({ location: 'path', path: 'supplierId' });

    const supplierId = await newSupplier();
    const existing = await create(supplierId, { name: 'Before archiving' });
    expect((await t.request(`/v1/suppliers/${supplierId}`, { method: 'DELETE', key: tenant.adminKey })).status).toBe(200);
    const refused = await post(supplierId, { name: 'After archiving', email: 'late@example.com' });
    expect(refused.status).toBe(409);
    expect((await problemOf(refused)).code).toBe('supplier_archived');
    // Reading still works.
    expect((await list(supplierId)).data.map((contact) => contact.id)).toEqual([existing.id]);
    expect((await t.request(`${contactsPath(supplierId)}/${existing.id}`, { key: tenant.adminKey })).status).toBe(200);
  });
});

describe('the primary contact', () => {
  it('moves to a new contact created with isPrimary true, and audits both changes', async () => {
    const supplierId = await newSupplier();
    const first = await create(supplierId, { name: 'First' });
    const second = await create(supplierId, { name: 'Second', isPrimary: true });
    expect(second.isPrimary).toBe(true);
    expect(await primaries(supplierId)).toEqual([second.id]);
    const demoted = (await (await t.request(`${contactsPath(supplierId)}/${first.id}`, { key: tenant.adminKey })).json()) as Contact;
    expect(demoted).toMatchObject({ isPrimary: false, version: 2 });
    expect((await auditOf(first.id))[0]).toMatchObject({ action: 'contact.updated', changes: { isPrimary: { from: true, to: false } } });
  });

  it('moves with PATCH isPrimary true; PATCH isPrimary false and deleting the primary leave none', async () => {
    const supplierId = await newSupplier();
    const a = await create(supplierId, { name: 'A' });
    const b = await create(supplierId, { name: 'B' });
    const promoted = await t.request(`${contactsPath(supplierId)}/${b.id}`, { method: 'PATCH', key: tenant.adminKey, json: { isPrimary: true } });
    expect(promoted.status).toBe(200);
    expect(((await promoted.json()) as Contact).isPrimary).toBe(true);
    expect(await primaries(supplierId)).toEqual([b.id]);
    expect((await list(supplierId, '?primary=false')).data.map((contact) => contact.id)).toEqual([a.id]);

    // Promoting the primary again changes nothing.
    const again = await t.request(`${contactsPath(supplierId)}/${b.id}`, { method: 'PATCH', key: tenant.adminKey, json: { isPrimary: true } });
    expect(((await again.json()) as Contact).version).toBe(2);

    const unset = await t.request(`${contactsPath(supplierId)}/${b.id}`, { method: 'PATCH', key: tenant.adminKey, json: { isPrimary: false } });
    expect(((await unset.json()) as Contact).isPrimary).toBe(false);
    expect(await primaries(supplierId)).toEqual([]);

    await t.request(`${contactsPath(supplierId)}/${a.id}`, { method: 'PATCH', key: tenant.adminKey, json: { isPrimary: true } });
    expect(await primaries(supplierId)).toEqual([a.id]);
    const deleted = await t.request(`${contactsPath(supplierId)}/${a.id}`, { method: 'DELETE', key: tenant.adminKey });
    expect(deleted.status).toBe(204);
    // Documented: no other contact is promoted, and the next new contact is not primary by default.
    expect(await primaries(supplierId)).toEqual([]);
    const c = await create(supplierId, { name: 'C' });
    expect(c.isPrimary).toBe(false);
  });

  it('leaves exactly one primary after parallel creates that all ask for it', async () => {
    const supplierId = await newSupplier();
    await create(supplierId, { name: 'Existing primary' });
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, index) => post(supplierId, { name: `Racer ${index}`, email: `racer${index}@example.com`, isPrimary: true })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(201));
    const all = (await list(supplierId)).data;
    expect(all).toHaveLength(9);
    expect(all.filter((contact) => contact.isPrimary)).toHaveLength(1);
    const rows = await queryRows<{ count: number | string }>(
      t.db,
      sql`select count(*) as count from supplier_contacts where tenant_id = ${tenant.id} and supplier_id = ${supplierId} and is_primary`,
    );
    expect(Number(rows[0]!.count)).toBe(1);
  });

  it('leaves exactly one primary after parallel first contacts and parallel promotions', async () => {
    const supplierId = await newSupplier();
    const firsts = await Promise.all(Array.from({ length: 5 }, (_, index) => post(supplierId, { name: `First ${index}`, email: `f${index}@example.com` })));
    expect(firsts.map((response) => response.status)).toEqual(Array(5).fill(201));
    expect(await primaries(supplierId)).toHaveLength(1);
    const ids = (await list(supplierId)).data.map((contact) => contact.id);
    const promotions = await Promise.all(
      ids.map((id) => t.request(`${contactsPath(supplierId)}/${id}`, { method: 'PATCH', key: tenant.adminKey, json: { isPrimary: true } })),
    );
    expect(promotions.map((response) => response.status)).toEqual(Array(5).fill(200));
    expect(await primaries(supplierId)).toHaveLength(1);
  });

  it('writes nothing when the new contact cannot be stored: the old primary keeps its flag', async () => {
    const supplierId = await newSupplier();
    const primary = await create(supplierId, { name: 'Primary' });
    const before = await auditOf(primary.id);
    // Postgres refuses NUL in text; the failure comes after the old primary was un-flagged.
    const response = await post(supplierId, { name: 'Bad\u0000Name', email: 'bad@example.com', isPrimary: true });
    expect(response.status).toBe(422);
    expect((await problemOf(response)).code).toBe('invalid_text');
    expect(await primaries(supplierId)).toEqual([primary.id]);
    expect((await list(supplierId)).data).toHaveLength(1);
    const reread = (await (await t.request(`${contactsPath(supplierId)}/${primary.id}`, { key: tenant.adminKey })).json()) as Contact;
    expect(reread.version).toBe(1);
    expect(await auditOf(primary.id)).toEqual(before);
  });
});

describe('changing and deleting contacts', () => {
  it('merges a PATCH, honours If-Match, bumps the version and audits the difference', async () => {
    const supplierId = await newSupplier();
    const contact = await create(supplierId, { name: 'Patch Me', role: 'Sales', phone: '+49 30 1234' });
    const path = `${contactsPath(supplierId)}/${contact.id}`;
    const stale = await t.request(path, { method: 'PATCH', key: tenant.adminKey, headers: { 'if-match': '"7"' }, json: { role: 'CISO' } });
    expect(stale.status).toBe(412);
    expect((await problemOf(stale)).code).toBe('precondition_failed');

    const patched = await t.request(path, {
      method: 'PATCH',
      key: tenant.adminKey,
      headers: { 'if-match': '"1"' },
      json: { role: 'CISO', email: 'New.Address@Example.com', phone: null },
    });
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    expect(await patched.json()).toMatchObject({ name: 'Patch Me', role: 'CISO', email: 'new.address@example.com', phone: null, version: 2 });
    const [entry] = await auditOf(contact.id);
    expect(entry).toMatchObject({ action: 'contact.updated', entityType: 'contact' });
    expect(entry!.changes).toEqual({
      email: { from: 'contact@example.com', to: 'new.address@example.com' },
      role: { from: 'Sales', to: 'CISO' },
      phone: { from: '+49 30 1234', to: null },
    });

    const same = await t.request(path, { method: 'PATCH', key: tenant.adminKey, json: { role: 'CISO' } });
    expect(((await same.json()) as Contact).version).toBe(2);
    expect(await auditOf(contact.id)).toHaveLength(2);

    const invalid = await t.request(path, { method: 'PATCH', key: tenant.adminKey, json: { email: 'nope', name: null } });
    expect(invalid.status).toBe(422);
    expect((await problemOf(invalid)).errors!.map((error) => error.path).sort()).toEqual(['email', 'name']);
  });

  it('deletes with If-Match, audits what was deleted, and answers 404 afterwards', async () => {
    const supplierId = await newSupplier();
    const contact = await create(supplierId, { name: 'Short Lived', role: 'Temp' });
    const path = `${contactsPath(supplierId)}/${contact.id}`;
    expect((await t.request(path, { method: 'DELETE', key: tenant.adminKey, headers: { 'if-match': '"2"' } })).status).toBe(412);
    const deleted = await t.request(path, { method: 'DELETE', key: tenant.adminKey, headers: { 'if-match': '"1"' } });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect((await t.request(path, { key: tenant.adminKey })).status).toBe(404);
    expect((await t.request(path, { method: 'DELETE', key: tenant.adminKey })).status).toBe(404);
    const [entry] = await auditOf(contact.id);
    expect(entry).toMatchObject({
      action: 'contact.deleted',
      entityType: 'contact',
      changes: { supplierId: { from: supplierId, to: null }, name: { from: 'Short Lived', to: null }, isPrimary: { from: true, to: null } },
    });
  });
});

describe('listing contacts', () => {
  it('pages oldest first with a cursor and refuses a foreign cursor', async () => {
    const supplierId = await newSupplier();
    const made: string[] = [];
    for (let index = 0; index < 5; index += 1) made.push((await create(supplierId, { name: `Page ${index}` })).id);
    const first = await list(supplierId, '?limit=2');
    expect(first.data.map((contact) => contact.id)).toEqual(made.slice(0, 2));
    const second = await list(supplierId, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.data.map((contact) => contact.id)).toEqual(made.slice(2, 4));
    const third = await list(supplierId, `?limit=2&cursor=${second.nextCursor}`);
    expect(third.data.map((contact) => contact.id)).toEqual(made.slice(4));
    expect(third.nextCursor).toBeNull();

    for (const query of ['?cursor=garbage', '?limit=0', '?limit=500', '?primary=yes']) {
      const response = await t.request(`${contactsPath(supplierId)}${query}`, { key: tenant.adminKey });
      expect(response.status, query).toBe(422);
      expect((await problemOf(response)).errors![0]!.location).toBe('query');
    }
  });
});

describe('isolation', () => {
  it('answers 404 for a contact under another supplier of the same tenant', async () => {
    const owner = await newSupplier();
    const other = await newSupplier();
    const contact = await create(owner, { name: 'Belongs to owner' });
    const wrongPath = `${contactsPath(other)}/${contact.id}`;
    expect((await t.request(wrongPath, { key: tenant.adminKey })).status).toBe(404);
    expect((await t.request(wrongPath, { method: 'PATCH', key: tenant.adminKey, json: { isPrimary: true } })).status).toBe(404);
    expect((await t.request(wrongPath, { method: 'DELETE', key: tenant.adminKey })).status).toBe(404);
    expect((await list(other)).data).toHaveLength(0);
    expect(await primaries(other)).toEqual([]);
    expect((await t.request(`${contactsPath(owner)}/${contact.id}`, { key: tenant.adminKey })).status).toBe(200);
  });

  it('hides another tenant\'s suppliers and contacts', async () => {
    const foreign = await t.createTenant();
    const foreignSupplier = (await createSupplier(t, foreign)).id;
    const foreignContact = await create(foreignSupplier, { name: 'Foreign' }, foreign.adminKey);
    for (const [method, path] of [
      ['GET', contactsPath(foreignSupplier)],
      ['GET', `${contactsPath(foreignSupplier)}/${foreignContact.id}`],
      ['DELETE', `${contactsPath(foreignSupplier)}/${foreignContact.id}`],
    ] as const) {
      const response = await t.request(path, { method, key: tenant.adminKey });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    expect((await post(foreignSupplier, { name: 'Intruder', email: 'i@example.com' })).status).toBe(404);
    expect((await list(foreignSupplier, '', foreign.adminKey)).data.map((contact) => contact.id)).toEqual([foreignContact.id]);
  });

  it('needs suppliers:read to read and suppliers:write to change', async () => {
    const supplierId = await newSupplier();
    const reader = await t.createKey(tenant, ['suppliers:read']);
    expect((await t.request(contactsPath(supplierId), { key: reader.key })).status).toBe(200);
    const denied = await post(supplierId, { name: 'x', email: 'x@example.com' }, { key: reader.key });
    expect(denied.status).toBe(403);
  });
});
