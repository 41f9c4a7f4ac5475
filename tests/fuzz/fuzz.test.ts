import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, PLATFORM_TOKEN, queryRows, type TestContext, type TestTenant } from '../support/context';
import { createSupplier, portalTemplate, sentAssessment } from '../support/fixtures';
import { fixturePathValues, operationsOf, type OpenApiDocument, type Operation } from '../support/openapi-operations';
import { buildRequest, describeCase, fuzzCaseArbitrary, type Credentials, type FuzzCase } from './requests';

/**
 * Fuzzing every operation of the OpenAPI document: generated requests, valid-looking and hostile,
 * must never answer 5xx, must answer errors as problem+json, and must not write anything when they
 * fail. FUZZ_RUNS sets the requests per operation (CI: the default); FUZZ_OPERATION picks one
 * operationId; FUZZ_SEED and FUZZ_PATH replay a failure that fast-check reported.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 5);
const ONLY = process.env.FUZZ_OPERATION;
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const REPLAY_PATH = process.env.FUZZ_PATH;

// The committed spec (the OpenAPI test keeps it equal to the live one): the tests are named before the app starts.
const spec = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as OpenApiDocument;
const operations = operationsOf(spec).filter((operation) => ONLY === undefined || operation.operationId === ONLY);

// A failed request may still leave its Idempotency-Key, which stores the answer for retries by design.
const NOT_COUNTED = new Set(['idempotency_keys']);
const LEAKS = [/\n\s+at .+:\d+:\d+/, /ZodError/, /"issues"\s*:/, /node_modules/, /\bsrc\/[\w/.-]+\.ts\b/, /"stack"\s*:/, /drizzle|postgres\.js|PGlite/i];

let t: TestContext;
let tenant: TestTenant;
let tenantTables: string[];
let tablesWithIds: string[];
let counts: Record<string, number>;
let credentials: Credentials;

async function tenantRowCounts(): Promise<Record<string, number>> {
  const perTable = sql.join(
    tenantTables.map((table) => sql`select ${table}::text as name, count(*)::int as rows from ${sql.identifier(table)} where tenant_id = ${tenant.id}`),
    sql` union all `,
  );
  const rows = await queryRows<{ name: string; rows: number }>(t.db, perTable);
  return Object.fromEntries(rows.map((row) => [row.name, Number(row.rows)]));
}

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant('Fuzz tenant');
  const tables = await queryRows<{ table_name: string }>(
    t.db,
    sql`select table_name from information_schema.columns where table_schema = current_schema() and column_name = 'tenant_id' order by table_name`,
  );
  tenantTables = tables.map((row) => row.table_name).filter((name) => !NOT_COUNTED.has(name));
  const withIds = await queryRows<{ table_name: string }>(
    t.db,
    sql`select table_name from information_schema.columns where table_schema = current_schema() and column_name = 'id' and data_type = 'text'`,
  );
  tablesWithIds = withIds.map((row) => row.table_name).filter((name) => tenantTables.includes(name));
  // Built-in templates are published into a tenant when it first lists them; not a write of the request that happens to be first.
  expect((await t.request('/v1/questionnaire-templates', { key: tenant.adminKey })).status).toBe(200);
  const portal = await sentAssessment(t, tenant, { template: portalTemplate() });
  const linkSupplier = await createSupplier(t, tenant, { name: 'Fuzz incident reporter' });
  const link = await t.request(`/v1/suppliers/${linkSupplier.id}/incident-links`, { method: 'POST', key: tenant.adminKey, json: {} });
  const incidentToken = ((await link.json()) as { url: string }).url.split('/').pop()!;
  credentials = {
    adminKey: tenant.adminKey,
    platformToken: PLATFORM_TOKEN,
    portalToken: (operation) => (operation.path === '/portal/api/incident-reports' ? incidentToken : portal.token),
  };
  counts = await tenantRowCounts();
}, 180_000);

const statusCounts = new Map<number, number>();

afterAll(async () => {
  const summary = [...statusCounts].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ');
  console.log(`fuzz: ${[...statusCounts.values()].reduce((sum, count) => sum + count, 0)} requests, ${RUNS} per operation: ${summary}`);
  await t.close();
});

/** The newest ids of every kind of object in the fuzz tenant. */
async function knownIds(): Promise<string[]> {
  const newest = sql.join(
    tablesWithIds.map((table) => sql`(select id from ${sql.identifier(table)} where tenant_id = ${tenant.id} order by id desc limit 3)`),
    sql` union all `,
  );
  return (await queryRows<{ id: string }>(t.db, newest)).map((row) => row.id);
}

async function checkResponse(operation: Operation, fuzzCase: FuzzCase, fixtureIds: Record<string, string>) {
  const request = buildRequest(operation, fuzzCase, fixtureIds, credentials);
  const response = await t.app.request(request);
  // Read to the end: a streamed body (CSV, PDF, ZIP) can still fail after the status was sent.
  const body = await response.text();
  statusCounts.set(response.status, (statusCounts.get(response.status) ?? 0) + 1);
  const requestId = response.headers.get('x-request-id');
  const logged = response.status >= 500 ? t.logs.filter((line) => requestId && line.includes(requestId) && line.includes('error')).join('\n') : '';
  const where = `${operation.method} ${operation.path} → ${response.status} ${body.slice(0, 300)}${logged ? `\nserver log: ${logged.slice(0, 2000)}` : ''}`;
  expect(response.status, where).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.headers.get('content-type') ?? '', where).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(body) as { type?: unknown; title?: unknown; status?: unknown };
    expect(typeof problem.type, where).toBe('string');
    expect(typeof problem.title, where).toBe('string');
    expect(problem.status, where).toBe(response.status);
    for (const leak of LEAKS) expect(body, where).not.toMatch(leak);
  }
  const after = await tenantRowCounts();
  if (response.status < 200 || response.status >= 300) {
    expect(after, `rows written by a failed request: ${where}`).toEqual(counts);
  }
  counts = after;
}

describe('fuzzing every operation from the OpenAPI document', () => {
  it('covers the operations of the spec', () => {
    expect(ONLY !== undefined || operations.length >= 100, `${operations.length} operations`).toBe(true);
  });

  for (const operation of operations) {
    it(`${operation.operationId}: ${operation.method} ${operation.path}`, { timeout: Math.max(30_000, RUNS * 3_000) }, async () => {
      const fixtureIds = await fixturePathValues(t, tenant, operation.path, 'x');
      const context = { spec, knownIds: [...new Set([...(await knownIds()), ...Object.values(fixtureIds)])] };
      counts = await tenantRowCounts();
      await fc.assert(
        fc.asyncProperty(fuzzCaseArbitrary(context, operation), (fuzzCase) => checkResponse(operation, fuzzCase, fixtureIds)),
        {
          numRuns: RUNS,
          ...(SEED !== undefined ? { seed: SEED } : {}),
          ...(REPLAY_PATH !== undefined ? { path: REPLAY_PATH } : {}),
          // Shrinking replays requests against a database that moved on; a few steps say enough.
          endOnFailure: false,
          interruptAfterTimeLimit: Math.max(25_000, RUNS * 2_500),
          reporter: (details) => {
            if (details.failed) {
              const example = details.counterexample?.[0];
              throw new Error(
                `${operation.operationId} failed after ${details.numRuns} runs. Replay: FUZZ_OPERATION=${operation.operationId} FUZZ_SEED=${details.seed} FUZZ_PATH="${details.counterexamplePath}" npx vitest run tests/fuzz\n` +
                  `request: ${example ? describeCase(example) : '?'}\n${String(details.errorInstance ?? '')}`,
              );
            }
          },
        },
      );
    });
  }
});
