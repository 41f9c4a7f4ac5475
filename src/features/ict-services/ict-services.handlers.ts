import type { RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import { ICT_SERVICE_TYPES, type IctServiceType } from '../../catalog/ict-service-types';
import type { Db } from '../../db/types';
import { auditContextOf, recordAudit, type AuditEvent } from '../../lib/audit';
import type { AppContext, AppEnv } from '../../lib/context';
import { problems } from '../../lib/errors';
import type { DiscontinuationImpact, NonSubstitutabilityReason, ReintegrationPossibility } from '../../catalog/dora-register';
import type { Substitutability } from '../../catalog/supplier-profile';
import { assertIfMatch, setEtag } from '../../lib/etag';
import { newId } from '../../lib/ids';
import { decodeCursor, toPage } from '../../lib/pagination';
import { REVIEW_DUE_REASONS } from '../../catalog/reviews';
import { reviewAfterServiceWrite } from '../reviews/reviews.queries';
import { rescoreAndReload } from '../risk/risk.rescore';
import { refreshSupplierDerived, requireSupplier, type SupplierRow } from '../suppliers/suppliers.queries';
import {
  deleteService,
  functionExists,
  insertService,
  listServices,
  requireService,
  serviceFieldsOf,
  serviceHasSubcontractingLinks,
  serviceIsContracted,
  updateService,
  type ServiceFields,
  type ServiceRow,
} from './ict-services.queries';
import type {
  createServiceRoute,
  deleteServiceRoute,
  getServiceRoute,
  listAllServicesRoute,
  listSupplierServicesRoute,
  updateServiceRoute,
} from './ict-services.routes';
import { END_BEFORE_START, type IctServiceInput, type IctServicePatch } from './ict-services.schemas';

export function presentService(row: ServiceRow) {
  return {
    id: row.id,
    supplierId: row.supplierId,
    name: row.name,
    description: row.description,
    serviceType: row.serviceType as IctServiceType,
    serviceTypeName: ICT_SERVICE_TYPES[row.serviceType as IctServiceType] ?? row.serviceType,
    supportedFunction: row.supportedFunction,
    criticalOrImportant: row.criticalOrImportant,
    dataStorageCountries: row.dataStorageCountries,
    dataProcessingCountries: row.dataProcessingCountries,
    dataSensitivity: row.dataSensitivity as 'confidential' | null,
    reliance: row.reliance as 'material' | null,
    startDate: row.startDate,
    endDate: row.endDate,
    functionId: row.functionId,
    substitutability: row.substitutability as Substitutability | null,
    nonSubstitutabilityReason: row.nonSubstitutabilityReason as NonSubstitutabilityReason | null,
    exitPlanExists: row.exitPlanExists,
    reintegrationPossibility: row.reintegrationPossibility as ReintegrationPossibility | null,
    discontinuationImpact: row.discontinuationImpact as DiscontinuationImpact | null,
    alternativeProvidersIdentified: row.alternativeProvidersIdentified,
    alternativeProviders: row.alternativeProviders,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const cursorSchema = z.tuple([z.string().max(40)]);

function respondWithService(c: AppContext, row: ServiceRow) {
  setEtag(c, row.version);
  return presentService(row);
}

function fieldsFromInput(input: IctServiceInput): ServiceFields {
  return {
    name: input.name,
    description: input.description ?? null,
    serviceType: input.serviceType,
    supportedFunction: input.supportedFunction ?? null,
    criticalOrImportant: input.criticalOrImportant ?? false,
    dataStorageCountries: input.dataStorageCountries ?? [],
    dataProcessingCountries: input.dataProcessingCountries ?? [],
    dataSensitivity: input.dataSensitivity ?? null,
    reliance: input.reliance ?? null,
    startDate: input.startDate ?? null,
    endDate: input.endDate ?? null,
    functionId: input.functionId ?? null,
    substitutability: input.substitutability ?? null,
    nonSubstitutabilityReason: input.nonSubstitutabilityReason ?? null,
    exitPlanExists: input.exitPlanExists ?? null,
    reintegrationPossibility: input.reintegrationPossibility ?? null,
    discontinuationImpact: input.discontinuationImpact ?? null,
    alternativeProvidersIdentified: input.alternativeProvidersIdentified ?? null,
    alternativeProviders: input.alternativeProviders ?? null,
  };
}

/** A functionId must name a function of the tenant (422 on the field otherwise). */
async function assertFunction(tx: Db, tenantId: string, functionId: string | null) {
  if (functionId && !(await functionExists(tx, tenantId, functionId))) {
    throw problems.validation([{ location: 'body', path: 'functionId', message: 'No function with this id in the tenant (GET /v1/functions).' }]);
  }
}

/** PATCH: absent keys keep their value, null clears. */
function applyPatch(current: ServiceFields, patch: IctServicePatch): ServiceFields {
  const next: ServiceFields = { ...current };
  for (const key of Object.keys(current) as (keyof ServiceFields)[]) {
    const value = patch[key];
    if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
  }
  return next;
}

function diff(before: ServiceFields, after: ServiceFields): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof ServiceFields)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = { from: before[key], to: after[key] };
  }
  return changes;
}

function assertSupplierOpen(supplier: SupplierRow) {
  if (supplier.archivedAt) throw problems.conflict('The supplier is archived. Restore it before adding ICT services.', 'supplier_archived');
}

const DERIVED_KEYS = ['hasCriticalService', 'inherentScore', 'computedTier', 'tier'] as const;

/**
 * Recomputes what the supplier derives from its services, in the caller's transaction, and
 * returns an audit entry when that changed the supplier (its tier, for instance). A material
 * service change (`reviewReason`) makes the supplier's review due now, audited with it.
 */
async function refreshSupplier(tx: Db, c: AppContext, before: SupplierRow, reviewReason: string | null): Promise<AuditEvent[]> {
  await refreshSupplierDerived(tx, before.tenantId, before.id, c.get('now'));
  const after = await rescoreAndReload(tx, before, 'service', c.get('now'));
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of DERIVED_KEYS) {
    if (before[key] !== after[key]) changes[key] = { from: before[key], to: after[key] };
  }
  const reviewEvents = await reviewAfterServiceWrite(tx, { supplier: before, reason: reviewReason, now: c.get('now') });
  if (Object.keys(changes).length === 0) return reviewEvents;
  return [...reviewEvents, { action: 'supplier.updated', entityType: 'supplier', entityId: before.id, changes }];
}

export const listAllServicesHandler: RouteHandler<typeof listAllServicesRoute, AppEnv> = async (c) => {
  const { limit, cursor, supplierId, serviceType, criticalOrImportant } = c.req.valid('query');
  const rows = await listServices(c.get('db'), {
    tenantId: c.get('principal').tenantId,
    limit,
    ...(cursor ? { afterId: decodeCursor(cursor, cursorSchema)[0] } : {}),
    ...(supplierId ? { supplierId } : {}),
    ...(serviceType ? { serviceType } : {}),
    ...(criticalOrImportant !== undefined ? { criticalOrImportant } : {}),
  });
  return c.json(toPage(rows, limit, presentService, (row) => [row.id]), 200);
};

export const listSupplierServicesHandler: RouteHandler<typeof listSupplierServicesRoute, AppEnv> = async (c) => {
  const { supplierId } = c.req.valid('param');
  const { limit, cursor, serviceType, criticalOrImportant } = c.req.valid('query');
  const tenantId = c.get('principal').tenantId;
  await requireSupplier(c.get('db'), tenantId, supplierId);
  const rows = await listServices(c.get('db'), {
    tenantId,
    supplierId,
    limit,
    ...(cursor ? { afterId: decodeCursor(cursor, cursorSchema)[0] } : {}),
    ...(serviceType ? { serviceType } : {}),
    ...(criticalOrImportant !== undefined ? { criticalOrImportant } : {}),
  });
  return c.json(toPage(rows, limit, presentService, (row) => [row.id]), 200);
};

export const createServiceHandler: RouteHandler<typeof createServiceRoute, AppEnv> = async (c) => {
  const { supplierId } = c.req.valid('param');
  const fields = fieldsFromInput(c.req.valid('json'));
  const { principal, now } = c.var;
  const tenantId = principal.tenantId;
  const row = await c.get('db').transaction(async (tx) => {
    const supplier = await requireSupplier(tx, tenantId, supplierId, { forUpdate: true });
    assertSupplierOpen(supplier);
    await assertFunction(tx, tenantId, fields.functionId);
    const created = await insertService(tx, { tenantId, supplierId, id: newId('service', now), fields, now });
    const supplierEvents = await refreshSupplier(tx, c, supplier, REVIEW_DUE_REASONS.serviceAdded);
    await recordAudit(tx, auditContextOf(c), [
      {
        action: 'service.created',
        entityType: 'service',
        entityId: created.id,
        changes: {
          supplierId,
          ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0))),
        },
      },
      ...supplierEvents,
    ]);
    return created;
  });
  c.header('Location', `/v1/suppliers/${supplierId}/services/${row.id}`);
  return c.json(respondWithService(c, row), 201);
};

export const getServiceHandler: RouteHandler<typeof getServiceRoute, AppEnv> = async (c) => {
  const { supplierId, serviceId } = c.req.valid('param');
  const row = await requireService(c.get('db'), { tenantId: c.get('principal').tenantId, supplierId, serviceId });
  return c.json(respondWithService(c, row), 200);
};

export const updateServiceHandler: RouteHandler<typeof updateServiceRoute, AppEnv> = async (c) => {
  const { supplierId, serviceId } = c.req.valid('param');
  const patch = c.req.valid('json');
  const tenantId = c.get('principal').tenantId;
  const row = await c.get('db').transaction(async (tx) => {
    // Supplier first, then service: the same lock order as every other write under a supplier.
    const supplier = await requireSupplier(tx, tenantId, supplierId, { forUpdate: true });
    const current = await requireService(tx, { tenantId, supplierId, serviceId }, { forUpdate: true });
    assertIfMatch(c, current.version);
    const before = serviceFieldsOf(current);
    const next = applyPatch(before, patch);
    if (next.startDate && next.endDate && next.endDate < next.startDate) {
      // Name the field this request sent; when it sent both, the schema has already refused them.
      const error =
        patch.endDate !== undefined
          ? { location: 'body', path: 'endDate', message: END_BEFORE_START }
          : { location: 'body', path: 'startDate', message: `Must not be after endDate (${next.endDate}).` };
      throw problems.validation([error]);
    }
    const changes = diff(before, next);
    if (Object.keys(changes).length === 0) return current;
    if (changes.functionId) await assertFunction(tx, tenantId, next.functionId);
    const updated = await updateService(tx, current, next, c.get('now'));
    const reviewReason = changes.criticalOrImportant ? REVIEW_DUE_REASONS.serviceCriticalityChanged : null;
    const supplierEvents = await refreshSupplier(tx, c, supplier, reviewReason);
    await recordAudit(tx, auditContextOf(c), [{ action: 'service.updated', entityType: 'service', entityId: serviceId, changes }, ...supplierEvents]);
    return updated;
  });
  return c.json(respondWithService(c, row), 200);
};

export const deleteServiceHandler: RouteHandler<typeof deleteServiceRoute, AppEnv> = async (c) => {
  const { supplierId, serviceId } = c.req.valid('param');
  const tenantId = c.get('principal').tenantId;
  await c.get('db').transaction(async (tx) => {
    const supplier = await requireSupplier(tx, tenantId, supplierId, { forUpdate: true });
    const current = await requireService(tx, { tenantId, supplierId, serviceId }, { forUpdate: true });
    assertIfMatch(c, current.version);
    if (await serviceHasSubcontractingLinks(tx, tenantId, serviceId)) {
      throw problems.conflict('A subcontracting link names this service. Remove the link first.', 'service_in_use');
    }
    if (await serviceIsContracted(tx, tenantId, serviceId)) {
      throw problems.conflict('A contract covers this service. Remove it from the contract first (PATCH its serviceIds).', 'service_in_use');
    }
    await deleteService(tx, current);
    const supplierEvents = await refreshSupplier(tx, c, supplier, REVIEW_DUE_REASONS.serviceRemoved);
    await recordAudit(tx, auditContextOf(c), [
      {
        action: 'service.deleted',
        entityType: 'service',
        entityId: serviceId,
        // What was deleted, so the audit log still shows it.
        changes: Object.fromEntries(
          Object.entries({ supplierId, ...serviceFieldsOf(current) }).map(([key, value]) => [key, { from: value, to: null }]),
        ),
      },
      ...supplierEvents,
    ]);
  });
  return c.body(null, 204);
};
