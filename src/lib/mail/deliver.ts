import { and, asc, eq, lte, sql } from 'drizzle-orm';
import { mailOutbox } from '../../db/schema';
import type { Db } from '../../db/types';
import type { Logger } from '../logger';
import { MailSendError, type MailMessage, type MailTransport } from './transports';

export interface DeliveryOptions {
  /** Rows claimed per transaction. */
  batchSize?: number;
  /** Attempts before a mail is marked failed. With the backoff below, 12 spread over about 20 hours. */
  maxAttempts?: number;
  /** How far a claim pushes `next_attempt_at`: no other run takes the row before then. */
  leaseMs?: number;
  /** Wall-clock time after which a run starts no new send (claimed, unsent rows are handed back). */
  timeBudgetMs?: number;
  /** Only this tenant's mail (tests, or a "send now" for one tenant). Default: every tenant's. */
  tenantId?: string;
}

export interface DeliveryResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  /** Claimed but not sent because the time budget ran out: due again at once. */
  released: number;
}

export const MAIL_BACKOFF_BASE_MS = 60_000;
export const MAIL_BACKOFF_MAX_MS = 6 * 3_600_000;
export const MAIL_MAX_ATTEMPTS = 12;
// The lease must outlast the longest a claimed row can wait before its send ends: the time
// budget, plus one send (the transports time out after 15 s over HTTP, 10 + 30 s over SMTP).
const LEASE_MS = 15 * 60_000;
const TIME_BUDGET_MS = 5 * 60_000;

/** Wait before the next attempt, after `attempts` attempts: 1 min, 2, 4, … at most 6 h. */
export function mailBackoffMs(attempts: number): number {
  return Math.min(MAIL_BACKOFF_BASE_MS * 2 ** Math.max(attempts - 1, 0), MAIL_BACKOFF_MAX_MS);
}

type OutboxRow = typeof mailOutbox.$inferSelect;

function keysOf(rows: readonly Pick<OutboxRow, 'tenantId' | 'id'>[]) {
  return sql`(${mailOutbox.tenantId}, ${mailOutbox.id}) in (${sql.join(
    rows.map((row) => sql`(${row.tenantId}, ${row.id})`),
    sql`, `,
  )})`;
}

/**
 * Claims up to `limit` due mails in one short transaction: the rows are locked with FOR UPDATE
 * SKIP LOCKED (a concurrent run skips them instead of waiting), their attempt is counted and
 * `next_attempt_at` is moved to the end of the lease, so that once this commits no other run
 * finds them due. The sends happen after the commit.
 */
async function claimDue(db: Db, now: Date, limit: number, leaseUntil: Date, tenantId: string | undefined): Promise<OutboxRow[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ tenantId: mailOutbox.tenantId, id: mailOutbox.id })
      .from(mailOutbox)
      .where(
        and(
          eq(mailOutbox.status, 'pending'),
          lte(mailOutbox.nextAttemptAt, now),
          tenantId === undefined ? undefined : eq(mailOutbox.tenantId, tenantId),
        ),
      )
      .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.id))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(mailOutbox)
      .set({ attempts: sql`${mailOutbox.attempts} + 1`, nextAttemptAt: leaseUntil })
      .where(keysOf(due))
      .returning();
  });
}

// Only the row this run claimed, in the state it claimed it: `attempts` is the claim's token.
function claimedRow(row: OutboxRow) {
  return and(
    eq(mailOutbox.tenantId, row.tenantId),
    eq(mailOutbox.id, row.id),
    eq(mailOutbox.status, 'pending'),
    eq(mailOutbox.attempts, row.attempts),
  );
}

function messageOf(row: OutboxRow): MailMessage {
  return {
    id: row.id,
    kind: row.kind,
    to: { address: row.toAddress, ...(row.toName ? { name: row.toName } : {}) },
    subject: row.subject,
    text: row.textBody,
    ...(row.htmlBody !== null ? { html: row.htmlBody } : {}),
  };
}

/** What is stored in last_error and logged: a short message, with any URL credentials masked. */
function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\/\/[^\s/@]*@/g, '//***@').slice(0, 500) || 'unknown error';
}

/**
 * Sends the mails that are due, through `transport`. Safe to run from several instances at once:
 *
 * 1. claim (short transaction): lock due rows with FOR UPDATE SKIP LOCKED, count the attempt and
 *    push `next_attempt_at` to a lease 15 minutes ahead; commit;
 * 2. send each claimed mail outside any transaction (PGlite has one connection, and a transaction
 *    held open over an SMTP conversation would stall every request);
 * 3. mark it: `sent`, or back to pending with exponential backoff, or `failed` after
 *    `maxAttempts` or a permanent refusal. The update only matches the row as claimed (same
 *    `attempts`), so a run whose lease had run out cannot overwrite a newer claim.
 *
 * A run starts no new send after 5 minutes, so every send ends well inside its lease: a second
 * run can take a row again only if the process died between sending and marking it (delivery is
 * at least once in that case, as with any outbox), never while the first run still works on it.
 */
export async function deliverDueMail(
  db: Db,
  now: Date,
  transport: MailTransport,
  logger: Logger,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const batchSize = options.batchSize ?? 50;
  const maxAttempts = options.maxAttempts ?? MAIL_MAX_ATTEMPTS;
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const timeBudgetMs = options.timeBudgetMs ?? TIME_BUDGET_MS;
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  // `now` is the job's clock (tests move it); it advances with the wall clock during the run.
  const at = () => new Date(now.getTime() + elapsed());
  const result: DeliveryResult = { claimed: 0, sent: 0, retried: 0, failed: 0, released: 0 };

  while (elapsed() < timeBudgetMs) {
    const rows = await claimDue(db, at(), batchSize, new Date(at().getTime() + leaseMs), options.tenantId);
    result.claimed += rows.length;
    for (const [index, row] of rows.entries()) {
      if (elapsed() >= timeBudgetMs) {
        const rest = rows.slice(index);
        result.released += await release(db, rest, now);
        break;
      }
      try {
        await transport.send(messageOf(row));
      } catch (error) {
        const permanent = error instanceof MailSendError && error.permanent;
        const lastError = errorText(error);
        if (permanent || row.attempts >= maxAttempts) {
          await db.update(mailOutbox).set({ status: 'failed', lastError }).where(claimedRow(row));
          result.failed += 1;
          logger.error('mail failed', { mailId: row.id, kind: row.kind, attempts: row.attempts, permanent, error: lastError });
        } else {
          const nextAttemptAt = new Date(at().getTime() + mailBackoffMs(row.attempts));
          await db.update(mailOutbox).set({ nextAttemptAt, lastError }).where(claimedRow(row));
          result.retried += 1;
          logger.warn('mail send failed, will retry', { mailId: row.id, kind: row.kind, attempts: row.attempts, nextAttemptAt, error: lastError });
        }
        continue;
      }
      // If this update fails (database gone), the row stays claimed until its lease ends and is
      // then sent again: stop here instead of sending more that could not be marked either.
      await db.update(mailOutbox).set({ status: 'sent', sentAt: at(), lastError: null }).where(claimedRow(row));
      result.sent += 1;
    }
    if (rows.length < batchSize) break;
  }
  return result;
}

/** Hands claimed, unsent rows back: due again at once, the attempt not counted. */
async function release(db: Db, rows: OutboxRow[], dueAt: Date): Promise<number> {
  let released = 0;
  for (const row of rows) {
    const updated = await db
      .update(mailOutbox)
      .set({ attempts: row.attempts - 1, nextAttemptAt: dueAt })
      .where(claimedRow(row))
      .returning({ id: mailOutbox.id });
    released += updated.length;
  }
  return released;
}
