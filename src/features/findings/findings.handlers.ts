import { emitFindingCreated } from './findings.events';
import type { RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import { FINDING_TRANSITIONS, MAX_RISK_ACCEPTANCE_DAYS, RISK_ACCEPTABLE_STATUSES, type FindingStatus } from '../../catalog/findings';
import { auditContextOf, recordAudit } from '../../lib/audit';
import type { AppContext, AppEnv } from '../../lib/context';
import { problems, type FieldError } from '../../lib/errors';
import { assertIfMatch, setEtag } from '../../lib/etag';
import { newId } from '../../lib/ids';
import { csvAttachment } from '../../lib/csv';
import { decodeCursor, toPage } from '../../lib/pagination';
import { findingExportStream } from './findings.export';
import { rescoreSupplier } from '../risk/risk.rescore';
import { findService } from '../ict-services/ict-services.queries';
import { findSupplier } from '../suppliers/suppliers.queries';
import { acceptanceRecord, presentComment, presentFinding } from './findings.present';
import { diff } from './findings.raise';
import {
  insertComment,
  insertFinding,
  listComments,
  listFindings,
  NO_ACCEPTANCE,
  requireFinding,
  updateFinding,
  type FindingChanges,
  type FindingRow,
} from './findings.queries';
import type {
  acceptFindingRiskRoute,
  createFindingCommentRoute,
  createFindingRoute,
  exportFindingsRoute,
  getFindingRoute,
  listFindingCommentsRoute,
  listFindingsRoute,
  updateFindingRoute,
} from './findings.routes';
import { dayOf } from '../../lib/dates';

function respond(c: AppContext, row: FindingRow) {
  setEtag(c, row.version);
  return presentFinding(row, c.get('now'));
}

const rescore = (c: AppContext, tx: Parameters<typeof rescoreSupplier>[0], supplierId: string) =>
  rescoreSupplier(tx, { tenantId: c.get('principal').tenantId, supplierId, now: c.get('now'), trigger: 'finding' });

const cursorSchema = z.tuple([z.string().max(40)]);

export const listFindingsHandler: RouteHandler<typeof listFindingsRoute, AppEnv> = async (c) => {
  const { limit, cursor, ...filters } = c.req.valid('query');
  const after = cursor ? decodeCursor(cursor, cursorSchema) : undefined;
  const rows = await listFindings(c.get('db'), { ...filters, tenantId: c.get('principal').tenantId, limit, now: c.get('now'), afterId: after?.[0] });
  return c.json(
    toPage(rows, limit, (row) => presentFinding(row, c.get('now')), (row) => [row.id]),
    200,
  );
};

export const exportFindingsHandler: RouteHandler<typeof exportFindingsRoute, AppEnv> = async (c) => {
  const filter = { ...c.req.valid('query'), tenantId: c.get('principal').tenantId, now: c.get('now') };
  return csvAttachment(c, 'findings', (hooks) => findingExportStream(c.get('db'), filter, hooks));
};

export const createFindingHandler: RouteHandler<typeof createFindingRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const { principal, now } = c.var;
  const tenantId = principal.tenantId;
  const row = await c.get('db').transaction(async (tx) => {
    const errors: FieldError[] = [];
    const supplier = await findSupplier(tx, tenantId, input.supplierId);
    if (!supplier) errors.push({ location: 'body', path: 'supplierId', message: 'No such supplier.' });
    else if (supplier.archivedAt) errors.push({ location: 'body', path: 'supplierId', message: 'The supplier is archived. Restore it first.' });
    if (supplier && input.serviceId && !(await findService(tx, { tenantId, supplierId: supplier.id, serviceId: input.serviceId }))) {
      errors.push({ location: 'body', path: 'serviceId', message: 'No such ICT service of this supplier.' });
    }
    if (errors.length > 0) throw problems.validation(errors);
    const created = await insertFinding(tx, {
      tenantId,
      id: newId('finding', now),
      supplierId: input.supplierId,
      title: input.title,
      description: input.description || null,
      severity: input.severity,
      status: 'open',
      source: 'manual',
      sourceRef: null,
      serviceId: input.serviceId ?? null,
      owner: input.owner ?? null,
      dueDate: input.dueDate ?? null,
      remediationPlan: input.remediationPlan || null,
      createdByType: principal.actor.type,
      createdById: principal.actor.id,
      createdAt: now,
      updatedAt: now,
    });
    await recordAudit(tx, auditContextOf(c), {
      action: 'finding.created',
      entityType: 'finding',
      entityId: created.id,
      changes: {
        supplierId: created.supplierId,
        source: 'manual',
        severity: created.severity,
        title: created.title,
        ...(created.serviceId ? { serviceId: created.serviceId } : {}),
        ...(created.owner ? { owner: created.owner } : {}),
        ...(created.dueDate ? { dueDate: created.dueDate } : {}),
      },
    });
    await emitFindingCreated(tx, created);
    await rescore(c, tx, created.supplierId);
    return created;
  });
  c.header('Location', `/v1/findings/${row.id}`);
  return c.json(respond(c, row), 201);
};

export const getFindingHandler: RouteHandler<typeof getFindingRoute, AppEnv> = async (c) => {
  const row = await requireFinding(c.get('db'), c.get('principal').tenantId, c.req.valid('param').findingId);
  return c.json(respond(c, row), 200);
};

const EDITABLE = ['title', 'description', 'severity', 'owner', 'dueDate', 'remediationPlan'] as const;

function statusChanges(current: FindingRow, to: FindingStatus, now: Date): FindingChanges {
  const from = current.status as FindingStatus;
  if (to === 'risk_accepted') {
    throw problems.unprocessable('use_accept_risk', 'A finding becomes risk_accepted only through POST /v1/findings/{findingId}/accept-risk, which records the approver, a justification and an expiry date.', [
      { location: 'body', path: 'status', message: 'Use accept-risk to accept the risk.' },
    ]);
  }
  if (!FINDING_TRANSITIONS[from].includes(to)) {
    throw problems.conflict(`A ${from} finding cannot move to ${to}. Allowed from ${from}: ${FINDING_TRANSITIONS[from].join(', ')}.`, 'invalid_transition');
  }
  return {
    status: to,
    resolvedAt: to === 'resolved' ? now : null,
    ...(from === 'risk_accepted' ? NO_ACCEPTANCE : {}),
  };
}

export const updateFindingHandler: RouteHandler<typeof updateFindingRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const { findingId } = c.req.valid('param');
  const row = await c.get('db').transaction(async (tx) => {
    const current = await requireFinding(tx, c.get('principal').tenantId, findingId, { forUpdate: true });
    assertIfMatch(c, current.version);
    const changes: FindingChanges = {};
    for (const field of EDITABLE) {
      const value = input[field];
      if (value === undefined) continue;
      // Blank text clears like null does.
      const next = typeof value === 'string' && value === '' ? null : value;
      if (next !== current[field]) (changes as Record<string, unknown>)[field] = next;
    }
    if (input.status !== undefined && input.status !== current.status) Object.assign(changes, statusChanges(current, input.status, c.get('now')));
    if (Object.keys(changes).length === 0) return current;
    const updated = await updateFinding(tx, current, changes, c.get('now'));
    const withdrawn = current.status === 'risk_accepted' && changes.status !== undefined;
    await recordAudit(tx, auditContextOf(c), {
      action: 'finding.updated',
      entityType: 'finding',
      entityId: findingId,
      changes: {
        ...diff(current, changes),
        ...(withdrawn ? { withdrawnAcceptance: acceptanceRecord(current) } : {}),
      },
    });
    if (changes.status !== undefined || changes.severity !== undefined) await rescore(c, tx, current.supplierId);
    return updated;
  });
  return c.json(respond(c, row), 200);
};

const DAY_MS = 86_400_000;

export const acceptFindingRiskHandler: RouteHandler<typeof acceptFindingRiskRoute, AppEnv> = async (c) => {
  const { justification, expiresAt } = c.req.valid('json');
  const { findingId } = c.req.valid('param');
  const { now, principal } = c.var;
  const today = dayOf(now);
  const latest = dayOf(new Date(Date.parse(`${today}T00:00:00Z`) + MAX_RISK_ACCEPTANCE_DAYS * DAY_MS));
  if (expiresAt <= today || expiresAt > latest) {
    throw problems.validation([{ location: 'body', path: 'expiresAt', message: `Must be after today (${today}) and not after ${latest}.` }]);
  }
  const row = await c.get('db').transaction(async (tx) => {
    const current = await requireFinding(tx, principal.tenantId, findingId, { forUpdate: true });
    assertIfMatch(c, current.version);
    if (!(RISK_ACCEPTABLE_STATUSES as readonly string[]).includes(current.status)) {
      throw problems.conflict(`A ${current.status} finding has no risk left to accept. Reopen it first if the weakness came back.`, 'invalid_transition');
    }
    const changes: FindingChanges = {
      status: 'risk_accepted',
      riskAcceptedByType: principal.actor.type,
      riskAcceptedById: principal.actor.id,
      riskAcceptedAt: now,
      riskAcceptanceJustification: justification,
      riskAcceptanceExpiresAt: expiresAt,
    };
    const updated = await updateFinding(tx, current, changes, now);
    await recordAudit(tx, auditContextOf(c), {
      action: 'finding.risk_accepted',
      entityType: 'finding',
      entityId: findingId,
      changes: {
        status: { from: current.status, to: 'risk_accepted' },
        justification,
        expiresAt,
        ...(current.status === 'risk_accepted' ? { renewed: acceptanceRecord(current) } : {}),
      },
    });
    if (current.status !== 'risk_accepted') await rescore(c, tx, current.supplierId);
    return updated;
  });
  return c.json(respond(c, row), 200);
};

const commentCursor = z.tuple([z.string().max(40)]);

export const listFindingCommentsHandler: RouteHandler<typeof listFindingCommentsRoute, AppEnv> = async (c) => {
  const { limit, cursor } = c.req.valid('query');
  const finding = await requireFinding(c.get('db'), c.get('principal').tenantId, c.req.valid('param').findingId);
  const after = cursor ? decodeCursor(cursor, commentCursor) : undefined;
  const rows = await listComments(c.get('db'), { tenantId: finding.tenantId, findingId: finding.id, limit, afterId: after?.[0] });
  return c.json(toPage(rows, limit, presentComment, (row) => [row.id]), 200);
};

export const createFindingCommentHandler: RouteHandler<typeof createFindingCommentRoute, AppEnv> = async (c) => {
  const { body } = c.req.valid('json');
  const { findingId } = c.req.valid('param');
  const { principal, now } = c.var;
  const row = await c.get('db').transaction(async (tx) => {
    // Locked so that a comment cannot land on a finding whose transaction is still changing it.
    const finding = await requireFinding(tx, principal.tenantId, findingId, { forUpdate: true });
    const created = await insertComment(tx, {
      tenantId: finding.tenantId,
      id: newId('findingComment', now),
      findingId: finding.id,
      body,
      authorType: principal.actor.type,
      authorId: principal.actor.id,
      createdAt: now,
    });
    await recordAudit(tx, auditContextOf(c), {
      action: 'finding.commented',
      entityType: 'finding',
      entityId: finding.id,
      changes: { commentId: created.id, body },
    });
    return created;
  });
  return c.json(presentComment(row), 201);
};
