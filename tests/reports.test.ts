import { execFileSync } from 'node:child_process';
import { get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problemOf, type TestContext, type TestTenant } from './support/context';
import { ROLES } from '../src/catalog/access';
import { createSupplier, sentAssessment } from './support/fixtures';

/*
 * The PDF reports through HTTP: status, headers, page count, and the text poppler's pdftotext
 * extracts from each page (poppler-utils; CI installs it).
 */

let t: TestContext;
let tenant: TestTenant;
const work = mkdtempSync(join(tmpdir(), 'chainproof-reports-'));

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant(`Stadtwerke Prüfstadt ${crypto.randomUUID().slice(0, 6)}`);
});

afterAll(async () => {
  await t.close();
  rmSync(work, { recursive: true, force: true });
});

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function call(path: string, init: { method?: string; json?: unknown; body?: BodyInit; key?: string } = {}) {
  const response = await t.request(path, { key: tenant.adminKey, ...init });
  return response;
}

async function created<T = { id: string }>(path: string, json: unknown, key = tenant.adminKey): Promise<T> {
  const response = await t.request(path, { method: 'POST', key, json });
  expect(response.status, `${path}: ${await response.clone().text()}`).toBe(201);
  return (await response.json()) as T;
}

interface Pdf {
  bytes: Uint8Array;
  pages: string[];
  pageCount: number;
}

/** Fetches a PDF and extracts its text page by page. */
async function pdfOf(path: string, key = tenant.adminKey): Promise<Pdf> {
  // PDF_TEXT_DUMP=dir keeps the extracted text, to see what a failing expectation saw.
  const response = await t.request(path, { key });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/pdf');
  expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.pdf"$/);
  expect(response.headers.get('cache-control')).toBe('no-store');
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
  const file = join(work, `${crypto.randomUUID()}.pdf`);
  writeFileSync(file, bytes);
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const pageCount = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  // pdftotext ends every page with a form feed.
  const pages = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).split('\f').slice(0, pageCount);
  if (process.env.PDF_TEXT_DUMP) writeFileSync(join(process.env.PDF_TEXT_DUMP, `${path.split('/').pop()}-${pageCount}.txt`), pages.join('\n----\n'));
  return { bytes, pages, pageCount };
}

/** Every page carries the tenant, the date and "Page n of m"; the cover has no running header. */
function expectRunningFooter(pdf: Pdf, tenantName: string) {
  const today = new Date().toISOString().slice(0, 10);
  pdf.pages.forEach((page, index) => {
    expect(page, `page ${index + 1}`).toContain(`Page ${index + 1} of ${pdf.pageCount}`);
    expect(page, `page ${index + 1}`).toContain(tenantName);
    expect(page, `page ${index + 1}`).toContain(`Generated ${today}`);
  });
}

const flat = (pdf: Pdf) => pdf.pages.join('\n').replace(/\s+/g, ' ');
/** Headings compared without spaces: pdftotext -raw can drop the one after "4.". */
const squeezed = (text: string) => text.replace(/\s+/g, '');

describe('supplier dossier PDF', () => {
  let supplierId: string;
  let supplierName: string;

  beforeAll(async () => {
    // A supplier with an accepted questionnaire, then everything else a dossier shows.
    const sent = await sentAssessment(t, tenant);
    supplierId = sent.supplierId;
    const patched = await t.request(`/v1/suppliers/${supplierId}`, {
      method: 'PATCH',
      key: tenant.adminKey,
      json: { name: 'Rhein Automation GmbH', identifiers: { vat: 'DE123456789' }, profile: { accessLevel: 'ot_network', supportsCriticalFunction: true } },
    });
    expect(patched.status, await patched.clone().text()).toBe(200);
    supplierName = 'Rhein Automation GmbH';
    const saved = await call(`/v1/assessments/${sent.assessmentId}/answers`, {
      method: 'PUT',
      json: { answers: [{ questionKey: 'mfa', value: 'yes' }, { questionKey: 'mfa-method', value: 'totp' }, { questionKey: 'notify-hours', value: 24 }] },
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
    expect((await call(`/v1/assessments/${sent.assessmentId}/submit`, { method: 'POST' })).status).toBe(200);
    expect((await call(`/v1/assessments/${sent.assessmentId}/accept`, { method: 'POST' })).status).toBe(200);

    const service = await created(`/v1/suppliers/${supplierId}/services`, {
      name: 'Remote maintenance of substations',
      serviceType: 'S14',
      supportedFunction: 'Grid operation',
      criticalOrImportant: true,
      dataStorageCountries: ['DE'],
    });
    const subcontractor = await createSupplier(t, tenant, { name: 'Nimbus Cloud Services', country: 'US' });
    expect((await call(`/v1/suppliers/${supplierId}/subcontractors/${subcontractor.id}`, { method: 'PUT', json: { description: 'Hosts the remote-access gateway' } })).status).toBeLessThan(300);

    const contract = await created('/v1/contracts', {
      supplierId,
      reference: `CA-DOSSIER-${crypto.randomUUID().slice(0, 6)}`,
      title: 'OT maintenance agreement',
      status: 'active',
      startDate: day(-200),
      endDate: day(500),
      noticePeriodDays: 90,
      serviceIds: [service.id],
    });
    expect((await call(`/v1/contracts/${contract.id}/clauses/nis2-ir-5.1.4-e`, { method: 'PUT', json: { status: 'present', sectionRef: '§ 12' } })).status).toBe(200);
    expect((await call(`/v1/contracts/${contract.id}/clauses/nis2-ir-5.1.4-d`, { method: 'PUT', json: { status: 'missing', notes: 'Supplier refuses 24 h notice' } })).status).toBe(200);

    const form = new FormData();
    form.set('file', new Blob([new TextEncoder().encode('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), 'iec62443.pdf');
    form.set('supplierId', supplierId);
    form.set('kind', 'iec62443_certificate');
    form.set('title', 'IEC 62443-2-4 certificate');
    form.set('validUntil', day(-10));
    expect((await call('/v1/evidence', { method: 'POST', body: form })).status).toBe(201);

    await created('/v1/findings', { supplierId, title: 'Shared admin account on the jump host', severity: 'high', dueDate: day(-5) });
    const accepted = await created<{ id: string }>('/v1/findings', { supplierId, title: 'No SBOM for firmware 4.2', severity: 'low' });
    const acceptance = await call(`/v1/findings/${accepted.id}/accept-risk`, {
      method: 'POST',
      json: { justification: 'Firmware 4.2 is replaced in Q3; the vendor delivers SBOMs from 4.3.', expiresAt: day(120) },
    });
    expect(acceptance.status, await acceptance.clone().text()).toBe(200);

    await created('/v1/audits', { supplierId, type: 'on_site', status: 'completed', performedDate: day(-30), auditor: 'TÜV Audit Team', result: 'Two minor findings' });
    await created('/v1/incidents', { supplierId, title: 'Ransomware at the integrator', awareAt: new Date(Date.now() - 100 * 3_600_000).toISOString(), severity: 'high', significant: true });

    // Onboarded by two approvers over unmet gates, now being offboarded.
    await created(`/v1/suppliers/${supplierId}/onboarding`, {});
    const decide = { decision: 'approved', override: { justification: 'Emergency maintenance contract, audit scheduled for March.' } };
    expect((await call(`/v1/suppliers/${supplierId}/onboarding/decision`, { method: 'POST', json: decide })).status).toBe(200);
    const riskManager = await t.createKey(tenant, ROLES.risk_manager, 'second approver');
    const second = await call(`/v1/suppliers/${supplierId}/onboarding/decision`, { method: 'POST', json: decide, key: riskManager.key });
    expect(second.status, await second.clone().text()).toBe(200);
    await created(`/v1/suppliers/${supplierId}/offboarding`, { reason: 'Maintenance moves in-house.' });
    const revoked = await call(`/v1/suppliers/${supplierId}/offboarding/items/access_revoked`, { method: 'PUT', json: { state: 'done', note: 'Jump-host key revoked.' } });
    expect(revoked.status, await revoked.clone().text()).toBe(200);
  });

  it('renders every section with a title page and page numbers', async () => {
    const pdf = await pdfOf(`/v1/suppliers/${supplierId}/report.pdf`);
    expect(pdf.pageCount).toBeGreaterThanOrEqual(3);
    expect(pdf.pages).toHaveLength(pdf.pageCount);
    expectRunningFooter(pdf, tenant.name);
    // The cover: kicker, name, and nothing of the body.
    expect(pdf.pages[0]).toContain('SUPPLIER DOSSIER');
    expect(pdf.pages[0]).toContain(supplierName);
    expect(pdf.pages[0]).not.toContain('1. Identity');
    const text = flat(pdf);
    for (const heading of [
      '1. Identity and identifiers',
      '2. ICT services',
      '3. Subcontracting chain',
      '4. Tier, risk score and explanation',
      '5. Questionnaire results by domain',
      '6. Open findings and accepted risks',
      '7. Contracts and clause coverage',
      '8. Evidence and its validity',
      '9. Audits',
      '10. Supplier incidents',
      '11. Onboarding and offboarding',
    ]) {
      expect(squeezed(text)).toContain(squeezed(heading));
    }
    // Identity, services, chain
    expect(text).toContain('DE123456789');
    expect(text).toContain('Jan Hoffmann');
    expect(text).toContain('Remote maintenance of substations');
    expect(text).toContain('Nimbus Cloud Services');
    expect(text).toContain('Hosts the remote');
    // Score and its explanation
    expect(text).toContain('Access to the OT network');
    expect(text).toMatch(/Residual risk: (low|medium|high|critical)/);
    // Questionnaire results by domain (label from the risk model)
    expect(text).toMatch(/Template portal-[a-z0-9]+ \(version 1, accepted \d{4}-\d{2}-\d{2}\)/);
    expect(text).toContain('Access control');
    expect(text).toMatch(/Access control 2 2 \(100%\) 95/);
    // Findings and accepted risks
    expect(text).toContain('Shared admin account on the jump host');
    expect(text).toContain('Firmware 4.2 is replaced in Q3');
    // Contracts and gaps
    expect(text).toContain('OT maintenance agreement');
    expect(text).toMatch(/1 \/ 8 \(13%\)/);
    expect(text).toContain('Incident notification (nis2-ir-5.1.4-d)');
    expect(text).toContain('Supplier refuses 24 h notice');
    // Evidence, audits, incidents
    expect(text).toContain('IEC 62443-2-4 certificate');
    expect(text).toContain('expired');
    expect(text).toContain('TÜV Audit Team');
    expect(text).toContain('Ransomware at the integrator (significant)');
    expect(text).toMatch(/overdue \(\d{4}-\d{2}-\d{2}\)/); // the 72 h notification, 100 h after awareness
    // Onboarding decision over unmet gates, and the exit checklist
    expect(text).toContain('Approved on');
    expect(text).toContain('Emergency maintenance contract, audit scheduled for March.');
    expect(text).toMatch(/Intake complete (Met|Unmet)/);
    expect(text).toContain('Maintenance moves in-house.');
    expect(text).toContain('Jump-host key revoked.');
  });

  it('is 404 for another tenant\'s supplier, 422 for a malformed id, and needs reports:read', async () => {
    const other = await t.createTenant();
    const foreign = await t.request(`/v1/suppliers/${supplierId}/report.pdf`, { key: other.adminKey });
    expect(foreign.status).toBe(404);
    expect((await problemOf(foreign)).code).toBe('not_found');
    const malformed = await t.request('/v1/suppliers/not-an-id/report.pdf', { key: tenant.adminKey });
    expect(malformed.status).toBe(422);
    const { key: readOnly } = await t.createKey(tenant, ['suppliers:read', 'findings:read'], 'no reports');
    const forbidden = await t.request(`/v1/suppliers/${supplierId}/report.pdf`, { key: readOnly });
    expect(forbidden.status).toBe(403);
    const { key: reports } = await t.createKey(tenant, ['reports:read'], 'reports only');
    expect((await pdfOf(`/v1/suppliers/${supplierId}/report.pdf`, reports)).pageCount).toBeGreaterThan(1);
  });

  it('survives clients that hang up while the PDF streams out', async () => {
    // Over a real socket: the Node adapter cancels the body when the client goes away, and pdfkit
    // may still be writing; that must not throw out of its event handler and end the process.
    const server = serve({ fetch: t.app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          new Promise<void>((resolve) => {
            const request = httpGet({ host: '127.0.0.1', port, path: `/v1/suppliers/${supplierId}/report.pdf`, headers: { authorization: `Bearer ${tenant.adminKey}` } });
            request.on('response', (response) => {
              response.once('data', () => request.destroy());
              response.once('close', () => resolve());
            });
            request.on('error', () => resolve());
            if (index % 2 === 0) setTimeout(() => request.destroy(), 5 * index);
          }),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await pdfOf(`/v1/suppliers/${supplierId}/report.pdf`)).pageCount).toBeGreaterThan(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reports an archived supplier, saying so', async () => {
    const archived = await createSupplier(t, tenant, { name: 'Altlast Systemhaus GmbH' });
    expect((await call(`/v1/suppliers/${archived.id}`, { method: 'DELETE' })).status).toBeLessThan(300);
    const pdf = await pdfOf(`/v1/suppliers/${archived.id}/report.pdf`);
    const text = flat(pdf);
    expect(text).toContain('Altlast Systemhaus GmbH');
    expect(text).toMatch(/This supplier is archived \(since \d{4}-\d{2}-\d{2}\)/);
    expect(text).toContain('No contracts recorded.');
    expectRunningFooter(pdf, tenant.name);
  });
});

describe('NIS2 supply-chain report PDF', () => {
  let nis2: TestTenant;

  beforeAll(async () => {
    nis2 = await t.createTenant(`Netzbetreiber Nord ${crypto.randomUUID().slice(0, 6)}`);
    const post = async (path: string, json: unknown) => {
      const response = await t.request(path, { method: 'POST', key: nis2.adminKey, json });
      expect(response.status, `${path}: ${await response.clone().text()}`).toBeLessThan(300);
      return (await response.json()) as { id: string };
    };
    // 70 suppliers through the import, so the directory runs over several pages.
    const rows = Array.from({ length: 70 }, (_, i) => ({ name: `Directory Supplier ${String(i).padStart(3, '0')}`, country: 'DE', externalRef: `DIR-${i}` }));
    const imported = await t.request('/v1/suppliers/import', { method: 'POST', key: nis2.adminKey, json: { rows } });
    expect(imported.status, await imported.clone().text()).toBe(200);

    // Two critical services at two suppliers, both subcontracting to one cloud: concentration.
    const cloud = await post('/v1/suppliers', { name: 'Hyperscale Cloud SE', country: 'IE', profile: { substitutability: 'not_substitutable' } });
    for (const name of ['Leitstellen Software GmbH', 'Fernwirk Service AG']) {
      const supplier = await post('/v1/suppliers', { name, country: 'DE', profile: { supportsCriticalFunction: true, accessLevel: 'ot_network' } });
      await post(`/v1/suppliers/${supplier.id}/contacts`, { name: `Kontakt ${name}`, email: 'ops@supplier.example', isPrimary: true });
      const service = await post(`/v1/suppliers/${supplier.id}/services`, { name: `${name} operations`, serviceType: 'S14', criticalOrImportant: true });
      expect((await t.request(`/v1/suppliers/${supplier.id}/subcontractors/${cloud.id}`, { method: 'PUT', key: nis2.adminKey, json: {} })).status).toBeLessThan(300);
      const contract = await post('/v1/contracts', { supplierId: supplier.id, reference: `NIS2-${name.slice(0, 4)}`, title: 'Operations contract', status: 'active', serviceIds: [service.id] });
      const put = (clause: string, body: unknown) => t.request(`/v1/contracts/${contract.id}/clauses/${clause}`, { method: 'PUT', key: nis2.adminKey, json: body });
      expect((await put('nis2-ir-5.1.4-e', { status: 'present' })).status).toBe(200);
      expect((await put('nis2-ir-5.1.4-d', { status: 'missing' })).status).toBe(200);
      await post('/v1/incidents', { supplierId: supplier.id, title: `Outage at ${name}`, awareAt: new Date(Date.now() - 2 * 3_600_000).toISOString(), severity: 'medium', significant: false });
    }
    const form = new FormData();
    form.set('file', new Blob([new TextEncoder().encode('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), 'iso.pdf');
    form.set('supplierId', cloud.id);
    form.set('kind', 'iso27001_certificate');
    form.set('title', 'ISO 27001 certificate of the cloud');
    form.set('validUntil', day(20));
    expect((await t.request('/v1/evidence', { method: 'POST', key: nis2.adminKey, body: form })).status).toBe(201);
    await post('/v1/findings', { supplierId: cloud.id, title: 'No exit plan for the cloud region', severity: 'critical' });
  });

  it('renders every section, the directory over several pages with its header repeated', async () => {
    const pdf = await pdfOf('/v1/reports/nis2-supply-chain.pdf', nis2.adminKey);
    expect(pdf.pageCount).toBeGreaterThanOrEqual(5);
    expectRunningFooter(pdf, nis2.name);
    expect(pdf.pages[0]).toContain('NIS2 SUPPLY-CHAIN SECURITY REPORT');
    expect(pdf.pages[0]).toContain(nis2.name);
    const text = flat(pdf);
    for (const heading of [
      '1. Summary',
      '2. Suppliers by tier',
      '3. Assessment coverage and what is overdue',
      '4. Contract clause coverage (point 5.1.4)',
      '5. Expiring and expired evidence',
      '6. Open findings by severity',
      '7. Concentration',
      '8. Supplier incidents',
      '9. Supplier directory (point 5.2)',
      '10. Audit log verification',
    ]) {
      expect(squeezed(text)).toContain(squeezed(heading));
    }
    for (const point of ['(a) Cybersecurity requirements', '(d) Incident notification', '(e) Right to audit', '(h) Obligations at termination']) expect(text).toContain(point);
    expect(text).toMatch(/\(e\) Right to audit 100%/);
    expect(text).toMatch(/\(d\) Incident notification 0%/);
    expect(text).toContain('ISO 27001 certificate of the cloud');
    expect(text).toContain('No exit plan for the cloud region');
    expect(text).toMatch(/Hyperscale Cloud SE IE \w+ 2 0 2 no alternative/);
    expect(text).toContain('Outage at Fernwirk Service AG');
    expect(text).toContain('Kontakt Leitstellen Software GmbH <ops@supplier.example>');
    expect(text).toMatch(/Audit log verified: all \d+ entries are intact/);
    // The directory: all 73 suppliers, its header on every page it spans.
    expect(text).toContain('Directory Supplier 000');
    expect(text).toContain('Directory Supplier 069');
    const directoryPages = pdf.pages.filter((page) => page.includes('Directory Supplier'));
    expect(directoryPages.length).toBeGreaterThanOrEqual(2);
    for (const page of directoryPages) expect(page).toMatch(/Supplier\s+Ctry\s+Tier\s+Risk\s+Contact point\s+ICT services/);
  });

  it('says so when the audit log chain is broken', async () => {
    const broken = await t.createTenant();
    await created('/v1/suppliers', { name: 'Tampered Supplier', country: 'DE' }, broken.adminKey);
    await t.db.execute(sql`update audit_log set action = 'tampered' where tenant_id = ${broken.id} and seq = 1`);
    const text = flat(await pdfOf('/v1/reports/nis2-supply-chain.pdf', broken.adminKey));
    expect(text).toMatch(/Audit log verification FAILED at entry 1 after 0 intact entries/);
  });

  it('renders an empty tenant', async () => {
    const empty = await t.createTenant();
    const pdf = await pdfOf('/v1/reports/nis2-supply-chain.pdf', empty.adminKey);
    expectRunningFooter(pdf, empty.name);
    const text = flat(pdf);
    expect(text).toContain('The register is empty.');
    expect(text).toContain('No active contracts are recorded.');
  });
});
