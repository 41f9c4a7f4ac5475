import type { AuditContext } from '../lib/audit';
import type { Actor } from '../lib/context';

/** Who the audit log names for changes the scheduled jobs make: no person, no request. */
export const JOBS_ACTOR: Actor = { type: 'system', id: 'jobs' };

export function jobsAuditContext(tenantId: string, now: Date): AuditContext {
  return { tenantId, actor: JOBS_ACTOR, requestId: null, now };
}
