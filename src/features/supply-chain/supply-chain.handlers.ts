import type { RouteHandler } from '@hono/zod-openapi';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { suppliers } from '../../db/schema';
import type { Db } from '../../db/types';
import { auditContextOf, recordAudit } from '../../lib/audit';
import type { AppEnv } from '../../lib/context';
import { problems } from '../../lib/errors';
import { decodeCursor, toPage } from '../../lib/pagination';
import { requireSupplier } from '../suppliers/suppliers.queries';
import {
  concentrationRows,
  deleteLink,
  findChainPath,
  findLink,
  insertLink,
  listLinks,
  lockTenantChain,
  serviceBelongsTo,
  supplyChainRows,
  updateLink,
  type ChainRow,
  type ConcentrationRow,
  type LinkRow,
  PATH_SEPARATOR,
} from './supply-chain.queries';
import type {
  getConcentrationRoute,
  getSupplyChainRoute,
  listSubcontractorsRoute,
  putSubcontractorRoute,
  removeSubcontractorRoute,
} from './supply-chain.routes';
import { CONCENTRATION_SERVICE_IDS, MAX_CHAIN_DEPTH, MAX_TREE_NODES, type SupplyChainNode } from './supply-chain.schemas';
import { rescoreChainAround } from '../risk/risk.rescore';

export function presentLink(row: LinkRow) {
  return {
    supplierId: row.supplierId,
    subcontractorId: row.subcontractorId,
    serviceId: row.serviceId,
    description: row.description,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function describeSuppliers(db: Db, tenantId: string, ids: string[]): Promise<string[]> {
  const rows = await db
    .select({ id: suppliers.id, name: suppliers.name })
    .from(suppliers)
    .where(and(eq(suppliers.tenantId, tenantId), inArray(suppliers.id, [...new Set(ids)])));
  const names = new Map(rows.map((row) => [row.id, row.name]));
  return ids.map((id) => `${names.get(id) ?? '?'} (${id})`);
}

export const putSubcontractorHandler: RouteHandler<typeof putSubcontractorRoute, AppEnv> = async (c) => {
  const { supplierId, subcontractorId } = c.req.valid('param');
  const body = c.req.valid('json');
  const next = { serviceId: body.serviceId ?? null, description: body.description ?? null };
  const { principal, now } = c.var;
  const tenantId = principal.tenantId;

  const result = await c.get('db').transaction(async (tx) => {
    // The supplier first: another tenant's ids answer 404 before anything about the link itself.
    const supplier = await requireSupplier(tx, tenantId, supplierId);
    if (subcontractorId === supplierId) {
      throw problems.unprocessable('subcontracting_cycle', 'A supplier cannot subcontract to itself.', [
        { location: 'path', path: 'subcontractorId', message: 'Must differ from supplierId.' },
      ]);
    }
    const subcontractor = await requireSupplier(tx, tenantId, subcontractorId);
    const archived = [supplier, subcontractor].find((row) => row.archivedAt !== null);
    if (archived) {
      throw problems.conflict(`The supplier ${archived.id} is archived. Restore it before changing its subcontracting.`, 'supplier_archived');
    }
    if (next.serviceId !== null && !(await serviceBelongsTo(tx, tenantId, supplierId, next.serviceId))) {
      throw problems.validation([{ location: 'body', path: 'serviceId', message: 'Not a service of this supplier.' }]);
    }

    await lockTenantChain(tx, tenantId);
    const cyclePath = await findChainPath(tx, tenantId, subcontractorId, supplierId);
    if (cyclePath) {
      const names = await describeSuppliers(tx, tenantId, [supplierId, ...cyclePath]);
      throw problems.unprocessable(
        'subcontracting_cycle',
        `This link would close a subcontracting cycle: ${names.join(' → ')}.`,
        [{ location: 'path', path: 'subcontractorId', message: `Already subcontracts, through the chain, to the supplier: ${cyclePath.join(' → ')}.` }],
      );
    }

    const existing = await findLink(tx, tenantId, supplierId, subcontractorId);
    if (!existing) {
      const row = await insertLink(tx, { tenantId, supplierId, subcontractorId, ...next, now });
      await recordAudit(tx, auditContextOf(c), {
        action: 'subcontractor.linked',
        entityType: 'supplier',
        entityId: supplierId,
        changes: { subcontractorId, ...next },
      });
      await rescoreChainAround(tx, { tenantId, supplierId, subcontractorId, now });
      return { created: true, row };
    }
    const changes: Record<string, unknown> = {};
    if (existing.serviceId !== next.serviceId) changes.serviceId = { from: existing.serviceId, to: next.serviceId };
    if (existing.description !== next.description) changes.description = { from: existing.description, to: next.description };
    // The same body again changes nothing and writes no audit entry.
    if (Object.keys(changes).length === 0) return { created: false, row: existing };
    const row = await updateLink(tx, existing, next, now);
    await recordAudit(tx, auditContextOf(c), {
      action: 'subcontractor.updated',
      entityType: 'supplier',
      entityId: supplierId,
      changes: { subcontractorId, ...changes },
    });
    return { created: false, row };
  });
  return c.json(presentLink(result.row), result.created ? 201 : 200);
};

export const removeSubcontractorHandler: RouteHandler<typeof removeSubcontractorRoute, AppEnv> = async (c) => {
  const { supplierId, subcontractorId } = c.req.valid('param');
  const tenantId = c.get('principal').tenantId;
  await c.get('db').transaction(async (tx) => {
    await requireSupplier(tx, tenantId, supplierId);
    await lockTenantChain(tx, tenantId);
    const removed = await deleteLink(tx, tenantId, supplierId, subcontractorId);
    if (!removed) throw problems.notFound('Subcontracting link');
    await recordAudit(tx, auditContextOf(c), {
      action: 'subcontractor.unlinked',
      entityType: 'supplier',
      entityId: supplierId,
      changes: { subcontractorId, serviceId: removed.serviceId, description: removed.description },
    });
    await rescoreChainAround(tx, { tenantId, supplierId, subcontractorId, now: c.get('now') });
  });
  return c.body(null, 204);
};

const linkCursorSchema = z.tuple([z.string().max(40)]);

export const listSubcontractorsHandler: RouteHandler<typeof listSubcontractorsRoute, AppEnv> = async (c) => {
  const { supplierId } = c.req.valid('param');
  const { limit, cursor } = c.req.valid('query');
  const tenantId = c.get('principal').tenantId;
  await requireSupplier(c.get('db'), tenantId, supplierId);
  const rows = await listLinks(c.get('db'), {
    tenantId,
    supplierId,
    limit,
    ...(cursor ? { afterSubcontractorId: decodeCursor(cursor, linkCursorSchema)[0] } : {}),
  });
  return c.json(toPage(rows, limit, presentLink, (row) => [row.subcontractorId]), 200);
};

/** Nests the CTE's rows (one per path) into the tree; children by name, then id. */
export function buildTree(rows: ChainRow[], maxDepth: number, maxNodes: number) {
  const ordered = [...rows].sort((a, b) => Number(a.rank) - Number(b.rank) || a.path.localeCompare(b.path));
  // The query returns at most one row more than allowed, from its deepest level: no row depends on it.
  const kept = ordered.slice(0, maxNodes);
  const byPath = new Map<string, SupplyChainNode>();
  let root: SupplyChainNode | undefined;
  for (const row of kept) {
    const node: SupplyChainNode = {
      supplierId: row.supplier_id,
      name: row.name,
      country: row.country,
      tier: row.tier as SupplyChainNode['tier'],
      rank: Number(row.rank),
      serviceId: row.service_id,
      description: row.description,
      substitutability: row.substitutability as SupplyChainNode['substitutability'],
      outsideEea: row.outside_eea,
      archived: row.archived,
      childrenTruncated: row.has_more,
      children: [],
    };
    byPath.set(row.path, node);
    const parentEnd = row.path.lastIndexOf(PATH_SEPARATOR);
    if (parentEnd < 0) root = node;
    else byPath.get(row.path.slice(0, parentEnd))?.children.push(node);
  }
  for (const node of byPath.values()) {
    node.children.sort((a, b) => a.name.localeCompare(b.name) || a.supplierId.localeCompare(b.supplierId));
  }
  const distinct = new Map(kept.map((row) => [row.supplier_id, row]));
  const rootId = root?.supplierId;
  return {
    tree: root!,
    summary: {
      depth: Math.max(1, ...kept.map((row) => Number(row.rank))),
      suppliers: distinct.size,
      subcontractors: [...distinct.keys()].filter((id) => id !== rootId).length,
      outsideEea: [...distinct.values()].filter((row) => row.outside_eea).length,
      nodes: kept.length,
      maxDepth,
      truncated: rows.length > maxNodes || kept.some((row) => row.has_more),
    },
  };
}

export const getSupplyChainHandler: RouteHandler<typeof getSupplyChainRoute, AppEnv> = async (c) => {
  const { supplierId } = c.req.valid('param');
  const { maxDepth } = c.req.valid('query');
  const tenantId = c.get('principal').tenantId;
  await requireSupplier(c.get('db'), tenantId, supplierId);
  const rows = await supplyChainRows(c.get('db'), { tenantId, supplierId, maxDepth, maxNodes: MAX_TREE_NODES });
  return c.json({ supplierId, ...buildTree(rows, maxDepth, MAX_TREE_NODES) }, 200);
};

export function presentConcentration(row: ConcentrationRow) {
  const criticalServices = Number(row.critical_services);
  const direct = Number(row.direct);
  return {
    supplierId: row.supplier_id,
    name: row.name,
    country: row.country,
    tier: row.tier as 'critical',
    substitutability: row.substitutability as 'not_substitutable' | null,
    noAlternative: row.substitutability === 'not_substitutable',
    outsideEea: row.outside_eea,
    criticalServices,
    direct,
    indirect: criticalServices - direct,
    minRank: Number(row.min_rank),
    serviceIds: row.service_ids ? row.service_ids.split(',') : [],
  };
}

const concentrationCursorSchema = z.tuple([z.number().int().min(0), z.string().max(400), z.string().max(40)]);

export const getConcentrationHandler: RouteHandler<typeof getConcentrationRoute, AppEnv> = async (c) => {
  const { limit, cursor, minCriticalServices, noAlternative } = c.req.valid('query');
  const after = cursor ? decodeCursor(cursor, concentrationCursorSchema) : undefined;
  const rows = await concentrationRows(c.get('db'), {
    tenantId: c.get('principal').tenantId,
    limit,
    maxDepth: MAX_CHAIN_DEPTH,
    serviceIdsShown: CONCENTRATION_SERVICE_IDS,
    minCriticalServices,
    ...(noAlternative !== undefined ? { noAlternative } : {}),
    ...(after ? { after: { criticalServices: after[0], name: after[1], id: after[2] } } : {}),
  });
  return c.json(
    toPage(rows, limit, presentConcentration, (row) => [Number(row.critical_services), row.name, row.supplier_id]),
    200,
  );
};
