// The demo's contracts, evidence, audits and incidents (issue 6), loaded through the API like the
// rest of the demo. The plan is data: evidence.json, contracts.json, audits.json, incidents.json.
import auditPlan from './audits.json';
import contractPlan from './contracts.json';
import { demoFile, type DemoFileSpec } from './demo-files';
import evidencePlan from './evidence.json';
import incidentPlan from './incidents.json';
import registerData from './register.json';

interface DemoEvidence {
  key: string;
  supplier: string;
  kind: string;
  title: string;
  service?: string;
  issuedInDays?: number;
  validFromInDays?: number;
  validUntilInDays?: number;
  periodStartInDays?: number;
  periodEndInDays?: number;
  file: DemoFileSpec;
}

interface DemoClause {
  status: string;
  sectionRef?: string;
  notes?: string;
  justification?: string;
  evidence?: string;
}

interface DemoContract {
  supplier: string;
  reference: string;
  title: string;
  status: string;
  startInDays?: number;
  endInDays?: number;
  noticePeriodDays?: number;
  autoRenewal?: boolean;
  governingLaw?: string;
  annualValue?: [string, string];
  services: string[];
  clauses: Record<string, DemoClause>;
}

interface DemoAudit {
  supplier: string;
  service?: string;
  type: string;
  status: string;
  plannedInDays?: number;
  performedInDays?: number;
  scope?: string;
  auditor?: string;
  result?: string;
  report?: string;
  findings?: { ref: string; title: string; severity: string; description?: string }[];
}

const MILESTONE_FIELDS = { earlyWarning: 'earlyWarningCompletedAt', notification: 'notificationCompletedAt', finalReport: 'finalReportCompletedAt' } as const;

interface DemoIncident {
  supplier: string;
  services: string[];
  title: string;
  description: string;
  awareInHours: number;
  severity: string;
  significant: boolean;
  status: string;
  completed: Partial<Record<keyof typeof MILESTONE_FIELDS, number>>;
}

type Json = Record<string, unknown>;

export interface OversightDeps {
  /** One API call with a demo key; throws on any status of 300 and above. */
  call(method: string, path: string, key: string, json?: unknown): Promise<Json>;
  /** A multipart upload to POST /v1/evidence. */
  upload(key: string, form: FormData): Promise<Json>;
  adminKey: string;
  /** The key that does the work, as a risk manager would. */
  workKey: string;
  supplierIds: Map<string, string>;
  /** `${supplierKey}/${serviceName}` → service id. */
  serviceIds: Map<string, string>;
  /** The real time the demo loads at: every date of the plan counts from it. */
  now: Date;
}

export interface OversightCounts {
  regime: string;
  evidence: number;
  contracts: number;
  clauseStates: number;
  audits: number;
  auditFindings: number;
  incidents: number;
}

const DAY_MS = 24 * 3_600_000;
const HOUR_MS = 3_600_000;

export async function loadOversight(deps: OversightDeps): Promise<OversightCounts> {
  const { call, workKey } = deps;
  const today = new Date(deps.now);
  today.setUTCHours(0, 0, 0, 0);
  const day = (offset: number | undefined) => (offset === undefined ? undefined : new Date(today.getTime() + offset * DAY_MS).toISOString().slice(0, 10));
  const supplierId = (key: string) => {
    const id = deps.supplierIds.get(key);
    if (!id) throw new Error(`demo: unknown supplier "${key}"`);
    return id;
  };
  const serviceId = (supplier: string, name: string) => {
    const id = deps.serviceIds.get(`${supplier}/${name}`);
    if (!id) throw new Error(`demo: supplier "${supplier}" has no service "${name}"`);
    return id;
  };
  const counts: OversightCounts = { regime: contractPlan.regime, evidence: 0, contracts: 0, clauseStates: 0, audits: 0, auditFindings: 0, incidents: 0 };

  // The regime decides which clauses apply, so it comes before any contract.
  await call('PATCH', '/v1/tenant', deps.adminKey, { regime: contractPlan.regime });

  // --- Evidence: real files through the upload route (sniffing, dedupe, audit, re-scoring) -------
  const evidenceIds = new Map<string, string>();
  for (const entry of evidencePlan.evidence as DemoEvidence[]) {
    const dates = {
      issuedAt: day(entry.issuedInDays),
      validFrom: day(entry.validFromInDays),
      validUntil: day(entry.validUntilInDays),
      periodStart: day(entry.periodStartInDays),
      periodEnd: day(entry.periodEndInDays),
    };
    const file = demoFile(entry.file, (text) => text.replace(/\{(\w+)\}/g, (whole, name: string) => dates[name as keyof typeof dates] ?? whole));
    const form = new FormData();
    form.set('file', new Blob([file.bytes], { type: file.type }), file.name);
    form.set('supplierId', supplierId(entry.supplier));
    form.set('kind', entry.kind);
    form.set('title', entry.title);
    for (const [name, value] of Object.entries(dates)) if (value) form.set(name, value);
    if (entry.service) form.set('serviceId', serviceId(entry.supplier, entry.service));
    const row = await deps.upload(workKey, form);
    evidenceIds.set(entry.key, row.id as string);
    counts.evidence += 1;
  }
  const evidenceId = (key: string) => {
    const id = evidenceIds.get(key);
    if (!id) throw new Error(`demo: unknown evidence "${key}"`);
    return id;
  };

  // --- Contracts and clause states -----------------------------------------------------------
  const providerNotice = (registerData as { providerNoticePeriodDays: Record<string, number> }).providerNoticePeriodDays;
  for (const contract of contractPlan.contracts as DemoContract[]) {
    const row = await call('POST', '/v1/contracts', workKey, {
      supplierId: supplierId(contract.supplier),
      reference: contract.reference,
      title: contract.title,
      status: contract.status,
      ...(contract.startInDays !== undefined ? { startDate: day(contract.startInDays) } : {}),
      ...(contract.endInDays !== undefined ? { endDate: day(contract.endInDays) } : {}),
      ...(contract.noticePeriodDays !== undefined ? { noticePeriodDays: contract.noticePeriodDays } : {}),
      ...(providerNotice[contract.reference] !== undefined ? { providerNoticePeriodDays: providerNotice[contract.reference] } : {}),
      ...(contract.autoRenewal !== undefined ? { autoRenewal: contract.autoRenewal } : {}),
      ...(contract.governingLaw ? { governingLaw: contract.governingLaw } : {}),
      ...(contract.annualValue ? { annualValueAmount: contract.annualValue[0], annualValueCurrency: contract.annualValue[1] } : {}),
      serviceIds: contract.services.map((name) => serviceId(contract.supplier, name)),
    });
    counts.contracts += 1;
    for (const [clauseKey, clause] of Object.entries(contract.clauses)) {
      const { evidence, ...state } = clause;
      await call('PUT', `/v1/contracts/${row.id}/clauses/${clauseKey}`, workKey, { ...state, ...(evidence ? { evidenceId: evidenceId(evidence) } : {}) });
      counts.clauseStates += 1;
    }
  }

  // --- Audits, with the report as evidence and the findings they raised -------------------------
  for (const audit of auditPlan.audits as DemoAudit[]) {
    const row = await call('POST', '/v1/audits', workKey, {
      supplierId: supplierId(audit.supplier),
      ...(audit.service ? { serviceId: serviceId(audit.supplier, audit.service) } : {}),
      type: audit.type,
      status: audit.status,
      ...(audit.plannedInDays !== undefined ? { plannedDate: day(audit.plannedInDays) } : {}),
      ...(audit.performedInDays !== undefined ? { performedDate: day(audit.performedInDays) } : {}),
      ...(audit.scope ? { scope: audit.scope } : {}),
      ...(audit.auditor ? { auditor: audit.auditor } : {}),
      ...(audit.result ? { result: audit.result } : {}),
      ...(audit.report ? { reportEvidenceId: evidenceId(audit.report) } : {}),
    });
    counts.audits += 1;
    for (const finding of audit.findings ?? []) {
      await call('POST', `/v1/audits/${row.id}/findings`, workKey, finding);
      counts.auditFindings += 1;
    }
  }

  // --- Incidents: recorded open, then their milestones and status as the days went ------------
  for (const incident of incidentPlan.incidents as DemoIncident[]) {
    const awareMs = deps.now.getTime() + incident.awareInHours * HOUR_MS;
    const row = await call('POST', '/v1/incidents', workKey, {
      supplierId: supplierId(incident.supplier),
      title: incident.title,
      description: incident.description,
      awareAt: new Date(awareMs).toISOString(),
      severity: incident.severity,
      significant: incident.significant,
      serviceIds: incident.services.map((name) => serviceId(incident.supplier, name)),
    });
    counts.incidents += 1;
    const changes: Json = {};
    for (const [milestone, hours] of Object.entries(incident.completed)) {
      changes[MILESTONE_FIELDS[milestone as keyof typeof MILESTONE_FIELDS]] = new Date(awareMs + hours * HOUR_MS).toISOString();
    }
    if (incident.status !== 'open') changes.status = incident.status;
    if (Object.keys(changes).length > 0) await call('PATCH', `/v1/incidents/${row.id}`, workKey, changes);
  }
  return counts;
}
