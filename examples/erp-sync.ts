// An ERP integration with the typed client: openapi-fetch plus the types `npm run client:generate`
// writes to client/chainproof.ts. Each run:
//   1. upserts the ERP's vendors as suppliers by their ERP vendor id (PUT …/by-external-ref/{id}),
//      with a primary contact and, where the ERP knows one, the ICT service they provide;
//   2. sends each supplier the built-in NIS2 baseline questionnaire, unless one is already open;
//   3. reads each supplier's risk score and prints a summary.
// It is safe to run again and again: nothing is created twice. Any API error stops it with exit
// code 1 and prints the problem+json.
//
//   CHAINPROOF_URL=http://localhost:3000 CHAINPROOF_API_KEY=cp_… npx tsx examples/erp-sync.ts
//
// The key needs the scopes of the `integration` role (the demo tenant of `npm start` prints one).
import { pathToFileURL } from 'node:url';
import createClient from 'openapi-fetch';
import type { components, paths } from '../client/chainproof';

type Schemas = components['schemas'];
type Problem = Schemas['Problem'];
type Assessment = Schemas['Assessment'];
type CreateIctService = Schemas['CreateIctService'];
type UpsertSupplier = Schemas['UpsertSupplier'];

/** What the ERP knows about a vendor: its id, master data, the security contact, the service bought. */
interface ErpVendor {
  erpId: string;
  supplier: Omit<UpsertSupplier, 'externalRef'>;
  contact: { name: string; email: string; role: string };
  service?: CreateIctService;
}

/** Stands in for the ERP's vendor master export. */
export const ERP_VENDORS: readonly ErpVendor[] = [
  {
    erpId: 'ERP-V-100482',
    supplier: {
      name: 'Rhein Automation GmbH',
      country: 'DE',
      status: 'active',
      // Already an approved vendor in the ERP: registered as active with the reason, instead of onboarding.
      statusOverride: { justification: 'Approved vendor in the ERP since 2019, before Chainproof.' },
      identifiers: { vat: 'DE123456789' },
      profile: { dataSensitivity: 'internal', accessLevel: 'ot_network', substitutability: 'difficult' },
      tags: ['erp-sync', 'ot'],
    },
    contact: { name: 'Katrin Vogel', email: 'k.vogel@rheinautomation.example', role: 'Information Security Officer' },
    service: {
      name: 'PLC maintenance and remote support',
      serviceType: 'S14',
      supportedFunction: 'Water treatment process control',
      criticalOrImportant: true,
      dataStorageCountries: ['DE'],
      dataProcessingCountries: ['DE'],
      reliance: 'material',
    },
  },
  {
    erpId: 'ERP-V-100517',
    supplier: {
      name: 'Nordwolke Hosting AB',
      country: 'SE',
      status: 'active',
      statusOverride: { justification: 'Approved vendor in the ERP since 2021, before Chainproof.' },
      profile: { dataSensitivity: 'personal', accessLevel: 'privileged', substitutability: 'medium' },
      tags: ['erp-sync', 'cloud'],
    },
    contact: { name: 'Lars Ekström', email: 'security@nordwolke.example', role: 'CISO' },
    service: {
      name: 'Managed Kubernetes hosting',
      serviceType: 'S06',
      supportedFunction: 'Customer self-service portal',
      criticalOrImportant: false,
      dataStorageCountries: ['SE'],
      dataProcessingCountries: ['SE', 'FI'],
      dataSensitivity: 'personal',
      reliance: 'full',
    },
  },
  {
    erpId: 'ERP-V-100733',
    supplier: {
      name: 'Atlas Office Supplies Ltd',
      country: 'GB',
      status: 'onboarding',
      profile: { dataSensitivity: 'none', accessLevel: 'none', substitutability: 'easy' },
      tags: ['erp-sync'],
    },
    contact: { name: 'Priya Shah', email: 'p.shah@atlas-office.example', role: 'Account manager' },
  },
];

/** The questionnaire sent to every synced supplier. */
export const TEMPLATE_KEY = 'builtin.nis2-supplier-baseline';
const ANSWER_DAYS = 30;
/** Statuses in which an assessment is still open: the sync does not send another one. */
const OPEN_STATUSES: readonly Assessment['status'][] = ['draft', 'sent', 'in_progress', 'returned', 'submitted', 'under_review'];

/** An API call that did not succeed, with the problem+json the API answered. */
export class ChainproofError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly problem: Problem | string | undefined,
  ) {
    super(`${operation} failed with HTTP ${status}${typeof problem === 'object' ? `: ${problem.detail}` : ''}`);
    this.name = 'ChainproofError';
  }
}

/** The response body of a successful call, or a ChainproofError carrying the problem. */
function unwrap<T>(operation: string, result: { data?: T; error?: Problem | string; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) {
    throw new ChainproofError(operation, result.response.status, result.error);
  }
  return result.data;
}

export interface SyncedSupplier {
  erpId: string;
  supplierId: string;
  name: string;
  /** true: created by this run; false: it existed and was brought up to date. */
  created: boolean;
  serviceId: string | undefined;
  assessment: { id: string; status: Assessment['status']; sentNow: boolean };
  risk: Schemas['RiskScore'];
}

export interface ErpSyncOptions {
  baseUrl: string;
  apiKey: string;
  vendors?: readonly ErpVendor[];
  /** Another fetch, e.g. an in-process app in tests. Default: the global fetch. */
  fetch?: (request: Request) => Promise<Response>;
  log?: (line: string) => void;
}

export async function syncErpVendors(options: ErpSyncOptions): Promise<SyncedSupplier[]> {
  const log = options.log ?? (() => {});
  const api = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { Authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  const templateId = await findTemplate();
  const synced: SyncedSupplier[] = [];
  for (const vendor of options.vendors ?? ERP_VENDORS) {
    // 1. Upsert by ERP id: 201 the first time, 200 afterwards (an unchanged body changes nothing).
    const upserted = await api.PUT('/v1/suppliers/by-external-ref/{externalRef}', {
      params: { path: { externalRef: vendor.erpId } },
      body: vendor.supplier,
    });
    const supplier = unwrap(`upsert supplier ${vendor.erpId}`, upserted);
    const created = upserted.response.status === 201;
    const contactId = await ensureContact(supplier.id, vendor.contact);
    const serviceId = vendor.service ? await ensureService(supplier.id, vendor.service) : undefined;

    // 2. One open NIS2 baseline assessment per supplier.
    const assessment = await ensureAssessment(supplier.id, contactId, templateId);

    // 3. The risk score, with its explanation.
    const risk = unwrap(
      `get risk of ${supplier.id}`,
      await api.GET('/v1/suppliers/{supplierId}/risk', { params: { path: { supplierId: supplier.id } } }),
    );
    log(
      `${vendor.erpId.padEnd(14)} ${supplier.name.padEnd(28)} ${created ? 'created' : 'synced '}  ` +
        `assessment ${assessment.status}${assessment.sentNow ? ' (sent now)' : ''}  ` +
        `risk ${risk.rating} (inherent ${risk.inherentRisk}, residual ${risk.residualRisk}, tier ${risk.tier})`,
    );
    synced.push({ erpId: vendor.erpId, supplierId: supplier.id, name: supplier.name, created, serviceId, assessment, risk });
  }
  return synced;

  async function findTemplate(): Promise<string> {
    let cursor: string | undefined;
    do {
      const page = unwrap(
        'list questionnaire templates',
        await api.GET('/v1/questionnaire-templates', { params: { query: { builtIn: 'true', audience: 'supplier', limit: 200, cursor } } }),
      );
      const template = page.data.find((candidate) => candidate.key === TEMPLATE_KEY);
      if (template) return template.id;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    throw new Error(`the built-in questionnaire template ${TEMPLATE_KEY} was not found`);
  }

  async function ensureContact(supplierId: string, contact: ErpVendor['contact']): Promise<string> {
    const email = contact.email.toLowerCase();
    let cursor: string | undefined;
    do {
      const page = unwrap(
        `list contacts of ${supplierId}`,
        await api.GET('/v1/suppliers/{supplierId}/contacts', { params: { path: { supplierId }, query: { limit: 200, cursor } } }),
      );
      const existing = page.data.find((candidate) => candidate.email === email);
      if (existing) return existing.id;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const created = await api.POST('/v1/suppliers/{supplierId}/contacts', {
      params: { path: { supplierId } },
      body: { ...contact, isPrimary: true },
    });
    return unwrap(`create contact for ${supplierId}`, created).id;
  }

  async function ensureService(supplierId: string, service: CreateIctService): Promise<string> {
    let cursor: string | undefined;
    do {
      const page = unwrap(
        `list services of ${supplierId}`,
        await api.GET('/v1/suppliers/{supplierId}/services', { params: { path: { supplierId }, query: { limit: 200, cursor } } }),
      );
      const existing = page.data.find((candidate) => candidate.name === service.name);
      if (existing) return existing.id;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const created = await api.POST('/v1/suppliers/{supplierId}/services', { params: { path: { supplierId } }, body: service });
    return unwrap(`create service for ${supplierId}`, created).id;
  }

  async function ensureAssessment(supplierId: string, contactId: string, templateId: string): Promise<SyncedSupplier['assessment']> {
    let open: Assessment | undefined;
    let cursor: string | undefined;
    do {
      const page = unwrap(
        `list assessments of ${supplierId}`,
        await api.GET('/v1/assessments', { params: { query: { supplierId, templateId, limit: 200, cursor } } }),
      );
      open = page.data.find((candidate) => OPEN_STATUSES.includes(candidate.status));
      cursor = open ? undefined : (page.nextCursor ?? undefined);
    } while (cursor);
    if (open && open.status !== 'draft') return { id: open.id, status: open.status, sentNow: false };

    // A draft left by an interrupted run is sent; otherwise a new one is created. The
    // Idempotency-Key makes a retry of this POST (same key, same body) return the first response.
    let draft = open;
    if (!draft) {
      const dueAt = new Date(Date.now() + ANSWER_DAYS * 86_400_000).toISOString();
      draft = unwrap(
        `create assessment for ${supplierId}`,
        await api.POST('/v1/assessments', {
          params: { header: { 'Idempotency-Key': crypto.randomUUID() } },
          body: { supplierId, templateId, contactId, dueAt, message: 'Please answer our NIS2 supplier security questionnaire.' },
        }),
      );
    }
    const sent = unwrap(
      `send assessment ${draft.id}`,
      await api.POST('/v1/assessments/{assessmentId}/send', { params: { path: { assessmentId: draft.id } } }),
    );
    return { id: sent.id, status: sent.status, sentNow: true };
  }
}

async function main(): Promise<void> {
  const baseUrl = process.env.CHAINPROOF_URL ?? 'http://localhost:3000';
  const apiKey = process.env.CHAINPROOF_API_KEY;
  if (!apiKey) {
    console.error('Set CHAINPROOF_API_KEY to an API key with the integration scopes (and CHAINPROOF_URL, default http://localhost:3000).');
    process.exit(1);
  }
  console.log(`ERP sync against ${baseUrl}: ${ERP_VENDORS.length} vendors`);
  const synced = await syncErpVendors({ baseUrl, apiKey, log: (line) => console.log(`  ${line}`) });
  const created = synced.filter((supplier) => supplier.created).length;
  const sent = synced.filter((supplier) => supplier.assessment.sentNow).length;
  const highest = [...synced].sort((a, b) => b.risk.residualRisk - a.risk.residualRisk)[0];
  console.log(
    `erp-sync: ${synced.length} suppliers (${created} created, ${synced.length - created} already there), ${sent} assessments sent` +
      (highest ? `; highest residual risk: ${highest.name} (${highest.risk.residualRisk}): ${highest.risk.summary}` : ''),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    if (error instanceof ChainproofError) {
      console.error(`erp-sync: ${error.message}`);
      console.error(typeof error.problem === 'object' ? JSON.stringify(error.problem, null, 2) : (error.problem ?? '(no response body)'));
    } else {
      // A network failure: fetch's own message is "fetch failed", the reason is in its cause.
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
      console.error(`erp-sync: ${error instanceof Error ? error.message : String(error)}${cause}`);
    }
    process.exit(1);
  });
}
