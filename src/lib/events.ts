import { and, eq } from 'drizzle-orm';
import type { WebhookEventType } from '../catalog/webhook-events';
import { webhookDeliveries, webhookEndpoints, webhookEvents } from '../db/schema';
import type { Db } from '../db/types';
import { newId } from './ids';

// Postgres takes at most 65,535 parameters per statement; a delivery row has 9.
const ROWS_PER_INSERT = 1000;
function* chunks<T>(rows: readonly T[]): Generator<T[]> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) yield rows.slice(start, start + ROWS_PER_INSERT);
}

export interface DomainEvent {
  type: WebhookEventType;
  data: Record<string, unknown>;
}

/**
 * Writes events to the outbox, in the caller's transaction: they are delivered only if the change
 * they report commits, and a change that commits never loses its events. Fans out to the
 * tenant's active endpoints that want the type, one delivery each; with no such endpoint nothing
 * is written (one indexed read), and `build` is not even called. Many events go in two statements, not 2×N.
 */
export async function emitEvents(
  tx: Db,
  tenantId: string,
  now: Date,
  types: readonly WebhookEventType[],
  build: () => readonly DomainEvent[] | Promise<readonly DomainEvent[]>,
): Promise<void> {
  if (types.length === 0) return;
  const endpoints = await tx
    .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.status, 'active')));
  const wanted = endpoints.filter((endpoint) => types.some((type) => endpoint.events.includes(type)));
  if (wanted.length === 0) return;
  // Built only when someone listens: a bulk import with no endpoint pays one read, not the payloads.
  const events = await build();
  const eventRows = events
    .filter((event) => wanted.some((endpoint) => endpoint.events.includes(event.type)))
    .map((event) => ({ tenantId, id: newId('webhookEvent', now), type: event.type, data: event.data, createdAt: now }));
  for (const chunk of chunks(eventRows)) await tx.insert(webhookEvents).values(chunk);
  const deliveries = eventRows.flatMap((event) =>
    wanted
      .filter((endpoint) => endpoint.events.includes(event.type))
      .map((endpoint) => ({
        tenantId,
        id: newId('webhookDelivery', now),
        endpointId: endpoint.id,
        eventId: event.id,
        eventType: event.type,
        status: 'pending',
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
      })),
  );
  for (const chunk of chunks(deliveries)) await tx.insert(webhookDeliveries).values(chunk);
}

export const emitEvent = (tx: Db, tenantId: string, now: Date, event: DomainEvent) => emitEvents(tx, tenantId, now, [event.type], () => [event]);
