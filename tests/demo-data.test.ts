import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, type DemoResult } from '../scripts/demo/load-demo';
import { createTestContext, PLATFORM_TOKEN, type TestContext } from './support/context';

let t: TestContext;
let demo: DemoResult;

beforeAll(async () => {
  t = await createTestContext();
  demo = await loadDemo(t.app, PLATFORM_TOKEN);
});
afterAll(() => t.close());

describe('demo data (npm run seed:demo)', () => {
  it('loads about 25 suppliers with contacts, services and subcontracting through the API', () => {
    expect(demo.counts.suppliers).toBeGreaterThanOrEqual(25);
    expect(demo.counts.contacts).toBeGreaterThanOrEqual(demo.counts.suppliers);
    expect(demo.counts.services).toBeGreaterThanOrEqual(demo.counts.suppliers);
    expect(demo.counts.links).toBeGreaterThanOrEqual(15);
    expect(demo.keys.map(([role]) => role)).toEqual(['admin', 'risk_manager', 'reviewer', 'auditor', 'integration']);
  });

  it('gives a register with every tier and the OT integrator as critical', async () => {
    const admin = demo.keys[0]![1];
    const page = (await (await t.request('/v1/suppliers?limit=200&archived=include', { key: admin })).json()) as { data: { name: string; tier: string }[] };
    const tiers = new Set(page.data.map((supplier) => supplier.tier));
    expect(tiers).toEqual(new Set(['critical', 'strategic', 'routine']));
    expect(page.data.find((supplier) => supplier.name === 'Ruhr Automation Systems GmbH')!.tier).toBe('critical');
    const verify = (await (await t.request('/v1/audit-log/verify', { key: admin })).json()) as { valid: boolean; checked: number };
    expect(verify.valid).toBe(true);
    expect(verify.checked).toBeGreaterThan(100);
  });
});
