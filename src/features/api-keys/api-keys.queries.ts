import { and, desc, eq, gt, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { apiKeys } from '../../db/schema';
import type { Db } from '../../db/types';
import { API_KEY_PREFIX } from '../../lib/auth';
import type { Actor } from '../../lib/context';
import { randomBase62, sha256Hex } from '../../lib/crypto';
import { newId } from '../../lib/ids';

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type ApiKeyStatus = 'active' | 'revoked' | 'expired';

const SECRET_LENGTH = 40;
const SHOWN_PREFIX_LENGTH = 10;

export async function insertApiKey(
  db: Db,
  input: { tenantId: string; name: string; scopes: string[]; createdBy: Actor; expiresAt: Date | null; now: Date },
): Promise<{ row: ApiKeyRow; key: string }> {
  const key = `${API_KEY_PREFIX}${randomBase62(SECRET_LENGTH)}`;
  const [row] = await db
    .insert(apiKeys)
    .values({
      tenantId: input.tenantId,
      id: newId('apiKey', input.now),
      name: input.name,
      prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
      keyHash: await sha256Hex(key),
      scopes: input.scopes,
      createdByType: input.createdBy.type,
      createdById: input.createdBy.id,
      createdAt: input.now,
      expiresAt: input.expiresAt,
    })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return { row, key };
}

export async function findApiKey(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<ApiKeyRow | undefined> {
  const query = db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

function statusFilter(status: ApiKeyStatus, now: Date): SQL | undefined {
  switch (status) {
    case 'revoked':
      return isNotNull(apiKeys.revokedAt);
    case 'expired':
      return and(isNull(apiKeys.revokedAt), lte(apiKeys.expiresAt, now));
    case 'active':
      return and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)));
  }
}

/** Newest first; the cursor is the last id seen (ids sort by creation time). */
export function listApiKeys(
  db: Db,
  query: { tenantId: string; limit: number; afterId?: string; status?: ApiKeyStatus; now: Date },
): Promise<ApiKeyRow[]> {
  return db
    .select()
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.tenantId, query.tenantId),
        query.afterId ? lt(apiKeys.id, query.afterId) : undefined,
        query.status ? statusFilter(query.status, query.now) : undefined,
      ),
    )
    .orderBy(desc(apiKeys.id))
    .limit(query.limit + 1);
}

export async function revokeApiKey(db: Db, tenantId: string, id: string, now: Date): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: now, version: sql`${apiKeys.version} + 1` })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  return row;
}

export function apiKeyStatus(row: ApiKeyRow, now: Date): ApiKeyStatus {
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt && row.expiresAt <= now) return 'expired';
  return 'active';
}
