import { sql } from 'drizzle-orm';
import { queryRows, type TestContext, type TestTenant } from './context';

async function created(response: Response, what: string): Promise<{ id: string } & Record<string, unknown>> {
  if (response.status !== 201) throw new Error(`${what} fixture: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** A registration of an existing relationship, which an active or terminated supplier needs when created directly. */
export const EXISTING_RELATIONSHIP = { justification: 'Existing relationship, registered as it stands.' };

/** A full OT integrator as a client would register it (identifiers in the forms people type them). */
export const OT_INTEGRATOR_BODY = {
  name: 'Rhein Automation GmbH',
  legalName: 'Rhein Automation Gesellschaft mit beschränkter Haftung',
  website: 'https://rhein-automation.example',
  status: 'onboarding',
  externalRef: 'SAP-100482',
  identifiers: { lei: '5493001kjtiigc8y1r12', vat: 'de 123.456.789', duns: '15-048-3782', euid: 'dek1101r.hrb116737' },
  profile: {
    dataSensitivity: 'confidential',
    accessLevel: 'ot_network',
    supportsCriticalFunction: true,
    substitutability: 'difficult',
    annualSpend: { amount: 250000.5, currency: 'EUR' },
  },
  tags: ['ot', 'integrator'],
  owner: 'j.weber@stadtwerke.example',
};

export async function createSupplier(t: TestContext, tenant: TestTenant, body: Record<string, unknown> = {}) {
  const registered = body.status === 'active' || body.status === 'terminated' ? { statusOverride: EXISTING_RELATIONSHIP } : {};
  return created(
    await t.request('/v1/suppliers', {
      method: 'POST',
      key: tenant.adminKey,
      json: { name: `Supplier ${crypto.randomUUID().slice(0, 8)}`, country: 'DE', ...registered, ...body },
    }),
    'supplier',
  );
}

/** A small valid questionnaire template document with a condition and every common question type. */
export function sampleTemplate(key: string, overrides: Record<string, unknown> = {}) {
  return {
    key,
    name: `Template ${key}`,
    audience: 'supplier',
    sections: [
      {
        key: 'access',
        title: 'Access control',
        questions: [
          {
            key: 'mfa',
            text: 'Do administrators use multi-factor authentication?',
            type: 'yes_no',
            weight: 3,
            domain: 'access-control',
            controls: ['ISO27001:A.8.5'],
            options: [
              { value: 'yes', label: 'Yes', score: 100 },
              { value: 'no', label: 'No', score: 0 },
            ],
          },
          {
            key: 'mfa-method',
            text: 'Which method?',
            type: 'single_choice',
            domain: 'access-control',
            dependsOn: { question: 'mfa', anyOf: ['yes'] },
            options: [
              { value: 'totp', label: 'Authenticator app', score: 80 },
              { value: 'fido2', label: 'Security key', score: 100 },
            ],
          },
          { key: 'notify-hours', text: 'Hours to notify us of an incident?', type: 'number', domain: 'incidents', min: 0, max: 720, unit: 'hours', weight: 0 },
        ],
      },
    ],
    ...overrides,
  };
}

/**
 * How to make an object of each kind that a path parameter names, inside a given tenant. The
 * security matrix uses these to prove that another tenant's object answers 404. A route whose
 * path parameter has no factory here fails the matrix: add one with every new resource.
 * Factories receive the values made so far for the same path, in path order.
 */
export const objectFactories: Record<string, (t: TestContext, tenant: TestTenant, earlier: Record<string, string>) => Promise<string>> = {
  apiKeyId: async (t, tenant) => (await t.createKey(tenant, ['suppliers:read'], 'matrix fixture')).id,
  supplierId: async (t, tenant) => (await createSupplier(t, tenant)).id,
  subcontractorId: async (t, tenant) => (await createSupplier(t, tenant, { name: 'Matrix subcontractor' })).id,
  externalRef: async (t, tenant) => {
    const ref = `MATRIX-${crypto.randomUUID().slice(0, 8)}`;
    await createSupplier(t, tenant, { externalRef: ref });
    return ref;
  },
  contactId: async (t, tenant, earlier) => {
    const supplierId = earlier.supplierId ?? (await createSupplier(t, tenant)).id;
    const response = await t.request(`/v1/suppliers/${supplierId}/contacts`, {
      method: 'POST',
      key: tenant.adminKey,
      json: { name: 'Matrix Contact', email: 'matrix@example.com' },
    });
    return (await created(response, 'contact')).id;
  },
  templateId: async (t, tenant) => {
    const response = await t.request('/v1/questionnaire-templates?publish=true', {
      method: 'POST',
      key: tenant.adminKey,
      json: sampleTemplate(`matrix-${crypto.randomUUID().slice(0, 8)}`),
    });
    return (await created(response, 'template')).id;
  },
  version: async () => '1',
  functionId: async (t, tenant) => {
    const response = await t.request('/v1/functions', {
      method: 'POST',
      key: tenant.adminKey,
      json: { identifier: `F${Math.floor(Math.random() * 1e9)}`, name: 'Matrix function' },
    });
    return (await created(response, 'function')).id;
  },
  contractId: async (t, tenant) => {
    const supplierId = (await createSupplier(t, tenant)).id;
    const response = await t.request('/v1/contracts', {
      method: 'POST',
      key: tenant.adminKey,
      json: { supplierId, reference: `MATRIX-${crypto.randomUUID().slice(0, 8)}`, title: 'Matrix contract' },
    });
    return (await created(response, 'contract')).id;
  },
  // A built-in NIS2 clause: it applies to every contract of a tenant on the default regime.
  clauseKey: async () => 'nis2-ir-5.1.4-e',
  itemKey: async () => 'access_revoked',
  invitationId: async (t, tenant, earlier) => {
    // A link of the assessment named earlier in the path: send it (a draft from the factory above).
    const assessmentId = earlier.assessmentId ?? (await objectFactories.assessmentId!(t, tenant, earlier));
    const sent = await t.request(`/v1/assessments/${assessmentId}/send`, { method: 'POST', key: tenant.adminKey });
    if (sent.status !== 200) throw new Error(`invitation fixture: ${sent.status} ${await sent.text()}`);
    const links = (await (await t.request(`/v1/assessments/${assessmentId}/invitations`, { key: tenant.adminKey })).json()) as { data: { id: string }[] };
    return links.data[0]!.id;
  },
  assessmentId: async (t, tenant) => {
    const supplierId = (await createSupplier(t, tenant)).id;
    const contact = await created(
      await t.request(`/v1/suppliers/${supplierId}/contacts`, {
        method: 'POST',
        key: tenant.adminKey,
        json: { name: 'Matrix Recipient', email: 'recipient@example.com' },
      }),
      'contact',
    );
    const template = await created(
      await t.request('/v1/questionnaire-templates?publish=true', {
        method: 'POST',
        key: tenant.adminKey,
        json: sampleTemplate(`matrix-asm-${crypto.randomUUID().slice(0, 8)}`),
      }),
      'template',
    );
    const response = await t.request('/v1/assessments', {
      method: 'POST',
      key: tenant.adminKey,
      json: { supplierId, templateId: template.id, contactId: contact.id, dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString() },
    });
    return (await created(response, 'assessment')).id;
  },
  evidenceId: async (t, tenant) => {
    const supplierId = (await createSupplier(t, tenant)).id;
    const form = new FormData();
    form.set('file', new Blob([new TextEncoder().encode('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), 'matrix.pdf');
    form.set('supplierId', supplierId);
    form.set('kind', 'policy');
    return (await created(await t.request('/v1/evidence', { method: 'POST', key: tenant.adminKey, body: form }), 'evidence')).id;
  },
  findingId: async (t, tenant) => {
    const supplierId = (await createSupplier(t, tenant)).id;
    const response = await t.request('/v1/findings', {
      method: 'POST',
      key: tenant.adminKey,
      json: { supplierId, title: 'Matrix finding', severity: 'medium' },
    });
    return (await created(response, 'finding')).id;
  },
  recalculationId: async (t, tenant) => {
    const response = await t.request('/v1/risk/recalculate', { method: 'POST', key: tenant.adminKey });
    if (response.status !== 202 && response.status !== 200) throw new Error(`recalculation fixture: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { id: string }).id;
  },
  // Portal paths: a question of sampleTemplate (the portal resolves it inside the token's assessment).
  questionKey: async () => 'mfa',
  serviceId: async (t, tenant, earlier) => {
    const supplierId = earlier.supplierId ?? (await createSupplier(t, tenant)).id;
    const response = await t.request(`/v1/suppliers/${supplierId}/services`, {
      method: 'POST',
      key: tenant.adminKey,
      json: { name: 'Matrix service', serviceType: 'S19' },
    });
    return (await created(response, 'service')).id;
  },
  incidentId: async (t, tenant) => {
    const supplierId = (await createSupplier(t, tenant)).id;
    const response = await t.request('/v1/incidents', {
      method: 'POST',
      key: tenant.adminKey,
      json: { supplierId, title: 'Matrix incident', awareAt: new Date(Date.now() - 3_600_000).toISOString(), severity: 'medium', significant: false },
    });
    return (await created(response, 'incident')).id;
  },
  incidentLinkId: async (t, tenant, earlier) => {
    const supplierId = earlier.supplierId ?? (await createSupplier(t, tenant)).id;
    return (await created(await t.request(`/v1/suppliers/${supplierId}/incident-links`, { method: 'POST', key: tenant.adminKey, json: {} }), 'incident link')).id;
  },
  auditId: async (t, tenant) => {
    const supplierId = (await createSupplier(t, tenant)).id;
    const response = await t.request('/v1/audits', { method: 'POST', key: tenant.adminKey, json: { supplierId, type: 'remote', status: 'in_progress' } });
    return (await created(response, 'audit')).id;
  },
  webhookId: async (t, tenant) => {
    const response = await t.request('/v1/webhooks', { method: 'POST', key: tenant.adminKey, json: { url: 'https://erp.example.com/hooks', events: ['supplier.created'] } });
    return (await created(response, 'webhook')).id;
  },
  deliveryId: async (t, tenant, earlier) => {
    const webhookId = earlier.webhookId ?? (await objectFactories.webhookId!(t, tenant, {}));
    // An event the endpoint wants makes a delivery (nobody runs the dispatcher here).
    await createSupplier(t, tenant, { name: 'Matrix webhook supplier' });
    const [row] = await queryRows<{ id: string }>(t.db, sql`select id from webhook_deliveries where tenant_id = ${tenant.id} and endpoint_id = ${webhookId} order by id desc limit 1`);
    if (!row) throw new Error('no webhook delivery was made');
    return row.id;
  },
};

/**
 * Operations that create in the caller's tenant when the key is unknown there (ERP upserts). For
 * them "another tenant's id" must not reach the other tenant's object: the matrix checks that the
 * other tenant's object is unchanged instead of expecting 404.
 */
export const upsertOperations = new Set(['upsertSupplierByExternalRef']);

/**
 * A sent assessment of `sampleTemplate` (or `template`) and its portal token, read back from the
 * invitation mail in the outbox as the supplier receives it.
 */
export async function sentAssessment(t: TestContext, tenant: TestTenant, options: { template?: Record<string, unknown>; templateId?: string } = {}) {
  const supplierId = (await createSupplier(t, tenant, { name: `Portal supplier ${crypto.randomUUID().slice(0, 6)}` })).id;
  const contact = await created(
    await t.request(`/v1/suppliers/${supplierId}/contacts`, {
      method: 'POST',
      key: tenant.adminKey,
      json: { name: 'Jan Hoffmann', email: 'jan@supplier.example' },
    }),
    'contact',
  );
  const templateId =
    options.templateId ??
    (
      await created(
        await t.request('/v1/questionnaire-templates?publish=true', {
          method: 'POST',
          key: tenant.adminKey,
          json: options.template ?? sampleTemplate(`portal-${crypto.randomUUID().slice(0, 8)}`),
        }),
        'template',
      )
    ).id;
  const assessment = await created(
    await t.request('/v1/assessments', {
      method: 'POST',
      key: tenant.adminKey,
      json: { supplierId, templateId, contactId: contact.id, dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString() },
    }),
    'assessment',
  );
  const sent = await t.request(`/v1/assessments/${assessment.id}/send`, { method: 'POST', key: tenant.adminKey });
  if (sent.status !== 200) throw new Error(`send fixture: ${sent.status} ${await sent.text()}`);
  const token = await latestPortalToken(t, tenant, assessment.id);
  return { assessmentId: assessment.id, supplierId, templateId, token };
}

/** The portal token of the newest mail about the assessment (invitation, reminder or forward). */
export async function latestPortalToken(t: TestContext, tenant: TestTenant, assessmentId: string, kind?: string): Promise<string> {
  const rows = await queryRows<{ text_body: string }>(
    t.db,
    sql`select text_body from mail_outbox where tenant_id = ${tenant.id} and entity_id = ${assessmentId} and (${kind ?? null}::text is null or kind = ${kind ?? null}) order by id desc limit 1`,
  );
  const token = /\/portal\/a\/([A-Za-z0-9_-]{43})/.exec(rows[0]?.text_body ?? '')?.[1];
  if (!token) throw new Error(`no portal link in the outbox for ${assessmentId}`);
  return token;
}

/** sampleTemplate plus a section with the remaining question types and a file question. */
export function portalTemplate() {
  const base = sampleTemplate(`portal-api-${crypto.randomUUID().slice(0, 8)}`);
  return {
    ...base,
    sections: [
      ...base.sections,
      {
        key: 'more',
        title: 'More',
        questions: [
          {
            key: 'standards',
            text: 'Which standards do you follow?',
            type: 'multiple_choice',
            domain: 'governance',
            required: false,
            options: [
              { value: 'iso27001', label: 'ISO/IEC 27001', score: 100 },
              { value: 'iec62443', label: 'IEC 62443', score: 100 },
            ],
          },
          { key: 'audit-date', text: 'Date of the last audit?', type: 'date', domain: 'governance', required: false },
          { key: 'notes', text: 'Anything else?', type: 'text', domain: 'governance', required: false },
          { key: 'iso-cert', text: 'Your ISO/IEC 27001 certificate', type: 'file', domain: 'governance', required: false, evidenceRequired: true },
        ],
      },
    ],
  };
}
