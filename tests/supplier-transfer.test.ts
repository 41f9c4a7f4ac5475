import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { newId } from '../src/lib/ids';
import { createLogger } from '../src/lib/logger';
import { ictServices, supplierContacts } from '../src/db/schema';
import { createTestContext, problemOf, type TestContext, type TestTenant } from './support/context';
import { createSupplier } from './support/fixtures';

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
});
afterAll(() => t.close());

interface RowResult {
  row: number;
  status: 'created' | 'updated' | 'unchanged' | 'error';
  supplierId?: string;
  externalRef?: string;
  errors?: { field: string; message: string }[];
}

interface ImportResult {
  importId: string | null;
  dryRun: boolean;
  atomic: boolean;
  committed: boolean;
  summary: { rows: number; created: number; updated: number; unchanged: number; failed: number };
  results: RowResult[];
}

interface Supplier {
  id: string;
  name: string;
  legalName: string | null;
  country: string;
  status: string;
  externalRef: string | null;
  identifiers: { lei: string | null; euid: string | null; vat: string | null; duns: string | null };
  profile: { supportsCriticalFunction: boolean; accessLevel: string | null; annualSpend: { amount: number; currency: string } | null; outsideEea: boolean };
  tags: string[];
  owner: string | null;
  version: number;
}

const LEI = '5493001KJTIIGC8Y1R12';
const ref = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`;

const importJson = (rows: unknown[], query = '', key = tenant.adminKey) =>
  t.request(`/v1/suppliers/import${query}`, { method: 'POST', key, json: { rows } });
const importCsv = (csv: string, query = '', key = tenant.adminKey, contentType = 'text/csv') =>
  t.request(`/v1/suppliers/import${query}`, { method: 'POST', key, body: csv, headers: { 'content-type': contentType } });

async function ok(response: Response): Promise<ImportResult> {
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as ImportResult;
}

async function byRef(externalRef: string, key = tenant.adminKey): Promise<Supplier | undefined> {
  const response = await t.request(`/v1/suppliers/by-external-ref/${encodeURIComponent(externalRef)}`, { key });
  if (response.status === 404) return undefined;
  expect(response.status).toBe(200);
  return (await response.json()) as Supplier;
}

async function auditEntries(query: string, key = tenant.adminKey) {
  const response = await t.request(`/v1/audit-log?limit=200&${query}`, { key });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { action: string; entityId: string; entityType: string; changes: Record<string, unknown> }[] }).data;
}

async function exportCsv(query = '', key = tenant.adminKey) {
  const response = await t.request(`/v1/suppliers/export${query}`, { key });
  expect(response.status, response.status === 200 ? '' : await response.clone().text()).toBe(200);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  const records = parse(text, { bom: true }) as string[][];
  const [header, ...rows] = records;
  const objects = rows.map((cells) => Object.fromEntries(header!.map((name, index) => [name, cells[index]!])));
  return { response, bytes, text, header: header!, rows: objects };
}

describe('importing JSON', () => {
  it('creates, updates and leaves unchanged by externalRef, and reports each row by number', async () => {
    const [same, changed] = [ref('SAME'), ref('CHG')];
    const existingSame = await createSupplier(t, tenant, { name: 'Same GmbH', externalRef: same, owner: 'a@example.com' });
    const existingChanged = await createSupplier(t, tenant, { name: 'Changed GmbH', externalRef: changed, owner: 'a@example.com' });
    const fresh = ref('NEW');
    const result = await ok(
      await importJson([
        { name: 'Same GmbH', country: 'DE', externalRef: same, owner: 'a@example.com' },
        { name: 'Fresh Oy', country: 'FI', externalRef: fresh, identifiers: { lei: LEI }, tags: ['Cloud', 'cloud'] },
        { externalRef: changed, owner: 'b@example.com' },
        { name: 'Bad LEI', country: 'DE', identifiers: { lei: '5493001KJTIIGC8Y1R13' } },
        { name: 'Bad country', country: 'XX' },
        { name: 'Unknown field', country: 'DE', colour: 'blue' },
        { country: 'DE' },
        'not an object',
      ]),
    );
    expect(result).toMatchObject({ dryRun: false, atomic: false, committed: true });
    expect(result.importId).toMatch(/^imp_/);
    expect(result.summary).toEqual({ rows: 8, created: 1, updated: 1, unchanged: 1, failed: 5 });
    expect(result.results.map((row) => [row.row, row.status])).toEqual([
      [1, 'unchanged'],
      [2, 'created'],
      [3, 'updated'],
      [4, 'error'],
      [5, 'error'],
      [6, 'error'],
      [7, 'error'],
      [8, 'error'],
    ]);
    expect(result.results[0]).toMatchObject({ supplierId: existingSame.id, externalRef: same });
    expect(result.results[2]).toMatchObject({ supplierId: existingChanged.id, externalRef: changed });
    expect(result.results[3]!.errors).toEqual([{ field: 'identifiers.lei', message: expect.stringContaining('LEI') }]);
    expect(result.results[4]!.errors!.map((error) => error.field)).toEqual(['country']);
    expect(result.results[5]!.errors).toEqual([{ field: 'colour', message: 'Unknown field "colour".' }]);
    expect(result.results[6]!.errors).toEqual([{ field: 'name', message: 'Required to create a supplier.' }]);
    expect(result.results[7]!.errors![0]!.field).toBe('');
    expect(result.results[3]).not.toHaveProperty('supplierId');

    const created = (await byRef(fresh))!;
    expect(created).toMatchObject({ id: result.results[1]!.supplierId, name: 'Fresh Oy', country: 'FI', tags: ['cloud'], version: 1 });
    expect(created.identifiers.lei).toBe(LEI);
    expect(await byRef(changed)).toMatchObject({ name: 'Changed GmbH', owner: 'b@example.com', version: 2 });
    expect(await byRef(same)).toMatchObject({ version: 1 });

    // One audit entry per written row, and the import's summary.
    const createdAudit = await auditEntries(`entityId=${created.id}`);
    expect(createdAudit.map((entry) => entry.action)).toEqual(['supplier.created']);
    expect(createdAudit[0]!.changes).toMatchObject({ name: 'Fresh Oy', country: 'FI', externalRef: fresh });
    const updatedAudit = await auditEntries(`entityId=${existingChanged.id}&action=supplier.updated`);
    expect(updatedAudit).toHaveLength(1);
    expect(updatedAudit[0]!.changes).toEqual({ owner: { from: 'a@example.com', to: 'b@example.com' } });
    expect(await auditEntries(`entityId=${existingSame.id}&action=supplier.updated`)).toEqual([]);
    const summary = await auditEntries(`entityId=${result.importId}`);
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({
      action: 'supplier.imported',
      entityType: 'supplier_import',
      changes: { format: 'json', atomic: false, rows: 8, created: 1, updated: 1, unchanged: 1, failed: 5 },
    });
    const verify = (await (await t.request('/v1/audit-log/verify', { key: tenant.adminKey })).json()) as { valid: boolean };
    expect(verify.valid).toBe(true);
  });

  it('flags an externalRef repeated in the file on the later rows only', async () => {
    const dup = ref('DUP');
    const result = await ok(
      await importJson([
        { name: 'First', country: 'DE', externalRef: dup },
        { name: 'Other', country: 'DE', externalRef: ref('OTHER') },
        { name: 'Second', country: 'DE', externalRef: dup },
        { name: 'Third', country: 'DE', externalRef: ` ${dup} ` },
      ]),
    );
    expect(result.results.map((row) => row.status)).toEqual(['created', 'created', 'error', 'error']);
    expect(result.results[2]!.errors).toEqual([{ field: 'externalRef', message: 'Duplicate of row 1: an externalRef may appear only once per import.' }]);
    expect((await byRef(dup))!.name).toBe('First');
  });

  it('answers 422 for a body without rows, 415 for other media types, 400 for broken JSON', async () => {
    const bare = await t.request('/v1/suppliers/import', { method: 'POST', key: tenant.adminKey, json: [{ name: 'x', country: 'DE' }] });
    expect(bare.status).toBe(422);
    expect((await problemOf(bare)).errors![0]!.message).toContain('{ "rows"');
    const noRows = await t.request('/v1/suppliers/import', { method: 'POST', key: tenant.adminKey, json: { suppliers: [] } });
    expect(noRows.status).toBe(422);
    expect((await problemOf(noRows)).errors!.map((error) => error.path)).toEqual(expect.arrayContaining(['rows']));
    const text = await importCsv('name\nx', '', tenant.adminKey, 'text/plain');
    expect(text.status).toBe(415);
    expect((await problemOf(text)).code).toBe('unsupported_media_type');
    const latin1 = await importCsv('name\nx', '', tenant.adminKey, 'text/csv; charset=iso-8859-1');
    expect(latin1.status).toBe(415);
    const broken = await importCsv('{"rows": [', '', tenant.adminKey, 'application/json');
    expect(broken.status).toBe(400);
    const badQuery = await importJson([], '?dryRun=maybe');
    expect(badQuery.status).toBe(422);
    expect((await problemOf(badQuery)).errors![0]!.path).toBe('dryRun');
  });

  it('replays a retry with the same Idempotency-Key instead of importing twice', async () => {
    const once = ref('IDEM');
    const send = () =>
      t.request('/v1/suppliers/import', {
        method: 'POST',
        key: tenant.adminKey,
        headers: { 'idempotency-key': `import-${once}`, 'content-type': 'text/csv' },
        body: `name,country,externalRef\r\nIdem GmbH,DE,${once}\r\n`,
      });
    const first = await ok(await send());
    const retry = await send();
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await ok(retry)).toEqual(first);
    expect(first.results[0]!.status).toBe('created');
    expect((await auditEntries(`entityId=${first.results[0]!.supplierId}`)).map((entry) => entry.action)).toEqual(['supplier.created']);
  });

  it('is tenant-isolated: the same externalRef in another tenant is another supplier', async () => {
    const other = await t.createTenant();
    const shared = ref('SHARED');
    const mine = await createSupplier(t, tenant, { name: 'Mine', externalRef: shared });
    const result = await ok(await importJson([{ name: 'Theirs', country: 'AT', externalRef: shared }], '', other.adminKey));
    expect(result.results[0]!.status).toBe('created');
    expect(result.results[0]!.supplierId).not.toBe(mine.id);
    expect(await byRef(shared)).toMatchObject({ id: mine.id, name: 'Mine', version: 1 });
    expect(await byRef(shared, other.adminKey)).toMatchObject({ name: 'Theirs', country: 'AT' });
    const exported = await exportCsv('', other.adminKey);
    expect(exported.rows.map((row) => row.name)).toEqual(['Theirs']);
    expect(await auditEntries(`entityId=${mine.id}`, other.adminKey)).toEqual([]);
  });

  it('registers existing relationships as active only with a documented statusJustification, audited per supplier', async () => {
    const legacy = ref('LEGACY');
    const prospect = ref('PROSPECT');
    const rows = [
      { name: 'Legacy Integrator', country: 'DE', externalRef: legacy, status: 'active' },
      { name: 'New Prospect', country: 'DE', externalRef: prospect },
    ];
    const refused = await ok(await importJson(rows));
    expect(refused.results.map((result) => result.status)).toEqual(['error', 'created']);
    expect(refused.results[0]!.errors![0]).toMatchObject({ field: 'status' });
    expect(refused.results[0]!.errors![0]!.message).toContain('statusJustification');
    expect(await byRef(legacy)).toBeUndefined();

    const justification = 'Vendors approved in SAP before Chainproof went live.';
    const registered = await ok(await importJson(rows, `?statusJustification=${encodeURIComponent(justification)}`));
    expect(registered.results.map((result) => result.status)).toEqual(['created', 'unchanged']);
    const supplier = (await byRef(legacy))!;
    expect(supplier.status).toBe('active');
    const [created] = (await auditEntries(`entityId=${supplier.id}`)) as { action: string; changes: Record<string, unknown> }[];
    expect(created).toMatchObject({ action: 'supplier.created', changes: { status: 'active', statusOverride: justification } });
    // Moving an existing prospect to active by import needs it too.
    const promoted = await ok(await importJson([{ externalRef: prospect, status: 'active' }]));
    expect(promoted.results[0]).toMatchObject({ status: 'error', errors: [{ field: 'status' }] });
  });
});

describe('importing CSV', () => {
  it('reads quoted fields, commas, quotes, line breaks, a BOM and CRLF, and maps every column', async () => {
    const [a, b] = [ref('CSV-A'), ref('CSV-B')];
    const csv =
      '\uFEFFName,legalName,Country,externalRef,lei,vat,duns,tags,accessLevel,supportsCriticalFunction,annualSpendAmount,annualSpendCurrency,outsideEea,owner\r\n' +
      `"Rhein ""Automation"", GmbH","Rhein Automation\r\nGesellschaft mbH",DE,${a},${LEI},de 123.456.789,15-048-3782,ot; plant-duisburg ;,ot_network,yes,250000.50,EUR,,"o@example.com"\r\n` +
      '\r\n' +
      `Plain AB,,SE,${b},,,,,,,,,true,\r\n`;
    const result = await ok(await importCsv(csv));
    expect(result.summary).toEqual({ rows: 2, created: 2, updated: 0, unchanged: 0, failed: 0 });
    // The empty line keeps its number.
    expect(result.results.map((row) => row.row)).toEqual([1, 3]);
    const first = (await byRef(a))!;
    expect(first).toMatchObject({
      name: 'Rhein "Automation", GmbH',
      legalName: 'Rhein Automation\r\nGesellschaft mbH',
      country: 'DE',
      identifiers: { lei: LEI, vat: 'DE123456789', duns: '150483782', euid: null },
      tags: ['ot', 'plant-duisburg'],
      owner: 'o@example.com',
      profile: { accessLevel: 'ot_network', supportsCriticalFunction: true, annualSpend: { amount: 250000.5, currency: 'EUR' }, outsideEea: false },
    });
    expect((await byRef(b))!.profile.outsideEea).toBe(true);
    const summary = await auditEntries(`entityId=${result.importId}`);
    expect(summary[0]!.changes).toMatchObject({ format: 'csv', rows: 2, created: 2 });
  });

  it('reports bad cells by column name, and empty cells never clear a value', async () => {
    const existing = ref('CSV-KEEP');
    await createSupplier(t, tenant, { name: 'Keep GmbH', externalRef: existing, owner: 'keep@example.com', legalName: 'Keep Legal' });
    const csv = [
      'name,country,externalRef,lei,euid,supportsCriticalFunction,annualSpendAmount,annualSpendCurrency,owner,legalName,status',
      `,,${existing},,,,,,new@example.com,,`,
      `Bad,DE,${ref('E1')},NOTALEI,,maybe,"250,000",EUR,,,`,
      `Bad country,Germany,${ref('E2')},,,,,,,,`,
      `Bad status,DE,${ref('E3')},,XX123,,100,,,,gone`,
      `Short row,DE`,
      `,,${ref('E4')},,,,,,someone@example.com,,`,
    ].join('\n');
    const result = await ok(await importCsv(csv));
    expect(result.results.map((row) => row.status)).toEqual(['updated', 'error', 'error', 'error', 'error', 'error']);
    expect(await byRef(existing)).toMatchObject({ name: 'Keep GmbH', owner: 'new@example.com', legalName: 'Keep Legal' });
    const fields = (row: number) => result.results[row - 1]!.errors!.map((error) => error.field).sort();
    expect(fields(2)).toEqual(['annualSpendAmount', 'lei', 'supportsCriticalFunction']);
    expect([...new Set(fields(3))]).toEqual(['country']);
    expect(fields(4)).toEqual(['annualSpendCurrency', 'euid', 'status']);
    expect(result.results[4]!.errors).toEqual([{ field: '', message: 'The row has 2 cells; the header has 11.' }]);
    expect(result.results[5]!.errors).toEqual([
      { field: 'name', message: 'Required to create a supplier (no supplier has this externalRef).' },
      { field: 'country', message: 'Required to create a supplier (no supplier has this externalRef).' },
    ]);
  });

  it('refuses unknown or repeated columns, broken quoting, non-UTF-8 and an empty file as a whole', async () => {
    const unknown = await importCsv('name,country,vendorNo\nA,DE,1\n');
    expect(unknown.status).toBe(422);
    const problem = await problemOf(unknown);
    expect(problem.errors).toEqual([{ location: 'body', path: 'vendorNo', message: expect.stringContaining('Unknown column "vendorNo"') }]);
    const semicolons = await problemOf(await importCsv('name;country\nA;DE\n'));
    expect(semicolons.errors![0]!.message).toContain('";"');
    const repeated = await problemOf(await importCsv('name,country,Name\nA,DE,B\n'));
    expect(repeated.errors![0]!.message).toContain('more than once');
    const quoting = await importCsv('name,country\n"Unclosed,DE\n');
    expect(quoting.status).toBe(422);
    expect((await problemOf(quoting)).code).toBe('invalid_csv');
    const latin1 = await t.request('/v1/suppliers/import', {
      method: 'POST',
      key: tenant.adminKey,
      body: new Uint8Array([...new TextEncoder().encode('name,country\nM'), 0xfc, ...new TextEncoder().encode('ller,DE\n')]),
      headers: { 'content-type': 'text/csv' },
    });
    expect(latin1.status).toBe(422);
    expect((await problemOf(latin1)).code).toBe('invalid_encoding');
    const empty = await importCsv('');
    expect(empty.status).toBe(422);
    expect((await problemOf(empty)).code).toBe('invalid_csv');
  });
});

describe('dry runs and atomic imports', () => {
  it('dryRun checks against the register and writes nothing', async () => {
    const existing = ref('DRY-OLD');
    const created = await createSupplier(t, tenant, { name: 'Dry Old', externalRef: existing });
    const fresh = ref('DRY-NEW');
    const auditBefore = await auditEntries('action=supplier.imported');
    const result = await ok(
      await importJson(
        [
          { name: 'Dry New', country: 'DE', externalRef: fresh },
          { externalRef: existing, owner: 'dry@example.com' },
          { name: 'Dry Bad', country: 'ZZ' },
        ],
        '?dryRun=true',
      ),
    );
    expect(result).toMatchObject({ dryRun: true, committed: false, importId: null, summary: { rows: 3, created: 1, updated: 1, failed: 1 } });
    expect(result.results[0]).not.toHaveProperty('supplierId');
    expect(result.results[1]!.supplierId).toBe(created.id);
    expect(await byRef(fresh)).toBeUndefined();
    expect(await byRef(existing)).toMatchObject({ owner: null, version: 1 });
    expect(await auditEntries('action=supplier.imported')).toHaveLength(auditBefore.length);
  });

  it('atomic: one bad row writes nothing and answers 422 with every row\'s result', async () => {
    const [good, bad] = [ref('ATOM-OK'), ref('ATOM-BAD')];
    const existing = ref('ATOM-OLD');
    await createSupplier(t, tenant, { name: 'Atom Old', externalRef: existing });
    const response = await importJson(
      [
        { name: 'Atom Good', country: 'DE', externalRef: good },
        { externalRef: existing, owner: 'atom@example.com' },
        { name: 'Atom Bad', country: 'DE', externalRef: bad, identifiers: { vat: 'DE12' } },
      ],
      '?atomic=true',
    );
    expect(response.status).toBe(422);
    const problem = (await problemOf(response)) as Awaited<ReturnType<typeof problemOf>> & ImportResult;
    expect(problem).toMatchObject({ code: 'import_failed', status: 422, atomic: true, committed: false, importId: null });
    expect(problem.detail).toContain('row 3');
    expect(problem.summary).toEqual({ rows: 3, created: 1, updated: 1, unchanged: 0, failed: 1 });
    expect(problem.results.map((row) => row.status)).toEqual(['created', 'updated', 'error']);
    expect(problem.results[0]).not.toHaveProperty('supplierId');
    expect(problem.results[2]!.errors).toEqual([{ field: 'identifiers.vat', message: expect.stringContaining('VAT') }]);
    expect(await byRef(good)).toBeUndefined();
    expect(await byRef(existing)).toMatchObject({ owner: null, version: 1 });

    const allGood = await ok(await importJson([{ name: 'Atom Good', country: 'DE', externalRef: good }], '?atomic=true'));
    expect(allGood).toMatchObject({ atomic: true, committed: true, summary: { created: 1 } });
    expect(await byRef(good)).toMatchObject({ id: allGood.results[0]!.supplierId });
  });

  it('keeps the good rows of a chunk the database refuses, and reports the bad one (atomic: rolls all back)', async () => {
    // NUL passes validation but Postgres text cannot hold it: the chunk fails and is retried row by row.
    const refs = [ref('DB-1'), ref('DB-2'), ref('DB-3')];
    const rows = [
      { name: 'Good one', country: 'DE', externalRef: refs[0] },
      { name: 'Bad\u0000name', country: 'DE', externalRef: refs[1] },
      { name: 'Good two', country: 'DE', externalRef: refs[2] },
    ];
    const atomic = await importJson(rows, '?atomic=true');
    expect(atomic.status).toBe(422);
    const atomicProblem = (await atomic.json()) as ImportResult;
    expect(atomicProblem.results.map((row) => row.status)).toEqual(['created', 'error', 'created']);
    expect(atomicProblem.results.some((row) => row.supplierId)).toBe(false);
    for (const externalRef of refs) expect(await byRef(externalRef)).toBeUndefined();

    const result = await ok(await importJson(rows));
    expect(result.results.map((row) => row.status)).toEqual(['created', 'error', 'created']);
    expect(result.results[1]!.errors).toEqual([{ field: '', message: expect.stringContaining('NUL') }]);
    expect(result.summary).toMatchObject({ created: 2, failed: 1 });
    expect((await byRef(refs[0]!))!.id).toBe(result.results[0]!.supplierId);
    expect(await byRef(refs[1]!)).toBeUndefined();
    expect((await byRef(refs[2]!))!.id).toBe(result.results[2]!.supplierId);
    const audit = await auditEntries(`entityId=${result.importId}`);
    expect(audit[0]!.changes).toMatchObject({ created: 2, failed: 1 });
  });
});

describe('scores and tiers of imported suppliers', () => {
  it('match suppliers created and patched through the API, field for field', async () => {
    const profiles: Record<string, unknown>[] = [
      { country: 'DE' },
      { country: 'US', profile: { dataSensitivity: 'special_category', accessLevel: 'privileged', supportsCriticalFunction: true, substitutability: 'not_substitutable' } },
      { country: 'CH', profile: { outsideEea: false, accessLevel: 'ot_network' } },
      { country: 'FR', tierOverride: { tier: 'critical', reason: 'Board decision' }, profile: { dataSensitivity: 'none' } },
      { country: 'NO', profile: { annualSpend: { amount: 1000.5, currency: 'NOK' }, substitutability: 'easy', dataSensitivity: 'personal' } },
    ];
    const patches: Record<string, unknown>[] = [
      { country: 'US', profile: { accessLevel: 'remote' } },
      { profile: { supportsCriticalFunction: false, dataSensitivity: null } },
      { country: 'DE' },
      { tierOverride: null },
      { profile: { annualSpend: null, outsideEea: true } },
    ];
    const derivedOf = (supplier: Record<string, unknown>) => {
      const { profile, inherentScore, computedTier, tier, tierOverride, hasCriticalService, country, version } = supplier;
      return { profile, inherentScore, computedTier, tier, tierOverride, hasCriticalService, country, version };
    };
    const refs = profiles.map(() => ref('SCORE'));
    const viaApi = await Promise.all(profiles.map((body) => createSupplier(t, tenant, { ...body, name: 'Score API' })));
    const imported = await ok(await importJson(profiles.map((body, index) => ({ ...body, name: 'Score import', externalRef: refs[index] }))));
    expect(imported.summary.created).toBe(profiles.length);
    for (const [index, apiSupplier] of viaApi.entries()) {
      expect(derivedOf((await byRef(refs[index]!)) as never), JSON.stringify(profiles[index])).toEqual(derivedOf(apiSupplier));
    }
    // A supplier with a critical service keeps that in its score when the import updates it.
    await t.db.execute(sql`update suppliers set has_critical_service = true where id in (${viaApi[0]!.id}, ${imported.results[0]!.supplierId})`);
    const patched = [];
    for (const [index, patch] of patches.entries()) {
      const response = await t.request(`/v1/suppliers/${viaApi[index]!.id}`, { method: 'PATCH', key: tenant.adminKey, json: patch });
      expect(response.status).toBe(200);
      patched.push((await response.json()) as Record<string, unknown>);
    }
    const updated = await ok(await importJson(patches.map((patch, index) => ({ ...patch, externalRef: refs[index] }))));
    expect(updated.summary.updated).toBe(patches.length);
    for (const [index, apiSupplier] of patched.entries()) {
      expect(derivedOf((await byRef(refs[index]!)) as never), JSON.stringify(patches[index])).toEqual(derivedOf(apiSupplier));
    }
  });
});

describe('import limits', () => {
  it('refuses more than 5,000 rows (JSON and CSV) with 413 too_many_rows', async () => {
    const rows = Array.from({ length: 5_001 }, (_, index) => ({ name: `S${index}`, country: 'DE' }));
    const json = await importJson(rows);
    expect(json.status).toBe(413);
    const problem = await problemOf(json);
    expect(problem.code).toBe('too_many_rows');
    expect(problem.detail).toContain('5,001');
    const csv = await importCsv(`name,country\n${rows.map((row) => `${row.name},DE`).join('\n')}\n`);
    expect(csv.status).toBe(413);
    expect((await problemOf(csv)).code).toBe('too_many_rows');
    expect(await byRef('S0')).toBeUndefined();
  });

  it('accepts bodies above the 1 MiB default up to 10 MiB, on this route only', async () => {
    const filler = 'x'.repeat(290);
    const rows = Array.from({ length: 4_000 }, (_, index) => ({ name: `Large ${index}`, country: 'DE', legalName: filler }));
    const large = await t.request('/v1/suppliers/import?dryRun=true', { method: 'POST', key: tenant.adminKey, json: { rows } });
    expect(JSON.stringify({ rows }).length).toBeGreaterThan(1024 * 1024);
    expect((await ok(large)).summary.created).toBe(4_000);
    const tooLarge = await importCsv(`name,country\n${'y'.repeat(10 * 1024 * 1024)},DE\n`);
    expect(tooLarge.status).toBe(413);
    expect((await problemOf(tooLarge)).code).toBe('payload_too_large');
    const elsewhere = await t.request('/v1/suppliers', { method: 'POST', key: tenant.adminKey, json: { name: 'x', country: 'DE', legalName: 'z'.repeat(1.5 * 1024 * 1024) } });
    expect(elsewhere.status).toBe(413);
  });
});

describe('exporting the directory', () => {
  let exportTenant: TestTenant;
  let rhein: { id: string };

  beforeAll(async () => {
    exportTenant = await t.createTenant();
    rhein = await createSupplier(t, exportTenant, {
      name: 'Rhein "Automation", GmbH',
      legalName: 'Rhein Automation\nGesellschaft',
      externalRef: 'SAP-1',
      identifiers: { lei: LEI, vat: 'DE123456789' },
      profile: { accessLevel: 'ot_network', supportsCriticalFunction: true },
      tags: ['ot', 'integrator'],
      owner: 'j.weber@example.com',
      status: 'active',
    });
    await createSupplier(t, exportTenant, { name: '=HYPERLINK("http://evil.example")', country: 'FR', tags: ['cloud'] });
    await createSupplier(t, exportTenant, { name: '@SUM(A1)', country: 'US', status: 'terminated' });
    const archived = await createSupplier(t, exportTenant, { name: 'Archived AG', country: 'CH' });
    expect((await t.request(`/v1/suppliers/${archived.id}`, { method: 'DELETE', key: exportTenant.adminKey })).status).toBe(200);

    const now = new Date();
    const contact = (name: string, email: string, extra: Partial<typeof supplierContacts.$inferInsert> = {}) => ({
      tenantId: exportTenant.id,
      id: newId('contact', now),
      supplierId: rhein.id,
      name,
      email,
      createdAt: now,
      updatedAt: now,
      ...extra,
    });
    await t.db.insert(supplierContacts).values([
      contact('Zoe SOC', 'soc@rhein.example'),
      contact('Anna Schmidt', 'a.schmidt@rhein.example', { isPrimary: true, phone: '+49 211 555 0100' }),
      contact('Bernd, IT', 'it@rhein.example', { phone: '-1' }),
    ]);
    const service = (name: string, serviceType: string, criticalOrImportant: boolean) => ({
      tenantId: exportTenant.id,
      id: newId('service', now),
      supplierId: rhein.id,
      name,
      serviceType,
      criticalOrImportant,
      createdAt: now,
      updatedAt: now,
    });
    await t.db.insert(ictServices).values([service('Remote maintenance', 'S19', true), service('Historian hosting', 'S06', false)]);
  });

  it('streams RFC 4180 CSV with a BOM, CRLF and an attachment name, and parses back to the directory', async () => {
    const { response, bytes, text, header, rows } = await exportCsv('', exportTenant.adminKey);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="suppliers-${new Date().toISOString().slice(0, 10)}.csv"`);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.endsWith('\r\n')).toBe(true);
    // Every line break outside quotes is CRLF: the only bare LF is inside the quoted legal name.
    expect(text.replace(/"[^"]*(?:""[^"]*)*"/g, '').match(/(?<!\r)\n/g)).toBeNull();
    expect(text).toContain('"Rhein ""Automation"", GmbH"');
    expect(header).toEqual([
      'id', 'name', 'legalName', 'country', 'status', 'tier', 'inherentScore', 'lei', 'euid', 'vat', 'duns', 'externalRef', 'owner', 'tags',
      'primaryContactName', 'primaryContactEmail', 'primaryContactPhone', 'contacts', 'ictServices', 'updatedAt',
    ]);
    expect(rows.map((row) => row.name)).toEqual(["'=HYPERLINK(\"http://evil.example\")", "'@SUM(A1)", 'Rhein "Automation", GmbH']);
    const supplier = (await (await t.request(`/v1/suppliers/${rhein.id}`, { key: exportTenant.adminKey })).json()) as Record<string, unknown>;
    expect(rows[2]).toEqual({
      id: rhein.id,
      name: 'Rhein "Automation", GmbH',
      legalName: 'Rhein Automation\nGesellschaft',
      country: 'DE',
      status: 'active',
      tier: supplier.tier,
      inherentScore: String(supplier.inherentScore),
      lei: LEI,
      euid: '',
      vat: 'DE123456789',
      duns: '',
      externalRef: 'SAP-1',
      owner: 'j.weber@example.com',
      tags: 'ot; integrator',
      primaryContactName: 'Anna Schmidt',
      primaryContactEmail: 'a.schmidt@rhein.example',
      primaryContactPhone: "'+49 211 555 0100",
      contacts: 'Anna Schmidt <a.schmidt@rhein.example>; Bernd, IT <it@rhein.example>; Zoe SOC <soc@rhein.example>',
      ictServices: 'Historian hosting [S06]; Remote maintenance [S19] (critical)',
      updatedAt: supplier.updatedAt,
    });
  });

  it('applies the list filters', async () => {
    const names = async (query: string) => (await exportCsv(query, exportTenant.adminKey)).rows.map((row) => row.name);
    expect(await names('?tag=ot')).toEqual(['Rhein "Automation", GmbH']);
    expect(await names('?country=FR')).toEqual(["'=HYPERLINK(\"http://evil.example\")"]);
    expect(await names('?status=terminated')).toEqual(["'@SUM(A1)"]);
    expect(await names('?archived=only')).toEqual(['Archived AG']);
    expect(await names('?q=rhein')).toEqual(['Rhein "Automation", GmbH']);
    expect(await names('?sort=name&order=desc')).toEqual(['Rhein "Automation", GmbH', "'@SUM(A1)", "'=HYPERLINK(\"http://evil.example\")"]);
    expect(await names('?supportsCriticalFunction=true')).toEqual(['Rhein "Automation", GmbH']);
    expect((await exportCsv('?country=JP', exportTenant.adminKey)).rows).toEqual([]);
    const bad = await t.request('/v1/suppliers/export?status=gone', { key: exportTenant.adminKey });
    expect(bad.status).toBe(422);
  });

  it('needs suppliers:read, and import needs suppliers:write', async () => {
    const reader = await t.createKey(exportTenant, ['suppliers:read']);
    expect((await t.request('/v1/suppliers/export', { key: reader.key })).status).toBe(200);
    expect((await importJson([], '', reader.key)).status).toBe(403);
    const other = await t.createKey(exportTenant, ['audit_log:read']);
    expect((await t.request('/v1/suppliers/export', { key: other.key })).status).toBe(403);
  });
});

describe('the database handle of a streamed export', () => {
  it('is released when the stream ends or is cancelled, not when the handler returns', async () => {
    let released = 0;
    const app = buildApp({
      config: t.config,
      database: { open: async () => ({ db: t.db, release: async () => void (released += 1) }), close: async () => {} },
      logger: createLogger('silent'),
      docsAssets: async () => undefined,
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
    const get = (path: string) => Promise.resolve(app.request(path, { headers: { authorization: `Bearer ${tenant.adminKey}` } }));

    const read = await get('/v1/suppliers/export');
    expect(read.status).toBe(200);
    await settle();
    expect(released).toBe(0);
    expect((await read.text()).length).toBeGreaterThan(100);
    await settle();
    expect(released).toBe(1);

    const cancelled = await get('/v1/suppliers/export');
    await settle();
    expect(released).toBe(1);
    await cancelled.body!.cancel();
    await settle();
    expect(released).toBe(2);

    // Error responses and ordinary routes release as before, before the response is returned.
    expect((await get('/v1/suppliers/export?status=gone')).status).toBe(422);
    expect(released).toBe(3);
    expect((await get('/v1/suppliers?limit=1')).status).toBe(200);
    expect(released).toBe(4);
  });
});

describe('a 5,000-row import', () => {
  it('creates every row in one request, then updates and exports them across pages', async () => {
    const bulk = await t.createTenant();
    const rows = Array.from({ length: 5_000 }, (_, index) => ({
      name: `Bulk supplier ${String(index).padStart(4, '0')}`,
      country: index % 7 === 0 ? 'US' : 'DE',
      externalRef: `BULK-${index}`,
      identifiers: { lei: LEI },
      profile: { accessLevel: index % 3 === 0 ? 'remote' : 'none' },
      tags: ['bulk'],
      owner: 'bulk@example.com',
    }));
    const csv =
      'name,country,externalRef,lei,accessLevel,tags,owner\r\n' +
      rows.map((row) => [row.name, row.country, row.externalRef, LEI, row.profile.accessLevel, 'bulk', 'bulk@example.com'].join(',')).join('\r\n');

    let started = performance.now();
    const created = await ok(await importCsv(csv, '', bulk.adminKey));
    const createMs = performance.now() - started;
    expect(created.summary).toEqual({ rows: 5_000, created: 5_000, updated: 0, unchanged: 0, failed: 0 });

    started = performance.now();
    const unchanged = await ok(await importJson(rows, '', bulk.adminKey));
    const unchangedMs = performance.now() - started;
    expect(unchanged.summary.unchanged).toBe(5_000);

    started = performance.now();
    const updated = await ok(await importJson(rows.map((row) => ({ externalRef: row.externalRef, owner: 'new-owner@example.com' })), '', bulk.adminKey));
    const updateMs = performance.now() - started;
    expect(updated.summary.updated).toBe(5_000);

    started = performance.now();
    const exported = await exportCsv('', bulk.adminKey);
    const exportMs = performance.now() - started;
    expect(exported.rows).toHaveLength(5_000);
    expect(new Set(exported.rows.map((row) => row.id)).size).toBe(5_000);
    expect(exported.rows[0]!.name).toBe('Bulk supplier 0000');
    expect(exported.rows.every((row) => row.owner === 'new-owner@example.com')).toBe(true);

    const audit = (await (await t.request('/v1/audit-log/verify', { key: bulk.adminKey })).json()) as { valid: boolean; checked: number };
    expect(audit).toMatchObject({ valid: true });
    expect(audit.checked).toBeGreaterThanOrEqual(10_003);
    console.log(
      `5,000-row import timings: create (CSV) ${Math.round(createMs)} ms, unchanged (JSON) ${Math.round(unchangedMs)} ms, ` +
        `update (JSON) ${Math.round(updateMs)} ms, export ${Math.round(exportMs)} ms`,
    );
  }, 120_000);
});

describe('streamed exports and text filters', () => {
  // The export sends its filters to Postgres after the headers are out, where a refused value (NUL)
  // would break the stream: such filters answer 422 before it starts (found by the fuzz suite).
  it('answers 422 for a NUL in a text filter, on the list and on the exports', async () => {
    for (const path of [
      '/v1/suppliers/export?tag=%00&supportsCriticalFunction=true',
      '/v1/suppliers/export?owner=a%00b',
      '/v1/suppliers?q=ab%00',
      '/v1/findings/export?supplierId=%00',
      '/v1/clause-gaps/export?supplierId=%00',
    ]) {
      const response = await t.request(path, { key: tenant.adminKey });
      expect(response.status, path).toBe(422);
      expect(response.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
    }
    const fine = await t.request('/v1/suppliers/export?tag=ot', { key: tenant.adminKey });
    expect(fine.status).toBe(200);
    await fine.arrayBuffer();
  });
});
