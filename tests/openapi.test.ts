import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOpenApiDocument, serializeOpenApiDocument } from '../src/openapi-document';
import { createTestContext, type TestContext } from './support/context';

interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('OpenAPI document', () => {
  it('matches the committed openapi/openapi.json (run `npm run openapi:export` after changing routes)', () => {
    const committed = readFileSync('openapi/openapi.json', 'utf8');
    expect(serializeOpenApiDocument(generateOpenApiDocument())).toBe(committed);
  });

  it('is served at /openapi.json as OpenAPI 3.1, the same document as committed', async () => {
    const response = await t.request('/openapi.json');
    expect(response.status).toBe(200);
    const served = (await response.json()) as { openapi: string };
    expect(served.openapi).toBe('3.1.0');
    expect(served).toEqual(JSON.parse(readFileSync('openapi/openapi.json', 'utf8')));
  });

  it('gives every operation an id, summary, tags, security and problem+json errors', () => {
    const document = generateOpenApiDocument() as unknown as { paths: Record<string, Record<string, Operation>> };
    const ids = new Set<string>();
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(operation.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
        expect(ids.has(operation.operationId!), `duplicate operationId ${operation.operationId}`).toBe(false);
        ids.add(operation.operationId!);
        expect(operation.summary, where).toBeTruthy();
        expect(operation.tags?.length, where).toBeGreaterThan(0);
        expect(Array.isArray(operation.security), `${where} declares security`).toBe(true);
        expect(operation.responses['500'], `${where} documents 500`).toBeDefined();
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) >= 400) {
            expect(response.content?.['application/problem+json']?.schema?.$ref, `${where} ${status}`).toBe('#/components/schemas/Problem');
          }
        }
        if (operation.security!.length > 0) expect(operation.responses['401'], `${where} documents 401`).toBeDefined();
      }
    }
  });

  it('names its schemas as components, with examples on request bodies', () => {
    const document = generateOpenApiDocument() as unknown as { components: { schemas: Record<string, { example?: unknown }> } };
    const names = Object.keys(document.components.schemas);
    expect(names).toEqual(expect.arrayContaining(['Problem', 'ApiKey', 'CreatedApiKey', 'CreateApiKey', 'Tenant', 'AuditEntry']));
    for (const name of names.filter((candidate) => /^Create(?!d)/.test(candidate))) {
      expect(document.components.schemas[name]!.example, `${name} example`).toBeDefined();
    }
  });
});

describe('docs UI', () => {
  it('serves /docs and its assets from the app itself, with no external URLs', async () => {
    const page = await t.request('/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ['swagger-ui.css', 'swagger-ui-bundle.js', 'docs-init.js']) {
      const response = await t.request(`/docs/assets/${asset}`);
      expect(response.status, asset).toBe(200);
      expect((await response.text()).length, asset).toBeGreaterThan(100);
    }
    const init = await (await t.request('/docs/assets/docs-init.js')).text();
    expect(init).toContain("url: '/openapi.json'");
    expect(init).toContain('validatorUrl: null');
  });

  it('answers 404 problem+json for unknown or traversing asset names', async () => {
    for (const name of ['nope.js', '..%2Fpackage.json', 'index.html']) {
      const response = await t.request(`/docs/assets/${name}`);
      expect(response.status, name).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
