import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problemOf, type TestContext, type TestTenant } from './support/context';
import { createSupplier } from './support/fixtures';

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext({ BODY_LIMIT_BYTES: '2048', CORS_ORIGINS: 'https://erp.example.com' });
  // A route that fails the way a bug would, to prove a 500 leaks nothing. Added before the first request builds the router.
  t.app.get('/v1/test-only/boom', () => {
    throw new Error('connection string postgres://secret@db/internal failed at line 42');
  });
  // Driver errors as drizzle wraps them: the SQLSTATE sits on the cause.
  t.app.get('/v1/test-only/unique-violation', () => {
    throw Object.assign(new Error('Failed query: insert into ...'), { cause: Object.assign(new Error('duplicate key'), { code: '23505' }) });
  });
  t.app.get('/v1/test-only/serialization-failure', () => {
    throw Object.assign(new Error('Failed query'), { cause: { code: '40001' } });
  });
  t.app.get('/v1/test-only/date-overflow', () => {
    throw Object.assign(new Error('Failed query'), { cause: { code: '22008' } });
  });
  tenant = await t.createTenant();
});
afterAll(() => t.close());

describe('problem+json for every error', () => {
  it('404 for an unknown route', async () => {
    const response = await t.request('/v1/nothing-here', { key: tenant.adminKey });
    expect(response.status).toBe(404);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ status: 404, code: 'not_found', type: 'urn:chainproof:problem:not_found', title: 'Not found' });
    expect(problem.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('405 with Allow for a known path and the wrong method', async () => {
    const response = await t.request('/v1/api-keys', { method: 'PATCH', key: tenant.adminKey });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
    expect((await problemOf(response)).code).toBe('method_not_allowed');
    const withId = await t.request('/v1/api-keys/key_01M8146F9XFYCHFZ6Z0WNXJXBT', { method: 'PUT', key: tenant.adminKey });
    expect(withId.status).toBe(405);
    expect(withId.headers.get('allow')).toBe('GET, DELETE');
  });

  it('400 for malformed JSON', async () => {
    const response = await t.request('/v1/api-keys', {
      method: 'POST',
      key: tenant.adminKey,
      headers: { 'content-type': 'application/json' },
      body: '{"name": "x",',
    });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.code).toBe('malformed_request');
    expect(problem.detail).toBe('The request body is not valid JSON.');
  });

  it('415 for a body that is not JSON', async () => {
    const response = await t.request('/v1/api-keys', {
      method: 'POST',
      key: tenant.adminKey,
      headers: { 'content-type': 'text/plain' },
      body: 'name=x',
    });
    expect(response.status).toBe(415);
    expect((await problemOf(response)).code).toBe('unsupported_media_type');
  });

  it('413 for a body over the limit, before anything is parsed', async () => {
    const response = await t.request('/v1/api-keys', {
      method: 'POST',
      key: tenant.adminKey,
      json: { name: 'x'.repeat(5000), scopes: ['suppliers:read'] },
    });
    expect(response.status).toBe(413);
    const problem = await problemOf(response);
    expect(problem.code).toBe('payload_too_large');
    expect(problem.detail).toContain('2048');
  });

  it('422 with one entry per invalid field and no zod internals', async () => {
    const response = await t.request('/v1/api-keys', {
      method: 'POST',
      key: tenant.adminKey,
      json: { name: '', scopes: ['no-such-scope'], extra: true },
    });
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.code).toBe('validation_failed');
    const paths = problem.errors!.map((error) => `${error.location}:${error.path}`);
    expect(paths).toEqual(expect.arrayContaining(['body:name', 'body:scopes.0']));
    expect(JSON.stringify(problem)).not.toMatch(/ZodError|issues|"success"/);
  });

  it('422 for bad query and path parameters', async () => {
    const query = await t.request('/v1/api-keys?limit=0', { key: tenant.adminKey });
    expect(query.status).toBe(422);
    expect((await problemOf(query)).errors![0]).toMatchObject({ location: 'query', path: 'limit' });
    const cursor = await t.request('/v1/api-keys?cursor=garbage!!', { key: tenant.adminKey });
    expect(cursor.status).toBe(422);
    expect((await problemOf(cursor)).errors![0]).toMatchObject({ location: 'query', path: 'cursor' });
    const path = await t.request('/v1/api-keys/not-an-id', { key: tenant.adminKey });
    expect(path.status).toBe(422);
    expect((await problemOf(path)).errors![0]).toMatchObject({ location: 'path', path: 'apiKeyId' });
  });

  it('500 says nothing about internals, and logs the error with the request id', async () => {
    const response = await t.request('/v1/test-only/boom', { headers: { 'x-request-id': 'req-boom-1' } });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('postgres://');
    expect(text).not.toContain('line 42');
    expect(JSON.parse(text)).toMatchObject({ code: 'internal_error', requestId: 'req-boom-1' });
    expect(t.logs.some((line) => line.includes('"requestId":"req-boom-1"') && line.includes('unhandled error'))).toBe(true);
  });
});

describe('database errors', () => {
  it('maps a unique violation to 409 and a serialization failure to a retryable 409', async () => {
    const unique = await t.request('/v1/test-only/unique-violation');
    expect(unique.status).toBe(409);
    const problem = await problemOf(unique);
    expect(problem.code).toBe('already_exists');
    expect(problem.detail).not.toContain('insert into');
    const serialization = await t.request('/v1/test-only/serialization-failure');
    expect(serialization.status).toBe(409);
    expect((await problemOf(serialization)).code).toBe('concurrent_update');
  });
});

describe('HTTP behaviour', () => {
  it('echoes a sane X-Request-Id and replaces an unsafe one', async () => {
    const echoed = await t.request('/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await t.request('/healthz', { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers', async () => {
    const response = await t.request('/healthz');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('answers CORS preflights for configured origins only', async () => {
    const allowed = await t.request('/v1/api-keys', {
      method: 'OPTIONS',
      headers: { origin: 'https://erp.example.com', 'access-control-request-method': 'POST' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://erp.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    const other = await t.request('/v1/api-keys', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('never writes credentials to the log', async () => {
    await t.request('/v1/api-keys', { key: tenant.adminKey });
    await t.request('/v1/api-keys', { key: 'cp_' + 'B'.repeat(40) });
    const joined = t.logs.join('\n');
    expect(joined).not.toContain(tenant.adminKey);
    expect(joined).not.toContain('B'.repeat(40));
    const line = t.logs.map((entry) => JSON.parse(entry) as Record<string, unknown>).find((entry) => entry.route === '/v1/api-keys' && entry.method === 'GET' && entry.status === 200);
    expect(line).toMatchObject({ msg: 'request', method: 'GET', status: 200, tenantId: tenant.id });
    expect(line!.requestId).toBeTruthy();
  });
});

describe('dates Postgres cannot store (found by the fuzz suite: each answered 500)', () => {
  const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('refuses the year 0000 and offsets that leave 0001–9999, in queries, bodies and cursors, naming the field', async () => {
    const supplier = await createSupplier(t, tenant);
    const cases: [method: string, path: string, json: unknown, location: string, field: string][] = [
      ['GET', '/v1/assessments?dueBefore=0000-01-01T00:00:00Z', undefined, 'query', 'dueBefore'],
      ['GET', '/v1/assessments/export?dueAfter=0001-01-01T00:30:00%2B01:00', undefined, 'query', 'dueAfter'],
      ['GET', '/v1/suppliers?updatedSince=9999-12-31T23:00:00-14:00', undefined, 'query', 'updatedSince'],
      ['GET', '/v1/audit-log?since=0000-01-01T00:00:00Z', undefined, 'query', 'since'],
      ['GET', '/v1/reviews/due?before=0000-06-01T00:00:00Z', undefined, 'query', 'before'],
      ['GET', '/v1/evidence?expiringBefore=0000-01-01', undefined, 'query', 'expiringBefore'],
      ['POST', '/v1/contracts', { supplierId: supplier.id, reference: 'Y0', title: 'Year zero', startDate: '0000-01-01' }, 'body', 'startDate'],
      ['POST', '/v1/incidents', { supplierId: supplier.id, title: 'Year zero', awareAt: '0000-01-01T00:00:00Z', severity: 'low', significant: false }, 'body', 'awareAt'],
    ];
    for (const [method, path, json, location, field] of cases) {
      const response = await t.request(path, { method, key: tenant.adminKey, json });
      expect(response.status, path).toBe(422);
      expect((await problemOf(response)).errors, path).toContainEqual(expect.objectContaining({ location, path: field }));
    }
    for (const path of ['/v1/incidents', '/v1/reviews/due', `/v1/suppliers/${supplier.id}/risk/history`]) {
      const response = await t.request(`${path}?cursor=${cursor(['0000-01-01T00:00:00Z', 'x'])}`, { key: tenant.adminKey });
      expect(response.status, path).toBeLessThan(500);
      expect((await problemOf(response)).status).toBe(response.status);
    }
  });

  it('answers a date the database finds out of range with 422, not 500', async () => {
    const response = await t.request('/v1/test-only/date-overflow', { key: tenant.adminKey });
    expect(response.status).toBe(422);
    expect((await problemOf(response)).code).toBe('invalid_date');
  });
});
