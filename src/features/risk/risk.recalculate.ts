import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { riskRecalculations, suppliers } from '../../db/schema';
import type { Db } from '../../db/types';
import type { Actor } from '../../lib/context';
import { newId } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import { currentRiskModel } from '../risk-model/risk-model.queries';
import { rowsOf } from '../../db/rows';
import { rescoreSuppliers } from './risk.rescore';

export type RecalculationRow = typeof riskRecalculations.$inferSelect;

/** Suppliers re-scored per transaction: big enough for set-based gathering to pay, small enough to keep locks short. */
export const RECALCULATION_BATCH_SIZE = 500;
/** A claim lasts this long past each batch; a crashed instance's recalculation is picked up after it. */
const LEASE_MS = 2 * 60_000;
/** Workers cron runs have limited wall time: stop claiming batches after this and let the next run continue. */
const DEFAULT_TIME_BUDGET_MS = 20_000;

/** Namespace of our advisory locks (two-key form), distinct from the supply chain's. */
const RECALCULATION_LOCK_CLASS = 0x5c4a2;

export async function findRecalculation(db: Db, tenantId: string, id: string): Promise<RecalculationRow | undefined> {
  const [row] = await db
    .select()
    .from(riskRecalculations)
    .where(and(eq(riskRecalculations.tenantId, tenantId), eq(riskRecalculations.id, id)));
  return row;
}

/**
 * Queues a recalculation unless one is queued or running (then returns that one, created: false).
 * An advisory lock serialises two requests racing for the tenant: the table has no unique index on
 * "one active per tenant", and two POSTs must not both queue one.
 */
export async function queueRecalculation(
  tx: Db,
  input: { tenantId: string; actor: Actor; now: Date },
): Promise<{ row: RecalculationRow; created: boolean }> {
  await tx.execute(sql`select pg_advisory_xact_lock(${RECALCULATION_LOCK_CLASS}::int, hashtext(${input.tenantId}))`);
  const [active] = await tx
    .select()
    .from(riskRecalculations)
    .where(and(eq(riskRecalculations.tenantId, input.tenantId), sql`${riskRecalculations.status} in ('queued', 'running')`))
    .orderBy(asc(riskRecalculations.createdAt))
    .limit(1);
  const [{ total } = { total: 0 }] = await tx
    .select({ total: sql<number>`count(*)::int` })
    .from(suppliers)
    .where(and(eq(suppliers.tenantId, input.tenantId), isNull(suppliers.archivedAt)));
  const { version } = await currentRiskModel(tx, input.tenantId);
  if (active && active.modelVersion === version) return { row: active, created: false };
  if (active) {
    // The model changed under a running recalculation: suppliers it already did carry the old
    // version. Start it over; clearing the lease makes the instance running it lose its claim
    // (its next batch rolls back) so the restart is not overwritten.
    const [restarted] = await tx
      .update(riskRecalculations)
      .set({ modelVersion: version, total: Number(total), processed: 0, changed: 0, cursor: null, leaseUntil: null, status: 'queued' })
      .where(and(eq(riskRecalculations.tenantId, active.tenantId), eq(riskRecalculations.id, active.id)))
      .returning();
    return { row: restarted!, created: false };
  }
  const [row] = await tx
    .insert(riskRecalculations)
    .values({
      tenantId: input.tenantId,
      id: newId('recalculation', input.now),
      status: 'queued',
      modelVersion: version,
      total: Number(total),
      requestedByType: input.actor.type,
      requestedById: input.actor.id,
      createdAt: input.now,
    })
    .returning();
  return { row: row!, created: true };
}

/**
 * Claims the oldest queued or running recalculation whose lease is free (never taken, or run out
 * because its instance died). SKIP LOCKED and the lease make two instances take different ones.
 */
async function claim(db: Db, now: Date, tenantId: string | undefined): Promise<RecalculationRow | undefined> {
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  const [row] = await rowsOf<{ tenant_id: string; id: string }>(
    db,
    sql`update ${riskRecalculations} set status = 'running', lease_until = ${leaseUntil.toISOString()}::timestamptz,
               started_at = coalesce(started_at, ${now.toISOString()}::timestamptz)
        where (tenant_id, id) = (
          select tenant_id, id from ${riskRecalculations}
          where status in ('queued', 'running')
            and (lease_until is null or lease_until < ${now.toISOString()}::timestamptz)
            ${tenantId ? sql`and tenant_id = ${tenantId}` : sql``}
          order by created_at
          limit 1
          for update skip locked)
        returning tenant_id, id`,
  );
  return row ? findRecalculation(db, row.tenant_id, row.id) : undefined;
}

class LeaseLost extends Error {}

/**
 * One batch in one transaction: the next suppliers after the cursor, re-scored, and the progress
 * written only if the lease is still ours (an instance that stalled past its lease and lost the
 * recalculation to another rolls its batch back instead of counting it twice).
 */
async function processBatch(db: Db, recalculation: RecalculationRow, now: Date, batchSize: number): Promise<RecalculationRow> {
  return db.transaction(async (tx) => {
    const ids = await tx
      .select({ id: suppliers.id })
      .from(suppliers)
      .where(
        and(
          eq(suppliers.tenantId, recalculation.tenantId),
          isNull(suppliers.archivedAt),
          recalculation.cursor ? gt(suppliers.id, recalculation.cursor) : undefined,
        ),
      )
      .orderBy(asc(suppliers.id))
      .limit(batchSize);
    const result = await rescoreSuppliers(tx, {
      tenantId: recalculation.tenantId,
      supplierIds: ids.map((row) => row.id),
      now,
      trigger: 'recalculation',
    });
    const done = ids.length < batchSize;
    const [updated] = await tx
      .update(riskRecalculations)
      .set({
        cursor: ids.at(-1)?.id ?? recalculation.cursor,
        processed: recalculation.processed + result.scored,
        changed: recalculation.changed + result.changed,
        ...(done
          ? { status: 'completed', finishedAt: now, leaseUntil: null }
          : { leaseUntil: new Date(Math.max(Date.now(), now.getTime()) + LEASE_MS) }),
      })
      .where(
        and(
          eq(riskRecalculations.tenantId, recalculation.tenantId),
          eq(riskRecalculations.id, recalculation.id),
          eq(riskRecalculations.status, 'running'),
          recalculation.leaseUntil ? eq(riskRecalculations.leaseUntil, recalculation.leaseUntil) : isNull(riskRecalculations.leaseUntil),
        ),
      )
      .returning();
    if (!updated) throw new LeaseLost();
    return updated;
  });
}

export interface RecalculationJobOptions {
  batchSize?: number;
  /** Only this tenant's recalculations (tests). */
  tenantId?: string;
  timeBudgetMs?: number;
}

/**
 * The background side of `POST /v1/risk/recalculate`: claims recalculations and works through
 * their suppliers by keyset cursor, batch by batch, until done or out of time. Returns the number
 * of suppliers re-scored. Safe on several instances: see claim and processBatch.
 */
export async function runRecalculations(db: Db, now: Date, logger: Logger, options: RecalculationJobOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? RECALCULATION_BATCH_SIZE;
  const deadline = Date.now() + (options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
  let processed = 0;
  for (let recalculation = await claim(db, now, options.tenantId); recalculation; recalculation = await claim(db, now, options.tenantId)) {
    let current = recalculation;
    try {
      while (current.status === 'running') {
        // At least one batch per claim, so any budget makes progress.
        const before = current.processed;
        current = await processBatch(db, current, now, batchSize);
        processed += current.processed - before;
        if (current.status === 'running' && Date.now() > deadline) {
          // Out of time: free the lease so the next run continues at once rather than after it expires.
          await db
            .update(riskRecalculations)
            .set({ leaseUntil: null })
            .where(and(eq(riskRecalculations.tenantId, current.tenantId), eq(riskRecalculations.id, current.id), eq(riskRecalculations.leaseUntil, current.leaseUntil!)));
          return processed;
        }
      }
    } catch (error) {
      if (error instanceof LeaseLost) continue;
      logger.error('risk recalculation failed', { tenantId: current.tenantId, recalculationId: current.id, error });
      await db
        .update(riskRecalculations)
        .set({ status: 'failed', error: 'Re-scoring failed; the server log has the details. Request a new recalculation.', finishedAt: now, leaseUntil: null })
        .where(and(eq(riskRecalculations.tenantId, current.tenantId), eq(riskRecalculations.id, current.id)));
    }
  }
  return processed;
}

export function presentRecalculation(row: RecalculationRow) {
  return {
    id: row.id,
    status: row.status as 'queued',
    total: row.total,
    processed: row.processed,
    changed: row.changed,
    modelVersion: row.modelVersion,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
