import type { RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import type { DiscontinuationImpact, LicensedActivity } from '../../catalog/dora-register';
import { auditContextOf, recordAudit } from '../../lib/audit';
import type { AppContext, AppEnv } from '../../lib/context';
import { isUniqueViolation, problems } from '../../lib/errors';
import { assertIfMatch, setEtag } from '../../lib/etag';
import { newId } from '../../lib/ids';
import { decodeCursor, toPage } from '../../lib/pagination';
import {
  countServicesOf,
  deleteFunction,
  FUNCTION_FIELDS,
  functionFieldsOf,
  findFunctionByIdentifier,
  insertFunction,
  listFunctions,
  requireFunction,
  updateFunction,
  type FunctionFields,
  type FunctionRow,
  type FunctionWithCount,
} from './functions.queries';
import type { createFunctionRoute, deleteFunctionRoute, getFunctionRoute, listFunctionsRoute, updateFunctionRoute } from './functions.routes';

export function presentFunction(row: FunctionWithCount) {
  return {
    id: row.id,
    identifier: row.identifier,
    name: row.name,
    licensedActivity: row.licensedActivity as LicensedActivity | null,
    criticalOrImportant: row.criticalOrImportant,
    criticalityReasons: row.criticalityReasons,
    lastCriticalityAssessmentOn: row.lastCriticalityAssessmentOn,
    rtoHours: row.rtoHours,
    rpoHours: row.rpoHours,
    discontinuationImpact: row.discontinuationImpact as DiscontinuationImpact | null,
    serviceCount: row.serviceCount,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const cursorSchema = z.tuple([z.string().max(40)]);

const duplicateIdentifier = (identifier: string) =>
  problems.conflict(`Another function of this tenant has the identifier "${identifier}".`, 'duplicate_identifier');

function respond(c: AppContext, row: FunctionWithCount) {
  setEtag(c, row.version);
  return presentFunction(row);
}

async function withCount(c: AppContext, row: FunctionRow): Promise<FunctionWithCount> {
  return { ...row, serviceCount: await countServicesOf(c.get('db'), row.tenantId, row.id) };
}

export const listFunctionsHandler: RouteHandler<typeof listFunctionsRoute, AppEnv> = async (c) => {
  const { limit, cursor, criticalOrImportant } = c.req.valid('query');
  const rows = await listFunctions(c.get('db'), {
    tenantId: c.get('principal').tenantId,
    limit,
    ...(cursor ? { afterId: decodeCursor(cursor, cursorSchema)[0] } : {}),
    ...(criticalOrImportant !== undefined ? { criticalOrImportant } : {}),
  });
  return c.json(toPage(rows, limit, presentFunction, (row) => [row.id]), 200);
};

export const createFunctionHandler: RouteHandler<typeof createFunctionRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const { now } = c.var;
  const tenantId = c.get('principal').tenantId;
  const fields: FunctionFields = {
    identifier: input.identifier,
    name: input.name,
    licensedActivity: input.licensedActivity ?? null,
    criticalOrImportant: input.criticalOrImportant ?? null,
    criticalityReasons: input.criticalityReasons ?? null,
    lastCriticalityAssessmentOn: input.lastCriticalityAssessmentOn ?? null,
    rtoHours: input.rtoHours ?? null,
    rpoHours: input.rpoHours ?? null,
    discontinuationImpact: input.discontinuationImpact ?? null,
  };
  const row = await c.get('db').transaction(async (tx) => {
    if (await findFunctionByIdentifier(tx, tenantId, fields.identifier)) throw duplicateIdentifier(fields.identifier);
    let created: FunctionRow;
    try {
      created = await insertFunction(tx, { tenantId, id: newId('function', now), fields, now });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateIdentifier(fields.identifier);
      throw error;
    }
    await recordAudit(tx, auditContextOf(c), {
      action: 'function.created',
      entityType: 'function',
      entityId: created.id,
      changes: Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null)),
    });
    return created;
  });
  c.header('Location', `/v1/functions/${row.id}`);
  return c.json(respond(c, { ...row, serviceCount: 0 }), 201);
};

export const getFunctionHandler: RouteHandler<typeof getFunctionRoute, AppEnv> = async (c) => {
  const { functionId } = c.req.valid('param');
  const row = await requireFunction(c.get('db'), c.get('principal').tenantId, functionId);
  return c.json(respond(c, await withCount(c, row)), 200);
};

export const updateFunctionHandler: RouteHandler<typeof updateFunctionRoute, AppEnv> = async (c) => {
  const { functionId } = c.req.valid('param');
  const patch = c.req.valid('json');
  const tenantId = c.get('principal').tenantId;
  const row = await c.get('db').transaction(async (tx) => {
    const current = await requireFunction(tx, tenantId, functionId, { forUpdate: true });
    assertIfMatch(c, current.version);
    const before = functionFieldsOf(current);
    const next: FunctionFields = { ...before };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of FUNCTION_FIELDS) {
      const value = patch[key];
      if (value === undefined || value === before[key]) continue;
      (next as Record<string, unknown>)[key] = value;
      changes[key] = { from: before[key], to: value };
    }
    if (Object.keys(changes).length === 0) return current;
    if (changes.identifier) {
      const taken = await findFunctionByIdentifier(tx, tenantId, next.identifier);
      if (taken && taken.id !== functionId) throw duplicateIdentifier(next.identifier);
    }
    let updated: FunctionRow;
    try {
      updated = await updateFunction(tx, current, next, c.get('now'));
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateIdentifier(next.identifier);
      throw error;
    }
    await recordAudit(tx, auditContextOf(c), { action: 'function.updated', entityType: 'function', entityId: functionId, changes });
    return updated;
  });
  return c.json(respond(c, await withCount(c, row)), 200);
};

export const deleteFunctionHandler: RouteHandler<typeof deleteFunctionRoute, AppEnv> = async (c) => {
  const { functionId } = c.req.valid('param');
  const tenantId = c.get('principal').tenantId;
  await c.get('db').transaction(async (tx) => {
    const current = await requireFunction(tx, tenantId, functionId, { forUpdate: true });
    assertIfMatch(c, current.version);
    const services = await countServicesOf(tx, tenantId, functionId);
    if (services > 0) {
      throw problems.conflict(
        `${services} ICT service${services === 1 ? '' : 's'} support${services === 1 ? 's' : ''} this function. Set their functionId to another function or null first.`,
        'function_in_use',
      );
    }
    await deleteFunction(tx, current);
    await recordAudit(tx, auditContextOf(c), {
      action: 'function.deleted',
      entityType: 'function',
      entityId: functionId,
      changes: Object.fromEntries(Object.entries(functionFieldsOf(current)).map(([key, value]) => [key, { from: value, to: null }])),
    });
  });
  return c.body(null, 204);
};
