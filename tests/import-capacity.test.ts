import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencyGate } from '../src/lib/concurrency-gate';
import { appWithClock } from './support/clock-app';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
});
afterAll(() => t.close());

const busy = () => new Error('busy');

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('ConcurrencyGate', () => {
  it('runs at most `limit` at once, queues up to `queue` in arrival order and refuses the rest', async () => {
    const gate = new ConcurrencyGate(1, 2);
    const started: string[] = [];
    const holds = { a: deferred(), b: deferred(), c: deferred() };
    const run = (name: keyof typeof holds) =>
      gate.run(async () => {
        started.push(name);
        await holds[name].promise;
        return name;
      }, busy);
    const a = run('a');
    const b = run('b');
    const c = run('c');
    await expect(run('a')).rejects.toThrow('busy');
    await Promise.resolve();
    expect(started).toEqual(['a']);
    holds.a.resolve();
    expect(await a).toBe('a');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(started).toEqual(['a', 'b']);
    holds.b.resolve();
    holds.c.resolve();
    expect(await Promise.all([b, c])).toEqual(['b', 'c']);
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('gives the place back when the work fails', async () => {
    const gate = new ConcurrencyGate(1, 0);
    await expect(gate.run(() => Promise.reject(new Error('failed')), busy)).rejects.toThrow('failed');
    expect(await gate.run(async () => 'next', busy)).toBe('next');
  });
});

describe('POST /v1/suppliers/import under load', () => {
  const rows = (label: string, count: number) =>
    Array.from({ length: count }, (_, index) => ({ name: `Capacity ${label} ${index}`, country: 'DE', externalRef: `CAP-${label}-${index}` }));
  const post = (app: ReturnType<typeof appWithClock>, body: unknown, contentType = 'application/json') =>
    Promise.resolve(
      app.request('/v1/suppliers/import', {
        method: 'POST',
        headers: { authorization: `Bearer ${tenant.adminKey}`, 'content-type': contentType },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
  const supplierCount = async () =>
    (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from suppliers where tenant_id = ${tenant.id}`))[0]!.n;
  const appWith = (concurrency: number, queue: number) => appWithClock(t, { now: new Date() }, { ...t.config, imports: { concurrency, queue } });

  it('answers 503 imports_busy with Retry-After beyond what runs and waits, and writes nothing for it', async () => {
    const app = appWith(1, 0);
    const before = await supplierCount();
    const answers = await Promise.all([post(app, { rows: rows('first', 1500) }), post(app, { rows: rows('second', 1500) })]);
    const refused = answers.find((response) => response.status === 503);
    const ran = answers.find((response) => response.status === 200);
    expect(answers.map((response) => response.status).sort()).toEqual([200, 503]);
    expect(refused!.headers.get('retry-after')).toBe('10');
    const problem = await problemOf(refused!);
    expect(problem.code).toBe('imports_busy');
    expect(((await ran!.json()) as { summary: { created: number } }).summary.created).toBe(1500);
    expect(await supplierCount()).toBe(before + 1500);

    // The place is free again once the import is done.
    const again = await post(app, { rows: rows('third', 10) });
    expect(again.status).toBe(200);
  });

  it('queues imports beyond the concurrency and runs them in turn', async () => {
    const app = appWith(1, 2);
    const before = await supplierCount();
    const answers = await Promise.all(['q1', 'q2', 'q3'].map((label) => post(app, { rows: rows(label, 300) })));
    expect(answers.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(await supplierCount()).toBe(before + 900);
  });

  it('frees its place when an import is refused inside the gate', async () => {
    const app = appWith(1, 0);
    const refused = await post(app, 'name;country\nAcme;DE\n', 'text/plain');
    expect(refused.status).toBe(415);
    const next = await post(app, { rows: rows('after-415', 3) });
    expect(next.status).toBe(200);
  });
});
