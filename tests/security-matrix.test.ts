import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allScopesExcept, createTestContext, PLATFORM_TOKEN, problemOf, type TestContext, type TestTenant } from './support/context';
import { sql } from 'drizzle-orm';
import { objectFactories, sentAssessment, upsertOperations } from './support/fixtures';
import { fillPath, fixturePathValues, isPortalOperation, loadOperations, pathParameterNames, type Operation } from './support/openapi-operations';

let t: TestContext;
let operations: Operation[];
let tenantA: TestTenant;
let tenantB: TestTenant;
let revokedKey: string;

beforeAll(async () => {
  t = await createTestContext();
  ({ operations } = await loadOperations(t));
  tenantA = await t.createTenant('Matrix tenant A');
  tenantB = await t.createTenant('Matrix tenant B');
  const revoked = await t.createKey(tenantA, ['suppliers:read', 'api_keys:read', 'tenant:read', 'audit_log:read'], 'to revoke');
  const revocation = await t.request(`/v1/api-keys/${revoked.id}`, { method: 'DELETE', key: tenantA.adminKey });
  expect(revocation.status).toBe(204);
  revokedKey = revoked.key;
});

afterAll(() => t.close());

const secured = () => operations.filter((operation) => operation.security.length > 0);
const tenantScoped = () => secured().filter((operation) => operation.requiredScope !== undefined);
const portalOperations = () => secured().filter(isPortalOperation);

const placeholderPath = async (path: string) => fillPath(path, await fixturePathValues(t, tenantA, path, 'x'));

function bodyFor(operation: Operation) {
  return ['POST', 'PUT', 'PATCH'].includes(operation.method) ? (operation.exampleBody ?? {}) : undefined;
}

describe('security matrix', () => {
  it('covers the operations in the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(8);
    expect(tenantScoped().length).toBeGreaterThanOrEqual(6);
    for (const operation of secured()) {
      // Every secured operation is the platform's, a supplier portal's, or names the scope it needs.
      const platform = operation.security.some((requirement) => 'platformAdmin' in requirement);
      expect(platform || isPortalOperation(operation) || operation.requiredScope, operation.operationId).toBeTruthy();
      if (isPortalOperation(operation)) expect(operation.requiredScope, `${operation.operationId} needs no scope`).toBeUndefined();
    }
  });

  it('answers 401 without credentials', async () => {
    for (const operation of secured()) {
      const response = await t.request(await placeholderPath(operation.path), { method: operation.method, json: bodyFor(operation) });
      expect(response.status, `${operation.operationId}`).toBe(401);
      expect((await problemOf(response)).code).toBe('unauthenticated');
    }
  });

  it('answers 401 to a wrong key, a revoked key and a malformed header', async () => {
    for (const operation of secured()) {
      const path = await placeholderPath(operation.path);
      for (const key of ['cp_' + 'A'.repeat(40), revokedKey, 'not-a-token', PLATFORM_TOKEN + 'x']) {
        const response = await t.request(path, { method: operation.method, key, json: bodyFor(operation) });
        expect(response.status, `${operation.operationId} with ${key.slice(0, 6)}`).toBe(401);
      }
      const basic = await t.request(path, { method: operation.method, headers: { authorization: 'Basic abc' }, json: bodyFor(operation) });
      expect(basic.status, `${operation.operationId} with Basic`).toBe(401);
    }
  });

  it('answers 401 to tenant credentials on platform operations', async () => {
    const platformOperations = secured().filter((operation) => operation.requiredScope === undefined && !isPortalOperation(operation));
    expect(platformOperations.length).toBeGreaterThan(0);
    for (const operation of platformOperations) {
      const response = await t.request(operation.path, { method: operation.method, key: tenantA.adminKey, json: bodyFor(operation) });
      expect(response.status, operation.operationId).toBe(401);
    }
  });

  it('answers 403 to a credential without the route\'s scope', async () => {
    for (const operation of tenantScoped()) {
      const { key } = await t.createKey(tenantA, allScopesExcept(operation.requiredScope!) as never, `no ${operation.requiredScope}`);
      const response = await t.request(await placeholderPath(operation.path), { method: operation.method, key, json: bodyFor(operation) });
      expect(response.status, operation.operationId).toBe(403);
      expect((await problemOf(response)).code).toBe('forbidden');
    }
  });

  it('answers 403 to a JWT whose roles lack the scope', async () => {
    const jwt = await t.signJwt({ sub: 'user-1', tenant_id: tenantA.id, roles: [] });
    for (const operation of tenantScoped()) {
      const response = await t.request(await placeholderPath(operation.path), { method: operation.method, key: jwt, json: bodyFor(operation) });
      expect(response.status, operation.operationId).toBe(403);
    }
  });

  it('answers 404 for another tenant\'s objects', async () => {
    const withParams = tenantScoped().filter((operation) => operation.path.includes('{'));
    expect(withParams.length).toBeGreaterThan(0);
    for (const operation of withParams) {
      for (const name of pathParameterNames(operation.path)) {
        expect(objectFactories[name], `no object factory for path parameter "${name}" (tests/support/fixtures.ts)`).toBeDefined();
      }
      const values = await fixturePathValues(t, tenantB, operation.path);
      const path = fillPath(operation.path, values);
      if (upsertOperations.has(operation.operationId)) {
        const before = await (await t.request(path, { key: tenantB.adminKey })).text();
        const response = await t.request(path, { method: operation.method, key: tenantA.adminKey, json: bodyFor(operation) });
        expect(response.status, `${operation.operationId} creates in the caller's tenant`).toBe(201);
        expect(await (await t.request(path, { key: tenantB.adminKey })).text(), 'the other tenant\'s object is untouched').toBe(before);
        continue;
      }
      const response = await t.request(path, { method: operation.method, key: tenantA.adminKey, json: bodyFor(operation) });
      expect(response.status, `${operation.operationId} ${path}`).toBe(404);
      expect((await problemOf(response)).code).toBe('not_found');
      // The owner still sees it: the 404 is isolation, not a broken route.
      if (operation.method === 'GET') {
        const own = await t.request(path, { key: tenantB.adminKey });
        expect(own.status, `${operation.operationId} for its owner`).toBe(200);
      }
    }
  });
});

describe('security matrix: supplier portal operations', () => {
  const portalCall = (operation: Operation, path: string, token: string | undefined) =>
    t.request(path, { method: operation.method, json: bodyFor(operation), headers: token === undefined ? {} : { 'x-portal-token': token } });

  it('covers the portal operations', () => {
    expect(portalOperations().length).toBeGreaterThanOrEqual(5);
  });

  it('answers 401 without a token and to wrong, revoked and expired tokens, even with tenant credentials', async () => {
    const cancelled = await sentAssessment(t, tenantA);
    expect((await t.request(`/v1/assessments/${cancelled.assessmentId}/cancel`, { method: 'POST', key: tenantA.adminKey })).status).toBe(200);
    const expired = await sentAssessment(t, tenantA);
    await t.db.execute(sql`update portal_invitations set expires_at = now() - interval '1 minute' where tenant_id = ${tenantA.id} and assessment_id = ${expired.assessmentId}`);
    for (const operation of portalOperations()) {
      const path = fillPath(operation.path, { questionKey: 'mfa', evidenceId: 'evd_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' });
      for (const token of [undefined, '', 'A'.repeat(43), 'short', cancelled.token, expired.token]) {
        const response = await portalCall(operation, path, token);
        expect(response.status, `${operation.operationId} with ${String(token).slice(0, 8)}`).toBe(401);
        expect((await problemOf(response)).code).toBe('unauthenticated');
      }
      const staff = await t.request(path, { method: operation.method, key: tenantA.adminKey, json: bodyFor(operation) });
      expect(staff.status, `${operation.operationId} with an API key`).toBe(401);
    }
  });

  it('never lets one assessment\'s token reach another assessment\'s objects, in the same tenant or another', async () => {
    const a = await sentAssessment(t, tenantA);
    const bSameTenant = await sentAssessment(t, tenantA);
    const bOtherTenant = await sentAssessment(t, tenantB);
    const withObjects = portalOperations().filter((operation) => /\{(?!questionKey\})\w+\}/.test(operation.path));
    expect(withObjects.length).toBeGreaterThan(0);
    for (const b of [bSameTenant, bOtherTenant]) {
      // An evidence id attached to B's answer through B's own link.
      const form = new FormData();
      form.set('file', new Blob([new TextEncoder().encode('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), 'b.pdf');
      const uploaded = await t.request('/portal/api/questions/mfa/evidence', { method: 'POST', body: form, headers: { 'x-portal-token': b.token } });
      expect(uploaded.status).toBe(201);
      const evidenceId = ((await uploaded.json()) as { evidence: { id: string } }).evidence.id;
      for (const operation of withObjects) {
        const path = fillPath(operation.path, { questionKey: 'mfa', evidenceId });
        const response = await portalCall(operation, path, a.token);
        expect(response.status, `${operation.operationId} ${path}`).toBe(404);
        expect((await problemOf(response)).code).toBe('not_found');
      }
      const own = (await (await t.request('/portal/api/assessment', { headers: { 'x-portal-token': b.token } })).json()) as {
        answers: { questionKey: string; evidence: { id: string }[] }[];
      };
      expect(own.answers.find((answer) => answer.questionKey === 'mfa')!.evidence.map((file) => file.id), 'B\'s file is untouched').toEqual([evidenceId]);
    }
    // What A's token reads is A's assessment only.
    const seen = (await (await t.request('/portal/api/assessment', { headers: { 'x-portal-token': a.token } })).json()) as { assessmentId: string };
    expect(seen.assessmentId).toBe(a.assessmentId);
  });
});
