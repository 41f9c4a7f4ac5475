import { runDueJobs } from '../../src/jobs/run-due-jobs';
import type { WebhookDispatchOptions } from '../../src/features/webhooks/webhooks.dispatch';
import { createLogger } from '../../src/lib/logger';
import type { TestContext, TestTenant } from './context';

/** One pass of the due jobs at `now` for one tenant only: files share the database with other tenants' due work. */
export const runJobsForTenant = (t: TestContext, tenant: TestTenant, now: Date, webhookDelivery: WebhookDispatchOptions = {}) =>
  runDueJobs(t.db, now, createLogger('silent'), {
    config: t.config,
    assessmentJobs: { tenantId: tenant.id },
    findingJobs: { tenantId: tenant.id },
    riskJobs: { tenantId: tenant.id },
    alertJobs: { tenantId: tenant.id },
    webhookDelivery: { tenantId: tenant.id, ...webhookDelivery },
  });
