import type { RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import { AUDIT_TRANSITIONS, type AuditStatus, type AuditType } from '../../catalog/audits';
import type { Db } from '../../db/types';
import { auditContextOf, recordAudit } from '../../lib/audit';
import type { AppContext, AppEnv } from '../../lib/context';
import { problems, type FieldError } from '../../lib/errors';
import { assertIfMatch, setEtag } from '../../lib/etag';
import { newId } from '../../lib/ids';
import { decodeCursor, toPage } from '../../lib/pagination';
import { unusableEvidenceIds } from '../evidence/evidence.queries';
import { presentFinding } from '../findings/findings.present';
import { dayOf } from '../../lib/dates';
import { changesScore, raiseFinding } from '../findings/findings.raise';
import { findService } from '../ict-services/ict-services.queries';
import { rescoreSupplier } from '../risk/risk.rescore';
import { findSupplier } from '../suppliers/suppliers.queries';
import { findingIdsOf, insertAudit, listAudits, requireAudit, updateAudit, type AuditChanges, type AuditRow } from './audits.queries';
import type { createAuditFindingRoute, createAuditRoute, getAuditRoute, listAuditsRoute, updateAuditRoute } from './audits.routes';
import type { AuditResponse } from './audits.schemas';

export function presentAudit(row: AuditRow, findingIds: string[]): AuditResponse {
  return {
    id: row.id,
    supplierId: row.supplierId,
    serviceId: row.serviceId,
    type: row.type as AuditType,
    status: row.status as AuditStatus,
    plannedDate: row.plannedDate,
    performedDate: row.performedDate,
    scope: row.scope,
    auditor: row.auditor,
    result: row.result,
    reportEvidenceId: row.reportEvidenceId,
    findingIds,
    createdBy: { type: row.createdByType, id: row.createdById },
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function respond(c: AppContext, db: Db, row: AuditRow) {
  setEtag(c, row.version);
  const ids = await findingIdsOf(db, row.tenantId, [row.id]);
  return presentAudit(row, ids.get(row.id) ?? []);
}

/** Service and report must belong to the audit's supplier; performed dates are not in the future. */
async function checkLinks(db: Db, tenantId: string, supplierId: string, fields: { serviceId?: string | null; reportEvidenceId?: string | null; performedDate?: string | null }, now: Date) {
  const errors: FieldError[] = [];
  if (fields.serviceId && !(await findService(db, { tenantId, supplierId, serviceId: fields.serviceId }))) {
    errors.push({ location: 'body', path: 'serviceId', message: 'No such ICT service of this supplier.' });
  }
  if (fields.reportEvidenceId && (await unusableEvidenceIds(db, tenantId, supplierId, [fields.reportEvidenceId])).size > 0) {
    errors.push({ location: 'body', path: 'reportEvidenceId', message: 'No such live evidence of this supplier.' });
  }
  if (fields.performedDate && fields.performedDate > dayOf(now)) errors.push({ location: 'body', path: 'performedDate', message: 'Must not be in the future.' });
  return errors;
}

const performedMissing: FieldError = { location: 'body', path: 'performedDate', message: 'A completed audit needs the date it was performed.' };

const cursorSchema = z.tuple([z.string().max(40)]);

export const listAuditsHandler: RouteHandler<typeof listAuditsRoute, AppEnv> = async (c) => {
  const { limit, cursor, ...filters } = c.req.valid('query');
  const after = cursor ? decodeCursor(cursor, cursorSchema) : undefined;
  const tenantId = c.get('principal').tenantId;
  const rows = await listAudits(c.get('db'), { ...filters, tenantId, limit, afterId: after?.[0] });
  const findingIds = await findingIdsOf(c.get('db'), tenantId, rows.slice(0, limit).map((row) => row.id));
  return c.json(
    toPage(rows, limit, (row) => presentAudit(row, findingIds.get(row.id) ?? []), (row) => [row.id]),
    200,
  );
};

export const createAuditHandler: RouteHandler<typeof createAuditRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const { principal, now } = c.var;
  const tenantId = principal.tenantId;
  const status = input.status ?? 'planned';
  const row = await c.get('db').transaction(async (tx) => {
    const errors: FieldError[] = [];
    const supplier = await findSupplier(tx, tenantId, input.supplierId);
    if (!supplier) errors.push({ location: 'body', path: 'supplierId', message: 'No such supplier.' });
    else if (supplier.archivedAt) errors.push({ location: 'body', path: 'supplierId', message: 'The supplier is archived. Restore it first.' });
    if (supplier) errors.push(...(await checkLinks(tx, tenantId, supplier.id, input, now)));
    if (status === 'completed' && !input.performedDate) errors.push(performedMissing);
    if (errors.length > 0) throw problems.validation(errors);
    const created = await insertAudit(tx, {
      tenantId,
      id: newId('audit', now),
      supplierId: input.supplierId,
      serviceId: input.serviceId ?? null,
      type: input.type,
      status,
      plannedDate: input.plannedDate ?? null,
      performedDate: input.performedDate ?? null,
      scope: input.scope || null,
      auditor: input.auditor ?? null,
      result: input.result || null,
      reportEvidenceId: input.reportEvidenceId ?? null,
      createdByType: principal.actor.type,
      createdById: principal.actor.id,
      createdAt: now,
      updatedAt: now,
    });
    await recordAudit(tx, auditContextOf(c), {
      action: 'audit.created',
      entityType: 'audit',
      entityId: created.id,
      changes: Object.fromEntries(Object.entries({ ...input, status }).filter(([, value]) => value !== undefined && value !== '')),
    });
    return created;
  });
  c.header('Location', `/v1/audits/${row.id}`);
  setEtag(c, row.version);
  return c.json(presentAudit(row, []), 201);
};

export const getAuditHandler: RouteHandler<typeof getAuditRoute, AppEnv> = async (c) => {
  const row = await requireAudit(c.get('db'), c.get('principal').tenantId, c.req.valid('param').auditId);
  return c.json(await respond(c, c.get('db'), row), 200);
};

const EDITABLE = ['serviceId', 'type', 'plannedDate', 'performedDate', 'scope', 'auditor', 'result', 'reportEvidenceId'] as const;

export const updateAuditHandler: RouteHandler<typeof updateAuditRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const { auditId } = c.req.valid('param');
  const result = await c.get('db').transaction(async (tx) => {
    const current = await requireAudit(tx, c.get('principal').tenantId, auditId, { forUpdate: true });
    assertIfMatch(c, current.version);
    const changes: AuditChanges = {};
    for (const field of EDITABLE) {
      const value = input[field];
      if (value === undefined) continue;
      // Blank text clears like null does.
      const next = value === '' ? null : value;
      if (next !== current[field]) (changes as Record<string, unknown>)[field] = next;
    }
    const errors = await checkLinks(tx, current.tenantId, current.supplierId, changes, c.get('now'));
    if (input.status !== undefined && input.status !== current.status) {
      const from = current.status as AuditStatus;
      if (!AUDIT_TRANSITIONS[from].includes(input.status)) {
        throw problems.conflict(`A ${from} audit cannot move to ${input.status}. Allowed from ${from}: ${AUDIT_TRANSITIONS[from].join(', ')}.`, 'invalid_transition');
      }
      changes.status = input.status;
    }
    const performed = changes.performedDate !== undefined ? changes.performedDate : current.performedDate;
    if ((changes.status ?? current.status) === 'completed' && !performed) errors.push(performedMissing);
    if (errors.length > 0) throw problems.validation(errors);
    if (Object.keys(changes).length === 0) return current;
    const updated = await updateAudit(tx, current, changes, c.get('now'));
    await recordAudit(tx, auditContextOf(c), {
      action: 'audit.updated',
      entityType: 'audit',
      entityId: auditId,
      changes: Object.fromEntries(Object.entries(changes).map(([field, to]) => [field, { from: current[field as keyof AuditRow] ?? null, to }])),
    });
    return updated;
  });
  return c.json(await respond(c, c.get('db'), result), 200);
};

export const createAuditFindingHandler: RouteHandler<typeof createAuditFindingRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const { auditId } = c.req.valid('param');
  const { now, principal } = c.var;
  const finding = await c.get('db').transaction(async (tx) => {
    // Locked so that the audit cannot be moved back to planned while its finding is raised.
    const audit = await requireAudit(tx, principal.tenantId, auditId, { forUpdate: true });
    if (audit.status === 'planned') throw problems.conflict('A planned audit has found nothing yet. Move it to in_progress or completed first.', 'invalid_transition');
    const serviceId = input.serviceId ?? audit.serviceId ?? undefined;
    if (input.serviceId && !(await findService(tx, { tenantId: audit.tenantId, supplierId: audit.supplierId, serviceId: input.serviceId }))) {
      throw problems.validation([{ location: 'body', path: 'serviceId', message: 'No such ICT service of the audit\'s supplier.' }]);
    }
    const { finding: raised, outcome } = await raiseFinding(tx, auditContextOf(c), {
      supplierId: audit.supplierId,
      source: 'audit',
      sourceRef: `audit:${audit.id}:${input.ref ?? newId('finding', now).slice(4)}`,
      title: input.title,
      description: input.description || null,
      severity: input.severity,
      links: { auditId: audit.id, ...(serviceId ? { serviceId } : {}) },
    });
    if (changesScore(outcome)) await rescoreSupplier(tx, { tenantId: audit.tenantId, supplierId: audit.supplierId, now, trigger: 'finding' });
    return raised;
  });
  c.header('Location', `/v1/findings/${finding.id}`);
  setEtag(c, finding.version);
  return c.json(presentFinding(finding, now), 201);
};
