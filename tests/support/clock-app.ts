import { buildApp, type App } from '../../src/app';
import type { Config } from '../../src/config';
import { createLogger } from '../../src/lib/logger';
import type { TestContext } from './context';

/** A second app over the test database whose clock the test sets (`clock.now`), optionally with other settings. */
export function appWithClock(t: TestContext, clock: { now: Date }, config: Config = t.config): App {
  return buildApp({
    config,
    database: { open: async () => ({ db: t.db, release: async () => {} }), close: async () => {} },
    logger: createLogger('silent'),
    docsAssets: async () => undefined,
    clock: () => clock.now,
  });
}
