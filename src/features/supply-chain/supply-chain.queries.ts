import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { ictServices, subcontractingLinks, suppliers } from '../../db/schema';
import type { Db } from '../../db/types';
import { rowsOf } from '../../db/rows';

export type LinkRow = typeof subcontractingLinks.$inferSelect;

/** Namespace of our advisory locks, so they never collide with another feature's (two-key form). */
const CHAIN_LOCK_CLASS = 0x5c4a1;

/**
 * Serialises writes to the tenant's subcontracting graph until the transaction ends. The cycle
 * check reads the graph and the insert depends on it: without this, two links that each look fine
 * alone (A→B and B→A) could both commit. Statements after the lock see what the previous holder
 * committed (READ COMMITTED takes a new snapshot per statement). Works on PGlite too.
 */
export async function lockTenantChain(tx: Db, tenantId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK_CLASS}::int, hashtext(${tenantId}))`);
}

export async function findLink(db: Db, tenantId: string, supplierId: string, subcontractorId: string): Promise<LinkRow | undefined> {
  const [row] = await db
    .select()
    .from(subcontractingLinks)
    .where(
      and(
        eq(subcontractingLinks.tenantId, tenantId),
        eq(subcontractingLinks.supplierId, supplierId),
        eq(subcontractingLinks.subcontractorId, subcontractorId),
      ),
    );
  return row;
}

/**
 * Whether the service belongs to this supplier. Takes a share lock on the service row so a
 * concurrent delete of the service (which refuses services that links name) cannot slip between
 * this check and the link insert.
 */
export async function serviceBelongsTo(db: Db, tenantId: string, supplierId: string, serviceId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: ictServices.id })
    .from(ictServices)
    .where(and(eq(ictServices.tenantId, tenantId), eq(ictServices.id, serviceId), eq(ictServices.supplierId, supplierId)))
    .for('share');
  return row !== undefined;
}

/**
 * A path subcontractorId → … → supplierId through existing links, if there is one (then the link
 * supplierId → subcontractorId would close a cycle). One recursive CTE collects the suppliers
 * reachable from the subcontractor (UNION: each once, so linear in the graph, never per path);
 * only when the supplier is among them are the edges of that subgraph returned, and the
 * shortest path is found in memory.
 */
export async function findChainPath(db: Db, tenantId: string, fromId: string, toId: string): Promise<string[] | undefined> {
  const edges = await rowsOf<{ supplier_id: string; subcontractor_id: string }>(
    db,
    sql`
      with recursive reach(node) as (
        select ${fromId}::text
        union
        select l.subcontractor_id
        from reach r
        join ${subcontractingLinks} l on l.tenant_id = ${tenantId} and l.supplier_id = r.node
      )
      select l.supplier_id, l.subcontractor_id
      from ${subcontractingLinks} l
      where l.tenant_id = ${tenantId}
        and l.supplier_id in (select node from reach)
        and exists (select 1 from reach where node = ${toId})
      order by l.supplier_id, l.subcontractor_id`,
  );
  if (edges.length === 0) return undefined;
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.supplier_id, [...(next.get(edge.supplier_id) ?? []), edge.subcontractor_id]);
  const previous = new Map<string, string>([[fromId, fromId]]);
  const queue = [fromId];
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (node === toId) break;
    for (const child of next.get(node) ?? []) {
      if (previous.has(child)) continue;
      previous.set(child, node);
      queue.push(child);
    }
  }
  if (!previous.has(toId)) return undefined;
  const path = [toId];
  while (path[0] !== fromId) path.unshift(previous.get(path[0]!)!);
  return path;
}

export async function insertLink(
  db: Db,
  input: { tenantId: string; supplierId: string; subcontractorId: string; serviceId: string | null; description: string | null; now: Date },
): Promise<LinkRow> {
  const [row] = await db
    .insert(subcontractingLinks)
    .values({
      tenantId: input.tenantId,
      supplierId: input.supplierId,
      subcontractorId: input.subcontractorId,
      serviceId: input.serviceId,
      description: input.description,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .returning();
  return row!;
}

export async function updateLink(db: Db, current: LinkRow, fields: { serviceId: string | null; description: string | null }, now: Date): Promise<LinkRow> {
  const [row] = await db
    .update(subcontractingLinks)
    .set({ ...fields, updatedAt: now })
    .where(
      and(
        eq(subcontractingLinks.tenantId, current.tenantId),
        eq(subcontractingLinks.supplierId, current.supplierId),
        eq(subcontractingLinks.subcontractorId, current.subcontractorId),
      ),
    )
    .returning();
  return row!;
}

export async function deleteLink(db: Db, tenantId: string, supplierId: string, subcontractorId: string): Promise<LinkRow | undefined> {
  const [row] = await db
    .delete(subcontractingLinks)
    .where(
      and(
        eq(subcontractingLinks.tenantId, tenantId),
        eq(subcontractingLinks.supplierId, supplierId),
        eq(subcontractingLinks.subcontractorId, subcontractorId),
      ),
    )
    .returning();
  return row;
}

/** A supplier's direct links, by subcontractor id (ids sort by creation time); fetches limit + 1. */
export function listLinks(db: Db, query: { tenantId: string; supplierId: string; limit: number; afterSubcontractorId?: string }): Promise<LinkRow[]> {
  return db
    .select()
    .from(subcontractingLinks)
    .where(
      and(
        eq(subcontractingLinks.tenantId, query.tenantId),
        eq(subcontractingLinks.supplierId, query.supplierId),
        query.afterSubcontractorId ? gt(subcontractingLinks.subcontractorId, query.afterSubcontractorId) : undefined,
      ),
    )
    .orderBy(asc(subcontractingLinks.subcontractorId))
    .limit(query.limit + 1);
}

/** Arrays come back parsed from PGlite but as text from postgres.js: raw queries return joined text. */
export const PATH_SEPARATOR = '>';

export interface ChainRow {
  /** Ids from the root to this node, joined by PATH_SEPARATOR. */
  path: string;
  rank: number;
  service_id: string | null;
  description: string | null;
  supplier_id: string;
  name: string;
  country: string;
  tier: string;
  substitutability: string | null;
  outside_eea: boolean;
  archived: boolean;
  has_more: boolean;
}

/**
 * The chain below a supplier in one recursive CTE: one row per path (a subcontractor reached by
 * two paths comes twice, as the tree shows it under each parent), `path` naming the ancestry.
 * Bounded by depth, and by `maxNodes`: the LIMIT stops the recursion early, and as the CTE grows
 * level by level (breadth first), what is kept is every level above the cut, so each kept node's
 * parent is kept. `has_more` marks nodes at the depth limit that have subcontractors of their own.
 * The path check is only a guard: writes keep the graph acyclic.
 */
export function supplyChainRows(db: Db, query: { tenantId: string; supplierId: string; maxDepth: number; maxNodes: number }): Promise<ChainRow[]> {
  const { tenantId, supplierId, maxDepth, maxNodes } = query;
  return rowsOf<ChainRow>(
    db,
    sql`
      with recursive chain(node_id, path, rank, service_id, description) as (
        select ${supplierId}::text, array[${supplierId}::text], 1, null::text, null::text
        union all
        select l.subcontractor_id, c.path || l.subcontractor_id, c.rank + 1, l.service_id, l.description
        from chain c
        join ${subcontractingLinks} l on l.tenant_id = ${tenantId} and l.supplier_id = c.node_id
        where c.rank < ${maxDepth}::int and l.subcontractor_id <> all(c.path)
      ),
      limited as (select * from chain limit ${maxNodes + 1}::int)
      select array_to_string(c.path, ${PATH_SEPARATOR}) as path, c.rank, c.service_id, c.description,
        s.id as supplier_id, s.name, s.country, s.tier, s.substitutability, s.outside_eea,
        s.archived_at is not null as archived,
        (c.rank = ${maxDepth}::int and exists (
          select 1 from ${subcontractingLinks} x where x.tenant_id = ${tenantId} and x.supplier_id = c.node_id
        )) as has_more
      from limited c
      join ${suppliers} s on s.tenant_id = ${tenantId} and s.id = c.node_id`,
  );
}

export interface ConcentrationRow {
  supplier_id: string;
  name: string;
  country: string;
  tier: string;
  substitutability: string | null;
  outside_eea: boolean;
  critical_services: number;
  direct: number;
  min_rank: number;
  /** Comma-separated. */
  service_ids: string;
}

export interface ConcentrationFilter {
  tenantId: string;
  limit: number;
  maxDepth: number;
  serviceIdsShown: number;
  minCriticalServices: number;
  noAlternative?: boolean;
  after?: { criticalServices: number; name: string; id: string };
}

/**
 * Which providers the tenant's critical or important services depend on (DORA Art. 29), in one
 * query. `critical`: those services of suppliers that are not archived; each depends on its own
 * supplier at rank 1. `reach` follows subcontracting links from there: at rank 1 only links for
 * that service or for all of the supplier's services (serviceId null); deeper, every link, as the
 * register does not say which of a subcontractor's services carries ours (counting more is the
 * safe side). UNION over (service, provider, rank) keeps the work polynomial however many paths a
 * DAG has, and the depth bound ends it even on a corrupted (cyclic) graph. Then one row per
 * provider, sorted by critical services, name and id, keyset-paginated.
 */
export function concentrationRows(db: Db, filter: ConcentrationFilter): Promise<ConcentrationRow[]> {
  const { tenantId } = filter;
  const keyset = filter.after
    ? sql`and (p.critical_services < ${filter.after.criticalServices}::int
          or (p.critical_services = ${filter.after.criticalServices}::int and (s.name, s.id) > (${filter.after.name}::text, ${filter.after.id}::text)))`
    : sql``;
  const noAlternative =
    filter.noAlternative === undefined
      ? sql``
      : filter.noAlternative
        ? sql`and s.substitutability = 'not_substitutable'`
        : sql`and s.substitutability is distinct from 'not_substitutable'`;
  return rowsOf<ConcentrationRow>(
    db,
    sql`
      with recursive critical as (
        select svc.id as service_id, svc.supplier_id
        from ${ictServices} svc
        join ${suppliers} sup on sup.tenant_id = svc.tenant_id and sup.id = svc.supplier_id
        where svc.tenant_id = ${tenantId} and svc.critical_or_important and sup.archived_at is null
      ),
      reach(service_id, provider_id, rank) as (
        select service_id, supplier_id, 1 from critical
        union
        select r.service_id, l.subcontractor_id, r.rank + 1
        from reach r
        join ${subcontractingLinks} l on l.tenant_id = ${tenantId} and l.supplier_id = r.provider_id
        where r.rank < ${filter.maxDepth}::int and (r.rank > 1 or l.service_id is null or l.service_id = r.service_id)
      ),
      per_provider as (
        select provider_id,
          count(distinct service_id)::int as critical_services,
          (count(distinct service_id) filter (where rank = 1))::int as direct,
          min(rank)::int as min_rank,
          array_to_string((array_agg(distinct service_id order by service_id))[1:${filter.serviceIdsShown}::int], ',') as service_ids
        from reach
        group by provider_id
      )
      select s.id as supplier_id, s.name, s.country, s.tier, s.substitutability, s.outside_eea,
        p.critical_services, p.direct, p.min_rank, p.service_ids
      from per_provider p
      join ${suppliers} s on s.tenant_id = ${tenantId} and s.id = p.provider_id
      where p.critical_services >= ${filter.minCriticalServices}::int ${noAlternative} ${keyset}
      order by p.critical_services desc, s.name asc, s.id asc
      limit ${filter.limit + 1}::int`,
  );
}
