import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allScopesExcept, createTestContext, PLATFORM_TOKEN, problemOf, type TestContext, type TestTenant } from './support/context';
import { objectFactories, upsertOperations } from './support/fixtures';

interface Operation {
  method: string;
  path: string;
  operationId: string;
  security: Record<string, string[]>[];
  requiredScope: string | undefined;
  exampleBody: unknown;
}

interface OpenApiOperation {
  operationId: string;
  security?: Record<string, string[]>[];
  'x-required-scope'?: string;
  requestBody?: { content?: Record<string, { schema?: { $ref?: string; example?: unknown } }> };
}

let t: TestContext;
let operations: Operation[];
let tenantA: TestTenant;
let tenantB: TestTenant;
let revokedKey: string;

beforeAll(async () => {
  t = await createTestContext();
  const spec = (await (await t.request('/openapi.json')).json()) as {
    paths: Record<string, Record<string, OpenApiOperation>>;
    components: { schemas: Record<string, { example?: unknown }> };
  };
  operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const json = operation.requestBody?.content?.['application/json']?.schema;
      const ref = json?.$ref?.split('/').pop();
      return {
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId,
        security: operation.security ?? [],
        requiredScope: operation['x-required-scope'],
        exampleBody: json?.example ?? (ref ? spec.components.schemas[ref]?.example : undefined),
      };
    }),
  );
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

function fillPath(path: string, values: Record<string, string>) {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `missing-${name}`);
}

async function placeholderPath(path: string) {
  const values: Record<string, string> = {};
  for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
    const factory = objectFactories[name!];
    values[name!] = factory ? await factory(t, tenantA, values) : 'x';
  }
  return fillPath(path, values);
}

function bodyFor(operation: Operation) {
  return ['POST', 'PUT', 'PATCH'].includes(operation.method) ? (operation.exampleBody ?? {}) : undefined;
}

describe('security matrix', () => {
  it('covers the operations in the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(8);
    expect(tenantScoped().length).toBeGreaterThanOrEqual(6);
    for (const operation of secured()) {
      // Every secured operation is either the platform's or names the scope it needs.
      const platform = operation.security.some((requirement) => 'platformAdmin' in requirement);
      expect(platform || operation.requiredScope, operation.operationId).toBeTruthy();
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
    const platformOperations = secured().filter((operation) => operation.requiredScope === undefined);
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
      const values: Record<string, string> = {};
      for (const [, name] of operation.path.matchAll(/\{(\w+)\}/g)) {
        const factory = objectFactories[name!];
        expect(factory, `no object factory for path parameter "${name}" (tests/support/fixtures.ts)`).toBeDefined();
        values[name!] = await factory!(t, tenantB, values);
      }
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
