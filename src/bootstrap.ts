import type { Config } from './config';
import type { Db } from './db/types';
import { countTenants, createTenantWithAdminKey } from './features/tenants/tenants.queries';
import type { Logger } from './lib/logger';

/**
 * On an empty database (a fresh clone's first `npm start`), creates a demo tenant and prints its
 * admin key once. The key is shown on the console only, never in the JSON log.
 */
export async function ensureDemoTenant(db: Db, config: Config, logger: Logger): Promise<void> {
  if (!config.demoTenantOnEmpty || (await countTenants(db)) > 0) return;
  const { tenant, apiKey } = await createTenantWithAdminKey(db, {
    name: 'Demo tenant',
    actor: { type: 'system', id: 'bootstrap' },
    requestId: null,
    now: new Date(),
    keyName: 'Demo admin key',
  });
  logger.info('demo tenant created', { tenantId: tenant.id, apiKeyId: apiKey.row.id });
  process.stdout.write(
    [
      '',
      '  Chainproof demo tenant created (shown once):',
      `    tenant   ${tenant.id}`,
      `    API key  ${apiKey.key}`,
      `    docs     ${config.publicBaseUrl}/docs`,
      '',
      `  Try: curl -H "Authorization: Bearer ${apiKey.key}" ${config.publicBaseUrl}/v1/tenant`,
      '',
    ].join('\n') + '\n',
  );
}
