import { readFileSync } from 'node:fs';
import type { App } from '../../src/app';
import { ROLES, type Role } from '../../src/catalog/access';

interface DemoSupplier {
  key: string;
  supplier: Record<string, unknown>;
  contacts: Record<string, unknown>[];
  services: Record<string, unknown>[];
  subcontractors: string[];
}

export interface DemoResult {
  tenant: { id: string; name: string };
  keys: [string, string][];
  supplierIds: Map<string, string>;
  counts: { suppliers: number; contacts: number; services: number; links: number };
}

/**
 * Loads the demo register through the API (so it is validated and audited like real data):
 * a tenant, its suppliers with contacts, services and subcontracting chains, and a key per role.
 */
export async function loadDemo(app: App, platformToken: string): Promise<DemoResult> {
  const demo = JSON.parse(readFileSync(new URL('./suppliers.json', import.meta.url), 'utf8')) as { tenant: string; suppliers: DemoSupplier[] };

  async function call(method: string, path: string, key: string, json?: unknown): Promise<Record<string, unknown>> {
    const response = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
  }

  const created = await call('POST', '/v1/tenants', platformToken, { name: demo.tenant });
  const tenant = created.tenant as { id: string; name: string };
  const adminKey = (created.apiKey as { key: string }).key;

  const supplierIds = new Map<string, string>();
  const counts = { suppliers: 0, contacts: 0, services: 0, links: 0 };
  for (const entry of demo.suppliers) {
    const supplier = await call('POST', '/v1/suppliers', adminKey, entry.supplier);
    supplierIds.set(entry.key, supplier.id as string);
    counts.suppliers += 1;
    for (const contact of entry.contacts) {
      await call('POST', `/v1/suppliers/${supplier.id}/contacts`, adminKey, contact);
      counts.contacts += 1;
    }
    for (const service of entry.services) {
      await call('POST', `/v1/suppliers/${supplier.id}/services`, adminKey, service);
      counts.services += 1;
    }
  }
  for (const entry of demo.suppliers) {
    for (const subcontractor of entry.subcontractors) {
      await call('PUT', `/v1/suppliers/${supplierIds.get(entry.key)}/subcontractors/${supplierIds.get(subcontractor)}`, adminKey, {});
      counts.links += 1;
    }
  }

  const keys: [string, string][] = [['admin', adminKey]];
  for (const role of Object.keys(ROLES).filter((name) => name !== 'admin') as Role[]) {
    const key = await call('POST', '/v1/api-keys', adminKey, { name: `Demo ${role}`, scopes: [...ROLES[role]] });
    keys.push([role, key.key as string]);
  }
  return { tenant, keys, supplierIds, counts };
}
