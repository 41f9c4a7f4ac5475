// The PDF reports on real PostgreSQL, in-process: the supplier dossier of a supplier with an
// accepted 100-question assessment, and the NIS2 supply-chain report of a tenant with 1,000
// suppliers (imported through the API, so the audit log it verifies is as long as a real one),
// each timed from the request to the last byte of the PDF.
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createTenantWithAdminKey } from '../src/features/tenants/tenants.queries';
import { createLogger } from '../src/lib/logger';
import { withThrowawayDatabase } from './throwaway-database';

const DOSSIER_TARGET_MS = 300;
const NIS2_TARGET_MS = 3000;
const DOMAINS = ['access-control', 'asset-management', 'continuity', 'data-protection', 'governance', 'incident-management', 'people', 'secure-development', 'supply-chain', 'exit'];
const round1 = (value: number) => Math.round(value * 10) / 10;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

function template100() {
  return {
    key: 'bench-100',
    name: 'Bench questionnaire (100 questions)',
    audience: 'supplier',
    sections: DOMAINS.map((domain, s) => ({
      key: `s${s}`,
      title: `Section ${domain}`,
      questions: Array.from({ length: 10 }, (_, q) => ({
        key: `q${s}-${q}`,
        text: `Question ${q + 1} about ${domain}: is the control in place and evidenced?`,
        type: 'single_choice',
        weight: 1 + (q % 3),
        domain,
        options: [
          { value: 'full', label: 'Fully', score: 100 },
          { value: 'partial', label: 'Partly', score: 50 },
          { value: 'none', label: 'No', score: 0, finding: { severity: 'medium' } },
        ],
      })),
    })),
  };
}

export interface ReportsBenchResult {
  dossier: { questions: number; requests: number; p50Ms: number; p95Ms: number; pages: number; bytes: number; targetMs: number; met: boolean };
  nis2: { suppliers: number; auditEntries: number; requests: number; p50Ms: number; maxMs: number; bytes: number; targetMs: number; met: boolean };
  generateSeconds: number;
}

export async function benchReports(adminUrl: string, supplierCount = 1_000): Promise<ReportsBenchResult> {
  return withThrowawayDatabase(adminUrl, 'reports', async (database) => {
    const { db } = await database.open();
    const { tenant, apiKey } = await createTenantWithAdminKey(db, { name: 'Reports bench tenant', actor: { type: 'system', id: 'bench' }, requestId: null, now: new Date() });
    const app = buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database, logger: createLogger('silent'), docsAssets: async () => undefined });
    const call = async (path: string, method = 'GET', json?: unknown) => {
      const response = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${apiKey.key}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
      if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response;
    };
    const body = async (path: string, method = 'GET', json?: unknown) => (await (await call(path, method, json)).json()) as { id: string } & Record<string, unknown>;
    const started = performance.now();

    // 1,000 suppliers through the import (one audit entry each), then what the report reads, set-based.
    const rows = Array.from({ length: supplierCount }, (_, i) => ({
      name: `Bench supplier ${String(i).padStart(4, '0')}`,
      country: ['DE', 'FR', 'NL', 'US', 'IN'][i % 5],
      externalRef: `BENCH-${i}`,
      profile: { supportsCriticalFunction: i % 9 === 0, accessLevel: ['none', 'remote', 'on_site', 'ot_network', 'privileged'][i % 5], substitutability: i % 7 === 0 ? 'not_substitutable' : 'medium' },
    }));
    await call('/v1/suppliers/import', 'POST', { rows });
    await db.execute(sql`create temporary table bench_n as select id, (row_number() over (order by id))::int as n from suppliers where tenant_id = ${tenant.id}`);
    await db.execute(sql`
      insert into supplier_contacts (tenant_id, id, supplier_id, name, email, is_primary, created_at, updated_at)
      select ${tenant.id}, 'con_' || lpad(b.n::text, 26, '0'), b.id, 'Contact ' || b.n, 'contact' || b.n || '@supplier.example', true, now(), now() from bench_n b`);
    await db.execute(sql`
      insert into ict_services (tenant_id, id, supplier_id, name, service_type, critical_or_important, created_at, updated_at)
      select ${tenant.id}, 'svc_' || lpad((b.n * 2 + k)::text, 26, '0'), b.id, 'Bench service ' || k, 'S19', b.n % 9 = 0 and k = 0, now(), now()
      from bench_n b cross join generate_series(0, 1) k`);
    await db.execute(sql`
      insert into subcontracting_links (tenant_id, supplier_id, subcontractor_id, created_at, updated_at)
      select ${tenant.id}, b.id, p.id, now(), now() from bench_n b join bench_n p on p.n = 1 + b.n % 20 where b.n > 20`);
    await db.execute(sql`
      insert into findings (tenant_id, id, supplier_id, title, severity, status, source, due_date, created_by_type, created_by_id, created_at, updated_at)
      select ${tenant.id}, 'fnd_' || lpad((b.n * 3 + k)::text, 26, '0'), b.id, 'Bench finding ' || k,
        (array['low', 'medium', 'high', 'critical'])[1 + (b.n + k) % 4], (array['open', 'in_remediation', 'resolved', 'risk_accepted'])[1 + (b.n * 7 + k) % 4],
        'manual', current_date + ((b.n * 13 + k) % 120 - 60), 'system', 'bench', now(), now()
      from bench_n b cross join generate_series(0, 2) k`);
    await db.execute(sql`insert into blobs (tenant_id, sha256, size, content_type, store, created_at) values (${tenant.id}, ${'0'.repeat(64)}, 1, 'application/pdf', 'postgres', now())`);
    await db.execute(sql`
      insert into evidence (tenant_id, id, supplier_id, kind, title, file_name, content_type, size, sha256, valid_until, uploaded_by_type, uploaded_by_id, created_at, updated_at)
      select ${tenant.id}, 'evd_' || lpad(b.n::text, 26, '0'), b.id, 'iso27001_certificate', 'ISO 27001 certificate', 'cert.pdf', 'application/pdf', 1, ${'0'.repeat(64)},
        current_date + ((b.n * 17) % 700 - 200), 'system', 'bench', now(), now() from bench_n b`);
    await db.execute(sql`
      insert into assessments (tenant_id, id, supplier_id, contact_id, template_id, template_version, status, due_at, accepted_at, created_by_type, created_by_id, created_at, updated_at)
      select ${tenant.id}, 'asm_' || lpad(b.n::text, 26, '0'), b.id, 'con_' || lpad(b.n::text, 26, '0'), 'tpl_bench', 1,
        (array['sent', 'in_progress', 'accepted', 'accepted', 'submitted'])[1 + b.n % 5], now() + ((b.n * 3) % 90 - 30) * interval '1 day',
        case when b.n % 5 in (2, 3) then now() - (b.n % 500) * interval '1 day' end, 'system', 'bench', now(), now() from bench_n b`);
    await db.execute(sql`
      insert into contracts (tenant_id, id, supplier_id, reference, title, status, start_date, end_date, created_at, updated_at)
      select ${tenant.id}, 'ctr_' || lpad(b.n::text, 26, '0'), b.id, 'BENCH-C-' || b.n, 'Bench contract', 'active', current_date - 300, current_date + (b.n % 900), now(), now()
      from bench_n b where b.n % 2 = 0`);
    await db.execute(sql`
      insert into contract_clauses (tenant_id, contract_id, clause_key, status, updated_by_type, updated_by_id, updated_at)
      select ${tenant.id}, 'ctr_' || lpad(b.n::text, 26, '0'), 'nis2-ir-5.1.4-' || p, (array['present', 'present', 'partial', 'missing', 'waived'])[1 + (b.n + ascii(p)) % 5], 'system', 'bench', now()
      from bench_n b cross join unnest(array['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) p where b.n % 2 = 0 and (b.n + ascii(p)) % 6 <> 0`);
    await db.execute(sql`
      insert into incidents (tenant_id, id, supplier_id, title, severity, status, aware_at, reported_by_type, reported_by_id, created_at, updated_at)
      select ${tenant.id}, 'inc_' || lpad(b.n::text, 26, '0'), b.id, 'Bench incident', 'medium', (array['open', 'contained', 'resolved'])[1 + b.n % 3],
        now() - (b.n % 400) * interval '1 day', 'system', 'bench', now(), now() from bench_n b where b.n % 10 = 0`);

    // The dossier's supplier: a 100-question questionnaire sent, answered, submitted and accepted through the API.
    const supplier = await body('/v1/suppliers', 'POST', { name: 'Dossier Bench GmbH', country: 'DE', profile: { accessLevel: 'ot_network', supportsCriticalFunction: true } });
    const contact = await body(`/v1/suppliers/${supplier.id}/contacts`, 'POST', { name: 'Jan Bench', email: 'jan@bench.example' });
    await call(`/v1/suppliers/${supplier.id}/services`, 'POST', { name: 'Remote maintenance', serviceType: 'S14', criticalOrImportant: true });
    const template = await body('/v1/questionnaire-templates?publish=true', 'POST', template100());
    const assessment = await body('/v1/assessments', 'POST', { supplierId: supplier.id, templateId: template.id, contactId: contact.id, dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString() });
    await call(`/v1/assessments/${assessment.id}/send`, 'POST');
    const answers = template100().sections.flatMap((section) => section.questions.map((question, q) => ({ questionKey: question.key, value: ['full', 'partial', 'none'][q % 3] })));
    await call(`/v1/assessments/${assessment.id}/answers`, 'PUT', { answers });
    await call(`/v1/assessments/${assessment.id}/submit`, 'POST');
    await call(`/v1/assessments/${assessment.id}/accept`, 'POST');
    await db.execute(sql`drop table bench_n`);
    await db.execute(sql`analyze`);
    const generateSeconds = round1((performance.now() - started) / 1000);
    const [{ entries }] = (await db.execute(sql`select count(*)::int as entries from audit_log where tenant_id = ${tenant.id}`)) as unknown as [{ entries: number }];

    const timed = async (path: string) => {
      const begun = performance.now();
      const bytes = new Uint8Array(await (await call(path)).arrayBuffer());
      return { ms: performance.now() - begun, bytes };
    };

    const dossierPath = `/v1/suppliers/${supplier.id}/report.pdf`;
    for (let warm = 0; warm < 3; warm += 1) await timed(dossierPath);
    const dossierSamples: number[] = [];
    let dossierBytes = new Uint8Array();
    for (let round = 0; round < 30; round += 1) {
      const { ms, bytes } = await timed(dossierPath);
      dossierSamples.push(ms);
      dossierBytes = bytes;
    }
    dossierSamples.sort((a, b) => a - b);
    const pages = new TextDecoder('latin1').decode(dossierBytes).match(/\/Type \/Page\b/g)?.length ?? 0;

    const nis2Path = '/v1/reports/nis2-supply-chain.pdf';
    await timed(nis2Path);
    const nis2Samples: number[] = [];
    let nis2Bytes = 0;
    for (let round = 0; round < 5; round += 1) {
      const { ms, bytes } = await timed(nis2Path);
      nis2Samples.push(ms);
      nis2Bytes = bytes.length;
    }
    nis2Samples.sort((a, b) => a - b);

    const dossierP95 = round1(percentile(dossierSamples, 95));
    const nis2Max = round1(nis2Samples.at(-1)!);
    return {
      dossier: {
        questions: 100,
        requests: dossierSamples.length,
        p50Ms: round1(percentile(dossierSamples, 50)),
        p95Ms: dossierP95,
        pages,
        bytes: dossierBytes.length,
        targetMs: DOSSIER_TARGET_MS,
        met: dossierP95 < DOSSIER_TARGET_MS,
      },
      nis2: {
        suppliers: supplierCount + 1,
        auditEntries: Number(entries),
        requests: nis2Samples.length,
        p50Ms: round1(percentile(nis2Samples, 50)),
        maxMs: nis2Max,
        bytes: nis2Bytes,
        targetMs: NIS2_TARGET_MS,
        met: nis2Max < NIS2_TARGET_MS,
      },
      generateSeconds,
    };
  });
}
