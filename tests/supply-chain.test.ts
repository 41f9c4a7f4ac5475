import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ictServices, subcontractingLinks } from '../src/db/schema';
import { newId } from '../src/lib/ids';
import { createTestContext, problemOf, type TestContext, type TestTenant } from './support/context';
import { createSupplier } from './support/fixtures';

let t: TestContext;
let tenant: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
  other = await t.createTenant();
});
afterAll(() => t.close());

interface Link {
  supplierId: string;
  subcontractorId: string;
  serviceId: string | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

interface ChainNode {
  supplierId: string;
  name: string;
  rank: number;
  serviceId: string | null;
  outsideEea: boolean;
  childrenTruncated: boolean;
  children: ChainNode[];
}

interface Concentration {
  supplierId: string;
  name: string;
  noAlternative: boolean;
  criticalServices: number;
  direct: number;
  indirect: number;
  minRank: number;
  serviceIds: string[];
}

const supplier = async (name: string, body: Record<string, unknown> = {}, owner = tenant) => (await createSupplier(t, owner, { name, ...body })).id;

/** Through the API when the ICT service routes are mounted, else straight into the table. */
async function service(supplierId: string, name: string, criticalOrImportant: boolean, owner = tenant): Promise<string> {
  const response = await t.request(`/v1/suppliers/${supplierId}/services`, {
    method: 'POST',
    key: owner.adminKey,
    json: { name, serviceType: 'S19', criticalOrImportant },
  });
  if (response.status === 201) return ((await response.json()) as { id: string }).id;
  expect([404, 405], await response.clone().text()).toContain(response.status);
  const id = newId('service');
  const now = new Date();
  await t.db.insert(ictServices).values({ tenantId: owner.id, id, supplierId, name, serviceType: 'S19', criticalOrImportant, createdAt: now, updatedAt: now });
  return id;
}

const linkPath = (supplierId: string, subcontractorId: string) => `/v1/suppliers/${supplierId}/subcontractors/${subcontractorId}`;
const put = (supplierId: string, subcontractorId: string, json?: unknown, key = tenant.adminKey) =>
  t.request(linkPath(supplierId, subcontractorId), { method: 'PUT', key, ...(json !== undefined ? { json } : {}) });
const link = async (supplierId: string, subcontractorId: string, json?: unknown) => {
  const response = await put(supplierId, subcontractorId, json);
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Link;
};
const unlink = (supplierId: string, subcontractorId: string, key = tenant.adminKey) =>
  t.request(linkPath(supplierId, subcontractorId), { method: 'DELETE', key });

async function linksOf(supplierId: string, query = '', key = tenant.adminKey) {
  const response = await t.request(`/v1/suppliers/${supplierId}/subcontractors${query}`, { key });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as { data: Link[]; nextCursor: string | null };
}

async function chainOf(supplierId: string, query = '') {
  const response = await t.request(`/v1/suppliers/${supplierId}/supply-chain${query}`, { key: tenant.adminKey });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as {
    supplierId: string;
    tree: ChainNode;
    summary: { depth: number; suppliers: number; subcontractors: number; outsideEea: number; nodes: number; maxDepth: number; truncated: boolean };
  };
}

async function auditOf(entityId: string) {
  const response = await t.request(`/v1/audit-log?entityId=${entityId}&order=asc`, { key: tenant.adminKey });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { action: string; entityType: string; changes: Record<string, unknown> }[] }).data;
}

/** All links of a tenant, straight from the table. */
async function allLinks(tenantId: string) {
  return t.db
    .select({ from: subcontractingLinks.supplierId, to: subcontractingLinks.subcontractorId })
    .from(subcontractingLinks)
    .where(eq(subcontractingLinks.tenantId, tenantId));
}

function hasCycle(edges: { from: string; to: string }[]): boolean {
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string): boolean => {
    if (state.get(node) === 'open') return true;
    if (state.get(node) === 'done') return false;
    state.set(node, 'open');
    const found = (next.get(node) ?? []).some(visit);
    state.set(node, 'done');
    return found;
  };
  return [...next.keys()].some(visit);
}

describe('linking subcontractors', () => {
  it('creates a link (201), replaces it (200), and audits both in the supplier\'s history', async () => {
    const msp = await supplier('Ostsee Managed Services GmbH');
    const cloud = await supplier('HyperCloud Inc.', { country: 'US' });
    const soc = await service(msp, 'Managed SOC', true);

    const created = await link(msp, cloud, { serviceId: soc, description: 'Hosts the SIEM.' });
    expect(created).toMatchObject({ supplierId: msp, subcontractorId: cloud, serviceId: soc, description: 'Hosts the SIEM.' });
    expect(created.createdAt).toBe(created.updatedAt);

    const replaced = await put(msp, cloud, { description: '  Hosts the SIEM and the log archive. ' });
    expect(replaced.status).toBe(200);
    const body = (await replaced.json()) as Link;
    // PUT replaces: the serviceId left out is now null (all of the MSP's services).
    expect(body).toMatchObject({ serviceId: null, description: 'Hosts the SIEM and the log archive.', createdAt: created.createdAt });

    // The same body again: 200, nothing written.
    const again = await put(msp, cloud, { description: 'Hosts the SIEM and the log archive.' });
    expect(again.status).toBe(200);
    expect(((await again.json()) as Link).updatedAt).toBe(body.updatedAt);

    // No body at all is a replace with nothing: both fields cleared.
    const empty = await put(msp, cloud);
    expect(empty.status).toBe(200);
    expect(await empty.json()).toMatchObject({ serviceId: null, description: null });

    const audit = (await auditOf(msp)).filter((entry) => entry.action.startsWith('subcontractor.'));
    expect(audit.map((entry) => entry.action)).toEqual(['subcontractor.linked', 'subcontractor.updated', 'subcontractor.updated']);
    expect(audit[0]).toMatchObject({ entityType: 'supplier', changes: { subcontractorId: cloud, serviceId: soc, description: 'Hosts the SIEM.' } });
    expect(audit[1]!.changes).toEqual({
      subcontractorId: cloud,
      serviceId: { from: soc, to: null },
      description: { from: 'Hosts the SIEM.', to: 'Hosts the SIEM and the log archive.' },
    });
  });

  it('lists a supplier\'s direct links with keyset pagination', async () => {
    const prime = await supplier('Prime Integrator AG');
    const subs = [await supplier('Sub One'), await supplier('Sub Two'), await supplier('Sub Three')];
    for (const sub of subs) await link(prime, sub);
    await link(subs[0]!, await supplier('Not direct'));

    const first = await linksOf(prime, '?limit=2');
    expect(first.data.map((row) => row.subcontractorId)).toEqual(subs.slice(0, 2));
    expect(first.nextCursor).not.toBeNull();
    const second = await linksOf(prime, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.data.map((row) => row.subcontractorId)).toEqual([subs[2]]);
    expect(second.nextCursor).toBeNull();
  });

  it('unlinks (204), answers 404 for a link that is not there, and audits the removal', async () => {
    const a = await supplier('Unlink A');
    const b = await supplier('Unlink B');
    await link(a, b, { description: 'Remote maintenance' });
    expect((await unlink(a, b)).status).toBe(204);
    expect((await linksOf(a)).data).toEqual([]);
    const again = await unlink(a, b);
    expect(again.status).toBe(404);
    expect((await problemOf(again)).code).toBe('not_found');
    const audit = await auditOf(a);
    expect(audit.at(-1)).toMatchObject({
      action: 'subcontractor.unlinked',
      changes: { subcontractorId: b, serviceId: null, description: 'Remote maintenance' },
    });
  });

  it('answers 404 for another tenant\'s suppliers, on either side, and writes nothing', async () => {
    const mine = await supplier('Mine');
    const mine2 = await supplier('Mine too');
    const theirs = await supplier('Theirs', {}, other);
    const theirs2 = await supplier('Theirs too', {}, other);
    await t.request(linkPath(theirs, theirs2), { method: 'PUT', key: other.adminKey });

    for (const [from, to] of [
      [theirs, theirs2],
      [theirs, mine],
      [mine, theirs],
    ] as const) {
      const response = await put(from, to);
      expect(response.status, `${from} → ${to}`).toBe(404);
      expect((await problemOf(response)).code).toBe('not_found');
      expect((await unlink(from, to)).status).toBe(404);
    }
    for (const path of [`/v1/suppliers/${theirs}/subcontractors`, `/v1/suppliers/${theirs}/supply-chain`]) {
      expect((await t.request(path, { key: tenant.adminKey })).status, path).toBe(404);
    }
    expect(await allLinks(tenant.id)).not.toContainEqual({ from: mine, to: theirs });
    expect((await linksOf(mine)).data).toEqual([]);
    expect((await linksOf(theirs, '', other.adminKey)).data).toHaveLength(1);
    expect((await linksOf(mine2)).data).toEqual([]);
  });

  it('refuses a serviceId that is not a service of the supplier (422 on serviceId)', async () => {
    const a = await supplier('Service owner');
    const b = await supplier('Another supplier');
    const foreign = await service(b, 'Not A\'s service', true);
    const otherTenants = await service(await supplier('Other tenant supplier', {}, other), 'Other tenant service', true, other);
    for (const serviceId of [foreign, otherTenants, newId('service'), 'not-an-id']) {
      const response = await put(a, b, { serviceId });
      expect(response.status, serviceId).toBe(422);
      const problem = await problemOf(response);
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors).toEqual([expect.objectContaining({ location: 'body', path: 'serviceId' })]);
    }
    expect((await linksOf(a)).data).toEqual([]);
  });

  it('answers 409 supplier_archived when either supplier is archived', async () => {
    const a = await supplier('Active supplier');
    const b = await supplier('Archived supplier');
    expect((await t.request(`/v1/suppliers/${b}`, { method: 'DELETE', key: tenant.adminKey })).status).toBe(200);
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      const response = await put(from, to);
      expect(response.status).toBe(409);
      expect((await problemOf(response)).code).toBe('supplier_archived');
    }
  });
});

describe('cycles', () => {
  it('refuses a supplier subcontracting to itself', async () => {
    const a = await supplier('Self-reliant GmbH');
    const response = await put(a, a, { description: 'Itself' });
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.code).toBe('subcontracting_cycle');
    expect(problem.errors?.[0]).toMatchObject({ location: 'path', path: 'subcontractorId' });
    expect((await linksOf(a)).data).toEqual([]);
  });

  it('refuses a direct cycle and a longer one, naming the cycle, and writes nothing', async () => {
    const a = await supplier('Cycle A');
    const b = await supplier('Cycle B');
    const c = await supplier('Cycle C');
    const d = await supplier('Cycle D');
    await link(a, b);
    await link(b, c);
    await link(c, d);
    const auditBefore = (await auditOf(d)).length + (await auditOf(b)).length;

    const direct = await put(b, a);
    expect(direct.status).toBe(422);
    const directProblem = await problemOf(direct);
    expect(directProblem.code).toBe('subcontracting_cycle');
    expect(directProblem.detail).toBe(`This link would close a subcontracting cycle: Cycle B (${b}) → Cycle A (${a}) → Cycle B (${b}).`);

    const longer = await put(d, a, { description: 'would close A → B → C → D → A' });
    expect(longer.status).toBe(422);
    const problem = await problemOf(longer);
    expect(problem.code).toBe('subcontracting_cycle');
    expect(problem.detail).toContain(`Cycle D (${d}) → Cycle A (${a}) → Cycle B (${b}) → Cycle C (${c}) → Cycle D (${d})`);
    expect(problem.errors?.[0]?.message).toContain(`${a} → ${b} → ${c} → ${d}`);

    expect((await linksOf(b)).data.map((row) => row.subcontractorId)).toEqual([c]);
    expect((await linksOf(d)).data).toEqual([]);
    expect((await auditOf(d)).length + (await auditOf(b)).length).toBe(auditBefore);
    expect(hasCycle(await allLinks(tenant.id))).toBe(false);

    // A diamond is not a cycle: A → C directly as well as through B.
    await link(a, c);
  });

  it('lets exactly one of two concurrent links that together close a cycle succeed', async () => {
    for (let round = 0; round < 5; round += 1) {
      const a = await supplier(`Race A${round}`);
      const b = await supplier(`Race B${round}`);
      const c = await supplier(`Race C${round}`);
      // Two-node cycle: A → B and B → A at once.
      const pair = await Promise.all([put(a, b), put(b, a)]);
      expect(pair.map((response) => response.status).sort()).toEqual([201, 422]);
      // Three-node cycle: with A → B (or B → A) in place, B → C and C → A (or the reverse) at once.
      const [from, to] = pair[0]!.status === 201 ? [a, b] : [b, a];
      const triple = await Promise.all([put(to, c), put(c, from)]);
      expect(triple.map((response) => response.status).sort()).toEqual([201, 422]);
      for (const response of [...pair, ...triple].filter((candidate) => candidate.status === 422)) {
        expect((await problemOf(response)).code).toBe('subcontracting_cycle');
      }
    }
    expect(hasCycle(await allLinks(tenant.id))).toBe(false);
  });
});

describe('supply chain tree', () => {
  let a: string;
  let b: string;
  let c: string;
  let d: string;
  let serviceA: string;

  beforeAll(async () => {
    a = await supplier('Tree A Energy Trading', { profile: { substitutability: 'difficult' } });
    b = await supplier('Tree B Integrator');
    c = await supplier('Tree C Hosting');
    d = await supplier('Tree D Cloud', { country: 'US' });
    serviceA = await service(a, 'Trading platform', true);
    await link(a, b, { serviceId: serviceA, description: 'Integration' });
    await link(b, c);
    await link(c, d, { description: 'IaaS' });
    await link(a, c); // a second path to C (and D): a DAG
  });

  it('gives every node its B_05.02 rank and shows shared subcontractors under each parent', async () => {
    const chain = await chainOf(a);
    expect(chain.supplierId).toBe(a);
    const { tree } = chain;
    expect(tree).toMatchObject({ supplierId: a, rank: 1, serviceId: null, childrenTruncated: false });
    expect(tree.children.map((node) => [node.name, node.rank, node.serviceId])).toEqual([
      ['Tree B Integrator', 2, serviceA],
      ['Tree C Hosting', 2, null],
    ]);
    const [viaB, directC] = tree.children as [ChainNode, ChainNode];
    expect(viaB.children.map((node) => [node.supplierId, node.rank])).toEqual([[c, 3]]);
    expect(viaB.children[0]!.children.map((node) => [node.supplierId, node.rank, node.outsideEea])).toEqual([[d, 4, true]]);
    expect(directC.children.map((node) => [node.supplierId, node.rank])).toEqual([[d, 3]]);
    expect(directC.children[0]!.children).toEqual([]);
    expect(chain.summary).toEqual({ depth: 4, suppliers: 4, subcontractors: 3, outsideEea: 1, nodes: 6, maxDepth: 10, truncated: false });
  });

  it('starts at any supplier, and cuts at maxDepth saying so', async () => {
    expect((await chainOf(c)).summary).toMatchObject({ depth: 2, suppliers: 2, nodes: 2, truncated: false });
    const leaf = await chainOf(d);
    expect(leaf.tree.children).toEqual([]);
    expect(leaf.summary).toMatchObject({ depth: 1, suppliers: 1, subcontractors: 0, nodes: 1 });

    const cut = await chainOf(a, '?maxDepth=2');
    expect(cut.summary).toMatchObject({ depth: 2, nodes: 3, maxDepth: 2, truncated: true });
    expect(cut.tree.children.map((node) => [node.rank, node.childrenTruncated, node.children.length])).toEqual([
      [2, true, 0],
      [2, true, 0],
    ]);
    expect((await t.request(`/v1/suppliers/${a}/supply-chain?maxDepth=11`, { key: tenant.adminKey })).status).toBe(422);
  });

  it('stays bounded on a DAG with many paths', async () => {
    // 9 layers of 3 suppliers, each linked to all 3 of the next layer: 3^(rank-1) paths per rank.
    const layers: string[][] = [];
    for (let layer = 0; layer < 9; layer += 1) {
      layers.push([await supplier(`Layer ${layer} a`), await supplier(`Layer ${layer} b`), await supplier(`Layer ${layer} c`)]);
    }
    const edges = layers.slice(0, -1).flatMap((layer, index) => layer.flatMap((from) => layers[index + 1]!.map((to) => ({ from, to }))));
    const now = new Date();
    await t.db
      .insert(subcontractingLinks)
      .values(edges.map((edge) => ({ tenantId: tenant.id, supplierId: edge.from, subcontractorId: edge.to, createdAt: now, updatedAt: now })));
    const chain = await chainOf(layers[0]![0]!);
    // Ranks 1..7 hold 1 + 3 + … + 729 = 1093 nodes; rank 8 would add 2187 and is cut at 2000 nodes.
    expect(chain.summary).toMatchObject({ depth: 8, nodes: 2000, suppliers: 22, truncated: true });
    const count = (node: ChainNode): number => 1 + node.children.reduce((sum, child) => sum + count(child), 0);
    expect(count(chain.tree)).toBe(2000);
  });
});

describe('concentration', () => {
  let scene: TestTenant;
  let sceneIds: Record<'cloud' | 'msp' | 'core' | 'payments' | 'gone' | 'iaas' | 'backup' | 'soc' | 'coreBanking' | 'cards', string>;

  beforeAll(async () => {
    // A small bank: core banking and card payments outsourced, an MSP running the SOC, all of it
    // (through the MSP for core banking) on one hyperscaler that cannot be replaced quickly.
    scene = await t.createTenant('Concentration bank');
    const make = (name: string, body: Record<string, unknown> = {}) => supplier(name, body, scene);
    const cloud = await make('HyperCloud Inc.', { country: 'US', profile: { substitutability: 'not_substitutable' } });
    const msp = await make('Ostsee Managed Services GmbH', { profile: { substitutability: 'medium' } });
    const core = await make('CoreBank SaaS AG');
    const payments = await make('PayProc SA', { country: 'BE' });
    const gone = await make('Former Host BV', { country: 'NL' });

    const ids = {
      iaas: await service(cloud, 'IaaS for the trading platform', true, scene),
      backup: await service(cloud, 'Backup storage', true, scene),
      cdn: await service(cloud, 'CDN for the marketing site', false, scene),
      soc: await service(msp, 'Managed SOC', true, scene),
      helpdesk: await service(msp, 'Helpdesk', false, scene),
      coreBanking: await service(core, 'Core banking', true, scene),
      cards: await service(payments, 'Card processing', true, scene),
      reporting: await service(payments, 'Reporting portal', false, scene),
      legacy: await service(gone, 'Legacy hosting', true, scene),
    };
    const sceneLink = (from: string, to: string, json: unknown = {}) =>
      t.request(linkPath(from, to), { method: 'PUT', key: scene.adminKey, json }).then((response) => expect(response.status).toBe(201));
    await sceneLink(msp, cloud); // all of the MSP's services run on the cloud
    await sceneLink(core, msp, { serviceId: ids.coreBanking }); // core banking is operated by the MSP
    await sceneLink(payments, msp, { serviceId: ids.reporting }); // only the (non-critical) reporting portal
    await sceneLink(gone, cloud);
    expect((await t.request(`/v1/suppliers/${gone}`, { method: 'DELETE', key: scene.adminKey })).status).toBe(200);
    sceneIds = { cloud, msp, core, payments, gone, ...ids };
  });

  async function concentration(query = '') {
    const response = await t.request(`/v1/concentration${query}`, { key: scene.adminKey });
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as { data: Concentration[]; nextCursor: string | null };
  }

  it('counts direct and fourth-party dependencies of critical services per provider', async () => {
    const { cloud, msp, core, payments, iaas, backup, soc, coreBanking, cards } = sceneIds;
    const page = await concentration();
    expect(page.nextCursor).toBeNull();
    expect(page.data).toEqual([
      {
        supplierId: cloud,
        name: 'HyperCloud Inc.',
        country: 'US',
        tier: expect.any(String),
        substitutability: 'not_substitutable',
        noAlternative: true,
        outsideEea: true,
        criticalServices: 4,
        direct: 2,
        indirect: 2,
        minRank: 1,
        serviceIds: [iaas, backup, soc, coreBanking].sort(),
      },
      expect.objectContaining({ supplierId: msp, criticalServices: 2, direct: 1, indirect: 1, minRank: 1, noAlternative: false, serviceIds: [soc, coreBanking].sort() }),
      expect.objectContaining({ supplierId: core, criticalServices: 1, direct: 1, indirect: 0, minRank: 1, serviceIds: [coreBanking] }),
      expect.objectContaining({ supplierId: payments, criticalServices: 1, direct: 1, indirect: 0, serviceIds: [cards] }),
    ]);
  });

  it('follows longer chains: a provider reached only through subcontracting gets its highest rank', async () => {
    const { cloud, msp, iaas, backup, soc, coreBanking } = sceneIds;
    // A broker tool whose supplier has the MSP operate it, and a data centre under the cloud.
    const broker = await supplier('Broker Tools GmbH', {}, scene);
    const crm = await service(broker, 'Client CRM', true, scene);
    const colo = await supplier('Colo DC GmbH', {}, scene);
    const links = [linkPath(broker, msp), linkPath(cloud, colo)];
    for (const path of links) expect((await t.request(path, { method: 'PUT', key: scene.adminKey })).status).toBe(201);

    const page = await concentration();
    expect(page.data.find((row) => row.supplierId === msp)).toMatchObject({ criticalServices: 3, direct: 1, indirect: 2, minRank: 1 });
    expect(page.data.find((row) => row.supplierId === cloud)).toMatchObject({ criticalServices: 5, direct: 2, indirect: 3, minRank: 1 });
    expect(page.data.find((row) => row.supplierId === broker)).toMatchObject({ criticalServices: 1, direct: 1, serviceIds: [crm] });
    // Colo: rank 2 for the cloud's own services, 3 for the SOC, 4 for core banking and the CRM.
    expect(page.data.find((row) => row.supplierId === colo)).toMatchObject({
      criticalServices: 5,
      direct: 0,
      indirect: 5,
      minRank: 2,
      serviceIds: [iaas, backup, soc, coreBanking, crm].sort(),
    });

    for (const path of links) expect((await t.request(path, { method: 'DELETE', key: scene.adminKey })).status).toBe(204);
    await t.db.delete(ictServices).where(and(eq(ictServices.tenantId, scene.id), eq(ictServices.id, crm)));
    expect((await concentration()).data.map((row) => row.supplierId)).not.toContain(colo);
  });

  it('filters by minCriticalServices and noAlternative, and pages with a cursor', async () => {
    const { cloud, msp } = sceneIds;
    expect((await concentration('?minCriticalServices=2')).data.map((row) => row.supplierId)).toEqual([cloud, msp]);
    expect((await concentration('?noAlternative=true')).data.map((row) => row.supplierId)).toEqual([cloud]);
    expect((await concentration('?noAlternative=false')).data.map((row) => row.supplierId)).not.toContain(cloud);

    const all = (await concentration()).data.map((row) => row.supplierId);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Concentration[]; nextCursor: string | null } = await concentration(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.data).toHaveLength(1);
      seen.push(page.data[0]!.supplierId);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect((await t.request('/v1/concentration?cursor=garbage', { key: scene.adminKey })).status).toBe(422);
  });

  it('sees only the caller\'s tenant', async () => {
    const response = await t.request('/v1/concentration', { key: other.adminKey });
    const ids = ((await response.json()) as { data: Concentration[] }).data.map((row) => row.supplierId);
    expect(ids).not.toContain(sceneIds.cloud);
  });
});
