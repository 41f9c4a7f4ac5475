import type { RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import { verifyAuditChain } from '../../lib/audit';
import type { ActorType, AppEnv } from '../../lib/context';
import { decodeCursor, toPage } from '../../lib/pagination';
import { listAuditEntries, type AuditEntryRow } from './audit-log.queries';
import type { listAuditLogRoute, verifyAuditLogRoute } from './audit-log.routes';

function presentEntry(row: AuditEntryRow) {
  return {
    seq: row.seq,
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    actor: { type: row.actorType as ActorType, id: row.actorId },
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    changes: row.changes,
    requestId: row.requestId,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

const cursorSchema = z.tuple([z.number().int().nonnegative()]);

export const listAuditLogHandler: RouteHandler<typeof listAuditLogRoute, AppEnv> = async (c) => {
  const { limit, cursor, since, until, ...filters } = c.req.valid('query');
  const rows = await listAuditEntries(c.get('db'), {
    ...filters,
    tenantId: c.get('principal').tenantId,
    limit,
    ...(cursor ? { afterSeq: decodeCursor(cursor, cursorSchema)[0] } : {}),
    ...(since ? { since: new Date(since) } : {}),
    ...(until ? { until: new Date(until) } : {}),
  });
  return c.json(toPage(rows, limit, presentEntry, (row) => [row.seq]), 200);
};

export const verifyAuditLogHandler: RouteHandler<typeof verifyAuditLogRoute, AppEnv> = async (c) => {
  return c.json(await verifyAuditChain(c.get('db'), c.get('principal').tenantId), 200);
};
