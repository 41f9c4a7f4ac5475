import { eq, sql } from 'drizzle-orm';
import { auditChainHeads } from '../../db/schema';
import { preparedPerDatabase } from '../../db/prepared';
import type { Db } from '../../db/types';
import type { AppDeps } from '../../lib/context';

/**
 * The dashboard aggregates the whole register (hundreds of milliseconds at 100,000 suppliers), so a
 * computed one is kept per tenant and served again while nothing has changed. "Changed" is read
 * from the tenant's audit chain: every write through the API appends to it in its own
 * transaction, so a dashboard computed at sequence n is exact for as long as the head is still at n.
 * What moves without an audit entry (time itself: overdue counts; jobs and imports that write
 * directly) is bounded by MAX_AGE_MS. Concurrent requests for the same state share one computation.
 */
const MAX_AGE_MS = 30_000;
const MAX_TENANTS = 1_000;

interface Entry<T> {
  seq: number;
  computedAt: number;
  value: Promise<T>;
}

const auditHead = preparedPerDatabase((db) =>
  db
    .select({ lastSeq: auditChainHeads.lastSeq })
    .from(auditChainHeads)
    .where(eq(auditChainHeads.tenantId, sql.placeholder('tenantId')))
    .prepare('dashboard_audit_head'),
);

export class DashboardCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  async get(db: Db, tenantId: string, now: Date, compute: () => Promise<T>): Promise<T> {
    const [head] = await auditHead(db, { tenantId });
    const seq = head?.lastSeq ?? 0;
    const entry = this.entries.get(tenantId);
    const age = now.getTime() - (entry?.computedAt ?? 0);
    if (entry && entry.seq === seq && age >= 0 && age < MAX_AGE_MS) return entry.value;

    const value = compute();
    this.entries.delete(tenantId);
    if (this.entries.size >= MAX_TENANTS) this.entries.delete(this.entries.keys().next().value!);
    const fresh: Entry<T> = { seq, computedAt: now.getTime(), value };
    this.entries.set(tenantId, fresh);
    // A failed computation is not kept: the next request tries again.
    value.catch(() => {
      if (this.entries.get(tenantId) === fresh) this.entries.delete(tenantId);
    });
    return value;
  }
}

const caches = new WeakMap<AppDeps, DashboardCache<unknown>>();

/** One cache per app (tests build many apps over different databases). */
export function dashboardCacheOf<T>(deps: AppDeps): DashboardCache<T> {
  let cache = caches.get(deps);
  if (!cache) {
    cache = new DashboardCache<unknown>();
    caches.set(deps, cache);
  }
  return cache as DashboardCache<T>;
}
