import { sql } from 'drizzle-orm';
import { WEBHOOK_ERROR_EXCERPT_CHARS, WEBHOOK_RETRY_SCHEDULE_SECONDS } from '../../catalog/webhook-events';
import type { Config } from '../../config';
import { rowsOf } from '../../db/rows';
import type { Db } from '../../db/types';
import { jobsAuditContext } from '../../jobs/system-actor';
import { recordAudit } from '../../lib/audit';
import type { Logger } from '../../lib/logger';
import { enqueueMail } from '../../lib/mail/outbox';
import { openSecret } from '../../lib/secrets';
import { signWebhook } from '../../lib/webhooks/signature';
import { parseIp, refuseResolvedAddresses, refuseWebhookUrl } from '../../lib/webhooks/target-policy';

export interface WebhookDispatchOptions {
  /** Only this tenant's deliveries (tests). */
  tenantId?: string;
  /** Deliveries claimed per run. */
  batchSize?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Resolves a host name to its addresses; default node:dns where it exists (not on Workers). */
  resolve?: (host: string) => Promise<string[] | undefined>;
}

interface ClaimedDelivery {
  tenant_id: string;
  id: string;
  endpoint_id: string;
  event_id: string;
  type: string;
  data: unknown;
  event_created_at: string | Date;
  url: string;
  secret_sealed: string;
  organisation: string;
  notification_email: string | null;
}

interface Outcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

// A claimed delivery is the dispatcher's for this long; one that crashed mid-way is retried after.
const LEASE_SECONDS = 120;

async function defaultResolve(host: string): Promise<string[] | undefined> {
  try {
    const dns = await import('node:dns/promises');
    return (await dns.lookup(host, { all: true })).map((entry) => entry.address);
  } catch (error) {
    // Workers have no resolver (and no route to private addresses); Node reports ENOTFOUND etc.
    if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string' && /^E[A-Z_]+$/.test(error.code) && !error.code.startsWith('ERR_')) throw error;
    return undefined;
  }
}

function claim(db: Db, now: Date, options: WebhookDispatchOptions): Promise<ClaimedDelivery[]> {
  const at = sql`${now.toISOString()}::timestamptz`;
  return rowsOf<ClaimedDelivery>(
    db,
    sql`
    with due as (
      select d.tenant_id, d.id from webhook_deliveries d
      join webhook_endpoints e on e.tenant_id = d.tenant_id and e.id = d.endpoint_id and e.status = 'active'
      where d.status = 'pending' and d.next_attempt_at <= ${at} and (d.leased_until is null or d.leased_until < ${at})
        ${options.tenantId ? sql`and d.tenant_id = ${options.tenantId}` : sql``}
      order by d.next_attempt_at
      limit ${options.batchSize ?? 200}
      for update of d skip locked
    ), claimed as (
      update webhook_deliveries w set leased_until = ${at} + make_interval(secs => ${LEASE_SECONDS})
      from due where w.tenant_id = due.tenant_id and w.id = due.id
      returning w.tenant_id, w.id, w.endpoint_id, w.event_id
    )
    select c.tenant_id, c.id, c.endpoint_id, c.event_id, ev.type, ev.data, ev.created_at as event_created_at,
           e.url, e.secret_sealed, t.name as organisation, t.notification_email
    from claimed c
    join webhook_events ev on ev.tenant_id = c.tenant_id and ev.id = c.event_id
    join webhook_endpoints e on e.tenant_id = c.tenant_id and e.id = c.endpoint_id
    join tenants t on t.id = c.tenant_id`,
  );
}

async function attempt(delivery: ClaimedDelivery, now: Date, config: Pick<Config, 'webhooks' | 'secretsEncryptionKey'>, resolve: NonNullable<WebhookDispatchOptions['resolve']>): Promise<Outcome> {
  const started = performance.now();
  const done = (ok: boolean, statusCode: number | null, error: string | null): Outcome => ({ ok, statusCode, error, durationMs: Math.round(performance.now() - started) });
  // The URL was checked when it was saved; the allow-list or the DNS answer may have changed since.
  const refused = refuseWebhookUrl(delivery.url, config.webhooks);
  if (refused) return done(false, null, `Refused: the URL ${refused}.`);
  const host = new URL(delivery.url).hostname.replace(/^\[|\]$/g, '');
  if (!parseIp(host)) {
    let addresses: string[] | undefined;
    try {
      addresses = await resolve(host);
    } catch (error) {
      return done(false, null, `DNS lookup of ${host} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const internal = addresses && refuseResolvedAddresses(host, addresses, config.webhooks);
    if (internal) return done(false, null, `Refused: ${internal}.`);
  }
  const createdAt = new Date(delivery.event_created_at);
  const body = JSON.stringify({ type: delivery.type, timestamp: createdAt.toISOString(), data: delivery.data });
  const timestamp = Math.floor(now.getTime() / 1000);
  const secret = await openSecret(delivery.secret_sealed, config.secretsEncryptionKey);
  try {
    const response = await fetch(delivery.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(config.webhooks.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Chainproof-Webhooks/1',
        'webhook-id': delivery.event_id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': await signWebhook(secret, delivery.event_id, timestamp, body),
      },
      body,
    });
    if (response.status >= 200 && response.status < 300) {
      await response.body?.cancel().catch(() => undefined);
      return done(true, response.status, null);
    }
    const text = (await response.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, WEBHOOK_ERROR_EXCERPT_CHARS);
    return done(false, response.status, `HTTP ${response.status}${text ? `: ${text}` : ''}`);
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    const message = error instanceof Error && error.name === 'TimeoutError' ? `No answer within ${config.webhooks.timeoutMs} ms` : `${error instanceof Error ? error.message : String(error)}${cause}`;
    return done(false, null, message.slice(0, WEBHOOK_ERROR_EXCERPT_CHARS));
  }
}

/** The next attempt after one at `now`: the first step of the schedule still ahead, counted from the event. */
export function nextAttemptAt(eventCreatedAt: Date, now: Date): Date | null {
  const elapsed = (now.getTime() - eventCreatedAt.getTime()) / 1000;
  const step = WEBHOOK_RETRY_SCHEDULE_SECONDS.find((seconds) => seconds > elapsed);
  return step === undefined ? null : new Date(eventCreatedAt.getTime() + step * 1000);
}

async function record(db: Db, delivery: ClaimedDelivery, outcome: Outcome, now: Date, logger: Logger): Promise<void> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const next = outcome.ok ? null : nextAttemptAt(new Date(delivery.event_created_at), now);
  const status = outcome.ok ? 'succeeded' : next ? 'pending' : 'failed';
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      update webhook_deliveries set status = ${status}, attempts = attempts + 1,
        next_attempt_at = ${next ? sql`${next.toISOString()}::timestamptz` : sql`null`}, leased_until = null,
        last_attempt_at = ${at}, last_status_code = ${outcome.statusCode}, last_error = ${outcome.error},
        last_duration_ms = ${outcome.durationMs}, updated_at = ${at}
      where tenant_id = ${delivery.tenant_id} and id = ${delivery.id}`);
    const column = outcome.ok ? sql`last_success_at` : sql`last_failure_at`;
    await tx.execute(sql`update webhook_endpoints set ${column} = ${at} where tenant_id = ${delivery.tenant_id} and id = ${delivery.endpoint_id}`);
    if (status !== 'failed') return;
    // Failing for 24 hours: stop sending to it, and say so, rather than retrying forever.
    const reason = `A delivery of ${delivery.type} (${delivery.event_id}) still failed 24 hours after the event: ${outcome.error ?? 'unknown error'}`.slice(0, 500);
    const disabled = await rowsOf<{ id: string }>(
      tx,
      sql`update webhook_endpoints set status = 'disabled', disabled_reason = ${reason}, disabled_at = ${at}, version = version + 1, updated_at = ${at}
          where tenant_id = ${delivery.tenant_id} and id = ${delivery.endpoint_id} and status = 'active' returning id`,
    );
    if (disabled.length === 0) return;
    await recordAudit(tx, jobsAuditContext(delivery.tenant_id, now), {
      action: 'webhook.disabled',
      entityType: 'webhook',
      entityId: delivery.endpoint_id,
      changes: { status: { from: 'active', to: 'disabled' }, reason },
    });
    logger.warn('webhook endpoint disabled', { tenantId: delivery.tenant_id, webhookId: delivery.endpoint_id });
    if (delivery.notification_email) {
      await enqueueMail(tx, {
        tenantId: delivery.tenant_id,
        kind: 'webhook_disabled',
        to: { address: delivery.notification_email },
        subject: `Webhook endpoint disabled: ${new URL(delivery.url).host}`,
        text: [
          `Chainproof stopped sending events to ${delivery.url} (${delivery.endpoint_id}) for ${delivery.organisation}.`,
          '',
          reason,
          '',
          'Fix the receiver, then PATCH /v1/webhooks/' + delivery.endpoint_id + ' with {"status": "active"}; deliveries waiting for it resume, and failed ones can be redelivered from GET /v1/webhooks/' + delivery.endpoint_id + '/deliveries.',
          '',
        ].join('\n'),
        entityType: 'webhook',
        entityId: delivery.endpoint_id,
        dedupeKey: `webhook-disabled:${delivery.endpoint_id}:${now.toISOString()}`,
        now,
      });
    }
  });
}

/**
 * Sends due webhook deliveries: claims a batch (skip-locked, leased, so several instances share
 * the work and none sends the same attempt twice), POSTs them concurrently, and records each
 * outcome with its next attempt. Returns the number of attempts made.
 */
export async function deliverDueWebhooks(db: Db, now: Date, logger: Logger, config: Pick<Config, 'webhooks' | 'secretsEncryptionKey'>, options: WebhookDispatchOptions = {}): Promise<number> {
  const claimed = await claim(db, now, options);
  const resolve = options.resolve ?? defaultResolve;
  let index = 0;
  const worker = async () => {
    while (index < claimed.length) {
      const delivery = claimed[index++]!;
      try {
        const outcome = await attempt(delivery, now, config, resolve);
        await record(db, delivery, outcome, now, logger);
      } catch (error) {
        // The lease runs out and the next run tries again.
        logger.error('webhook delivery failed to run', { tenantId: delivery.tenant_id, deliveryId: delivery.id, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 16, claimed.length) }, worker));
  return claimed.length;
}
