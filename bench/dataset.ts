// A whole supplier portfolio for one tenant, for the load benchmark: N suppliers (the register's
// own batched insert) with contacts, ICT services, subcontracting links, assessments with answers,
// contracts with clause states, evidence metadata and findings (set-based INSERT … SELECT, one
// statement per table), plus a few assessments sent through the API whose portal links the load
// phase uses. Works on PostgreSQL and on PGlite; returns what the load phase needs.
import { sql, type SQL } from 'drizzle-orm';
import { buildApp } from '../src/app';
import { BUILTIN_CLAUSES } from '../src/catalog/clauses';
import { loadConfig } from '../src/config';
import type { DatabaseProvider } from '../src/db/types';
import { rowsOf } from '../src/db/rows';
import { insertSuppliers } from '../src/features/suppliers/suppliers.queries';
import { createTenantWithAdminKey } from '../src/features/tenants/tenants.queries';
import { newId } from '../src/lib/ids';
import { createLogger } from '../src/lib/logger';
import { sentAssessment } from './portal';
import { supplierFields } from './suppliers';

export interface Dataset {
  tenantId: string;
  apiKey: string;
  suppliers: number;
  /** Generated suppliers, spread over the register, for single-resource reads. */
  sampleSupplierIds: string[];
  /** A supplier with an accepted assessment, contracts, evidence and findings: its dossier PDF. */
  dossierSupplierId: string;
  /** Assessments sent through the API and their portal tokens, one per simulated supplier. */
  portalSessions: { token: string; assessmentId: string }[];
  /** A question of theirs that takes free text. */
  portalQuestionKey: string;
  rows: Record<string, number>;
  generateSeconds: number;
}

const BATCH = 1000;
const ANSWERS_PER_ASSESSMENT = 20;
const PROVIDERS = 50;
const round1 = (value: number) => Math.round(value * 10) / 10;

export async function generateDataset(database: DatabaseProvider, count: number, options: { portalSessions?: number } = {}): Promise<Dataset> {
  const { db } = await database.open();
  const { tenant, apiKey } = await createTenantWithAdminKey(db, { name: 'Load bench tenant', actor: { type: 'system', id: 'bench' }, requestId: null, now: new Date() });
  const tenantId = tenant.id;
  const started = performance.now();
  const now = new Date();
  for (let start = 0; start < count; start += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, count - start) }, (_, offset) => ({
      id: newId('supplier', new Date(now.getTime() + start + offset)),
      fields: supplierFields(start + offset),
    }));
    await insertSuppliers(db, tenantId, rows, now);
  }

  // Real sent assessments first: the generated ones use their template, so answers and the dossier are real.
  const config = loadConfig({ LOG_LEVEL: 'silent', PUBLIC_BASE_URL: 'https://portal.bench.example' });
  const app = buildApp({ config, database, logger: createLogger('silent'), docsAssets: async () => undefined });
  const portalSessions: Dataset['portalSessions'] = [];
  for (let session = 0; session < (options.portalSessions ?? 50); session += 1) portalSessions.push(await sentAssessment(app, db, apiKey.key, tenantId));
  const view = (await (await app.request('/portal/api/assessment', { headers: { 'x-portal-token': portalSessions[0]!.token } })).json()) as {
    sections: { questions: { key: string; type: string; options?: { value: string }[] }[] }[];
  };
  const questions = view.sections.flatMap((section) => section.questions);
  const portalQuestionKey = questions.find((question) => question.type === 'text')?.key;
  if (!portalQuestionKey) throw new Error('the portal questionnaire has no text question');
  const answers = questions
    .filter((question) => question.options?.length)
    .slice(0, ANSWERS_PER_ASSESSMENT)
    .map((question) => ({ key: question.key, value: question.options![0]!.value }));
  const [template] = await rowsOf<{ template_id: string; template_version: number }>(
    db,
    sql`select template_id, template_version from assessments where tenant_id = ${tenantId} and id = ${portalSessions[0]!.assessmentId}`,
  );

  // n: the supplier's number in the generated register (its external reference BENCH-n).
  const numbered = sql`(select id, substr(external_ref, 7)::int as n from suppliers where tenant_id = ${tenantId} and external_ref like 'BENCH-%')`;
  const statements: Record<string, SQL> = {
    supplier_contacts: sql`
      insert into supplier_contacts (tenant_id, id, supplier_id, name, email, role, is_primary, created_at, updated_at)
      select ${tenantId}, 'con_' || lpad(b.n::text, 26, '0'), b.id, 'Contact ' || b.n, 'contact' || b.n || '@supplier.example', 'Account manager', true, now(), now()
      from ${numbered} b`,
    ict_services: sql`
      insert into ict_services (tenant_id, id, supplier_id, name, service_type, critical_or_important, created_at, updated_at)
      select ${tenantId}, 'svc_' || lpad((b.n * 2 + k)::text, 26, '0'), b.id, 'Service ' || b.n || '/' || k, 'S' || lpad((1 + (b.n + k) % 19)::text, 2, '0'), k = 0 and b.n % 9 = 0, now(), now()
      from ${numbered} b cross join generate_series(0, 1) k`,
    // Everyone past the first providers subcontracts one of them: many chains, no cycle.
    subcontracting_links: sql`
      insert into subcontracting_links (tenant_id, supplier_id, subcontractor_id, service_id, created_at, updated_at)
      select ${tenantId}, b.id, p.id, 'svc_' || lpad((b.n * 2)::text, 26, '0'), now(), now()
      from ${numbered} b join suppliers p on p.tenant_id = ${tenantId} and p.external_ref = 'BENCH-' || (b.n % ${PROVIDERS})
      where b.n >= ${PROVIDERS}`,
    assessments: sql`
      insert into assessments (tenant_id, id, supplier_id, contact_id, template_id, template_version, status, due_at, answered_count, sent_at, submitted_at, accepted_at, created_by_type, created_by_id, created_at, updated_at)
      select ${tenantId}, 'asm_' || lpad(b.n::text, 26, '0'), b.id, 'con_' || lpad(b.n::text, 26, '0'), ${template!.template_id}, ${template!.template_version},
        (array['in_progress', 'submitted', 'accepted', 'accepted', 'returned'])[1 + (b.n / 2) % 5], now() + ((b.n * 3) % 90 - 30) * interval '1 day',
        ${answers.length}, now() - interval '40 days', case when (b.n / 2) % 5 in (1, 2, 3) then now() - interval '10 days' end,
        case when (b.n / 2) % 5 in (2, 3) then now() - interval '5 days' end, 'system', 'bench', now(), now()
      from ${numbered} b where b.n % 2 = 0`,
    assessment_answers: sql`
      insert into assessment_answers (tenant_id, assessment_id, question_key, value, review_status, answered_by_type, answered_by_id, created_at, updated_at)
      select ${tenantId}, 'asm_' || lpad(b.n::text, 26, '0'), a.key, to_jsonb(a.value), 'pending', 'supplier', 'bench', now(), now()
      from ${numbered} b cross join jsonb_to_recordset(${JSON.stringify(answers)}::jsonb) as a(key text, value text) where b.n % 2 = 0`,
    contracts: sql`
      insert into contracts (tenant_id, id, supplier_id, reference, title, status, start_date, end_date, notice_period_days, created_at, updated_at)
      select ${tenantId}, 'ctr_' || lpad(b.n::text, 26, '0'), b.id, 'BENCH-C-' || b.n, 'Master services agreement',
        (array['active', 'active', 'active', 'draft', 'expired'])[1 + b.n % 5], current_date - 300, current_date + (b.n % 900), 90, now(), now()
      from ${numbered} b where b.n % 4 <> 3`,
    contract_clauses: sql`
      insert into contract_clauses (tenant_id, contract_id, clause_key, status, updated_by_type, updated_by_id, updated_at)
      select c.tenant_id, c.id, k.key, (array['present', 'present', 'present', 'partial', 'missing', 'negotiating'])[1 + (hashtext(c.id || k.key) & 1023) % 6], 'system', 'bench', now()
      from contracts c cross join jsonb_array_elements_text(${JSON.stringify(BUILTIN_CLAUSES.map((clause) => clause.key))}::jsonb) as k(key)
      where c.tenant_id = ${tenantId} and c.reference like 'BENCH-C-%' and (hashtext(k.key || c.id) & 1023) % 2 = 0`,
    blobs: sql`insert into blobs (tenant_id, sha256, size, content_type, store, created_at) values (${tenantId}, ${'0'.repeat(64)}, 1, 'application/pdf', 'postgres', now())`,
    evidence: sql`
      insert into evidence (tenant_id, id, supplier_id, kind, title, file_name, content_type, size, sha256, valid_until, uploaded_by_type, uploaded_by_id, created_at, updated_at)
      select ${tenantId}, 'evd_' || lpad((b.n * 2 + k)::text, 26, '0'), b.id, (array['iso27001_certificate', 'soc2_report'])[1 + k], 'Certificate ' || k, 'cert.pdf', 'application/pdf', 1,
        ${'0'.repeat(64)}, current_date + ((b.n * 17 + k * 101) % 700 - 200), 'system', 'bench', now(), now()
      from ${numbered} b cross join generate_series(0, 1) k`,
    findings: sql`
      insert into findings (tenant_id, id, supplier_id, title, severity, status, source, due_date, created_by_type, created_by_id, created_at, updated_at)
      select ${tenantId}, 'fnd_' || lpad((b.n * 2 + k)::text, 26, '0'), b.id, 'Finding ' || k, (array['low', 'medium', 'high', 'critical'])[1 + (b.n + k) % 4],
        (array['open', 'in_remediation', 'resolved', 'risk_accepted'])[1 + (b.n * 7 + k) % 4], 'manual', current_date + ((b.n * 13 + k) % 120 - 60), 'system', 'bench', now(), now()
      from ${numbered} b cross join generate_series(0, 1) k`,
  };
  for (const statement of Object.values(statements)) await db.execute(statement);
  await db.execute(sql`
    update suppliers s set has_critical_service = true
    where s.tenant_id = ${tenantId} and exists (select 1 from ict_services v where v.tenant_id = s.tenant_id and v.supplier_id = s.id and v.critical_or_important)`);
  await db.execute(sql`analyze`);
  const generateSeconds = round1((performance.now() - started) / 1000);

  const rows: Record<string, number> = {};
  for (const table of ['suppliers', ...Object.keys(statements).filter((table) => table !== 'blobs')]) {
    const [counted] = await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)} where tenant_id = ${tenantId}`);
    rows[table] = Number(counted!.n);
  }
  const step = Math.max(1, Math.floor(count / 1000));
  const sample = await rowsOf<{ id: string }>(db, sql`select id from ${numbered} b where b.n % ${step} = 0`);
  const [dossier] = await rowsOf<{ supplier_id: string }>(
    db,
    sql`select supplier_id from assessments where tenant_id = ${tenantId} and status = 'accepted' and id like 'asm_0%' order by id limit 1`,
  );
  return {
    tenantId,
    apiKey: apiKey.key,
    suppliers: count,
    sampleSupplierIds: sample.map((row) => row.id),
    dossierSupplierId: dossier!.supplier_id,
    portalSessions,
    portalQuestionKey,
    rows,
    generateSeconds,
  };
}
