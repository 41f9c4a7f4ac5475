// The webhook dispatcher on real PostgreSQL: 3,000 events for one endpoint, delivered to a local
// receiver (a plain node:http server in a child-free loop on loopback) by runs of the dispatcher
// until none is pending. Reports deliveries per second, and checks every signature arrived.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config';
import { deliverDueWebhooks } from '../src/features/webhooks/webhooks.dispatch';
import { createTenantWithAdminKey } from '../src/features/tenants/tenants.queries';
import { webhookEndpoints } from '../src/db/schema';
import { emitEvents, type DomainEvent } from '../src/lib/events';
import { newId } from '../src/lib/ids';
import { createLogger } from '../src/lib/logger';
import { withThrowawayDatabase } from './throwaway-database';

const TARGET_PER_SECOND = 200;
const EVENTS = 3000;

export async function benchWebhooks(adminUrl: string) {
  let received = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.headers['webhook-signature']) received += 1;
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await withThrowawayDatabase(adminUrl, 'webhooks', async (database) => {
      const { db } = await database.open();
      const config = loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
      const now = new Date();
      const { tenant } = await createTenantWithAdminKey(db, { name: 'Webhook bench', actor: { type: 'system', id: 'bench' }, requestId: null, now });
      await db.insert(webhookEndpoints).values({
        tenantId: tenant.id,
        id: newId('webhookEndpoint', now),
        url: `http://127.0.0.1:${port}/hook`,
        events: ['supplier.updated'],
        secretSealed: 'plain:whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
        status: 'active',
        createdByType: 'system',
        createdById: 'bench',
        createdAt: now,
        updatedAt: now,
      });
      const events: DomainEvent[] = Array.from({ length: EVENTS }, (_, index) => ({
        type: 'supplier.updated',
        data: { supplierId: `sup_${index}`, name: `Supplier ${index}`, changedFields: ['name'] },
      }));
      await db.transaction((tx) => emitEvents(tx, tenant.id, now, ['supplier.updated'], () => events));
      const logger = createLogger('error');
      const started = performance.now();
      let runs = 0;
      for (;;) {
        const attempted = await deliverDueWebhooks(db, new Date(), logger, config, { tenantId: tenant.id, batchSize: 500, concurrency: 32 });
        if (attempted === 0) break;
        runs += 1;
      }
      const seconds = (performance.now() - started) / 1000;
      const perSecond = Math.round(EVENTS / seconds);
      return { events: EVENTS, delivered: received, runs, seconds: Math.round(seconds * 100) / 100, perSecond, targetPerSecond: TARGET_PER_SECOND, met: received === EVENTS && perSecond >= TARGET_PER_SECOND };
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
