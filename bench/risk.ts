// Risk recalculation on real PostgreSQL: 10,000 suppliers, each with an accepted assessment of 60
// scored answers (bulk-inserted), then `POST /v1/risk/recalculate` timed until completed, with the
// job loop run in-process as the Node server's kick would run it.
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { questionnaireTemplates, questionnaireTemplateVersions } from '../src/db/schema';
import type { Db } from '../src/db/types';
import { runRecalculations } from '../src/features/risk/risk.recalculate';
import { EMPTY_SUPPLIER_FIELDS } from '../src/features/suppliers/suppliers.present';
import { insertSuppliers, type SupplierFields } from '../src/features/suppliers/suppliers.queries';
import { createTenantWithAdminKey } from '../src/features/tenants/tenants.queries';
import { newId } from '../src/lib/ids';
import { createLogger } from '../src/lib/logger';
import { withThrowawayDatabase } from './throwaway-database';

const TARGET_SECONDS = 10;
const QUESTIONS = 60;
const DOMAINS = ['governance', 'access-control', 'incident-management', 'vulnerability-management', 'sp.07-remote-access', 'business-continuity'];
const ACCESS = ['none', 'remote', 'on_site', 'ot_network', 'privileged', null];
const SENSITIVITY = ['none', 'internal', 'confidential', 'personal', 'special_category', null];
const SUBSTITUTABILITY = ['easy', 'medium', 'difficult', 'not_substitutable', null];
const pick = <T>(list: readonly T[], index: number) => list[index % list.length]!;
const round1 = (value: number) => Math.round(value * 10) / 10;

export interface RiskBenchResult {
  suppliers: number;
  answersEach: number;
  generateSeconds: number;
  /** First recalculation: every supplier gets a new score row. */
  recalculateSeconds: number;
  changed: number;
  /** Second recalculation: nothing changed, no new rows. */
  unchangedSeconds: number;
  targetSeconds: number;
  met: boolean;
}

function fields(index: number): SupplierFields {
  return {
    ...EMPTY_SUPPLIER_FIELDS,
    name: `Risk bench ${index}`,
    country: index % 7 === 0 ? 'US' : 'DE',
    status: 'active',
    dataSensitivity: pick(SENSITIVITY, index),
    accessLevel: pick(ACCESS, index * 3),
    supportsCriticalFunction: index % 9 === 0,
    substitutability: pick(SUBSTITUTABILITY, index * 5),
  };
}

function templateDocument() {
  const questions = Array.from({ length: QUESTIONS }, (_, index) => ({
    key: `q${index}`,
    text: `Control question ${index}?`,
    type: index % 5 === 4 ? 'single_choice' : 'yes_no',
    required: true,
    weight: 1 + (index % 3),
    evidenceRequired: false,
    domain: pick(DOMAINS, index),
    controls: [],
    options:
      index % 5 === 4
        ? [
            { value: 'none', label: 'None', score: 0 },
            { value: 'partial', label: 'Partly', score: 50 },
            { value: 'full', label: 'Fully', score: 100 },
          ]
        : [
            { value: 'yes', label: 'Yes', score: 100 },
            { value: 'no', label: 'No', score: 0 },
          ],
  }));
  return { key: 'bench-risk', name: 'Risk bench questionnaire', audience: 'supplier', sections: [{ key: 'all', title: 'All', questions }] };
}

async function generate(db: Db, tenantId: string, count: number) {
  const now = new Date();
  for (let start = 0; start < count; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - start) }, (_, offset) => ({
      id: newId('supplier', new Date(now.getTime() + start + offset)),
      fields: fields(start + offset),
    }));
    await insertSuppliers(db, tenantId, rows, now);
  }
  const templateId = newId('template', now);
  const document = templateDocument();
  await db.insert(questionnaireTemplates).values({ tenantId, id: templateId, key: 'bench-risk', name: document.name, audience: 'supplier', latestVersion: 1, createdAt: now, updatedAt: now });
  await db.insert(questionnaireTemplateVersions).values({
    tenantId,
    templateId,
    version: 1,
    document: document as never,
    documentHash: 'bench',
    questionCount: QUESTIONS,
    publishedAt: now,
    publishedByType: 'system',
    publishedById: 'bench',
  });
  // One accepted assessment per supplier, then 60 answers each, all set-based in the database.
  await db.execute(sql`
    insert into assessments (tenant_id, id, supplier_id, contact_id, template_id, template_version, status, due_at,
                             answered_count, accepted_at, closed_at, created_by_type, created_by_id, created_at, updated_at)
    select tenant_id, 'asm_' || substr(id, 5), id, 'con_bench', ${templateId}, 1, 'accepted', ${now.toISOString()}::timestamptz,
           ${QUESTIONS}, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz, 'system', 'bench',
           ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
    from suppliers where tenant_id = ${tenantId}`);
  await db.execute(sql`
    insert into assessment_answers (tenant_id, assessment_id, question_key, value, review_status, answered_by_type, answered_by_id, created_at, updated_at)
    select a.tenant_id, a.id, 'q' || g,
           case when g % 5 = 4 then to_jsonb((array['none', 'partial', 'full'])[1 + abs(hashtext(a.id || g)) % 3])
                else to_jsonb(case when abs(hashtext(a.id || g)) % 4 = 0 then 'no' else 'yes' end) end,
           'accepted', 'system', 'bench', ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
    from assessments a cross join generate_series(0, ${QUESTIONS - 1}) as g
    where a.tenant_id = ${tenantId}`);
}

async function recalculate(app: ReturnType<typeof buildApp>, db: Db, key: string) {
  const started = performance.now();
  const response = await app.request('/v1/risk/recalculate', { method: 'POST', headers: { authorization: `Bearer ${key}` } });
  if (response.status !== 202) throw new Error(`recalculate: ${response.status} ${await response.text()}`);
  const { id } = (await response.json()) as { id: string };
  const logger = createLogger('warn');
  for (;;) {
    await runRecalculations(db, new Date(), logger, { timeBudgetMs: 60_000 });
    const progress = (await (await app.request(`/v1/risk/recalculations/${id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as {
      status: string;
      changed: number;
      processed: number;
    };
    if (progress.status === 'completed') return { seconds: round1((performance.now() - started) / 1000) * 1, changed: progress.changed };
    if (progress.status === 'failed') throw new Error('recalculation failed');
  }
}

export async function benchRisk(adminUrl: string, count = 10_000): Promise<RiskBenchResult> {
  return withThrowawayDatabase(adminUrl, 'risk', async (database) => {
    const { db } = await database.open();
    const { tenant, apiKey } = await createTenantWithAdminKey(db, { name: 'Risk bench tenant', actor: { type: 'system', id: 'bench' }, requestId: null, now: new Date() });
    const generateStarted = performance.now();
    await generate(db, tenant.id, count);
    await db.execute('analyze');
    const generateSeconds = round1((performance.now() - generateStarted) / 1000);
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    const app = buildApp({ config, database, logger: createLogger('silent'), docsAssets: async () => undefined });
    const first = await recalculate(app, db, apiKey.key);
    const second = await recalculate(app, db, apiKey.key);
    return {
      suppliers: count,
      answersEach: QUESTIONS,
      generateSeconds,
      recalculateSeconds: first.seconds,
      changed: first.changed,
      unchangedSeconds: second.seconds,
      targetSeconds: TARGET_SECONDS,
      met: first.seconds < TARGET_SECONDS,
    };
  });
}
