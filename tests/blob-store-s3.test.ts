import { AwsClient } from 'aws4fetch';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import type { Config } from '../src/config';
import { objectUrl } from '../src/lib/blobs/s3';
import { sha256Hex } from '../src/lib/crypto';
import { createLogger } from '../src/lib/logger';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';
import { bytesOf, largePdf, minimalPdf } from './support/files';
import { createSupplier, portalTemplate, sentAssessment } from './support/fixtures';
import { sigV4Signature, startTestS3, type TestS3 } from './support/s3-server';

const MIB = 1024 * 1024;

let s3: TestS3;
let t: TestContext;
let tenant: TestTenant;
let supplierId: string;

interface Evidence {
  id: string;
  sha256: string;
  size: number;
  contentType: string;
  contentUrl: string;
}

function form(bytes: Uint8Array, name: string, fields: Record<string, string> = {}) {
  const body = new FormData();
  body.set('file', new Blob([bytes as BlobPart]), name);
  body.set('supplierId', supplierId);
  body.set('kind', 'policy');
  for (const [field, value] of Object.entries(fields)) body.set(field, value);
  return body;
}

const upload = (bytes: Uint8Array, name: string, fields: Record<string, string> = {}, context: { request: TestContext['request'] } = t) =>
  context.request('/v1/evidence', { method: 'POST', key: tenant.adminKey, body: form(bytes, name, fields) });

async function uploaded(bytes: Uint8Array, name: string, fields: Record<string, string> = {}): Promise<Evidence> {
  const response = await upload(bytes, name, fields);
  if (response.status !== 201) throw new Error(`expected 201, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as Evidence;
}

const keyOf = (sha256: string, tenantId = tenant.id) => `${s3.prefix}/${tenantId}/${sha256}`;

async function rowsOf(sha256: string) {
  const [row] = await queryRows<{ blobs: number; store: string | null; chunks: number; evidence: number }>(
    t.db,
    sql`select (select count(*)::int from blobs where tenant_id = ${tenant.id} and sha256 = ${sha256}) as blobs,
               (select store from blobs where tenant_id = ${tenant.id} and sha256 = ${sha256}) as store,
               (select count(*)::int from blob_chunks where tenant_id = ${tenant.id} and sha256 = ${sha256}) as chunks,
               (select count(*)::int from evidence where tenant_id = ${tenant.id} and sha256 = ${sha256}) as evidence`,
  );
  return row!;
}

/** A PDF no other test uploads: its hash is its own. */
const uniquePdf = (label: string) => bytesOf(`%PDF-1.4\n% ${label} ${crypto.randomUUID()}\ntrailer << >>\n%%EOF\n`);

/** The same database served with other settings, as after a change of BLOB_STORE. */
function appWith(config: Config) {
  const app = buildApp({
    config,
    database: { open: async () => ({ db: t.db, release: async () => {} }), close: async () => {} },
    logger: createLogger('silent'),
    docsAssets: async () => undefined,
  });
  return {
    request: (path: string, options: { method?: string; key?: string | null; body?: BodyInit } = {}) =>
      Promise.resolve(
        app.request(path, {
          method: options.method ?? 'GET',
          headers: options.key ? { authorization: `Bearer ${options.key}` } : {},
          ...(options.body ? { body: options.body } : {}),
        }),
      ),
  };
}

beforeAll(async () => {
  s3 = await startTestS3();
  t = await createTestContext({ ...s3.env, EVIDENCE_MAX_BYTES: String(3 * MIB) });
  tenant = await t.createTenant();
  supplierId = (await createSupplier(t, tenant, { name: 'Objektspeicher Nord GmbH' })).id;
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
});
beforeEach(() => {
  s3.fault = undefined;
});

describe('the test S3 server', () => {
  it("computes AWS's published SigV4 example (GET Object with a Range header)", () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
    expect(
      sigV4Signature({
        method: 'GET',
        path: '/test.txt',
        query: '',
        headers: {
          host: 'examplebucket.s3.amazonaws.com',
          range: 'bytes=0-9',
          'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          'x-amz-date': '20130524T000000Z',
        },
        signedHeaders: ['host', 'range', 'x-amz-content-sha256', 'x-amz-date'],
        payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        amzDate: '20130524T000000Z',
        region: 'us-east-1',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      }),
    ).toBe('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
  });

  it('refuses a body that does not match its signed hash or checksum', async () => {
    const client = new AwsClient({ accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, service: 's3', region: s3.env.S3_REGION!, retries: 0 });
    const url = `${s3.env.S3_ENDPOINT}/${s3.bucket}/scratch/integrity`;
    const body = bytesOf('the bytes that were hashed');
    const sha256 = await sha256Hex(body);
    const put = (bytes: Uint8Array, headers: Record<string, string>) => client.fetch(url, { method: 'PUT', body: bytes as BodyInit, headers });
    expect((await put(bytesOf('other bytes'), { 'x-amz-content-sha256': sha256 })).status).toBe(400);
    expect((await put(body, { 'x-amz-checksum-sha256': Buffer.from(sha256, 'hex').reverse().toString('base64') })).status).toBe(400);
    expect((await put(body, { 'x-amz-content-sha256': sha256, 'x-amz-checksum-sha256': Buffer.from(sha256, 'hex').toString('base64') })).status).toBe(200);
    await s3.removeObject('scratch/integrity');
  });
});

describe('object addresses', () => {
  const base = { endpoint: 'https://s3.eu-central-1.amazonaws.com', region: 'eu-central-1', bucket: 'cp-evidence', accessKeyId: 'a', secretAccessKey: 's', prefix: 'evidence' };
  it('puts the bucket in the host name, or in the path when forced', () => {
    expect(objectUrl({ ...base, forcePathStyle: false }, 'evidence/ten_1/ab')).toBe('https://cp-evidence.s3.eu-central-1.amazonaws.com/evidence/ten_1/ab');
    expect(objectUrl({ ...base, forcePathStyle: true }, 'evidence/ten_1/ab')).toBe('https://s3.eu-central-1.amazonaws.com/cp-evidence/evidence/ten_1/ab');
    expect(objectUrl({ ...base, endpoint: 'http://minio.local:9000/s3', forcePathStyle: true }, 'x/y')).toBe('http://minio.local:9000/s3/cp-evidence/x/y');
  });
});

describe('evidence files in S3 (BLOB_STORE=s3)', () => {
  it('stores an upload as one signed, checksummed object and streams the same bytes back', async () => {
    const bytes = largePdf(Math.floor(2.5 * MIB));
    const before = s3.requests.length;
    const created = await uploaded(bytes, 'soc2-report.pdf');
    expect(created.sha256).toBe(await sha256Hex(bytes));
    expect(await rowsOf(created.sha256)).toEqual({ blobs: 1, store: 's3', chunks: 0, evidence: 1 });
    expect(await s3.keys()).toContain(keyOf(created.sha256));
    // The front refuses a bad signature, payload hash or checksum, so this PUT passed all three.
    expect(s3.requests.slice(before)).toEqual([{ method: 'PUT', path: `/${s3.bucket}/${keyOf(created.sha256)}`, status: 200 }]);

    const download = await t.request(created.contentUrl, { key: tenant.adminKey });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-length')).toBe(String(bytes.byteLength));
    expect(download.headers.get('etag')).toBe(`"${created.sha256}"`);
    const body = new Uint8Array(await download.arrayBuffer());
    expect(body.byteLength).toBe(bytes.byteLength);
    expect(await sha256Hex(body)).toBe(created.sha256);
    expect(Buffer.compare(Buffer.from(body), Buffer.from(bytes))).toBe(0);
  });

  it('stores the same file once per tenant: a second upload is a new record and no new object', async () => {
    const bytes = uniquePdf('twice');
    const first = await uploaded(bytes, 'policy.pdf');
    const puts = () => s3.requests.filter((request) => request.method === 'PUT' && request.path.endsWith(first.sha256)).length;
    expect(puts()).toBe(1);
    const second = await uploaded(bytes, 'policy-copy.pdf');
    expect(second.id).not.toBe(first.id);
    expect(puts()).toBe(1);
    expect(await rowsOf(first.sha256)).toMatchObject({ blobs: 1, evidence: 2 });
    expect((await s3.keys()).filter((key) => key.endsWith(first.sha256))).toEqual([keyOf(first.sha256)]);
    // Another tenant's copy is its own object.
    const other = await t.createTenant();
    const otherSupplier = (await createSupplier(t, other, { name: 'Zweitmandant AG' })).id;
    const response = await t.request('/v1/evidence', { method: 'POST', key: other.adminKey, body: (() => {
      const body = form(bytes, 'policy.pdf');
      body.set('supplierId', otherSupplier);
      return body;
    })() });
    expect(response.status).toBe(201);
    expect(await s3.keys()).toContain(keyOf(first.sha256, other.id));
  });

  it('writes nothing for a refused upload', async () => {
    const bytes = uniquePdf('refused');
    const sha256 = await sha256Hex(bytes);
    const before = s3.requests.length;
    expect((await upload(bytes, 'ok.pdf', { serviceId: 'svc_01JD6SB2C4E6G8J0K2M4P6R8T0' })).status).toBe(422);
    expect((await upload(bytes, 'ok.png')).status).toBe(422);
    expect(s3.requests.length).toBe(before);
    expect(await rowsOf(sha256)).toEqual({ blobs: 0, store: null, chunks: 0, evidence: 0 });
  });

  describe('when the transaction fails after the PUT', () => {
    // A trigger that fails the evidence insert, which comes after the blob is stored.
    beforeAll(async () => {
      await t.db.execute(sql`create or replace function test_fail_evidence() returns trigger language plpgsql as $$
        begin
          if new.title = 'fail after put' then raise exception 'refused by the test'; end if;
          return new;
        end $$`);
      await t.db.execute(sql`create trigger test_fail_evidence before insert on evidence for each row execute function test_fail_evidence()`);
    });
    afterAll(async () => {
      await t.db.execute(sql`drop trigger if exists test_fail_evidence on evidence`);
      await t.db.execute(sql`drop function if exists test_fail_evidence()`);
    });

    it('deletes the object it wrote and keeps no row', async () => {
      const bytes = uniquePdf('rolled back');
      const sha256 = await sha256Hex(bytes);
      const before = s3.requests.length;
      const response = await upload(bytes, 'rolled-back.pdf', { title: 'fail after put' });
      expect(response.status).toBe(500);
      expect(s3.requests.slice(before).map((request) => `${request.method} ${request.status}`)).toEqual(['PUT 200', 'DELETE 204']);
      expect(await s3.keys()).not.toContain(keyOf(sha256));
      expect(await rowsOf(sha256)).toEqual({ blobs: 0, store: null, chunks: 0, evidence: 0 });
      // And the file can still be stored afterwards.
      await uploaded(bytes, 'rolled-back.pdf');
      expect(await s3.keys()).toContain(keyOf(sha256));
    });

    it('keeps the object when a failed and a successful upload of the same file race', async () => {
      // On PostgreSQL the two run at once (on PGlite one after the other): whichever inserts the
      // blob row first, the object of the upload that commits must survive the other's clean-up.
      for (let round = 0; round < 3; round += 1) {
        const bytes = uniquePdf(`race ${round}`);
        const sha256 = await sha256Hex(bytes);
        const [failed, stored] = await Promise.all([
          upload(bytes, 'race-failed.pdf', { title: 'fail after put' }),
          upload(bytes, 'race-stored.pdf'),
        ]);
        expect([failed.status, stored.status]).toEqual([500, 201]);
        expect(await rowsOf(sha256)).toEqual({ blobs: 1, store: 's3', chunks: 0, evidence: 1 });
        expect(await s3.keys()).toContain(keyOf(sha256));
        const download = await t.request(((await stored.json()) as Evidence).contentUrl, { key: tenant.adminKey });
        expect(download.status).toBe(200);
        expect(await sha256Hex(new Uint8Array(await download.arrayBuffer()))).toBe(sha256);
      }
    });

    it('keeps the object of a file the tenant already had', async () => {
      const bytes = uniquePdf('kept');
      const kept = await uploaded(bytes, 'kept.pdf');
      const before = s3.requests.length;
      expect((await upload(bytes, 'kept-again.pdf', { title: 'fail after put' })).status).toBe(500);
      expect(s3.requests.length).toBe(before);
      expect(await rowsOf(kept.sha256)).toEqual({ blobs: 1, store: 's3', chunks: 0, evidence: 1 });
      const download = await t.request(kept.contentUrl, { key: tenant.adminKey });
      expect(download.status).toBe(200);
      expect(await sha256Hex(new Uint8Array(await download.arrayBuffer()))).toBe(kept.sha256);
    });
  });

  it('answers 503 when the bucket fails the PUT, and removes what it may have stored', async () => {
    const bytes = uniquePdf('store down');
    const sha256 = await sha256Hex(bytes);
    // The object is stored, then the answer is a 500: a failure whose outcome the app cannot know.
    s3.fault = { method: 'PUT', status: 500, forward: true };
    const logsBefore = t.logs.length;
    const response = await upload(bytes, 'store-down.pdf');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    const problem = await problemOf(response);
    expect(problem.code).toBe('blob_store_unavailable');
    expect(problem.detail).not.toContain(s3.bucket);
    s3.fault = undefined;
    expect(await s3.keys()).not.toContain(keyOf(sha256));
    expect(await rowsOf(sha256)).toEqual({ blobs: 0, store: null, chunks: 0, evidence: 0 });
    const logged = t.logs.slice(logsBefore).join('\n');
    expect(logged).toContain('blob store failed');
    expect(logged).toContain('500 InternalError');
    expect(logged).not.toContain(s3.secretAccessKey);
  });

  it('answers 502 when the bucket refuses the request, for example a wrong secret', async () => {
    const wrong = await createTestContext({ ...s3.env, S3_SECRET_ACCESS_KEY: 'not-the-secret' });
    try {
      const other = await wrong.createTenant();
      const otherSupplier = (await createSupplier(wrong, other, { name: 'Falschschlüssel GmbH' })).id;
      const body = form(uniquePdf('wrong secret'), 'wrong-secret.pdf');
      body.set('supplierId', otherSupplier);
      const before = s3.requests.length;
      const response = await wrong.request('/v1/evidence', { method: 'POST', key: other.adminKey, body });
      expect(response.status).toBe(502);
      expect((await problemOf(response)).code).toBe('blob_store_error');
      // The clean-up is refused as well, and says so in the log.
      expect(s3.requests.slice(before).map((request) => `${request.method} ${request.status}`)).toEqual(['PUT 403', 'DELETE 403']);
      expect(wrong.logs.join('\n')).toContain('could not be removed from S3');
      expect(wrong.logs.join('\n')).toContain('403 SignatureDoesNotMatch');
      expect(wrong.logs.join('\n')).not.toContain('not-the-secret');
      const [counts] = await queryRows<{ blobs: number; evidence: number }>(
        wrong.db,
        sql`select (select count(*)::int from blobs where tenant_id = ${other.id}) as blobs, (select count(*)::int from evidence where tenant_id = ${other.id}) as evidence`,
      );
      expect(counts).toEqual({ blobs: 0, evidence: 0 });
    } finally {
      await wrong.close();
    }
  });

  it('answers a clean 502 problem, not a broken download, when the object has vanished', async () => {
    const created = await uploaded(uniquePdf('vanished'), 'vanished.pdf');
    await s3.removeObject(keyOf(created.sha256));
    const started = Date.now();
    const response = await t.request(created.contentUrl, { key: tenant.adminKey });
    expect(response.status).toBe(502);
    const problem = await problemOf(response);
    expect(problem.code).toBe('blob_missing');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(t.logs.join('\n')).toContain(`GET ${keyOf(created.sha256)}: 404 NoSuchKey`);
    // The record itself is still there.
    expect((await t.request(`/v1/evidence/${created.id}`, { key: tenant.adminKey })).status).toBe(200);
  });

  it('answers 503 with Retry-After when the bucket is down on download', async () => {
    const created = await uploaded(uniquePdf('down on read'), 'down.pdf');
    s3.fault = { method: 'GET', status: 503, forward: false };
    const response = await t.request(created.contentUrl, { key: tenant.adminKey });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect((await problemOf(response)).code).toBe('blob_store_unavailable');
    s3.fault = undefined;
    expect((await t.request(created.contentUrl, { key: tenant.adminKey })).status).toBe(200);
  });
});

describe('switching BLOB_STORE', () => {
  it('keeps files stored in Postgres readable when new ones go to S3, and S3 files readable after switching back', async () => {
    const postgresApp = appWith({ ...t.config, blobs: { ...t.config.blobs, store: 'postgres' } });
    const inPostgres = uniquePdf('stored in postgres');
    const response = await upload(inPostgres, 'in-postgres.pdf', {}, postgresApp);
    expect(response.status).toBe(201);
    const created = (await response.json()) as Evidence;
    expect(await rowsOf(created.sha256)).toEqual({ blobs: 1, store: 'postgres', chunks: 1, evidence: 1 });
    expect(await s3.keys()).not.toContain(keyOf(created.sha256));

    // Served by the app configured for S3: read from Postgres, where its row says it is.
    const download = await t.request(created.contentUrl, { key: tenant.adminKey });
    expect(download.status).toBe(200);
    expect(await sha256Hex(new Uint8Array(await download.arrayBuffer()))).toBe(created.sha256);

    // The other way round: an S3 file through the app now writing to Postgres.
    const inS3 = await uploaded(uniquePdf('stored in s3'), 'in-s3.pdf');
    const fromS3 = await postgresApp.request(inS3.contentUrl, { key: tenant.adminKey });
    expect(fromS3.status).toBe(200);
    expect(await sha256Hex(new Uint8Array(await fromS3.arrayBuffer()))).toBe(inS3.sha256);

    // Without S3 settings an S3 file cannot be read: a problem that says so.
    const withoutS3 = appWith({ ...t.config, blobs: { store: 'postgres', s3: undefined } });
    const unreachable = await withoutS3.request(inS3.contentUrl, { key: tenant.adminKey });
    expect(unreachable.status).toBe(503);
    expect((await problemOf(unreachable)).code).toBe('blob_store_not_configured');
  });

  it('stores portal uploads in S3 too, and a portal upload the bucket fails leaves nothing', async () => {
    const { token } = await sentAssessment(t, tenant, { template: portalTemplate() });
    const attach = (bytes: Uint8Array, name: string) => {
      const body = new FormData();
      body.set('file', new Blob([bytes as BlobPart], { type: 'application/pdf' }), name);
      return t.request('/portal/api/questions/iso-cert/evidence', { method: 'POST', headers: { 'x-portal-token': token }, body });
    };
    const bytes = uniquePdf('portal');
    const response = await attach(bytes, 'certificate.pdf');
    expect(response.status).toBe(201);
    const sha256 = await sha256Hex(bytes);
    expect(await rowsOf(sha256)).toEqual({ blobs: 1, store: 's3', chunks: 0, evidence: 1 });
    expect(await s3.keys()).toContain(keyOf(sha256));

    const failing = uniquePdf('portal, store down');
    s3.fault = { method: 'PUT', status: 500, forward: true };
    const refused = await attach(failing, 'certificate-2.pdf');
    s3.fault = undefined;
    expect(refused.status).toBe(503);
    expect((await problemOf(refused)).code).toBe('blob_store_unavailable');
    const failedSha = await sha256Hex(failing);
    expect(await s3.keys()).not.toContain(keyOf(failedSha));
    expect(await rowsOf(failedSha)).toEqual({ blobs: 0, store: null, chunks: 0, evidence: 0 });
  });

  it('reads a small PDF back byte for byte', async () => {
    const bytes = minimalPdf();
    const created = await uploaded(bytes, 'minimal.pdf');
    const download = await t.request(created.contentUrl, { key: tenant.adminKey });
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
  });
});
