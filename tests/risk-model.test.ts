import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RISK_MODEL } from '../src/catalog/risk-model';
import type { RiskModel } from '../src/scoring/risk-model';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';

let t: TestContext;

beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

interface RiskModelBody {
  version: number;
  model: RiskModel;
  builtIn: boolean;
  updatedAt: string | null;
  updatedBy: { type: string; id: string } | null;
}

const clone = (): RiskModel => structuredClone(DEFAULT_RISK_MODEL);

const put = (tenant: TestTenant, model: unknown, headers: Record<string, string> = {}, key = tenant.adminKey) =>
  t.request('/v1/risk-model', { method: 'PUT', key, json: model, headers });

async function errorPaths(response: Response): Promise<string[]> {
  expect(response.status).toBe(422);
  const problem = await problemOf(response);
  return (problem.errors ?? []).map((error) => error.path);
}

describe('GET /v1/risk-model', () => {
  it('answers the built-in model as version 0 until the tenant stores one', async () => {
    const tenant = await t.createTenant();
    const response = await t.request('/v1/risk-model', { key: tenant.adminKey });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"0"');
    const body = (await response.json()) as RiskModelBody;
    expect(body).toEqual({ version: 0, model: DEFAULT_RISK_MODEL, builtIn: true, updatedAt: null, updatedBy: null });
  });

  it('is readable with findings:read alone', async () => {
    const tenant = await t.createTenant();
    const reader = await t.createKey(tenant, ['findings:read']);
    expect((await t.request('/v1/risk-model', { key: reader.key })).status).toBe(200);
    expect((await put(tenant, clone(), {}, reader.key)).status).toBe(403);
  });
});

describe('PUT /v1/risk-model', () => {
  it('stores a new version each time, with ETag, actor, audit entry and a queued re-score', async () => {
    const tenant = await t.createTenant();
    const model = clone();
    model.tiers.critical = 75;
    model.inherent.factors.accessLevel.points.ot_network = 30;

    const first = await put(tenant, model, { 'If-Match': '"0"' });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"1"');
    const stored = (await first.json()) as RiskModelBody;
    expect(stored).toMatchObject({ version: 1, model, builtIn: false, updatedBy: { type: 'api_key', id: tenant.adminKeyId } });
    expect(stored.updatedAt).toEqual(expect.any(String));

    const read = await t.request('/v1/risk-model', { key: tenant.adminKey });
    expect(read.headers.get('etag')).toBe('"1"');
    expect(((await read.json()) as RiskModelBody).model).toEqual(model);

    // Without If-Match the write is unconditional, and still gets the next version.
    const second = await put(tenant, clone());
    expect(((await second.json()) as RiskModelBody).version).toBe(2);

    const audit = (await (await t.request('/v1/audit-log?action=risk_model.updated&order=asc', { key: tenant.adminKey })).json()) as {
      data: { entityType: string; entityId: string; changes: { fromVersion: number; toVersion: number; changed: Record<string, unknown>; changedCount: number } }[];
    };
    expect(audit.data).toHaveLength(2);
    expect(audit.data[0]).toMatchObject({
      entityType: 'risk_model',
      entityId: '1',
      changes: {
        fromVersion: 0,
        toVersion: 1,
        changedCount: 2,
        changed: { 'tiers.critical': { from: 70, to: 75 }, 'inherent.factors.accessLevel.points.ot_network': { from: 25, to: 30 } },
      },
    });
    expect(audit.data[1]!.changes).toMatchObject({ fromVersion: 1, toVersion: 2, changedCount: 2 });

    const queued = await queryRows<{ status: string }>(t.db, sql`select status from risk_recalculations where tenant_id = ${tenant.id}`);
    expect(queued.length).toBeGreaterThanOrEqual(1);
  });

  it('refuses a stale If-Match with 412 and stores nothing', async () => {
    const tenant = await t.createTenant();
    expect((await put(tenant, clone(), { 'If-Match': '"0"' })).status).toBe(200);
    const stale = await put(tenant, clone(), { 'If-Match': '"0"' });
    expect(stale.status).toBe(412);
    expect((await problemOf(stale)).code).toBe('precondition_failed');
    const read = (await (await t.request('/v1/risk-model', { key: tenant.adminKey })).json()) as RiskModelBody;
    expect(read.version).toBe(1);
  });

  it('keeps the tenants apart', async () => {
    const one = await t.createTenant();
    const other = await t.createTenant();
    const model = clone();
    model.ratings.high = 55;
    expect((await put(one, model)).status).toBe(200);
    const read = (await (await t.request('/v1/risk-model', { key: other.adminKey })).json()) as RiskModelBody;
    expect(read).toMatchObject({ version: 0, builtIn: true });
  });

  describe('refuses an incoherent model with 422 naming each path', () => {
    let tenant: TestTenant;
    beforeAll(async () => {
      tenant = await t.createTenant();
    });

    it('tier thresholds out of order', async () => {
      const model = clone();
      model.tiers = { critical: 40, strategic: 60 };
      expect(await errorPaths(await put(tenant, model))).toContain('tiers.critical');
    });

    it('rating thresholds not strictly descending', async () => {
      const model = clone();
      model.ratings = { critical: 70, high: 70, medium: 80 };
      const paths = await errorPaths(await put(tenant, model));
      expect(paths).toEqual(expect.arrayContaining(['ratings.critical', 'ratings.high']));
    });

    it('no control source weighted', async () => {
      const model = clone();
      model.controls.weights = { answers: 0, certifications: 0, clauses: 0 };
      expect(await errorPaths(await put(tenant, model))).toContain('controls.weights');
    });

    it('a profile value left unpriced, and an unknown one', async () => {
      const model = clone();
      const points: Record<string, number> = { ...model.inherent.factors.accessLevel.points, satellite: 5 };
      delete points.ot_network;
      model.inherent.factors.accessLevel.points = points;
      const paths = await errorPaths(await put(tenant, model));
      expect(paths).toEqual(expect.arrayContaining(['inherent.factors.accessLevel.points.ot_network', 'inherent.factors.accessLevel.points.satellite']));
    });

    it('review cadence longer for critical than for routine suppliers', async () => {
      const model = clone();
      model.reviewCadenceMonths = { critical: 36, strategic: 24, routine: 12 };
      expect(await errorPaths(await put(tenant, model))).toContain('reviewCadenceMonths');
    });

    it('out-of-range values and wrong shapes, from the schema', async () => {
      const model = clone() as unknown as Record<string, Record<string, unknown>>;
      model.controls!.mitigation = 1.5;
      model.reviewCadenceMonths!.critical = 0.5;
      model.tiers!.critical = 120;
      model.penalties!.extra = 1;
      const paths = await errorPaths(await put(tenant, model));
      expect(paths).toEqual(expect.arrayContaining(['controls.mitigation', 'reviewCadenceMonths.critical', 'tiers.critical']));
      expect(paths.some((path) => path.startsWith('penalties'))).toBe(true);
    });

    it('a critical tier no supplier could reach', async () => {
      const model = clone();
      model.inherent.factors.criticalFunction.points = 0;
      model.inherent.factors.accessLevel.points = { none: 0, remote: 1, on_site: 1, ot_network: 1, privileged: 1 };
      const problem = await put(tenant, model);
      expect(await errorPaths(problem)).toContain('tiers.critical');
    });

    it('stored nothing', async () => {
      const read = (await (await t.request('/v1/risk-model', { key: tenant.adminKey })).json()) as RiskModelBody;
      expect(read.version).toBe(0);
    });
  });
});
