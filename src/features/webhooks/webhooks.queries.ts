import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { webhookDeliveries, webhookEndpoints } from '../../db/schema';
import type { Db } from '../../db/types';
import { problems } from '../../lib/errors';

export type WebhookRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

const endpointById = (tenantId: string, id: string) => and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id));

export async function findWebhook(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<WebhookRow | undefined> {
  const query = db.select().from(webhookEndpoints).where(endpointById(tenantId, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function requireWebhook(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<WebhookRow> {
  const row = await findWebhook(db, tenantId, id, options);
  if (!row) throw problems.notFound('Webhook');
  return row;
}

export async function insertWebhook(db: Db, values: typeof webhookEndpoints.$inferInsert): Promise<WebhookRow> {
  const [row] = await db.insert(webhookEndpoints).values(values).returning();
  return row!;
}

export type WebhookChanges = Partial<Pick<WebhookRow, 'url' | 'events' | 'description' | 'status' | 'disabledReason' | 'disabledAt'>>;

export async function updateWebhook(db: Db, current: WebhookRow, changes: WebhookChanges, now: Date): Promise<WebhookRow> {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ ...changes, version: current.version + 1, updatedAt: now })
    .where(endpointById(current.tenantId, current.id))
    .returning();
  return row!;
}

export async function deleteWebhook(db: Db, tenantId: string, id: string): Promise<void> {
  await db.delete(webhookDeliveries).where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.endpointId, id)));
  await db.delete(webhookEndpoints).where(endpointById(tenantId, id));
}

export function listWebhooks(db: Db, filter: { tenantId: string; limit: number; afterId?: string | undefined }): Promise<WebhookRow[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, filter.tenantId), filter.afterId ? lt(webhookEndpoints.id, filter.afterId) : undefined))
    .orderBy(desc(webhookEndpoints.id))
    .limit(filter.limit + 1);
}

export function listDeliveries(
  db: Db,
  filter: { tenantId: string; endpointId: string; limit: number; status?: string | undefined; afterId?: string | undefined },
): Promise<WebhookDeliveryRow[]> {
  const conditions: (SQL | undefined)[] = [
    eq(webhookDeliveries.tenantId, filter.tenantId),
    eq(webhookDeliveries.endpointId, filter.endpointId),
    filter.status ? eq(webhookDeliveries.status, filter.status) : undefined,
    filter.afterId ? lt(webhookDeliveries.id, filter.afterId) : undefined,
  ];
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(...conditions))
    .orderBy(desc(webhookDeliveries.id))
    .limit(filter.limit + 1);
}

export async function findDelivery(db: Db, tenantId: string, endpointId: string, id: string, options: { forUpdate?: boolean } = {}) {
  const query = db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.id, id)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function queueRedelivery(db: Db, delivery: WebhookDeliveryRow, now: Date): Promise<WebhookDeliveryRow> {
  const [row] = await db
    .update(webhookDeliveries)
    .set({ status: 'pending', nextAttemptAt: now, leasedUntil: null, updatedAt: now })
    .where(and(eq(webhookDeliveries.tenantId, delivery.tenantId), eq(webhookDeliveries.id, delivery.id)))
    .returning();
  return row!;
}
