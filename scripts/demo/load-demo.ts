import { buildApp } from '../../src/app';
import { ROLES, type Role } from '../../src/catalog/access';
import type { Config } from '../../src/config';
import type { Db } from '../../src/db/types';
import { ASSESSMENT_STATUSES } from '../../src/features/assessments/assessments.queries';
import { runDueJobs } from '../../src/jobs/run-due-jobs';
import { randomBase62 } from '../../src/lib/crypto';
import { createLogger, type Logger } from '../../src/lib/logger';
import type { MailMessage, MailTransport } from '../../src/lib/mail/transports';
// JSON imports, so that the data is bundled with `npm start` (esbuild) as well as read by tsx.
import assessmentPlan from './assessments.json';
import { DEMO_CATEGORIES, loadLifecycle, type LifecycleCounts } from './load-lifecycle';
import { loadOversight, type OversightCounts } from './load-oversight';
import supplierData from './suppliers.json';
import registerData from './register.json';

interface DemoSupplier {
  key: string;
  supplier: Record<string, unknown>;
  contacts: Record<string, unknown>[];
  services: Record<string, unknown>[];
  subcontractors: string[];
}

/** The DORA Register of Information data of the demo (register.json `_about`). */
interface DemoRegister {
  tenant: Record<string, unknown>;
  functions: ({ supports: string[]; lastCriticalityAssessmentInDays: number; criticalOrImportant: boolean } & Record<string, unknown>)[];
  assessments: { default: Record<string, unknown>; services: Record<string, Record<string, unknown> | null> };
  providerLeis: Record<string, string>;
  providerNoticePeriodDays: Record<string, number>;
}

type AnswerValues = Record<string, unknown>;

/** One action on an assessment at a day of the demo's history (see assessments.json `_about`). */
interface DemoStep {
  day: number;
  do: 'send' | 'remind' | 'answers' | 'submit' | 'review' | 'return' | 'accept' | 'cancel' | 'extend';
  as: string;
  set?: string;
  only?: string[];
  omit?: string[];
  values?: AnswerValues;
  comments?: Record<string, string>;
  accept?: string[];
  clarify?: Record<string, string>;
  clarifications?: Record<string, string>;
  message?: string;
  due?: number;
  reason?: string;
}

interface DemoAssessment {
  key: string;
  expect: string;
  portalLink?: boolean;
  supplier: string;
  contact: string;
  template: string;
  created: number;
  due: number;
  message?: string;
  steps?: DemoStep[];
}

interface AssessmentPlan {
  registerDay: number;
  answerSets: Record<string, AnswerValues>;
  assessments: DemoAssessment[];
}

export interface DemoAssessmentResult {
  key: string;
  id: string;
  supplier: string;
  template: string;
  /** The status the plan ends in (assessments.json `expect`). */
  expected: string;
  status: string;
}

export interface DemoResult {
  tenant: { id: string; name: string };
  keys: [string, string][];
  supplierIds: Map<string, string>;
  assessments: DemoAssessmentResult[];
  /**
   * The supplier's portal link of the assessment marked `portalLink` in the plan (open to the
   * supplier). A secret: print it only in development with MAIL_TRANSPORT=log.
   */
  portalLink?: { assessmentId: string; supplier: string; template: string; status: string; url: string };
  counts: { suppliers: number; contacts: number; services: number; links: number; assessments: number; mails: number };
  /** Contracts, evidence, audits and incidents (contracts.json, evidence.json, audits.json, incidents.json). */
  oversight: OversightCounts;
  lifecycle: LifecycleCounts;
  durationMs: number;
}

export interface DemoDeps {
  config: Config;
  /** The migrated database. */
  db: Db;
  /** Logger of the demo's own app and job run (its request lines are noise): warnings only by default. */
  logger?: Logger;
}

const DAY_MS = 24 * 3_600_000;

/**
 * Loads the demo through the API, so that it is validated and audited like real data: a tenant,
 * its register (suppliers, contacts, ICT services, subcontracting chains), a key per role, and
 * assessments in every state, replayed from `assessments.json` in time order with the app's clock
 * moved back (so due dates, reminders and reviews lie in the past as in a real history, and the
 * audit log is in time order). Then, at the real time, the tenant's regime, evidence files,
 * contracts with their clause states, audits and supplier incidents (load-oversight.ts), with
 * dates counted from now so expiring certificates and incident deadlines stay current whenever the
 * demo is seeded. The jobs then run: they expire the assessment whose due date and grace period
 * have passed and raise the finding for the evidence that has run out. The demo's mails (invitations, reminders) are
 * delivered to a transport that only keeps them: demo addresses never see a real mail server.
 */
export async function loadDemo(deps: DemoDeps): Promise<DemoResult> {
  const started = performance.now();
  const startMs = Date.now();
  const demo = supplierData as { tenant: string; suppliers: DemoSupplier[] };
  const plan = assessmentPlan as unknown as AssessmentPlan;
  const logger = deps.logger ?? createLogger('warn');

  // The demo's own app: a one-off platform token creates the tenant as an operator would, and a
  // clock that replays the history. Each request moves it on by a second, never past the real time.
  const platformToken = `demo-${randomBase62(40)}`;
  let simulatedMs: number | undefined;
  const clock = () => {
    if (simulatedMs === undefined) return new Date();
    simulatedMs += 1000;
    return new Date(Math.min(simulatedMs, Date.now()));
  };
  const moveClockTo = (day: number) => {
    simulatedMs = Math.max(simulatedMs ?? 0, startMs + day * DAY_MS);
  };
  const database = { open: async () => ({ db: deps.db, release: async () => {} }), close: async () => {} };
  const app = buildApp({
    config: { ...deps.config, platformAdminToken: platformToken },
    database,
    logger,
    docsAssets: async () => undefined,
    clock,
  });

  async function send(method: string, path: string, key: string, init: { body?: BodyInit; headers?: Record<string, string> }): Promise<Record<string, unknown>> {
    const response = await app.request(path, { method, headers: { authorization: `Bearer ${key}`, ...init.headers }, ...(init.body !== undefined ? { body: init.body } : {}) });
    if (response.status >= 300) throw new Error(`demo: ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
  }
  const call = (method: string, path: string, key: string, json?: unknown) =>
    send(method, path, key, json !== undefined ? { body: JSON.stringify(json), headers: { 'content-type': 'application/json' } } : {});

  // --- The register -------------------------------------------------------------------------
  moveClockTo(plan.registerDay);
  const created = await call('POST', '/v1/tenants', platformToken, { name: demo.tenant });
  const tenant = created.tenant as { id: string; name: string };
  const adminKey = (created.apiKey as { key: string }).key;

  // The Register of Information's entity data and functions, before the services that name them.
  const register = registerData as unknown as DemoRegister;
  await call('PATCH', '/v1/tenant', adminKey, register.tenant);
  const functionOf = new Map<string, { id: string; critical: boolean }>();
  for (const { supports, lastCriticalityAssessmentInDays, ...fields } of register.functions) {
    const lastCriticalityAssessmentOn = new Date(startMs + lastCriticalityAssessmentInDays * DAY_MS).toISOString().slice(0, 10);
    const row = await call('POST', '/v1/functions', adminKey, { ...fields, lastCriticalityAssessmentOn });
    for (const text of supports) functionOf.set(text, { id: row.id as string, critical: fields.criticalOrImportant });
  }
  /** A demo service with its function and, when it supports a critical or important one, its B_07.01 assessment. */
  const withRegisterFields = (supplierKey: string, service: Record<string, unknown>) => {
    const fn = functionOf.get(String(service.supportedFunction));
    const key = `${supplierKey}/${String(service.name)}`;
    const override = register.assessments.services[key];
    const cif = service.criticalOrImportant === true || fn?.critical === true;
    const assessment = cif && override !== null ? { ...register.assessments.default, ...override } : {};
    return { ...service, ...(fn ? { functionId: fn.id } : {}), ...assessment };
  };
  const withLei = (entry: DemoSupplier) => {
    const lei = register.providerLeis[entry.key];
    return lei ? { ...entry.supplier, identifiers: { ...(entry.supplier.identifiers as Record<string, unknown> | undefined), lei } } : entry.supplier;
  };

  const supplierIds = new Map<string, string>();
  const supplierNames = new Map<string, string>();
  const contactIds = new Map<string, string>();
  const serviceIds = new Map<string, string>();
  const counts = { suppliers: 0, contacts: 0, services: 0, links: 0, assessments: 0, mails: 0 };
  for (const entry of demo.suppliers) {
    // The demo's register was taken over at go-live: its active suppliers are existing relationships.
    const registered = entry.supplier.status === 'active' ? { statusOverride: { justification: 'Existing supplier, taken over from the vendor register at go-live.' } } : {};
    const supplier = await call('POST', '/v1/suppliers', adminKey, { ...withLei(entry), category: DEMO_CATEGORIES[entry.key] ?? null, ...registered });
    supplierIds.set(entry.key, supplier.id as string);
    supplierNames.set(entry.key, supplier.name as string);
    counts.suppliers += 1;
    for (const contact of entry.contacts) {
      const row = await call('POST', `/v1/suppliers/${supplier.id}/contacts`, adminKey, contact);
      contactIds.set(`${entry.key}/${String(contact.email)}`, row.id as string);
      counts.contacts += 1;
    }
    for (const service of entry.services) {
      const row = await call('POST', `/v1/suppliers/${supplier.id}/services`, adminKey, withRegisterFields(entry.key, service));
      serviceIds.set(`${entry.key}/${String(service.name)}`, row.id as string);
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
  const keyOf = new Map(keys);
  const keyFor = (role: string) => {
    const key = keyOf.get(role);
    if (!key) throw new Error(`demo: no key for role "${role}"`);
    return key;
  };

  // --- Assessments, in time order ------------------------------------------------------------
  const templates = (await call('GET', '/v1/questionnaire-templates?limit=100', adminKey)).data as { id: string; key: string; name: string }[];
  const templateIds = new Map(templates.map((template) => [template.key, template.id]));
  const startOfDay = new Date(startMs);
  startOfDay.setUTCHours(0, 0, 0, 0);
  const dueAt = (day: number) => new Date(startOfDay.getTime() + day * DAY_MS + 17 * 3_600_000).toISOString();

  const assessmentIds = new Map<string, string>();
  type Event = { day: number; assessment: DemoAssessment; step: DemoStep | 'create' };
  const events: Event[] = plan.assessments.flatMap((assessment) => [
    { day: assessment.created, assessment, step: 'create' as const },
    ...(assessment.steps ?? []).map((step) => ({ day: step.day, assessment, step })),
  ]);
  // A stable sort: an assessment's steps on the same day keep their order.
  events.sort((a, b) => a.day - b.day);

  const answersFor = (step: DemoStep) => {
    const matches = (key: string, prefixes: string[]) => prefixes.some((prefix) => key.startsWith(prefix));
    const base = step.set ? plan.answerSets[step.set] : {};
    if (!base) throw new Error(`demo: no answer set "${step.set}"`);
    const values: AnswerValues = {};
    for (const [key, value] of Object.entries(base)) {
      if (step.only && !matches(key, step.only)) continue;
      if (step.omit && matches(key, step.omit)) continue;
      values[key] = value;
    }
    Object.assign(values, step.values);
    for (const key of Object.keys(step.comments ?? {})) {
      if (!(key in values)) throw new Error(`demo: comment on "${key}" without an answer in the same step`);
    }
    return Object.entries(values).map(([questionKey, value]) => ({
      questionKey,
      value,
      ...(step.comments?.[questionKey] ? { comment: step.comments[questionKey] } : {}),
    }));
  };

  for (const { day, assessment, step } of events) {
    moveClockTo(day);
    if (step === 'create') {
      const supplierId = supplierIds.get(assessment.supplier);
      const contactId = contactIds.get(`${assessment.supplier}/${assessment.contact}`);
      const templateId = templateIds.get(assessment.template);
      if (!supplierId || !contactId || !templateId) throw new Error(`demo: assessment "${assessment.key}" names an unknown supplier, contact or template`);
      const row = await call('POST', '/v1/assessments', keyFor('risk_manager'), {
        supplierId,
        contactId,
        templateId,
        dueAt: dueAt(assessment.due),
        ...(assessment.message ? { message: assessment.message } : {}),
      });
      assessmentIds.set(assessment.key, row.id as string);
      counts.assessments += 1;
      continue;
    }
    const path = `/v1/assessments/${assessmentIds.get(assessment.key)}`;
    const key = keyFor(step.as);
    switch (step.do) {
      case 'send':
      case 'remind':
      case 'submit':
      case 'accept':
      case 'cancel':
        await call('POST', `${path}/${step.do}`, key);
        break;
      case 'extend':
        await call('POST', `${path}/extend`, key, { dueAt: dueAt(step.due ?? 0), ...(step.reason ? { reason: step.reason } : {}) });
        break;
      case 'answers':
        await call('PUT', `${path}/answers`, key, { answers: answersFor(step) });
        break;
      case 'review': {
        const answers = (await call('GET', `${path}/answers`, key)).data as { questionKey: string; answered: boolean; visible: boolean }[];
        const clarify = step.clarify ?? {};
        const accepted = answers
          .filter((answer) => answer.answered && answer.visible && !(answer.questionKey in clarify))
          .filter((answer) => (step.accept ?? []).some((prefix) => prefix === '*' || answer.questionKey.startsWith(prefix)))
          .map((answer) => ({ questionKey: answer.questionKey, status: 'accepted' }));
        const clarifications = Object.entries(clarify).map(([questionKey, comment]) => ({ questionKey, status: 'needs_clarification', comment }));
        await call('POST', `${path}/review`, key, { reviews: [...accepted, ...clarifications] });
        break;
      }
      case 'return':
        await call('POST', `${path}/return`, key, {
          clarifications: Object.entries(step.clarifications ?? {}).map(([questionKey, comment]) => ({ questionKey, comment })),
          ...(step.message ? { message: step.message } : {}),
        });
        break;
      default:
        throw new Error(`demo: unknown step "${(step as DemoStep).do}" in "${assessment.key}"`);
    }
  }
  simulatedMs = undefined;

  // --- Contracts, evidence, audits and incidents, at the real time: their dates count from now --
  const oversight = await loadOversight({
    call,
    upload: (key, form) => send('POST', '/v1/evidence', key, { body: form }),
    adminKey,
    workKey: keyFor('risk_manager'),
    supplierIds,
    serviceIds,
    now: new Date(),
  });

  // --- Onboarding and offboarding cases, at the real time, on top of the contracts and evidence --
  const lifecycle = await loadLifecycle({
    call,
    upload: (key, form) => send('POST', '/v1/evidence', key, { body: form }),
    adminKey,
    workKey: keyFor('risk_manager'),
    supplierIds,
    now: new Date(),
  });

  // --- The jobs, at the real time: expiry, and the demo's mail kept instead of sent --------------
  const mails: MailMessage[] = [];
  const keepMail: MailTransport = { name: 'demo', send: async (message) => void mails.push(message) };
  // A job that fails is logged and skipped by runDueJobs; the demo is there to show every feature
  // working, so a failing job fails the load (and the demo test) instead of passing unnoticed.
  const failedJobs: string[] = [];
  const jobLogger: typeof logger = {
    ...logger,
    error: (message, fields) => {
      if (message === 'job failed') failedJobs.push(String(fields?.job));
      logger.error(message, fields);
    },
  };
  await runDueJobs(deps.db, new Date(), jobLogger, {
    config: deps.config,
    assessmentJobs: { tenantId: tenant.id },
    riskJobs: { tenantId: tenant.id },
    findingJobs: { tenantId: tenant.id },
    alertJobs: { tenantId: tenant.id },
    webhookDelivery: { tenantId: tenant.id },
    mailer: keepMail,
    mailDelivery: { tenantId: tenant.id },
  });
  if (failedJobs.length > 0) throw new Error(`demo: job(s) failed while loading the demo: ${failedJobs.join(', ')}`);
  counts.mails = mails.length;

  const page = (await call('GET', '/v1/assessments?limit=100', adminKey)).data as { id: string; status: string; template: { name: string } }[];
  const byId = new Map(page.map((row) => [row.id, row]));
  const assessments = plan.assessments.map((assessment) => {
    const id = assessmentIds.get(assessment.key)!;
    return {
      key: assessment.key,
      id,
      supplier: supplierNames.get(assessment.supplier)!,
      template: byId.get(id)?.template.name ?? assessment.template,
      expected: assessment.expect,
      status: byId.get(id)?.status ?? 'missing',
    };
  });

  for (const assessment of assessments) {
    if (assessment.status !== assessment.expected) {
      logger.warn('demo assessment not in its planned status', { key: assessment.key, expected: assessment.expected, status: assessment.status });
    }
  }

  let portalLink: DemoResult['portalLink'];
  const linked = plan.assessments.find((assessment) => assessment.portalLink);
  if (linked) {
    const result = assessments.find((assessment) => assessment.key === linked.key)!;
    // The newest mail to the contact carries the newest link (an invitation, or a reminder).
    const mail = mails.filter((message) => message.to.address === linked.contact && message.text.includes('/portal/a/')).at(-1);
    const url = mail?.text.match(/\S+\/portal\/a\/[A-Za-z0-9_-]+/)?.[0];
    if (url) portalLink = { assessmentId: result.id, supplier: result.supplier, template: result.template, status: result.status, url };
  }

  return { tenant, keys, supplierIds, assessments, portalLink, counts, oversight, lifecycle, durationMs: Math.round(performance.now() - started) };
}

/** What `npm start` (on an empty database) and `npm run seed:demo` print: the keys are shown once. */
export function formatDemoSummary(demo: DemoResult, config: Pick<Config, 'publicBaseUrl' | 'nodeEnv' | 'mail'>): string {
  const byStatus = new Map<string, number>(ASSESSMENT_STATUSES.map((status) => [status, 0]));
  for (const assessment of demo.assessments) byStatus.set(assessment.status, (byStatus.get(assessment.status) ?? 0) + 1);
  const { counts, oversight, lifecycle } = demo;
  const base = config.publicBaseUrl;
  const lines = [
    '',
    `  Chainproof demo tenant created: ${demo.tenant.name} (${demo.tenant.id}), in ${(demo.durationMs / 1000).toFixed(1)} s`,
    `    ${counts.suppliers} suppliers, ${counts.contacts} contacts, ${counts.services} ICT services, ${counts.links} subcontracting links`,
    `    ${counts.assessments} assessments: ${[...byStatus].filter(([, count]) => count > 0).map(([status, count]) => `${count} ${status}`).join(', ')}`,
    `    ${oversight.contracts} contracts (${oversight.clauseStates} clause states, regime ${oversight.regime}), ${oversight.evidence} evidence files, ${oversight.audits} audits, ${oversight.incidents} supplier incidents`,
    `    ${lifecycle.onboardingCases} onboarding cases (${lifecycle.decisions} decided), ${lifecycle.offboardingCases} offboarding cases (${lifecycle.offboarded} completed)`,
    '',
    '  API keys, shown once (only their hashes are stored):',
    ...demo.keys.map(([role, key]) => `    ${role.padEnd(13)} ${key}`),
    '',
    `  Docs: ${base}/docs`,
    `  Try:  CP_KEY=${demo.keys[0]![1]}`,
    `        curl -H "Authorization: Bearer $CP_KEY" "${base}/v1/assessments?status=returned"`,
    `        curl -H "Authorization: Bearer $CP_KEY" "${base}/v1/clause-gaps?tier=critical&topic=right_to_audit,incident_notification"`,
  ];
  // Portal links are secrets: printed only where invitation mails are printed too (development,
  // MAIL_TRANSPORT=log), never in production logs.
  if (demo.portalLink && config.nodeEnv === 'development' && config.mail.transport === 'log') {
    const link = demo.portalLink;
    lines.push(
      '',
      `  Supplier portal (demo link, development only): ${link.supplier}, "${link.template}", ${link.status.replace('_', ' ')}:`,
      `    ${link.url}`,
    );
  }
  return `${lines.join('\n')}\n\n`;
}
