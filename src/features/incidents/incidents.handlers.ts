import type { RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import { INCIDENT_MILESTONE_CODES, INCIDENT_TRANSITIONS, type IncidentMilestone, type IncidentStatus } from '../../catalog/incidents';
import { auditContextOf, recordAudit } from '../../lib/audit';
import type { AppContext, AppEnv } from '../../lib/context';
import { problems, type FieldError } from '../../lib/errors';
import { assertIfMatch, setEtag } from '../../lib/etag';
import { decodeCursor, toPage } from '../../lib/pagination';
import { afterIncidentSeverityChange, afterIncidentStatusChange, recordIncident } from './incidents.effects';
import { presentIncident } from './incidents.present';
import { foreignServiceIds, listIncidents, requireIncident, updateIncident, type IncidentChanges, type IncidentRow } from './incidents.queries';
import type { createIncidentRoute, getIncidentRoute, listIncidentsRoute, updateIncidentRoute } from './incidents.routes';
import { DateTimeSchema } from '../../lib/schemas';

function respond(c: AppContext, row: IncidentRow) {
  setEtag(c, row.version);
  return presentIncident(row, c.get('now'));
}

const cursorSchema = z.tuple([DateTimeSchema, z.string().max(40)]);

export const listIncidentsHandler: RouteHandler<typeof listIncidentsRoute, AppEnv> = async (c) => {
  const { limit, cursor, ...filters } = c.req.valid('query');
  const after = cursor ? decodeCursor(cursor, cursorSchema) : undefined;
  const rows = await listIncidents(c.get('db'), {
    ...filters,
    tenantId: c.get('principal').tenantId,
    limit,
    now: c.get('now'),
    after: after ? { awareAt: after[0], id: after[1] } : undefined,
  });
  return c.json(
    toPage(rows, limit, (row) => presentIncident(row, c.get('now')), (row) => [row.awareAt.toISOString(), row.id]),
    200,
  );
};

export const createIncidentHandler: RouteHandler<typeof createIncidentRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const row = await c.get('db').transaction((tx) =>
    recordIncident(
      tx,
      auditContextOf(c),
      {
        supplierId: input.supplierId,
        title: input.title,
        awareAt: new Date(input.awareAt),
        severity: input.severity,
        significant: input.significant,
        serviceIds: input.serviceIds ?? [],
        description: input.description || null,
        status: input.status ?? 'open',
      },
      c.get('principal').actor,
    ),
  );
  c.header('Location', `/v1/incidents/${row.id}`);
  return c.json(respond(c, row), 201);
};

export const getIncidentHandler: RouteHandler<typeof getIncidentRoute, AppEnv> = async (c) => {
  const row = await requireIncident(c.get('db'), c.get('principal').tenantId, c.req.valid('param').incidentId);
  return c.json(respond(c, row), 200);
};

const COMPLETION_FIELDS: Record<IncidentMilestone, 'earlyWarningCompletedAt' | 'notificationCompletedAt' | 'finalReportCompletedAt'> = {
  earlyWarning: 'earlyWarningCompletedAt',
  notification: 'notificationCompletedAt',
  finalReport: 'finalReportCompletedAt',
};

const show = (value: unknown) => (value instanceof Date ? value.toISOString() : (value ?? null));
const same = (a: unknown, b: unknown) => JSON.stringify(show(a)) === JSON.stringify(show(b));

export const updateIncidentHandler: RouteHandler<typeof updateIncidentRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const { incidentId } = c.req.valid('param');
  const { now } = c.var;
  const row = await c.get('db').transaction(async (tx) => {
    const current = await requireIncident(tx, c.get('principal').tenantId, incidentId, { forUpdate: true });
    assertIfMatch(c, current.version);
    const changes: IncidentChanges = {};
    const errors: FieldError[] = [];
    if (input.title !== undefined) changes.title = input.title;
    if (input.description !== undefined) changes.description = input.description || null;
    if (input.severity !== undefined) changes.severity = input.severity;
    if (input.significant !== undefined) changes.significant = input.significant;
    if (input.serviceIds !== undefined) {
      for (const id of await foreignServiceIds(tx, current.tenantId, current.supplierId, input.serviceIds)) {
        errors.push({ location: 'body', path: `serviceIds.${input.serviceIds.indexOf(id)}`, message: 'No such ICT service of this supplier.' });
      }
      changes.serviceIds = input.serviceIds;
    }
    for (const milestone of INCIDENT_MILESTONE_CODES) {
      const field = COMPLETION_FIELDS[milestone];
      const value = input[field];
      if (value === undefined) continue;
      const at = value === null ? null : new Date(value);
      if (at && at.getTime() > now.getTime()) errors.push({ location: 'body', path: field, message: 'Must not be in the future.' });
      else if (at && at.getTime() < current.awareAt.getTime()) errors.push({ location: 'body', path: field, message: 'Must not be before awareAt.' });
      changes[field] = at;
    }
    if (errors.length > 0) throw problems.validation(errors);
    if (input.status !== undefined && input.status !== current.status) {
      const from = current.status as IncidentStatus;
      if (!INCIDENT_TRANSITIONS[from].includes(input.status)) {
        throw problems.conflict(`A ${from} incident cannot move to ${input.status}. Allowed from ${from}: ${INCIDENT_TRANSITIONS[from].join(', ')}.`, 'invalid_transition');
      }
      changes.status = input.status;
      changes.resolvedAt = input.status === 'resolved' ? now : null;
    }
    for (const [field, value] of Object.entries(changes)) {
      if (same(value, current[field as keyof IncidentRow])) delete (changes as Record<string, unknown>)[field];
    }
    if (Object.keys(changes).length === 0) return current;
    const updated = await updateIncident(tx, current, changes, now);
    const audit = auditContextOf(c);
    await recordAudit(tx, audit, {
      action: 'incident.updated',
      entityType: 'incident',
      entityId: incidentId,
      changes: Object.fromEntries(Object.entries(changes).map(([field, to]) => [field, { from: show(current[field as keyof IncidentRow]), to: show(to) }])),
    });
    if (changes.status !== undefined) await afterIncidentStatusChange(tx, audit, updated, current.status);
    if (changes.severity !== undefined && changes.severity !== current.severity) await afterIncidentSeverityChange(tx, audit, updated);
    return updated;
  });
  return c.json(respond(c, row), 200);
};
