import type { RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import { recordAudit, auditContextOf } from '../../lib/audit';
import type { AppEnv } from '../../lib/context';
import { problems } from '../../lib/errors';
import { assertIfMatch, setEtag } from '../../lib/etag';
import { decodeCursor, toPage } from '../../lib/pagination';
import { apiKeyStatus, findApiKey, insertApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from './api-keys.queries';
import type { createApiKeyRoute, getApiKeyRoute, listApiKeysRoute, revokeApiKeyRoute } from './api-keys.routes';

export function presentApiKey(row: ApiKeyRow, now: Date) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdBy: { type: row.createdByType, id: row.createdById },
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    status: apiKeyStatus(row, now),
  };
}

const cursorSchema = z.tuple([z.string()]);

export const listApiKeysHandler: RouteHandler<typeof listApiKeysRoute, AppEnv> = async (c) => {
  const { limit, cursor, status } = c.req.valid('query');
  const now = c.get('now');
  const rows = await listApiKeys(c.get('db'), {
    tenantId: c.get('principal').tenantId,
    limit,
    now,
    ...(cursor ? { afterId: decodeCursor(cursor, cursorSchema)[0] } : {}),
    ...(status ? { status } : {}),
  });
  return c.json(toPage(rows, limit, (row) => presentApiKey(row, now), (row) => [row.id]), 200);
};

export const createApiKeyHandler: RouteHandler<typeof createApiKeyRoute, AppEnv> = async (c) => {
  const body = c.req.valid('json');
  const { principal, now } = c.var;
  const beyondCaller = body.scopes.filter((scope) => !principal.scopes.has(scope as never));
  if (beyondCaller.length > 0) {
    throw problems.forbidden(`A key cannot be given scopes its creator does not hold: ${beyondCaller.join(', ')}.`);
  }
  const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
  if (expiresAt && expiresAt <= now) {
    throw problems.validation([{ location: 'body', path: 'expiresAt', message: 'Must be in the future.' }]);
  }
  const created = await c.get('db').transaction(async (tx) => {
    const result = await insertApiKey(tx, {
      tenantId: principal.tenantId,
      name: body.name,
      scopes: body.scopes,
      createdBy: principal.actor,
      expiresAt,
      now,
    });
    await recordAudit(tx, auditContextOf(c), {
      action: 'api_key.created',
      entityType: 'api_key',
      entityId: result.row.id,
      changes: { name: body.name, scopes: body.scopes, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return result;
  });
  c.header('Location', `/v1/api-keys/${created.row.id}`);
  setEtag(c, created.row.version);
  return c.json({ ...presentApiKey(created.row, now), key: created.key }, 201);
};

export const getApiKeyHandler: RouteHandler<typeof getApiKeyRoute, AppEnv> = async (c) => {
  const { apiKeyId } = c.req.valid('param');
  const row = await findApiKey(c.get('db'), c.get('principal').tenantId, apiKeyId);
  if (!row) throw problems.notFound('API key');
  setEtag(c, row.version);
  return c.json(presentApiKey(row, c.get('now')), 200);
};

export const revokeApiKeyHandler: RouteHandler<typeof revokeApiKeyRoute, AppEnv> = async (c) => {
  const { apiKeyId } = c.req.valid('param');
  const { principal, now } = c.var;
  await c.get('db').transaction(async (tx) => {
    const existing = await findApiKey(tx, principal.tenantId, apiKeyId, { forUpdate: true });
    if (!existing) throw problems.notFound('API key');
    assertIfMatch(c, existing.version);
    if (existing.revokedAt) return;
    await revokeApiKey(tx, principal.tenantId, apiKeyId, now);
    await recordAudit(tx, auditContextOf(c), {
      action: 'api_key.revoked',
      entityType: 'api_key',
      entityId: apiKeyId,
      changes: { revokedAt: now.toISOString() },
    });
  });
  c.get('authenticator').forgetApiKey(apiKeyId);
  return c.body(null, 204);
};
