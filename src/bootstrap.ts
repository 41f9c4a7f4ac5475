import type { Config } from './config';
import type { Db } from './db/types';
import { countTenants } from './features/tenants/tenants.queries';
import type { Logger } from './lib/logger';

/**
 * On an empty database (a fresh clone's first `npm start`), loads the demo: a tenant with its
 * supplier register, assessments in every state and a key per role (scripts/demo, the same data as
 * `npm run seed:demo`, through the API). The keys are shown once on the console, never in the JSON
 * log; so is a demo portal link, in development with MAIL_TRANSPORT=log only.
 */
export async function ensureDemoTenant(db: Db, config: Config, logger: Logger): Promise<void> {
  if (!config.demoTenantOnEmpty || (await countTenants(db)) > 0) return;
  const { formatDemoSummary, loadDemo } = await import('../scripts/demo/load-demo');
  const demo = await loadDemo({ config, db }).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`loading the demo failed: ${reason}. Start again on an empty DATA_DIR, or set DEMO_TENANT_ON_EMPTY=false.`, { cause: error });
  });
  logger.info('demo tenant created', {
    tenantId: demo.tenant.id,
    durationMs: demo.durationMs,
    suppliers: demo.counts.suppliers,
    assessments: demo.counts.assessments,
  });
  process.stdout.write(formatDemoSummary(demo, config));
}
