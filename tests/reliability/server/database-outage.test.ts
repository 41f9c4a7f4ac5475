// Database outage: the real server on PostgreSQL through a TCP proxy that the test cuts and restores.
// While the database is away, requests that need it answer 503 problem+json quickly (no 500, no
// hang) and /readyz says so; when it is back, the server recovers without a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveTenant, sleep, startLiveServer, throwawayPostgres, type LiveDatabase, type LiveServer } from '../support/live-server';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

/** How long a request may take to give up on a database that refuses connections (busy CI machine included). */
const REFUSED_ANSWER_WITHIN_MS = 3_000;
/**
 * How long a request may take to give up on a database that accepts connections but never answers:
 * the 5 s connect timeout (postgres.js's default is 30 s), with room for a busy CI machine.
 */
const SILENT_ANSWER_WITHIN_MS = 12_000;
/** How long the server may take to serve again once the database is back. */
const RECOVER_WITHIN_MS = 5_000;

let database: LiveDatabase;
let proxy: TcpProxy;
let server: LiveServer;
let tenant: { id: string; key: string };

beforeAll(async () => {
  database = await throwawayPostgres('outage');
  const upstream = new URL(database.url!);
  proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
  const throughProxy = new URL(database.url!);
  throughProxy.host = `127.0.0.1:${proxy.port}`;
  // In-process jobs stay off: they would only add database traffic the test does not look at.
  server = await startLiveServer(database, { DATABASE_URL: throughProxy.toString(), JOBS_INTERVAL_SECONDS: '0' });
  await server.ready();
  tenant = await createLiveTenant(server.base, 'Database outage');
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await proxy?.close();
  await database?.drop();
});

interface Answer {
  status: number;
  contentType: string;
  retryAfter: string | null;
  body: { code?: string; status?: number } & Record<string, unknown>;
  ms: number;
}

async function call(path: string, init: { method?: string; json?: unknown; key?: string | null } = {}): Promise<Answer> {
  const started = Date.now();
  const headers: Record<string, string> = {};
  const key = init.key === undefined ? tenant.key : init.key;
  if (key) headers.authorization = `Bearer ${key}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.base}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    // Longer than any answer the test accepts: a hang shows as a slow answer, not a stuck test.
    signal: AbortSignal.timeout(45_000),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', retryAfter: response.headers.get('retry-after'), body: text ? JSON.parse(text) : {}, ms: Date.now() - started };
}

/** What every request that needs the database must get while it is away. */
function expectUnavailable(answer: Answer, what: string, withinMs: number) {
  expect({ what, status: answer.status, contentType: answer.contentType, code: answer.body.code, retryAfter: answer.retryAfter }).toEqual({
    what,
    status: 503,
    contentType: 'application/problem+json',
    code: 'service_unavailable',
    retryAfter: expect.stringMatching(/^\d+$/),
  });
  expect(answer.ms, `${what} answered after ${answer.ms} ms`).toBeLessThan(withinMs);
}

const duringOutage = () => [
  ['GET /readyz', () => call('/readyz', { key: null })],
  ['GET /v1/suppliers', () => call('/v1/suppliers')],
  ['POST /v1/suppliers', () => call('/v1/suppliers', { method: 'POST', json: { name: 'Outage GmbH', country: 'DE' } })],
  ['GET /v1/audit-log/verify', () => call('/v1/audit-log/verify')],
] as const;

/** The requests of a round go out together, as they would from several clients. */
async function expectRoundUnavailable(round: number, withinMs: number) {
  const requests = duringOutage();
  const answers = await Promise.all(requests.map(([, request]) => request()));
  answers.forEach((answer, index) => expectUnavailable(answer, `${requests[index]![0]} (round ${round + 1})`, withinMs));
}

async function expectRecovery(label: string) {
  const started = Date.now();
  let ready = await call('/readyz', { key: null });
  while (ready.status !== 200 && Date.now() - started < RECOVER_WITHIN_MS) {
    await sleep(250);
    ready = await call('/readyz', { key: null });
  }
  expect(ready.status, `/readyz ${Date.now() - started} ms after the database came back (${label})`).toBe(200);
  const created = await call('/v1/suppliers', { method: 'POST', json: { name: `Recovered GmbH ${label}`, country: 'DE' } });
  expect(created.status).toBe(201);
  const listed = await call('/v1/suppliers?limit=100');
  expect(listed.status).toBe(200);
  expect((listed.body.data as { name: string }[]).map((supplier) => supplier.name)).toContain(`Recovered GmbH ${label}`);
  const verified = await call('/v1/audit-log/verify');
  expect(verified.body).toMatchObject({ valid: true });
}

describe('the database goes away and comes back', () => {
  it('answers 503 problem+json while PostgreSQL refuses connections, and recovers by itself', async () => {
    expect((await call('/v1/suppliers', { method: 'POST', json: { name: 'Before GmbH', country: 'DE' } })).status).toBe(201);
    await proxy.cut();
    try {
      // The outage lasts a while: every round of requests in it gets the same answer, as fast.
      for (let round = 0; round < 6; round += 1) {
        await expectRoundUnavailable(round, REFUSED_ANSWER_WITHIN_MS);
        await sleep(300);
      }
      // /healthz does not touch the database: the process is alive.
      expect((await call('/healthz', { key: null })).status).toBe(200);
    } finally {
      await proxy.restore();
    }
    await expectRecovery('after refusal');
  });

  it('answers 503 problem+json when PostgreSQL stops answering (no refusal, only silence), and recovers by itself', async () => {
    await proxy.blackhole();
    try {
      await expectRoundUnavailable(0, SILENT_ANSWER_WITHIN_MS);
      // Once more, now that the first connection attempts have timed out: the pool is not stuck.
      await expectRoundUnavailable(1, SILENT_ANSWER_WITHIN_MS);
    } finally {
      await proxy.restore();
    }
    await expectRecovery('after silence');
  });
});
