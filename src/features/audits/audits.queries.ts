import { and, asc, desc, eq, inArray, lt, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { AuditStatus, AuditType } from '../../catalog/audits';
import { audits, findings } from '../../db/schema';
import type { Db } from '../../db/types';
import { problems } from '../../lib/errors';

export type AuditRow = typeof audits.$inferSelect;
export type NewAuditRow = typeof audits.$inferInsert;

const byId = (tenantId: string, id: string) => and(eq(audits.tenantId, tenantId), eq(audits.id, id));

export async function requireAudit(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<AuditRow> {
  const query = db.select().from(audits).where(byId(tenantId, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  if (!row) throw problems.notFound('Audit');
  return row;
}

export async function insertAudit(db: Db, values: NewAuditRow): Promise<AuditRow> {
  const [row] = await db.insert(audits).values(values).returning();
  return row!;
}

export type AuditChanges = Partial<Pick<AuditRow, 'serviceId' | 'type' | 'status' | 'plannedDate' | 'performedDate' | 'scope' | 'auditor' | 'result' | 'reportEvidenceId'>>;

/** Writes changes over a locked row and bumps its version. */
export async function updateAudit(db: Db, current: AuditRow, changes: AuditChanges, now: Date): Promise<AuditRow> {
  const [row] = await db
    .update(audits)
    .set({ ...changes, version: current.version + 1, updatedAt: now })
    .where(and(byId(current.tenantId, current.id), eq(audits.version, current.version)))
    .returning();
  if (!row) throw problems.conflict('The audit changed while this request ran. Read it again and retry.', 'concurrent_update');
  return row;
}

export interface AuditFilter {
  tenantId: string;
  limit: number;
  supplierId?: string | undefined;
  status?: AuditStatus | undefined;
  type?: AuditType | undefined;
  afterId?: string | undefined;
}

/** Keyset pagination, newest first by id (ids sort by creation time); fetches limit + 1 rows. */
export function listAudits(db: Db, filter: AuditFilter): Promise<AuditRow[]> {
  const conditions: (SQL | undefined)[] = [
    eq(audits.tenantId, filter.tenantId),
    filter.supplierId ? eq(audits.supplierId, filter.supplierId) : undefined,
    filter.status ? eq(audits.status, filter.status) : undefined,
    filter.type ? eq(audits.type, filter.type) : undefined,
    filter.afterId ? lt(audits.id, filter.afterId) : undefined,
  ];
  return db
    .select()
    .from(audits)
    .where(and(...conditions))
    .orderBy(desc(audits.id))
    .limit(filter.limit + 1);
}

/** The ids of the findings each audit raised, oldest first; one query for a whole page. */
export async function findingIdsOf(db: Db, tenantId: string, auditIds: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(auditIds.map((id) => [id, []]));
  if (auditIds.length === 0) return result;
  // source = 'audit' narrows through findings_source_kind_idx; findings has no audit_id index.
  const rows = await db
    .select({ auditId: findings.auditId, id: findings.id })
    .from(findings)
    .where(and(eq(findings.tenantId, tenantId), eq(findings.source, 'audit'), inArray(findings.auditId, [...auditIds])))
    .orderBy(asc(findings.id));
  for (const row of rows) if (row.auditId) result.get(row.auditId)?.push(row.id);
  return result;
}

/**
 * The supplier's latest completed audit and its earliest planned one from today on: two index
 * lookups on (tenant, supplier, planned_date, id), for the supplier resource.
 */
/** An audit as the supplier view shows it (its last completed and next planned one). */
export interface AuditBrief {
  id: string;
  type: AuditType;
  status: AuditStatus;
  serviceId: string | null;
  plannedDate: string | null;
  performedDate: string | null;
}

const auditBrief = sql`json_build_object('id', a.id, 'type', a.type, 'status', a.status, 'serviceId', a.service_id, 'plannedDate', a.planned_date, 'performedDate', a.performed_date)`;
/** json arrives parsed from both drivers; a text value (a driver without a json parser) is parsed here. */
const parsedBrief = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as AuditBrief | null;

/**
 * The supplier's last completed and next planned audit as columns of another select, so that the
 * supplier view costs one query (each is one probe of audits_supplier_idx).
 */
export function auditSummaryColumns(tenantId: SQLWrapper, supplierId: SQLWrapper, today: SQLWrapper) {
  const ofSupplier = sql`a.tenant_id = ${tenantId} and a.supplier_id = ${supplierId}`;
  return {
    lastAudit: sql<AuditBrief | null>`(select ${auditBrief} from ${audits} a where ${ofSupplier} and a.status = 'completed'
      order by a.performed_date desc nulls last, a.id desc limit 1)`.mapWith(parsedBrief),
    nextAudit: sql<AuditBrief | null>`(select ${auditBrief} from ${audits} a where ${ofSupplier} and a.status = 'planned' and a.planned_date >= ${today}
      order by a.planned_date, a.id limit 1)`.mapWith(parsedBrief),
  };
}
