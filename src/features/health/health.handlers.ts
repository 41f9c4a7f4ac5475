import type { RouteHandler } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { AppEnv } from '../../lib/context';
import { problems } from '../../lib/errors';
import type { livenessRoute, readinessRoute } from './health.routes';

const READINESS_TIMEOUT_MS = 2_000;

export const livenessHandler: RouteHandler<typeof livenessRoute, AppEnv> = (c) => c.json({ status: 'ok' as const }, 200);

export const readinessHandler: RouteHandler<typeof readinessRoute, AppEnv> = async (c) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('database did not answer in time')), READINESS_TIMEOUT_MS);
  });
  const check = async () => {
    const handle = await c.get('deps').database.open();
    try {
      await handle.db.execute(sql`select 1`);
    } finally {
      await handle.release();
    }
  };
  try {
    await Promise.race([check(), timeout]);
  } catch (error) {
    c.get('deps').logger.warn('readiness check failed', { requestId: c.get('requestId'), error: (error as Error).message });
    throw problems.unavailable('The database is not reachable.');
  } finally {
    clearTimeout(timer);
  }
  return c.json({ status: 'ready' as const, database: 'up' as const }, 200);
};
