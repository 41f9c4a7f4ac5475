import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, PLATFORM_TOKEN, problemOf, type TestContext, type TestTenant } from './support/context';
import { minimalPdf } from './support/files';
import { createSupplier, portalTemplate, sentAssessment } from './support/fixtures';

/*
 * Every limited door answers the same way: 429, a Retry-After in whole seconds, and a problem.
 * Each context gets small limits of its own, so counters never leak between tests or into the
 * other test files.
 */

async function expectRateLimited(response: Response, what: string) {
  expect(response.status, what).toBe(429);
  const retryAfter = response.headers.get('retry-after');
  expect(retryAfter, what).toMatch(/^\d+$/);
  expect(Number(retryAfter), what).toBeGreaterThan(0);
  const problem = await problemOf(response);
  expect(problem).toMatchObject({ status: 429, code: 'rate_limited', type: 'urn:chainproof:problem:rate_limited' });
  expect(problem.detail).toContain(`Retry after ${retryAfter} seconds`);
}

const unknownPortalToken = () => randomBytes(32).toString('base64url');

const pdfForm = (fields: Record<string, string>) => {
  const form = new FormData();
  form.set('file', new Blob([minimalPdf()], { type: 'application/pdf' }), 'certificate.pdf');
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
};

describe('failed authentication', () => {
  let t: TestContext;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await createTestContext({ AUTH_FAILURE_LIMIT_PER_MINUTE: '2' });
    tenant = await t.createTenant();
  });
  afterAll(() => t.close());

  it('limits bearer failures per address, then refuses even a valid key and the platform token', async () => {
    expect((await t.request('/v1/tenant', { key: 'cp_' + 'Q'.repeat(40) })).status).toBe(401);
    expect((await t.request('/v1/tenant', { key: 'not.a.jwt' })).status).toBe(401);
    await expectRateLimited(await t.request('/v1/tenant', { key: tenant.adminKey }), 'valid key after failures');
    await expectRateLimited(await t.request('/v1/tenants', { method: 'POST', key: PLATFORM_TOKEN, json: { name: 'x' } }), 'platform token');
  });
});

describe('portal token endpoints', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({ AUTH_FAILURE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('share one failure budget per address across the JSON API, incident reports and the page', async () => {
    const owner = await t.createTenant();
    const { token } = await sentAssessment(t, owner, { template: portalTemplate() });
    const assessment = () => t.request('/portal/api/assessment', { headers: { 'x-portal-token': unknownPortalToken() } });
    expect((await assessment()).status).toBe(401);
    const report = await t.request('/portal/api/incident-reports', {
      method: 'POST',
      json: { title: 'x', awareAt: new Date().toISOString() },
      headers: { 'x-portal-token': unknownPortalToken() },
    });
    expect(report.status).toBe(401);
    expect((await t.request(`/portal/a/${unknownPortalToken()}`)).status).toBe(404);

    await expectRateLimited(await assessment(), 'portal JSON API');
    await expectRateLimited(
      await t.request('/portal/api/incident-reports', { method: 'POST', json: { title: 'x' }, headers: { 'x-portal-token': unknownPortalToken() } }),
      'incident report',
    );
    // Even the right token waits: the address is guessing.
    await expectRateLimited(await t.request('/portal/api/assessment', { headers: { 'x-portal-token': token } }), 'valid portal token');
    const page = await t.request(`/portal/a/${token}`);
    expect(page.status).toBe(429);
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('uploads and per-link budgets', () => {
  let t: TestContext;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await createTestContext({
      EVIDENCE_UPLOAD_LIMIT_PER_MINUTE: '2',
      PORTAL_UPLOAD_LIMIT_PER_MINUTE: '2',
      PORTAL_FORWARD_LIMIT_PER_HOUR: '1',
      INCIDENT_REPORT_LIMIT_PER_HOUR: '1',
    });
    tenant = await t.createTenant();
  });
  afterAll(() => t.close());

  it('limits API uploads per tenant, before the body is read, and not other tenants', async () => {
    const supplierId = (await createSupplier(t, tenant)).id;
    const upload = (key: string, fields: Record<string, string>) => t.request('/v1/evidence', { method: 'POST', key, body: pdfForm(fields) });
    for (let index = 0; index < 2; index += 1) {
      expect((await upload(tenant.adminKey, { supplierId, kind: 'policy' })).status).toBe(201);
    }
    await expectRateLimited(await upload(tenant.adminKey, { supplierId, kind: 'policy' }), 'third upload');
    // A body that would answer 400 is not even parsed.
    const garbled = await t.request('/v1/evidence', {
      method: 'POST',
      key: tenant.adminKey,
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: 'this is not multipart',
    });
    await expectRateLimited(garbled, 'unparsed body');
    // Another key of the same tenant shares the budget; another tenant has its own.
    const { key: narrowKey } = await t.createKey(tenant, ['evidence:write']);
    await expectRateLimited(await upload(narrowKey, { supplierId, kind: 'policy' }), 'other key, same tenant');
    const other = await t.createTenant();
    const otherSupplier = (await createSupplier(t, other)).id;
    expect((await upload(other.adminKey, { supplierId: otherSupplier, kind: 'policy' })).status).toBe(201);
    // Reads are not uploads.
    expect((await t.request('/v1/evidence', { key: tenant.adminKey })).status).toBe(200);
  });

  it('limits portal uploads and forwards per link', async () => {
    const { token } = await sentAssessment(t, tenant, { template: portalTemplate() });
    const upload = (linkToken: string) =>
      t.request('/portal/api/questions/iso-cert/evidence', { method: 'POST', body: pdfForm({}), headers: { 'x-portal-token': linkToken } });
    for (let index = 0; index < 2; index += 1) expect((await upload(token)).status).toBe(201);
    await expectRateLimited(await upload(token), 'portal upload');

    const forward = (email: string) => t.request('/portal/api/forward', { method: 'POST', json: { email }, headers: { 'x-portal-token': token } });
    expect((await forward('first@supplier.example')).status).toBe(201);
    await expectRateLimited(await forward('second@supplier.example'), 'portal forward');

    // Another link has budgets of its own.
    const second = await sentAssessment(t, tenant, { template: portalTemplate() });
    expect((await upload(second.token)).status).toBe(201);
  });

  it('limits incident reports per link', async () => {
    const supplier = await createSupplier(t, tenant);
    const created = await t.request(`/v1/suppliers/${supplier.id}/incident-links`, { method: 'POST', key: tenant.adminKey, json: {} });
    expect(created.status).toBe(201);
    const token = ((await created.json()) as { url: string }).url.split('/').pop()!;
    const report = () =>
      t.request('/portal/api/incident-reports', {
        method: 'POST',
        json: { title: 'Outage', awareAt: new Date(Date.now() - 3_600_000).toISOString() },
        headers: { 'x-portal-token': token },
      });
    expect((await report()).status).toBe(201);
    await expectRateLimited(await report(), 'incident report');
  });
});
