import { and, asc, desc, eq, gt, gte, lt } from 'drizzle-orm';
import { auditLog } from '../../db/schema';
import type { Db } from '../../db/types';

export type AuditEntryRow = typeof auditLog.$inferSelect;

export interface AuditLogFilter {
  tenantId: string;
  limit: number;
  order: 'asc' | 'desc';
  afterSeq?: number;
  entityType?: string;
  entityId?: string;
  actorType?: string;
  actorId?: string;
  action?: string;
  since?: Date;
  until?: Date;
}

export function listAuditEntries(db: Db, filter: AuditLogFilter): Promise<AuditEntryRow[]> {
  const ascending = filter.order === 'asc';
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.tenantId, filter.tenantId),
        filter.afterSeq !== undefined ? (ascending ? gt(auditLog.seq, filter.afterSeq) : lt(auditLog.seq, filter.afterSeq)) : undefined,
        filter.entityType ? eq(auditLog.entityType, filter.entityType) : undefined,
        filter.entityId ? eq(auditLog.entityId, filter.entityId) : undefined,
        filter.actorType ? eq(auditLog.actorType, filter.actorType) : undefined,
        filter.actorId ? eq(auditLog.actorId, filter.actorId) : undefined,
        filter.action ? eq(auditLog.action, filter.action) : undefined,
        filter.since ? gte(auditLog.occurredAt, filter.since) : undefined,
        filter.until ? lt(auditLog.occurredAt, filter.until) : undefined,
      ),
    )
    .orderBy(ascending ? asc(auditLog.seq) : desc(auditLog.seq))
    .limit(filter.limit + 1);
}
