// Supplier-register benchmarks on real PostgreSQL: filtered list pages at 100,000 suppliers,
// a 5,000-row import and a streamed export of 100,000 suppliers (peak RSS growth of the server process).
import { buildApp, type App } from '../src/app';
import { loadConfig } from '../src/config';
import { supplierContacts, ictServices } from '../src/db/schema';
import type { Db } from '../src/db/types';
import { EMPTY_SUPPLIER_FIELDS } from '../src/features/suppliers/suppliers.present';
import { insertSuppliers, type SupplierFields } from '../src/features/suppliers/suppliers.queries';
import { createTenantWithAdminKey } from '../src/features/tenants/tenants.queries';
import { newId } from '../src/lib/ids';
import { createLogger } from '../src/lib/logger';
import { peakRssDuring, startServer } from './server-process';
import { withThrowawayDatabase } from './throwaway-database';

const COUNTRIES = ['DE', 'DE', 'DE', 'FR', 'NL', 'AT', 'PL', 'US', 'IE', 'IN', 'GB', 'CH'];
const STATUSES = ['active', 'active', 'active', 'onboarding', 'prospect', 'offboarding', 'terminated'];
const ACCESS = ['none', 'remote', 'on_site', 'ot_network', 'privileged', null];
const SENSITIVITY = ['none', 'internal', 'confidential', 'personal', 'special_category', null];
const SUBSTITUTABILITY = ['easy', 'medium', 'difficult', 'not_substitutable', null];
const TAGS = ['ot', 'cloud', 'saas', 'msp', 'integrator', 'plc', 'scada', 'telecom', 'hr', 'security'];
const WORDS = ['Rhein', 'Nord', 'Alpen', 'Elbe', 'Main', 'Donau', 'Ruhr', 'Weser', 'Baltic', 'Atlas', 'Nimbus', 'Vector'];
const KINDS = ['Automation', 'Cloud', 'Systems', 'Networks', 'Software', 'Services', 'Technik', 'Security', 'Data', 'Energy'];

const pick = <T>(list: readonly T[], index: number) => list[index % list.length]!;

export function supplierFields(index: number): SupplierFields {
  return {
    ...EMPTY_SUPPLIER_FIELDS,
    name: `${pick(WORDS, index)} ${pick(KINDS, Math.floor(index / 12))} ${index}`,
    country: pick(COUNTRIES, index),
    status: pick(STATUSES, index),
    externalRef: `BENCH-${index}`,
    owner: `owner${index % 40}@example.com`,
    tags: [pick(TAGS, index), pick(TAGS, index * 7 + 3)].filter((tag, position, all) => all.indexOf(tag) === position),
    dataSensitivity: pick(SENSITIVITY, index),
    accessLevel: pick(ACCESS, index * 3),
    supportsCriticalFunction: index % 9 === 0,
    substitutability: pick(SUBSTITUTABILITY, index * 5),
    annualSpendAmount: String((index % 500) * 1000),
    annualSpendCurrency: 'EUR',
  };
}

async function generate(db: Db, tenantId: string, count: number) {
  const now = new Date();
  const chunk = 1000;
  for (let start = 0; start < count; start += chunk) {
    const rows = Array.from({ length: Math.min(chunk, count - start) }, (_, offset) => ({
      id: newId('supplier', new Date(now.getTime() + start + offset)),
      fields: supplierFields(start + offset),
    }));
    const inserted = await insertSuppliers(db, tenantId, rows, now);
    await db.insert(supplierContacts).values(
      inserted.map((supplier, offset) => ({
        tenantId,
        id: newId('contact'),
        supplierId: supplier.id,
        name: `Contact ${start + offset}`,
        email: `contact${start + offset}@example.com`,
        role: 'Account manager',
        phone: '+49 30 1234567',
        isPrimary: true,
        createdAt: now,
        updatedAt: now,
      })),
    );
    await db.insert(ictServices).values(
      inserted.map((supplier, offset) => ({
        tenantId,
        id: newId('service'),
        supplierId: supplier.id,
        name: `Service ${start + offset}`,
        serviceType: `S${String(((start + offset) % 19) + 1).padStart(2, '0')}`,
        criticalOrImportant: (start + offset) % 9 === 0,
        createdAt: now,
        updatedAt: now,
      })),
    );
  }
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timeRequests(app: App, key: string, paths: string[], rounds: number) {
  const samples: number[] = [];
  const byPath = new Map<string, number[]>();
  for (let round = 0; round < rounds; round += 1) {
    for (const path of paths) {
      const started = performance.now();
      const response = await app.request(path, { headers: { authorization: `Bearer ${key}` } });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
      const elapsed = performance.now() - started;
      samples.push(elapsed);
      byPath.set(path, [...(byPath.get(path) ?? []), elapsed]);
    }
  }
  samples.sort((a, b) => a - b);
  const perShape = Object.fromEntries(
    [...byPath].map(([path, times]) => [path.replace(/cursor=[^&]+/, 'cursor=…'), round1(percentile([...times].sort((a, b) => a - b), 95))]),
  );
  return { requests: samples.length, p50Ms: round1(percentile(samples, 50)), p95Ms: round1(percentile(samples, 95)), maxMs: round1(samples.at(-1)!), p95ByShapeMs: perShape };
}

const round1 = (value: number) => Math.round(value * 10) / 10;

export interface SupplierBenchResult {
  suppliers: number;
  generateSeconds: number;
  listPage: { requests: number; p50Ms: number; p95Ms: number; maxMs: number; p95ByShapeMs: Record<string, number>; targetP95Ms: number; met: boolean };
  import5000?: { seconds: number; targetSeconds: number; met: boolean; status: number };
  export?: { suppliers: number; bytes: number; seconds: number; peakRssGrowthMb: number; targetMb: number; met: boolean };
}

export async function benchSuppliers(adminUrl: string, count = 100_000): Promise<SupplierBenchResult> {
  return withThrowawayDatabase(adminUrl, 'suppliers', async (database, url) => {
    const { db } = await database.open();
    const { tenant, apiKey } = await createTenantWithAdminKey(db, {
      name: 'Bench tenant',
      actor: { type: 'system', id: 'bench' },
      requestId: null,
      now: new Date(),
    });
    const generateStarted = performance.now();
    await generate(db, tenant.id, count);
    await db.execute('analyze');
    const generateSeconds = round1((performance.now() - generateStarted) / 1000);

    const config = loadConfig({ LOG_LEVEL: 'silent', BODY_LIMIT_BYTES: String(20 * 1024 * 1024) });
    const app = buildApp({ config, database, logger: createLogger('silent'), docsAssets: async () => undefined });
    const key = apiKey.key;
    const pages = [
      '/v1/suppliers?limit=50',
      '/v1/suppliers?limit=50&status=onboarding',
      '/v1/suppliers?limit=50&country=FR&sort=updatedAt',
      '/v1/suppliers?limit=50&tier=critical',
      '/v1/suppliers?limit=50&tag=scada',
      '/v1/suppliers?limit=50&owner=owner7@example.com',
      '/v1/suppliers?limit=50&supportsCriticalFunction=true',
      '/v1/suppliers?limit=50&q=rhein%20cloud%2012',
      '/v1/suppliers?limit=50&updatedSince=2020-01-01T00:00:00Z&sort=createdAt',
    ];
    // Deep pages too: keyset pagination must not slow down with the offset.
    const firstPage = (await (await app.request('/v1/suppliers?limit=50&sort=name', { headers: { authorization: `Bearer ${key}` } })).json()) as { nextCursor: string };
    pages.push(`/v1/suppliers?limit=50&sort=name&cursor=${firstPage.nextCursor}`);
    await timeRequests(app, key, pages, 2); // warm-up
    const listPage = await timeRequests(app, key, pages, 20);

    const result: SupplierBenchResult = {
      suppliers: count,
      generateSeconds,
      listPage: { ...listPage, targetP95Ms: 25, met: listPage.p95Ms < 25 },
    };

    const importRows = Array.from({ length: 5000 }, (_, index) => ({
      name: `Imported ${index}`,
      country: pick(COUNTRIES, index),
      externalRef: `IMPORT-${index}`,
      tags: [pick(TAGS, index)],
      profile: { accessLevel: pick(['none', 'remote', 'ot_network'], index) },
    }));
    const importStarted = performance.now();
    const imported = await app.request('/v1/suppliers/import', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rows: importRows }),
    });
    await imported.arrayBuffer();
    if (imported.status !== 404) {
      const seconds = round1((performance.now() - importStarted) / 1000);
      result.import5000 = { seconds, targetSeconds: 5, met: imported.status === 200 && seconds < 5, status: imported.status };
    }

    // The export in the server as `npm start` runs it (its own process, its heap cap), so the
    // resident set is the server's alone: in this process it counted the generator's and the
    // import's garbage too, and moved between 34 and 151 MB from run to run.
    const server = await startServer({ DATABASE_URL: url });
    try {
      const exportOf = async (query: string) => {
        const response = await fetch(`${server.base}/v1/suppliers/export?${query}`, { headers: { authorization: `Bearer ${key}` } });
        if (response.status !== 200 || !response.body) throw new Error(`export: HTTP ${response.status}`);
        let bytes = 0;
        let lines = 0;
        const reader = response.body.getReader();
        for (let read = await reader.read(); !read.done; read = await reader.read()) {
          bytes += read.value.byteLength;
          for (const byte of read.value) if (byte === 10) lines += 1;
        }
        return { bytes, lines };
      };
      await exportOf('status=onboarding&country=FR'); // warm-up: every code path of the export once
      await new Promise((resolve) => setTimeout(resolve, 500));
      let counted = { bytes: 0, lines: 0 };
      const peak = await peakRssDuring(server.child.pid!, async () => {
        counted = await exportOf('archived=include');
      });
      result.export = {
        suppliers: counted.lines - 1,
        bytes: counted.bytes,
        seconds: round1(peak.seconds),
        peakRssGrowthMb: peak.growthMb,
        targetMb: 100,
        met: peak.growthMb < 100,
      };
    } finally {
      await server.stop();
    }
    return result;
  });
}
