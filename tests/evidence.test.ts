import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeFileName } from '../src/features/evidence/evidence.ingest';
import { sha256Hex } from '../src/lib/crypto';
import { BLOB_CHUNK_BYTES } from '../src/lib/blobs';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';
import { bytesOf, largePdf, minimalDocx, minimalJpeg, minimalPdf, minimalPng, minimalXlsx, storedZip } from './support/files';
import { createSupplier, sampleTemplate } from './support/fixtures';

const MIB = 1024 * 1024;
// Small enough to test both 413s cheaply, large enough for a file of several chunks.
const MAX_BYTES = 3 * MIB;

let t: TestContext;
let tenant: TestTenant;
let other: TestTenant;
let supplierId: string;

interface Evidence {
  id: string;
  supplierId: string;
  kind: string;
  title: string | null;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  validFrom: string | null;
  validUntil: string | null;
  serviceId: string | null;
  assessmentId: string | null;
  questionKey: string | null;
  uploadedBy: { type: string; id: string };
  contentUrl: string;
  archivedAt: string | null;
  version: number;
}

interface FileSpec {
  bytes: Uint8Array;
  name: string;
  type?: string;
}

async function json<T>(response: Response, status: number): Promise<T> {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

function form(file: FileSpec | undefined, fields: Record<string, string>) {
  const body = new FormData();
  if (file) body.set('file', new Blob([file.bytes as BlobPart], { type: file.type ?? '' }), file.name);
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return body;
}

const upload = (file: FileSpec | undefined, fields: Record<string, string> = {}, key = tenant.adminKey) =>
  t.request('/v1/evidence', { method: 'POST', key, body: form(file, { supplierId, kind: 'other', ...fields }) });

const uploaded = async (file: FileSpec, fields: Record<string, string> = {}, key = tenant.adminKey) => json<Evidence>(await upload(file, fields, key), 201);

async function expectFileRefused(file: FileSpec, detected: RegExp) {
  const response = await upload(file);
  expect(response.status, file.name).toBe(422);
  const problem = await problemOf(response);
  expect(problem.errors?.[0]).toMatchObject({ location: 'body', path: 'file' });
  expect(problem.errors?.[0]?.message).toMatch(detected);
}

beforeAll(async () => {
  t = await createTestContext({ EVIDENCE_MAX_BYTES: String(MAX_BYTES) });
  tenant = await t.createTenant();
  other = await t.createTenant();
  supplierId = (await createSupplier(t, tenant, { name: 'Netzleit Systeme GmbH' })).id;
});
afterAll(() => t.close());

describe('uploading evidence', () => {
  it('accepts each allowed format and stores the type its content shows', async () => {
    const cases: [FileSpec, string][] = [
      [{ bytes: minimalPdf(), name: 'iso27001.pdf', type: 'application/pdf' }, 'application/pdf'],
      [{ bytes: minimalPng(), name: 'scan.png', type: 'image/png' }, 'image/png'],
      [{ bytes: minimalJpeg(), name: 'photo.jpg', type: 'image/jpeg' }, 'image/jpeg'],
      [{ bytes: storedZip({ 'report.txt': 'hello' }), name: 'bundle.zip', type: 'application/zip' }, 'application/zip'],
      [{ bytes: minimalDocx(), name: 'policy.docx' }, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      [{ bytes: minimalXlsx(), name: 'sla.xlsx', type: 'application/octet-stream' }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      [{ bytes: bytesOf('Patch management policy, version 3.\nÄnderungen: keine.\n'), name: 'policy.txt', type: 'text/plain' }, 'text/plain; charset=utf-8'],
      [{ bytes: bytesOf('month,availability\n2026-01,99.95\n'), name: 'sla.csv', type: 'text/csv' }, 'text/csv; charset=utf-8'],
      [{ bytes: bytesOf('{"controls": ["A.5.20"]}'), name: 'controls.json', type: 'application/json' }, 'application/json'],
      [{ bytes: bytesOf(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [] })), name: 'bom.json' }, 'application/vnd.cyclonedx+json'],
      [{ bytes: bytesOf(JSON.stringify({ spdxVersion: 'SPDX-2.3', name: 'plc-firmware' })), name: 'sbom.spdx.json' }, 'application/spdx+json'],
      // No claim at all: the bytes alone decide.
      [{ bytes: minimalPdf(), name: 'certificate' }, 'application/pdf'],
    ];
    for (const [file, contentType] of cases) {
      const response = await upload(file, { kind: 'policy' });
      const created = await json<Evidence>(response, 201);
      expect(created.contentType, file.name).toBe(contentType);
      expect(created.size).toBe(file.bytes.length);
      expect(created.sha256).toBe(await sha256Hex(file.bytes));
      expect(created.fileName).toBe(file.name);
      expect(response.headers.get('location')).toBe(`/v1/evidence/${created.id}`);
      expect(response.headers.get('etag')).toBe('"1"');
    }
  });

  it('refuses content that is not allowed or does not match its name or declared type, saying what it is', async () => {
    await expectFileRefused({ bytes: concatMz(), name: 'report.pdf', type: 'application/pdf' }, /named "report\.pdf".*Windows executable/);
    await expectFileRefused({ bytes: concatMz(), name: 'tool' }, /Windows executable/);
    await expectFileRefused({ bytes: bytesOf('<!DOCTYPE html><html><script>alert(1)</script></html>'), name: 'notes.txt', type: 'text/plain' }, /HTML/);
    await expectFileRefused({ bytes: bytesOf('<html><body>x</body></html>'), name: 'page' }, /HTML/);
    await expectFileRefused({ bytes: minimalPng(), name: 'certificate.pdf' }, /PNG image/);
    await expectFileRefused({ bytes: minimalPdf(), name: 'scan.png', type: 'application/pdf' }, /PDF document/);
    await expectFileRefused({ bytes: storedZip({ 'a.txt': 'x' }), name: 'policy.docx' }, /ZIP archive/);
    await expectFileRefused({ bytes: bytesOf('{"broken": '), name: 'bom.json' }, /not valid JSON/);
    await expectFileRefused({ bytes: new Uint8Array([0x00, 0x01, 0x02, 0xff, 0xfe]), name: 'blob.bin' }, /binary data of an unknown type/);
    await expectFileRefused({ bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00]), name: 'broken.zip' }, /damaged ZIP/);
    await expectFileRefused({ bytes: new Uint8Array(), name: 'empty.txt' }, /empty/);
  });

  it('answers 413 naming the file over EVIDENCE_MAX_BYTES, and 413 for a body far over it', async () => {
    const over = await upload({ bytes: largePdf(MAX_BYTES + 1), name: 'big.pdf' });
    expect(over.status).toBe(413);
    const problem = await problemOf(over);
    expect(problem.code).toBe('file_too_large');
    expect(problem.detail).toContain('3 MiB');
    expect(problem.errors?.[0]).toMatchObject({ location: 'body', path: 'file' });
    const huge = await upload({ bytes: largePdf(MAX_BYTES + 2 * MIB), name: 'huge.pdf' });
    expect(huge.status).toBe(413);
    expect((await problemOf(huge)).code).toBe('payload_too_large');
  });

  it('answers 415 to a body that is not multipart, and 422 naming what is missing or wrong', async () => {
    const asJson = await t.request('/v1/evidence', { method: 'POST', key: tenant.adminKey, json: { supplierId, kind: 'policy' } });
    expect(asJson.status).toBe(415);
    expect((await problemOf(asJson)).code).toBe('unsupported_media_type');

    const garbled = await t.request('/v1/evidence', {
      method: 'POST',
      key: tenant.adminKey,
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: 'this is not multipart',
    });
    expect(garbled.status).toBe(400);
    expect((await problemOf(garbled)).detail).toBe('The request body is not valid multipart/form-data.');

    const noFile = await upload(undefined, { kind: 'policy' });
    expect(noFile.status).toBe(422);
    expect((await problemOf(noFile)).errors?.map((error) => error.path)).toEqual(['file']);

    const textNotFile = await t.request('/v1/evidence', { method: 'POST', key: tenant.adminKey, body: form(undefined, { supplierId, kind: 'policy', file: 'not a file' }) });
    expect((await problemOf(textNotFile)).errors?.map((error) => error.path)).toEqual(['file']);

    const badFields = await upload({ bytes: minimalPdf(), name: 'a.pdf' }, { kind: 'poem', validUntil: '31.12.2026', colour: 'blue' });
    expect(badFields.status).toBe(422);
    expect((await problemOf(badFields)).errors?.map((error) => error.path).sort()).toEqual(['', 'kind', 'validUntil']);

    const order = await upload({ bytes: minimalPdf(), name: 'a.pdf' }, { validFrom: '2026-06-01', validUntil: '2026-05-31', periodStart: '2026-02-01', periodEnd: '2026-01-01' });
    expect((await problemOf(order)).errors?.map((error) => error.path)).toEqual(['validUntil', 'periodEnd']);
  });

  it('reads multipart as clients write it: preamble, quoted boundary, RFC 5987 file names, parts without a type', async () => {
    const boundary = 'chainproof-test-boundary-0123456789';
    const encoder = new TextEncoder();
    const pdf = largePdf(2 * MIB + 17);
    const pieces: (string | Uint8Array)[] = [
      'This preamble is ignored.\r\n',
      `--${boundary}\r\nContent-Disposition: form-data; name="supplierId"\r\n\r\n${supplierId}\r\n`,
      `--${boundary}\r\ncontent-disposition: form-data; name="kind"\r\n\r\nsoc2_report\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nBericht\r\nzweite Zeile\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="report.pdf"; filename*=UTF-8''Pr%C3%BCfbericht%202026.pdf\r\nContent-Type: application/pdf\r\n\r\n`,
      pdf,
      `\r\n--${boundary}--\r\nThis epilogue is ignored too.`,
    ];
    const parts = pieces.map((piece) => (typeof piece === 'string' ? encoder.encode(piece) : piece));
    const body = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
    parts.reduce((offset, part) => (body.set(part, offset), offset + part.byteLength), 0);
    const created = await json<Evidence>(
      await t.request('/v1/evidence', {
        method: 'POST',
        key: tenant.adminKey,
        headers: { 'content-type': `multipart/form-data; boundary="${boundary}"` },
        body,
      }),
      201,
    );
    expect(created).toMatchObject({ kind: 'soc2_report', title: 'Bericht\r\nzweite Zeile', fileName: 'Prüfbericht 2026.pdf', contentType: 'application/pdf', size: pdf.byteLength });
    expect(created.sha256).toBe(await sha256Hex(pdf));
    const content = new Uint8Array(await (await t.request(created.contentUrl, { key: tenant.adminKey })).arrayBuffer());
    expect(await sha256Hex(content)).toBe(created.sha256);

    // A file part without Content-Type is text/plain: fine for text, a mismatch for a PDF.
    const untyped = (name: string, bytes: Uint8Array) =>
      t.request('/v1/evidence', {
        method: 'POST',
        key: tenant.adminKey,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: new Uint8Array([
          ...encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="supplierId"\r\n\r\n${supplierId}\r\n`),
          ...encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n`),
          ...encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n\r\n`),
          ...bytes,
          ...encoder.encode(`\r\n--${boundary}--\r\n`),
        ]),
      });
    expect((await json<Evidence>(await untyped('notes.txt', encoder.encode('Audit notes')), 201)).contentType).toBe('text/plain; charset=utf-8');
    expect(await problemOf(await untyped('scan.pdf', minimalPdf()))).toMatchObject({ status: 422, errors: [{ path: 'file', message: expect.stringContaining('text/plain') }] });

    const unterminated = await t.request('/v1/evidence', {
      method: 'POST',
      key: tenant.adminKey,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother`,
    });
    expect(unterminated.status).toBe(400);
    expect((await problemOf(unterminated)).detail).toBe('The request body is not valid multipart/form-data.');
  });

  it('checks the supplier and the links (422 naming the field)', async () => {
    const pdf = { bytes: minimalPdf(), name: 'a.pdf' };
    const foreign = (await createSupplier(t, other)).id;
    const unknown = await upload(pdf, { supplierId: foreign });
    expect((await problemOf(unknown)).errors).toEqual([{ location: 'body', path: 'supplierId', message: 'No such supplier.' }]);

    const archived = (await createSupplier(t, tenant)).id;
    expect((await t.request(`/v1/suppliers/${archived}`, { method: 'DELETE', key: tenant.adminKey })).status).toBe(200);
    const toArchived = await upload(pdf, { supplierId: archived });
    expect((await problemOf(toArchived)).errors?.[0]).toMatchObject({ path: 'supplierId', message: expect.stringContaining('archived') });

    const otherSupplier = (await createSupplier(t, tenant)).id;
    const service = await json<{ id: string }>(
      await t.request(`/v1/suppliers/${otherSupplier}/services`, { method: 'POST', key: tenant.adminKey, json: { name: 'SCADA hosting', serviceType: 'S07' } }),
      201,
    );
    const wrongService = await upload(pdf, { serviceId: service.id });
    expect((await problemOf(wrongService)).errors?.[0]?.path).toBe('serviceId');
    const linked = await uploaded(pdf, { supplierId: otherSupplier, serviceId: service.id });
    expect(linked.serviceId).toBe(service.id);

    const assessment = await createAssessment(supplierId);
    const withQuestion = await uploaded(pdf, { assessmentId: assessment, questionKey: 'mfa' });
    expect(withQuestion).toMatchObject({ assessmentId: assessment, questionKey: 'mfa' });
    const badQuestion = await upload(pdf, { assessmentId: assessment, questionKey: 'no-such-question' });
    expect((await problemOf(badQuestion)).errors?.[0]?.path).toBe('questionKey');
    const noAssessment = await upload(pdf, { questionKey: 'mfa' });
    expect((await problemOf(noAssessment)).errors?.[0]?.path).toBe('questionKey');
    const wrongAssessment = await upload(pdf, { supplierId: otherSupplier, assessmentId: assessment });
    expect((await problemOf(wrongAssessment)).errors?.[0]?.path).toBe('assessmentId');
  });

  it('keeps the file name without paths or control characters, and offers it safely on download', async () => {
    const created = await uploaded({ bytes: minimalPdf(), name: 'Zertifikat "ISO 27001" Ü\u202e.pdf' });
    expect(created.fileName).toBe('Zertifikat "ISO 27001" Ü.pdf');
    const response = await t.request(created.contentUrl, { key: tenant.adminKey });
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="Zertifikat _ISO 27001_ _.pdf"; filename*=UTF-8\'\'Zertifikat%20%22ISO%2027001%22%20%C3%9C.pdf',
    );
    await response.arrayBuffer();
  });

  it('replays a retried upload with the same Idempotency-Key instead of storing it twice', async () => {
    const encoded = new Response(form({ bytes: minimalPdf(), name: 'retry.pdf' }, { supplierId, kind: 'policy' }));
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    const headers = { 'idempotency-key': `evidence-${crypto.randomUUID()}`, 'content-type': encoded.headers.get('content-type')! };
    const first = await json<Evidence>(await t.request('/v1/evidence', { method: 'POST', key: tenant.adminKey, headers, body: bytes }), 201);
    const retry = await t.request('/v1/evidence', { method: 'POST', key: tenant.adminKey, headers, body: bytes });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(((await retry.json()) as Evidence).id).toBe(first.id);

    // A client rebuilds the form for each attempt, with a new boundary: still the same request.
    const rebuilt = new Response(form({ bytes: minimalPdf(), name: 'retry.pdf' }, { supplierId, kind: 'policy' }));
    const rebuiltType = rebuilt.headers.get('content-type')!;
    expect(rebuiltType).not.toBe(headers['content-type']);
    const again = await t.request('/v1/evidence', { method: 'POST', key: tenant.adminKey, headers: { ...headers, 'content-type': rebuiltType }, body: await rebuilt.arrayBuffer() });
    expect(again.status).toBe(201);
    expect(((await again.json()) as Evidence).id).toBe(first.id);

    // Other bytes under the same key are a different request.
    const other = new Response(form({ bytes: minimalPng(), name: 'retry.pdf' }, { supplierId, kind: 'policy' }));
    const misuse = await t.request('/v1/evidence', { method: 'POST', key: tenant.adminKey, headers: { ...headers, 'content-type': other.headers.get('content-type')! }, body: await other.arrayBuffer() });
    expect(misuse.status).toBe(422);
    expect((await problemOf(misuse)).code).toBe('idempotency_key_reused');
  });

  it('leaves neither a blob nor a row behind when an upload is refused', async () => {
    const owner = await t.createTenant('Stadtwerke Leerlauf');
    const ownSupplier = (await createSupplier(t, owner, { name: 'Leerlauf Automation GmbH' })).id;
    const counts = async () =>
      (
        await queryRows<{ blobs: number; chunks: number; evidence: number }>(
          t.db,
          sql`select (select count(*)::int from blobs where tenant_id = ${owner.id}) as blobs,
                     (select count(*)::int from blob_chunks where tenant_id = ${owner.id}) as chunks,
                     (select count(*)::int from evidence where tenant_id = ${owner.id}) as evidence`,
        )
      )[0];
    const attempt = (fields: Record<string, string>, file: FileSpec = { bytes: minimalPdf(), name: 'ok.pdf' }) =>
      t.request('/v1/evidence', { method: 'POST', key: owner.adminKey, body: form(file, { supplierId: ownSupplier, kind: 'policy', ...fields }) });

    // Refused after the file itself passed every check: a link that is not the supplier's.
    const badLink = await attempt({ serviceId: 'svc_01JD6SB2C4E6G8J0K2M4P6R8T0' });
    expect(badLink.status).toBe(422);
    // Refused for what the file is, under a traversal name.
    const lying = await attempt({}, { bytes: concatMz(), name: '../../etc/report.pdf' });
    expect(lying.status).toBe(422);
    expect(await counts()).toEqual({ blobs: 0, chunks: 0, evidence: 0 });

    const stored = await json<Evidence>(await attempt({}, { bytes: minimalPdf(), name: '../../etc/report.pdf' }), 201);
    expect(stored.fileName).toBe('report.pdf');
    expect(await counts()).toEqual({ blobs: 1, chunks: 1, evidence: 1 });
  });

  it('records evidence.uploaded in the audit log', async () => {
    const created = await uploaded({ bytes: minimalPdf(), name: 'audited.pdf' }, { kind: 'soc2_report' });
    const rows = await queryRows<{ action: string; changes: Record<string, unknown> }>(
      t.db,
      sql`select action, changes from audit_log where tenant_id = ${tenant.id} and entity_id = ${created.id}`,
    );
    expect(rows).toEqual([{ action: 'evidence.uploaded', changes: expect.objectContaining({ kind: 'soc2_report', sha256: created.sha256, size: created.size }) }]);
  });
});

function concatMz() {
  const bytes = new Uint8Array(256);
  bytes.set([0x4d, 0x5a, 0x90, 0x00, 0x03]);
  return bytes;
}

async function createAssessment(forSupplier: string): Promise<string> {
  const contact = await json<{ id: string }>(
    await t.request(`/v1/suppliers/${forSupplier}/contacts`, { method: 'POST', key: tenant.adminKey, json: { name: 'Security Team', email: 'security@netzleit.example' } }),
    201,
  );
  const template = await json<{ id: string }>(
    await t.request('/v1/questionnaire-templates?publish=true', { method: 'POST', key: tenant.adminKey, json: sampleTemplate(`evd-${crypto.randomUUID().slice(0, 8)}`) }),
    201,
  );
  const assessment = await json<{ id: string }>(
    await t.request('/v1/assessments', {
      method: 'POST',
      key: tenant.adminKey,
      json: { supplierId: forSupplier, templateId: template.id, contactId: contact.id, dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString() },
    }),
    201,
  );
  return assessment.id;
}

describe('file names', () => {
  it('keeps the last path segment, drops control and direction characters, caps the length', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\x\\report.pdf')).toBe('report.pdf');
    expect(sanitizeFileName('invoice\u202egpj.exe')).toBe('invoicegpj.exe');
    expect(sanitizeFileName('a\u0000b\r\nc.txt')).toBe('abc.txt');
    expect(sanitizeFileName('  ..hidden  ')).toBe('hidden');
    expect(sanitizeFileName('../')).toBe('file');
    const long = sanitizeFileName(`${'x'.repeat(500)}.pdf`);
    expect(long).toHaveLength(200);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});

describe('storage', () => {
  it('stores identical content once per tenant, with a record per upload', async () => {
    const bytes = bytesOf(`Penetration test summary ${crypto.randomUUID()}\n`);
    const first = await uploaded({ bytes, name: 'pentest.txt' }, { kind: 'pentest_summary' });
    const second = await uploaded({ bytes, name: 'pentest-again.txt' }, { kind: 'pentest_summary' });
    expect(second.id).not.toBe(first.id);
    expect(second.sha256).toBe(first.sha256);
    const blobs = await queryRows<{ count: number | string }>(t.db, sql`select count(*) as count from blobs where tenant_id = ${tenant.id} and sha256 = ${first.sha256}`);
    expect(Number(blobs[0]!.count)).toBe(1);
    const chunks = await queryRows<{ count: number | string }>(t.db, sql`select count(*) as count from blob_chunks where tenant_id = ${tenant.id} and sha256 = ${first.sha256}`);
    expect(Number(chunks[0]!.count)).toBe(1);

    // Another tenant's copy is its own blob.
    const otherSupplier = (await createSupplier(t, other)).id;
    await json<Evidence>(await t.request('/v1/evidence', { method: 'POST', key: other.adminKey, body: form({ bytes, name: 'p.txt' }, { supplierId: otherSupplier, kind: 'other' }) }), 201);
    const perTenant = await queryRows<{ count: number | string }>(t.db, sql`select count(*) as count from blobs where sha256 = ${first.sha256}`);
    expect(Number(perTenant[0]!.count)).toBe(2);
  });

  it('streams a file of several chunks back byte for byte, with download headers', async () => {
    const bytes = largePdf(Math.round(2.5 * BLOB_CHUNK_BYTES));
    const created = await uploaded({ bytes, name: 'soc2-type2-2026.pdf', type: 'application/pdf' }, { kind: 'soc2_report' });
    const chunks = await queryRows<{ seq: number; size: number }>(
      t.db,
      sql`select seq, length(data) as size from blob_chunks where tenant_id = ${tenant.id} and sha256 = ${created.sha256} order by seq`,
    );
    expect(chunks.map((chunk) => [Number(chunk.seq), Number(chunk.size)])).toEqual([
      [0, BLOB_CHUNK_BYTES],
      [1, BLOB_CHUNK_BYTES],
      [2, bytes.length - 2 * BLOB_CHUNK_BYTES],
    ]);

    const response = await t.request(created.contentUrl, { key: tenant.adminKey });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-length')).toBe(String(bytes.length));
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="soc2-type2-2026.pdf"; filename*=UTF-8\'\'soc2-type2-2026.pdf');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('etag')).toBe(`"${created.sha256}"`);
    const received = new Uint8Array(await response.arrayBuffer());
    expect(received.length).toBe(bytes.length);
    expect(Buffer.compare(Buffer.from(received), Buffer.from(bytes))).toBe(0);

    const notModified = await t.request(created.contentUrl, { key: tenant.adminKey, headers: { 'if-none-match': `"${created.sha256}"` } });
    expect(notModified.status).toBe(304);
  });

  it('serves text with its canonical type', async () => {
    const created = await uploaded({ bytes: bytesOf('a,b\n1,2\n'), name: 'data.csv' });
    const response = await t.request(created.contentUrl, { key: tenant.adminKey });
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await response.text()).toBe('a,b\n1,2\n');
  });
});

describe('reading and changing evidence', () => {
  it('filters by expiry, soonest first, across pages', async () => {
    const supplier = (await createSupplier(t, tenant)).id;
    const pdf = { bytes: minimalPdf(), name: 'cert.pdf' };
    const later = await uploaded(pdf, { supplierId: supplier, kind: 'iso27001_certificate', validUntil: '2026-03-01' });
    const soon = await uploaded(pdf, { supplierId: supplier, kind: 'iso27001_certificate', validUntil: '2026-01-10' });
    const expired = await uploaded(pdf, { supplierId: supplier, kind: 'insurance', validUntil: '2025-12-31' });
    await uploaded(pdf, { supplierId: supplier, kind: 'iso27001_certificate', validUntil: '2027-01-01' });
    await uploaded(pdf, { supplierId: supplier, kind: 'policy' });

    const list = async (query: string) => json<{ data: Evidence[]; nextCursor: string | null }>(await t.request(`/v1/evidence?supplierId=${supplier}&${query}`, { key: tenant.adminKey }), 200);
    const expiring = await list('expiringBefore=2026-03-02');
    expect(expiring.data.map((item) => item.id)).toEqual([expired.id, soon.id, later.id]);

    const first = await list('expiringBefore=2026-03-02&limit=2');
    expect(first.data.map((item) => item.id)).toEqual([expired.id, soon.id]);
    const second = await list(`expiringBefore=2026-03-02&limit=2&cursor=${first.nextCursor}`);
    expect(second.data.map((item) => item.id)).toEqual([later.id]);
    expect(second.nextCursor).toBeNull();

    const certificates = await list('kind=iso27001_certificate');
    expect(certificates.data).toHaveLength(3);
    const all = await list('limit=4');
    expect(all.data).toHaveLength(4);
    const rest = await list(`limit=4&cursor=${all.nextCursor}`);
    expect(rest.data).toHaveLength(1);
    expect(new Set([...all.data, ...rest.data].map((item) => item.id)).size).toBe(5);

    const mixed = await t.request(`/v1/evidence?expiringBefore=2026-03-02&cursor=${all.nextCursor}`, { key: tenant.adminKey });
    expect(mixed.status).toBe(422);
  });

  it('filters by assessment', async () => {
    const assessment = await createAssessment(supplierId);
    const linked = await uploaded({ bytes: minimalPdf(), name: 'mfa.pdf' }, { assessmentId: assessment, questionKey: 'mfa' });
    const page = await json<{ data: Evidence[] }>(await t.request(`/v1/evidence?assessmentId=${assessment}`, { key: tenant.adminKey }), 200);
    expect(page.data.map((item) => item.id)).toEqual([linked.id]);
  });

  it('keeps tenants apart', async () => {
    const created = await uploaded({ bytes: minimalPdf(), name: 'private.pdf' });
    for (const path of [`/v1/evidence/${created.id}`, `/v1/evidence/${created.id}/content`]) {
      const response = await t.request(path, { key: other.adminKey });
      expect(response.status, path).toBe(404);
      expect((await problemOf(response)).code).toBe('not_found');
    }
    const patch = await t.request(`/v1/evidence/${created.id}`, { method: 'PATCH', key: other.adminKey, json: { title: 'x' } });
    expect(patch.status).toBe(404);
    const page = await json<{ data: Evidence[] }>(await t.request('/v1/evidence?limit=200', { key: other.adminKey }), 200);
    expect(page.data.some((item) => item.id === created.id)).toBe(false);
  });

  it('updates metadata with If-Match, keeping dates in order', async () => {
    const created = await uploaded({ bytes: minimalPdf(), name: 'cert.pdf' }, { kind: 'other', validFrom: '2026-01-01', validUntil: '2026-12-31' });
    const path = `/v1/evidence/${created.id}`;
    const stale = await t.request(path, { method: 'PATCH', key: tenant.adminKey, headers: { 'if-match': '"7"' }, json: { title: 'Renewed' } });
    expect(stale.status).toBe(412);

    const response = await t.request(path, {
      method: 'PATCH',
      key: tenant.adminKey,
      headers: { 'if-match': '"1"' },
      json: { title: 'ISO 27001 certificate', kind: 'iso27001_certificate', validUntil: '2027-12-31' },
    });
    const updated = await json<Evidence>(response, 200);
    expect(updated).toMatchObject({ title: 'ISO 27001 certificate', kind: 'iso27001_certificate', validUntil: '2027-12-31', version: 2 });
    expect(response.headers.get('etag')).toBe('"2"');

    const backwards = await t.request(path, { method: 'PATCH', key: tenant.adminKey, json: { validFrom: '2028-01-01' } });
    expect((await problemOf(backwards)).errors?.[0]?.path).toBe('validFrom');
    const cleared = await json<Evidence>(await t.request(path, { method: 'PATCH', key: tenant.adminKey, json: { title: null, validFrom: null } }), 200);
    expect(cleared).toMatchObject({ title: null, validFrom: null, version: 3 });

    const fetched = await t.request(path, { key: tenant.adminKey });
    expect(fetched.headers.get('etag')).toBe('"3"');
    const actions = await queryRows<{ action: string }>(t.db, sql`select action from audit_log where tenant_id = ${tenant.id} and entity_id = ${created.id} order by seq`);
    expect(actions.map((row) => row.action)).toEqual(['evidence.uploaded', 'evidence.updated', 'evidence.updated']);
  });

  it('archives: still readable, out of lists, no more changes', async () => {
    const supplier = (await createSupplier(t, tenant)).id;
    const created = await uploaded({ bytes: minimalPdf(), name: 'old.pdf' }, { supplierId: supplier });
    const path = `/v1/evidence/${created.id}`;
    expect((await t.request(path, { method: 'DELETE', key: tenant.adminKey, headers: { 'if-match': '"9"' } })).status).toBe(412);
    expect((await t.request(path, { method: 'DELETE', key: tenant.adminKey })).status).toBe(204);
    expect((await t.request(path, { method: 'DELETE', key: tenant.adminKey })).status).toBe(204);

    const archived = await json<Evidence>(await t.request(path, { key: tenant.adminKey }), 200);
    expect(archived.archivedAt).not.toBeNull();
    expect((await t.request(`${path}/content`, { key: tenant.adminKey })).status).toBe(200);
    const live = await json<{ data: Evidence[] }>(await t.request(`/v1/evidence?supplierId=${supplier}`, { key: tenant.adminKey }), 200);
    expect(live.data).toEqual([]);
    const withArchived = await json<{ data: Evidence[] }>(await t.request(`/v1/evidence?supplierId=${supplier}&includeArchived=true`, { key: tenant.adminKey }), 200);
    expect(withArchived.data.map((item) => item.id)).toEqual([created.id]);

    const patch = await t.request(path, { method: 'PATCH', key: tenant.adminKey, json: { title: 'x' } });
    expect(patch.status).toBe(409);
    expect((await problemOf(patch)).code).toBe('evidence_archived');
    const actions = await queryRows<{ action: string }>(t.db, sql`select action from audit_log where tenant_id = ${tenant.id} and entity_id = ${created.id} order by seq`);
    expect(actions.map((row) => row.action)).toEqual(['evidence.uploaded', 'evidence.archived']);
  });

  it('needs evidence:read to read and evidence:write to upload', async () => {
    const reader = await t.createKey(tenant, ['evidence:read'], 'reader');
    const refused = await upload({ bytes: minimalPdf(), name: 'a.pdf' }, {}, reader.key);
    expect(refused.status).toBe(403);
    expect((await t.request('/v1/evidence', { key: reader.key })).status).toBe(200);
    const writer = await t.createKey(tenant, ['evidence:write', 'evidence:read'], 'writer');
    const created = await uploaded({ bytes: minimalPdf(), name: 'a.pdf' }, {}, writer.key);
    expect(created.uploadedBy).toEqual({ type: 'api_key', id: writer.id });
  });
});

describe('evidence on answers', () => {
  it('accepts only live evidence of the assessment\'s supplier', async () => {
    const assessment = await createAssessment(supplierId);
    const send = await t.request(`/v1/assessments/${assessment}/send`, { method: 'POST', key: tenant.adminKey });
    expect(send.status).toBe(200);
    const own = await uploaded({ bytes: minimalPdf(), name: 'mfa-policy.pdf' });
    const otherSupplier = (await createSupplier(t, tenant)).id;
    const foreign = await uploaded({ bytes: minimalPdf(), name: 'x.pdf' }, { supplierId: otherSupplier });
    const archived = await uploaded({ bytes: minimalPdf(), name: 'gone.pdf' });
    expect((await t.request(`/v1/evidence/${archived.id}`, { method: 'DELETE', key: tenant.adminKey })).status).toBe(204);
    const otherTenantsSupplier = (await createSupplier(t, other)).id;
    const otherTenants = await json<Evidence>(
      await t.request('/v1/evidence', { method: 'POST', key: other.adminKey, body: form({ bytes: minimalPdf(), name: 'o.pdf' }, { supplierId: otherTenantsSupplier, kind: 'other' }) }),
      201,
    );
    const unknown = 'evd_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';

    const save = (answers: unknown[]) => t.request(`/v1/assessments/${assessment}/answers`, { method: 'PUT', key: tenant.adminKey, json: { answers } });
    const refused = await save([
      { questionKey: 'mfa', value: 'yes', evidenceIds: [own.id, unknown, foreign.id] },
      { questionKey: 'notify-hours', value: 24, evidenceIds: [archived.id, otherTenants.id] },
    ]);
    expect(refused.status).toBe(422);
    const problem = await problemOf(refused);
    expect(problem.errors?.map((error) => error.path)).toEqual(['answers.0.evidenceIds', 'answers.1.evidenceIds']);
    expect(problem.errors?.[0]?.message).toContain(unknown);
    expect(problem.errors?.[0]?.message).toContain(foreign.id);
    expect(problem.errors?.[0]?.message).not.toContain(own.id);

    const saved = await save([{ questionKey: 'mfa', value: 'yes', evidenceIds: [own.id] }]);
    expect(saved.status).toBe(200);
    const body = (await saved.json()) as { answers: { evidenceIds: string[] }[] };
    expect(body.answers[0]!.evidenceIds).toEqual([own.id]);

    // Archiving a file already on the answer does not block later saves of that answer.
    expect((await t.request(`/v1/evidence/${own.id}`, { method: 'DELETE', key: tenant.adminKey })).status).toBe(204);
    const more = await uploaded({ bytes: minimalPdf(), name: 'mfa-evidence-2.pdf' });
    const again = await save([{ questionKey: 'mfa', value: 'yes', evidenceIds: [own.id, more.id] }]);
    expect(again.status).toBe(200);
    const elsewhere = await save([{ questionKey: 'notify-hours', value: 24, evidenceIds: [own.id] }]);
    expect((await problemOf(elsewhere)).errors?.map((error) => error.path)).toEqual(['answers.0.evidenceIds']);
  });
});
