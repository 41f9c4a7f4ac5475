import { and, eq, lt } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { idempotencyKeys } from '../db/schema';
import type { Db } from '../db/types';
import type { AppEnv } from './context';
import { sha256Hex } from './crypto';
import { problems } from './errors';
import { fileBytes } from './multipart';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
// Waiting retries poll with a doubling step: with 100 of them on one key, a fixed 50 ms step kept
// PGlite (one connection) so busy with polls that the request they waited for took seconds.
const WAIT_FIRST_STEP_MS = 25;
const WAIT_MAX_STEP_MS = 400;
const WAIT_LIMIT_MS = 15_000;
// Headers worth replaying; the rest (dates, request ids) belong to the new request.
const REPLAYED_HEADERS = ['content-type', 'etag', 'location'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Claim =
  | { kind: 'claimed' }
  | { kind: 'completed'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'in_progress' };

async function claimKey(db: Db, tenantId: string, key: string, requestHash: string, now: Date, ttlHours: number): Promise<Claim> {
  // An expired key is free again.
  await db
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key), lt(idempotencyKeys.expiresAt, now)));
  const inserted = await db
    .insert(idempotencyKeys)
    .values({
      tenantId,
      key,
      requestHash,
      state: 'in_progress',
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttlHours * 3_600_000),
    })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length > 0) return { kind: 'claimed' };
  const [existing] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)));
  if (!existing) return { kind: 'in_progress' };
  if (existing.requestHash !== requestHash) {
    throw problems.unprocessable(
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
    );
  }
  if (existing.state === 'completed' && existing.statusCode !== null) {
    return { kind: 'completed', status: existing.statusCode, headers: existing.responseHeaders ?? {}, body: existing.responseBody ?? '' };
  }
  return { kind: 'in_progress' };
}

function replay(claim: Extract<Claim, { kind: 'completed' }>, requestId: string): Response {
  const headers = new Headers(claim.headers);
  headers.set('Idempotent-Replayed', 'true');
  headers.set('X-Request-Id', requestId);
  return new Response(claim.body === '' ? null : claim.body, { status: claim.status, headers });
}

/**
 * What makes two request bodies "the same" for a retry. A multipart form is compared by its parts
 * (names, file names, types and bytes), not its raw bytes: clients pick a new random boundary for
 * every attempt, so a faithful retry of an upload never repeats the raw body.
 */
async function bodyFingerprint(c: Context<AppEnv>): Promise<string> {
  const contentType = c.req.header('content-type') ?? '';
  // Only upload routes parse multipart (multipartBody, before this middleware). Elsewhere the body is
  // just bytes: parsing it here would leave a failed parse in hono's body cache, and every later
  // read of the body would throw it again.
  const parsedForm = (c.req.bodyCache as { formData?: Promise<FormData> }).formData;
  if (parsedForm && /^multipart\/form-data\b/i.test(contentType)) {
    const form = await parsedForm.catch(() => undefined);
    if (form) {
      const parts: string[] = [];
      for (const [name, value] of form.entries()) {
        parts.push(
          typeof value === 'string'
            ? `${name}=${await sha256Hex(value)}`
            : `${name}=file:${value.name}:${value.type}:${await sha256Hex(await fileBytes(value))}`,
        );
      }
      return `multipart/form-data\n${parts.sort().join('\n')}`;
    }
    // Not parseable: the raw bytes decide, and the handler answers 400.
  }
  return `${contentType}\n${await sha256Hex(await c.req.arrayBuffer())}`;
}

/**
 * `Idempotency-Key` on POST: the first request's response is stored and replayed to retries with
 * the same body; concurrent retries wait for the first one to finish instead of running twice.
 */
export function idempotency(tenantOf: (c: Parameters<MiddlewareHandler<AppEnv>>[0]) => string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined) return next();
    if (!KEY_PATTERN.test(key)) {
      throw problems.validation([
        { location: 'header', path: 'Idempotency-Key', message: 'Must be 1 to 255 visible ASCII characters.' },
      ]);
    }
    const { db } = c.var;
    const tenantId = tenantOf(c);
    const requestHash = await sha256Hex(`${c.req.method} ${new URL(c.req.url).pathname}\n${await bodyFingerprint(c)}`);
    const ttlHours = c.get('deps').config.idempotencyTtlHours;

    let claim = await claimKey(db, tenantId, key, requestHash, c.get('now'), ttlHours);
    for (let waited = 0, step = WAIT_FIRST_STEP_MS; claim.kind === 'in_progress' && waited < WAIT_LIMIT_MS; waited += step, step = Math.min(step * 2, WAIT_MAX_STEP_MS)) {
      await sleep(step);
      claim = await claimKey(db, tenantId, key, requestHash, new Date(), ttlHours);
    }
    if (claim.kind === 'completed') return replay(claim, c.get('requestId'));
    if (claim.kind === 'in_progress') {
      throw problems.conflict('A request with this Idempotency-Key is still being processed. Retry later.', 'idempotency_in_progress');
    }

    const release = () =>
      db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)));
    try {
      await next();
    } catch (error) {
      await release();
      throw error;
    }
    const response = c.res;
    // Failures that a retry may cure free the key; every other answer is what retries get back.
    if (response.status >= 500 || response.status === 409 || response.status === 429) {
      await release();
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    const stored = await response.clone().text();
    await db
      .update(idempotencyKeys)
      .set({ state: 'completed', statusCode: response.status, responseHeaders: headers, responseBody: stored })
      .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)));
  };
}

export async function purgeExpiredIdempotencyKeys(db: Db, now: Date): Promise<number> {
  const deleted = await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.expiresAt, now))
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}
