import { and, asc, eq, gt } from 'drizzle-orm';
import { auditChainHeads, auditLog } from '../db/schema';
import type { Db } from '../db/types';
import type { Actor, AppContext } from './context';
import { canonicalJson, sha256Hex } from './crypto';
import { newId } from './ids';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditContext {
  tenantId: string;
  actor: Actor;
  requestId: string | null;
  now: Date;
}

export interface AuditEvent {
  action: string;
  entityType: string;
  entityId: string;
  changes?: Record<string, unknown>;
}

export function auditContextOf(c: AppContext, tenantId = c.get('principal').tenantId): AuditContext {
  const principal = c.get('principal') as AppContext['var']['principal'] | undefined;
  return {
    tenantId,
    actor: principal?.actor ?? { type: 'platform', id: 'platform' },
    requestId: c.get('requestId') ?? null,
    now: c.get('now'),
  };
}

interface HashedFields {
  tenantId: string;
  seq: number;
  id: string;
  occurredAt: Date;
  actorType: string;
  actorId: string;
  action: string;
  entityType: string;
  entityId: string;
  changes: unknown;
  requestId: string | null;
  prevHash: string;
}

export function hashEntry(entry: HashedFields): Promise<string> {
  return sha256Hex(
    canonicalJson({
      tenantId: entry.tenantId,
      seq: entry.seq,
      id: entry.id,
      occurredAt: entry.occurredAt.toISOString(),
      actorType: entry.actorType,
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      changes: entry.changes,
      requestId: entry.requestId,
      prevHash: entry.prevHash,
    }),
  );
}

/** A new tenant's chain starts here, in the transaction that creates the tenant. */
export async function startAuditChain(tx: Db, tenantId: string): Promise<void> {
  await tx.insert(auditChainHeads).values({ tenantId, lastSeq: 0, lastHash: GENESIS_HASH });
}

/**
 * Appends entries to the tenant's chain. Call it inside the transaction that makes the change:
 * the row lock on the chain head keeps sequence numbers gap-free under concurrent writers.
 */
export async function recordAudit(tx: Db, context: AuditContext, events: AuditEvent | AuditEvent[]): Promise<void> {
  const list = Array.isArray(events) ? events : [events];
  if (list.length === 0) return;
  const [head] = await tx
    .select()
    .from(auditChainHeads)
    .where(eq(auditChainHeads.tenantId, context.tenantId))
    .for('update');
  if (!head) throw new Error(`Audit chain head missing for tenant ${context.tenantId}`);
  let seq = head.lastSeq;
  let prevHash = head.lastHash;
  const rows = [];
  for (const event of list) {
    seq += 1;
    const fields: HashedFields = {
      tenantId: context.tenantId,
      seq,
      id: newId('auditEntry', context.now),
      occurredAt: context.now,
      actorType: context.actor.type,
      actorId: context.actor.id,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      // Round-trip through JSON so what is hashed is exactly what jsonb gives back.
      changes: JSON.parse(JSON.stringify(event.changes ?? {})) as Record<string, unknown>,
      requestId: context.requestId,
      prevHash,
    };
    const hash = await hashEntry(fields);
    rows.push({ ...fields, changes: fields.changes as Record<string, unknown>, hash });
    prevHash = hash;
  }
  await tx.insert(auditLog).values(rows);
  await tx
    .update(auditChainHeads)
    .set({ lastSeq: seq, lastHash: prevHash })
    .where(eq(auditChainHeads.tenantId, context.tenantId));
}

export interface ChainVerification {
  valid: boolean;
  checked: number;
  firstBrokenSeq: number | null;
}

/** Walks the whole chain in pages, recomputing every hash and link. */
export async function verifyAuditChain(db: Db, tenantId: string, pageSize = 1000): Promise<ChainVerification> {
  const [head] = await db.select().from(auditChainHeads).where(eq(auditChainHeads.tenantId, tenantId));
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const page = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenantId), gt(auditLog.seq, expectedSeq - 1)))
      .orderBy(asc(auditLog.seq))
      .limit(pageSize);
    for (const entry of page) {
      const recomputed = await hashEntry(entry);
      if (entry.seq !== expectedSeq || entry.prevHash !== prevHash || entry.hash !== recomputed) {
        return { valid: false, checked, firstBrokenSeq: Math.min(entry.seq, expectedSeq) };
      }
      checked += 1;
      prevHash = entry.hash;
      expectedSeq += 1;
    }
    if (page.length < pageSize) break;
  }
  // The head remembers the last entry: a chain cut short at its end is caught here.
  if (head && (head.lastSeq !== expectedSeq - 1 || head.lastHash !== prevHash)) {
    return { valid: false, checked, firstBrokenSeq: expectedSeq };
  }
  return { valid: true, checked, firstBrokenSeq: null };
}
