// Supplier portal benchmarks: server time of the portal page for the largest built-in
// questionnaire, its weight (HTML + CSS + JS, no uploads), and the time to save one answer.
// Measured in-process (app.request), so the numbers are server time without the network.
import { and, eq } from 'drizzle-orm';
import { buildApp, type App } from '../src/app';
import { loadConfig } from '../src/config';
import { mailOutbox } from '../src/db/schema';
import type { DatabaseProvider, Db } from '../src/db/types';
import { createTenantWithAdminKey } from '../src/features/tenants/tenants.queries';
import { createLogger } from '../src/lib/logger';
import { withThrowawayDatabase, withThrowawayPglite } from './throwaway-database';

const PAGE_TARGET_P50_MS = 30;
const WEIGHT_TARGET_BYTES = 100 * 1024;
const SAVE_TARGET_P50_MS = 20;
const TEMPLATE = 'builtin.ot-service-provider';

export interface PortalBenchResult {
  database: 'pglite' | 'postgres';
  questions: number;
  page: { requests: number; p50Ms: number; p95Ms: number; targetP50Ms: number; met: boolean };
  weight: { htmlBytes: number; cssBytes: number; jsBytes: number; totalBytes: number; targetBytes: number; met: boolean };
  save: { requests: number; p50Ms: number; p95Ms: number; targetP50Ms: number; met: boolean };
}

const round1 = (value: number) => Math.round(value * 10) / 10;

function percentile(samples: number[], p: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  return round1(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
}

/** A sent OT assessment and its portal token (read back from the outbox, as the supplier gets it). */
export async function sentAssessment(app: App, db: Db, key: string, tenantId: string) {
  async function call(method: string, path: string, json?: unknown) {
    const response = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown> & { id: string };
  }
  const supplier = await call('POST', '/v1/suppliers', { name: 'Bench Automation GmbH', country: 'DE' });
  const contact = await call('POST', `/v1/suppliers/${supplier.id}/contacts`, { name: 'Eva Bench', email: 'eva@bench.example' });
  const templates = (await call('GET', '/v1/questionnaire-templates?limit=50')) as unknown as { data: { id: string; key: string }[] };
  const template = templates.data.find((item) => item.key === TEMPLATE);
  if (!template) throw new Error(`${TEMPLATE} not listed`);
  const dueAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const assessment = await call('POST', '/v1/assessments', { supplierId: supplier.id, templateId: template.id, contactId: contact.id, dueAt });
  await call('POST', `/v1/assessments/${assessment.id}/send`);
  const [mail] = await db
    .select({ text: mailOutbox.textBody })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.tenantId, tenantId), eq(mailOutbox.entityId, assessment.id)));
  const token = mail?.text.match(/\/portal\/a\/([A-Za-z0-9_-]{43})/)?.[1];
  if (!token) throw new Error('no portal link in the invitation');
  return { token, assessmentId: assessment.id };
}

async function run(database: DatabaseProvider, kind: PortalBenchResult['database']): Promise<PortalBenchResult> {
  const { db } = await database.open();
  const { tenant, apiKey } = await createTenantWithAdminKey(db, {
    name: 'Portal bench tenant',
    actor: { type: 'system', id: 'bench' },
    requestId: null,
    now: new Date(),
  });
  const config = loadConfig({ LOG_LEVEL: 'silent', PUBLIC_BASE_URL: 'https://portal.bench.example', AUTH_FAILURE_LIMIT_PER_MINUTE: '100000' });
  const app = buildApp({ config, database, logger: createLogger('silent'), docsAssets: async () => undefined });
  const { token } = await sentAssessment(app, db, apiKey.key, tenant.id);

  const portal = (path: string, init: RequestInit = {}) =>
    app.request(path, { ...init, headers: { 'x-portal-token': token, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const view = (await (await portal('/portal/api/assessment')).json()) as {
    sections: { questions: { key: string; type: string; options?: { value: string }[] }[] }[];
  };
  const questions = view.sections.flatMap((section) => section.questions);

  // Half the questionnaire answered, so the page renders real values, not an empty form.
  const choice = questions.filter((question) => question.type === 'yes_no' || question.type === 'single_choice');
  for (const question of choice.slice(0, Math.ceil(choice.length / 2))) {
    await portal('/portal/api/answers', { method: 'PUT', body: JSON.stringify({ answers: [{ questionKey: question.key, value: question.options![0]!.value }] }) });
  }

  const warmup = 20;
  const pageSamples: number[] = [];
  let html = '';
  for (let index = 0; index < 200 + warmup; index++) {
    const started = performance.now();
    const response = await app.request(`/portal/a/${token}`);
    html = await response.text();
    if (response.status !== 200) throw new Error(`portal page: ${response.status}`);
    if (index >= warmup) pageSamples.push(performance.now() - started);
  }
  const css = await (await app.request('/portal/assets/portal.css')).arrayBuffer();
  const js = await (await app.request('/portal/assets/portal.js')).arrayBuffer();
  const htmlBytes = new TextEncoder().encode(html).byteLength;
  const totalBytes = htmlBytes + css.byteLength + js.byteLength;

  // Each save changes the value, like a supplier typing and autosave sending it.
  const textQuestion = questions.find((question) => question.type === 'text');
  if (!textQuestion) throw new Error('no text question to save');
  const saveSamples: number[] = [];
  let version = 0;
  for (let index = 0; index < 200 + warmup; index++) {
    const started = performance.now();
    const response = await portal('/portal/api/answers', {
      method: 'PUT',
      body: JSON.stringify({ answers: [{ questionKey: textQuestion.key, value: `Answer draft ${index}`, version }] }),
    });
    const body = (await response.json()) as { answers: { questionKey: string; version: number }[] };
    if (response.status !== 200) throw new Error(`save: ${response.status} ${JSON.stringify(body)}`);
    if (index >= warmup) saveSamples.push(performance.now() - started);
    version = body.answers.find((answer) => answer.questionKey === textQuestion.key)!.version;
  }

  const pageP50 = percentile(pageSamples, 50);
  const saveP50 = percentile(saveSamples, 50);
  return {
    database: kind,
    questions: questions.length,
    page: { requests: pageSamples.length, p50Ms: pageP50, p95Ms: percentile(pageSamples, 95), targetP50Ms: PAGE_TARGET_P50_MS, met: pageP50 < PAGE_TARGET_P50_MS },
    weight: {
      htmlBytes,
      cssBytes: css.byteLength,
      jsBytes: js.byteLength,
      totalBytes,
      targetBytes: WEIGHT_TARGET_BYTES,
      met: totalBytes < WEIGHT_TARGET_BYTES,
    },
    save: { requests: saveSamples.length, p50Ms: saveP50, p95Ms: percentile(saveSamples, 95), targetP50Ms: SAVE_TARGET_P50_MS, met: saveP50 < SAVE_TARGET_P50_MS },
  };
}

/** On embedded PGlite (what `npm start` runs) and on PostgreSQL (production). */
export async function benchPortal(adminUrl: string): Promise<PortalBenchResult[]> {
  return [
    await withThrowawayPglite((database) => run(database, 'pglite')),
    await withThrowawayDatabase(adminUrl, 'portal', (database) => run(database, 'postgres')),
  ];
}
