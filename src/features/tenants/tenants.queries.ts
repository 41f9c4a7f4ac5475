import { eq } from 'drizzle-orm';
import { ALL_SCOPES } from '../../catalog/access';
import { tenants } from '../../db/schema';
import type { Db } from '../../db/types';
import { recordAudit, startAuditChain } from '../../lib/audit';
import type { Actor } from '../../lib/context';
import { newId } from '../../lib/ids';
import { insertApiKey } from '../api-keys/api-keys.queries';

export type TenantRow = typeof tenants.$inferSelect;

/** One transaction: the tenant, its audit chain, its first admin key and the audit entries for both. */
export async function createTenantWithAdminKey(
  db: Db,
  input: { name: string; actor: Actor; requestId: string | null; now: Date; keyName?: string },
) {
  return db.transaction(async (tx) => {
    const id = newId('tenant', input.now);
    const [tenant] = await tx
      .insert(tenants)
      .values({ id, name: input.name, createdAt: input.now, updatedAt: input.now })
      .returning();
    if (!tenant) throw new Error('insert returned no row');
    await startAuditChain(tx, id);
    const apiKey = await insertApiKey(tx, {
      tenantId: id,
      name: input.keyName ?? 'First admin key',
      scopes: ALL_SCOPES,
      createdBy: input.actor,
      expiresAt: null,
      now: input.now,
    });
    await recordAudit(tx, { tenantId: id, actor: input.actor, requestId: input.requestId, now: input.now }, [
      { action: 'tenant.created', entityType: 'tenant', entityId: id, changes: { name: input.name } },
      {
        action: 'api_key.created',
        entityType: 'api_key',
        entityId: apiKey.row.id,
        changes: { name: apiKey.row.name, scopes: apiKey.row.scopes },
      },
    ]);
    return { tenant, apiKey };
  });
}

export async function findTenant(db: Db, id: string): Promise<TenantRow | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, id));
  return row;
}

export async function countTenants(db: Db): Promise<number> {
  const rows = await db.select({ id: tenants.id }).from(tenants).limit(1);
  return rows.length;
}
