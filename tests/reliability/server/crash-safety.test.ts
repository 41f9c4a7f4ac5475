// Crash safety: the real server is killed with SIGKILL in the middle of a write load, then started
// again on the same data. Every write it acknowledged with a 2xx must be there, and the tenant's
// hash-chained audit log must still verify.
import { afterEach, describe, expect, it } from 'vitest';
import { createLiveTenant, pgliteFolder, sleep, startLiveServer, throwawayPostgres, type LiveDatabase, type LiveServer } from '../support/live-server';

/** Concurrent writers: enough to have several writes in flight (and queued) at the moment of the kill. */
const WRITERS = 8;
/** Acknowledged writes before the kill; the kill then lands at a random moment of the next 300 ms. */
const ACKNOWLEDGED_BEFORE_KILL = 60;

interface Acknowledged {
  id: string;
  name: string;
}

/**
 * Writers creating suppliers until the server dies under them. Returns the writes answered 2xx;
 * whatever was in flight at the kill may or may not have been committed, and either is fine.
 */
async function writeUntilKilled(server: LiveServer, key: string): Promise<{ acknowledged: Acknowledged[]; refused: number }> {
  const acknowledged: Acknowledged[] = [];
  let refused = 0;
  let dead = false;
  let serial = 0;
  const writer = async (writerId: number) => {
    while (!dead) {
      serial += 1;
      const name = `Crash GmbH ${writerId}-${serial}`;
      try {
        const response = await fetch(`${server.base}/v1/suppliers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': `crash-${writerId}-${serial}` },
          body: JSON.stringify({ name, country: 'DE' }),
        });
        const body = (await response.json()) as { id?: string };
        if (response.status >= 200 && response.status < 300) acknowledged.push({ id: body.id!, name });
        else {
          // Not expected under a plain load; the test fails on it rather than writing on forever.
          refused += 1;
          dead = true;
        }
      } catch {
        // The connection died with the server: this write was never acknowledged.
        dead = true;
      }
    }
  };
  const killer = (async () => {
    while (acknowledged.length < ACKNOWLEDGED_BEFORE_KILL && !dead) await sleep(5);
    await sleep(Math.random() * 300);
    await server.kill9();
    dead = true;
  })();
  await Promise.all([...Array.from({ length: WRITERS }, (_, index) => writer(index)), killer]);
  return { acknowledged, refused };
}

async function getJson<T>(server: LiveServer, key: string, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as T };
}

async function crashAndRestart(database: LiveDatabase) {
  let server = await startLiveServer(database);
  try {
    await server.ready();
    const tenant = await createLiveTenant(server.base, `Crash safety ${database.kind}`);
    const { acknowledged, refused } = await writeUntilKilled(server, tenant.key);
    expect(server.child.signalCode).toBe('SIGKILL');
    expect(refused).toBe(0);
    expect(acknowledged.length).toBeGreaterThanOrEqual(ACKNOWLEDGED_BEFORE_KILL);

    server = await startLiveServer(database);
    await server.ready();
    const missing: string[] = [];
    for (const write of acknowledged) {
      const { status, body } = await getJson<{ name: string }>(server, tenant.key, `/v1/suppliers/${write.id}`);
      if (status !== 200 || body.name !== write.name) missing.push(`${write.id} (${write.name}): ${status}`);
    }
    expect(missing).toEqual([]);

    const verified = await getJson<{ valid: boolean; checked: number; firstBrokenSeq: number | null }>(server, tenant.key, '/v1/audit-log/verify');
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ valid: true, firstBrokenSeq: null });
    expect(verified.body.checked).toBeGreaterThanOrEqual(acknowledged.length);

    // The chain goes on from where the crash left it: a new write links to the last committed entry.
    const after = await fetch(`${server.base}/v1/suppliers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'After the crash GmbH', country: 'DE' }),
    });
    expect(after.status).toBe(201);
    const again = await getJson<{ valid: boolean; checked: number }>(server, tenant.key, '/v1/audit-log/verify');
    expect(again.body).toMatchObject({ valid: true, checked: verified.body.checked + 1 });
  } catch (error) {
    console.error(server.output.text());
    throw error;
  } finally {
    await server.stop();
  }
}

describe('kill -9 during a write load', () => {
  let database: LiveDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
    database = undefined;
  });

  // A fresh PGlite folder starts slowly (initdb and every migration): the longest test here, and
  // over a minute on a 2-core machine busy with other suites.
  it('keeps every acknowledged write and a valid audit chain on a PGlite data folder', async () => {
    database = await pgliteFolder();
    await crashAndRestart(database);
  }, 300_000);

  it('keeps every acknowledged write and a valid audit chain on PostgreSQL', async () => {
    database = await throwawayPostgres('crash');
    await crashAndRestart(database);
  });
});
