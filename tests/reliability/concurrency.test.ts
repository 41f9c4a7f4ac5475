// Concurrency under load, in-process against the suite's database (PGlite, and PostgreSQL in the
// second run): 100 parallel requests where only one may win, or where none may be lost.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, queryRows, type TestContext, type TestTenant } from '../support/context';
import { latestPortalToken, sentAssessment } from '../support/fixtures';

const PARALLEL = 100;

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant('Reliability concurrency');
});
afterAll(() => t.close());

describe('100 parallel POSTs with one Idempotency-Key', () => {
  it('create exactly one supplier, and every request gets the same response', async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const name = `Idempotent GmbH ${run}`;
    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        t.request('/v1/suppliers', { method: 'POST', key: tenant.adminKey, headers: { 'idempotency-key': `parallel-${run}` }, json: { name, country: 'DE' } }),
      ),
    );
    const answers = await Promise.all(
      responses.map(async (response) => ({ status: response.status, location: response.headers.get('location'), etag: response.headers.get('etag'), body: await response.text() })),
    );
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([201]));
    expect(new Set(answers.map((answer) => JSON.stringify({ ...answer })))).toHaveLength(1);
    // One ran; the other 99 were replayed its stored response.
    expect(responses.filter((response) => response.headers.get('idempotent-replayed') === 'true')).toHaveLength(PARALLEL - 1);

    const rows = await queryRows<{ id: string }>(t.db, sql`select id from suppliers where tenant_id = ${tenant.id} and name = ${name}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe((JSON.parse(answers[0]!.body) as { id: string }).id);
    const audited = await queryRows<{ count: string | number }>(
      t.db,
      sql`select count(*) as count from audit_log where tenant_id = ${tenant.id} and action = 'supplier.created' and entity_id = ${rows[0]!.id}`,
    );
    expect(Number(audited[0]!.count)).toBe(1);
  });
});

/** A template with `count` optional text questions, so that 100 different answers can be saved at once. */
function wideTemplate(count: number) {
  return {
    key: `wide-${crypto.randomUUID().slice(0, 8)}`,
    name: 'Wide questionnaire',
    audience: 'supplier',
    sections: [
      {
        key: 'all',
        title: 'All questions',
        questions: Array.from({ length: count }, (_, index) => ({ key: `q${index}`, text: `Question ${index}?`, type: 'text', domain: 'governance', required: false })),
      },
    ],
  };
}

interface PortalAnswer {
  questionKey: string;
  value: unknown;
  version: number;
}

describe('100 parallel answer saves through the supplier portal', () => {
  const save = (token: string, answers: unknown[]) =>
    t.request('/portal/api/answers', { method: 'PUT', headers: { 'x-portal-token': token }, json: { answers } });
  const load = async (token: string) => {
    const response = await t.request('/portal/api/assessment', { headers: { 'x-portal-token': token } });
    expect(response.status).toBe(200);
    return new Map(((await response.json()) as { answers: PortalAnswer[] }).answers.map((answer) => [answer.questionKey, answer]));
  };

  it('lose none when they are of different answers', async () => {
    const { assessmentId } = await sentAssessment(t, tenant, { template: wideTemplate(PARALLEL) });
    const token = await latestPortalToken(t, tenant, assessmentId);
    const responses = await Promise.all(Array.from({ length: PARALLEL }, (_, index) => save(token, [{ questionKey: `q${index}`, value: `answer ${index}`, version: 0 }])));
    expect(responses.map((response) => response.status)).toEqual(Array(PARALLEL).fill(200));
    const stored = await load(token);
    for (let index = 0; index < PARALLEL; index += 1) {
      expect(stored.get(`q${index}`)).toMatchObject({ value: `answer ${index}`, version: 1 });
    }
  });

  it('let exactly one of them through when they change the same answer from the same version; the rest get 409 stale_answer', async () => {
    const { assessmentId } = await sentAssessment(t, tenant, { template: wideTemplate(1) });
    const token = await latestPortalToken(t, tenant, assessmentId);
    expect((await save(token, [{ questionKey: 'q0', value: 'first', version: 0 }])).status).toBe(200);
    const responses = await Promise.all(Array.from({ length: PARALLEL }, (_, index) => save(token, [{ questionKey: 'q0', value: `edit ${index}`, version: 1 }])));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(PARALLEL - 1);

    const winner = responses.findIndex((response) => response.status === 200);
    const stored = (await load(token)).get('q0')!;
    expect(stored).toMatchObject({ value: `edit ${winner}`, version: 2 });
    // Every loser is told what it lost to.
    const problems = await Promise.all(responses.filter((response) => response.status === 409).map((response) => response.json() as Promise<{ code: string; current: PortalAnswer }>));
    expect(new Set(problems.map((problem) => problem.code))).toEqual(new Set(['stale_answer']));
    expect(problems.every((problem) => problem.current.value === `edit ${winner}` && problem.current.version === 2)).toBe(true);
  });
});
