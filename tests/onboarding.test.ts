import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../src/catalog/access';
import { DEFAULT_ONBOARDING_POLICY } from '../src/catalog/onboarding-policy';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';
import { createSupplier, sampleTemplate } from './support/fixtures';

/*
 * Onboarding through HTTP: the policy, the checklist it generates, gates that follow the records,
 * the decision with its 409, override, conditions, two approvers and roles.
 */

let t: TestContext;
const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await createTestContext();
});

afterAll(() => t.close());

interface Gate {
  key: string;
  kind: string;
  met: boolean;
  detail: string;
  missing: string[];
  satisfiedBy: { type: string; id: string; href: string }[];
  requiredBy: string[];
}

interface Case {
  id: string;
  status: string;
  policyVersion: number;
  ready: boolean;
  gates: Gate[];
  unmetGates: string[];
  approval: { roles: string[]; approversRequired: number; approvals: { actor: { id: string }; decision: string }[] };
  decision: null | { decision: string; override: string | null; unmetGatesAtDecision: string[]; conditionFindingIds: string[] };
}

async function call(tenant: TestTenant, path: string, init: { method?: string; json?: unknown; body?: BodyInit; key?: string; headers?: Record<string, string> } = {}) {
  return t.request(path, { key: tenant.adminKey, ...init });
}

async function json<T>(response: Response, status: number): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
}

const gate = (view: Case, key: string) => {
  const found = view.gates.find((candidate) => candidate.key === key);
  if (!found) throw new Error(`no gate ${key} in ${view.gates.map((candidate) => candidate.key).join(', ')}`);
  return found;
};

/** A supplier whose intake is complete: legal name, identifier, owner, category, primary contact and profile. */
async function intakeReadySupplier(tenant: TestTenant, body: Record<string, unknown> = {}) {
  const supplier = await createSupplier(t, tenant, {
    name: `Rhein Automation ${crypto.randomUUID().slice(0, 6)}`,
    legalName: 'Rhein Automation GmbH',
    identifiers: { vat: 'DE123456789' },
    owner: 'j.weber@stadtwerke.example',
    category: 'ot_integrator',
    profile: { dataSensitivity: 'confidential', accessLevel: 'ot_network' },
    ...body,
  });
  const contact = await json<{ id: string }>(
    await call(tenant, `/v1/suppliers/${supplier.id}/contacts`, { method: 'POST', json: { name: 'Jan Hoffmann', email: 'jan@rhein.example', isPrimary: true } }),
    201,
  );
  return { supplierId: supplier.id, contactId: contact.id };
}

describe('onboarding policy', () => {
  it('serves the built-in policy as version 0 and stores a coherent one with If-Match', async () => {
    const tenant = await t.createTenant();
    const builtIn = await call(tenant, '/v1/onboarding-policy');
    const body = await json<{ version: number; builtIn: boolean; policy: unknown }>(builtIn, 200);
    expect(body).toMatchObject({ version: 0, builtIn: true, policy: DEFAULT_ONBOARDING_POLICY });
    expect(builtIn.headers.get('etag')).toBe('"0"');

    const changed = { ...DEFAULT_ONBOARDING_POLICY, assessmentMaxAgeMonths: 6 };
    const stored = await json<{ version: number; builtIn: boolean }>(
      await call(tenant, '/v1/onboarding-policy', { method: 'PUT', json: changed, headers: { 'If-Match': '"0"' } }),
      200,
    );
    expect(stored).toMatchObject({ version: 1, builtIn: false });
    const stale = await call(tenant, '/v1/onboarding-policy', { method: 'PUT', json: changed, headers: { 'If-Match': '"0"' } });
    expect(stale.status).toBe(412);

    const [entry] = await queryRows<{ action: string; changes: { changed: Record<string, unknown> } }>(
      t.db,
      sql`select action, changes from audit_log where tenant_id = ${tenant.id} and action = 'onboarding_policy.updated'`,
    );
    expect(entry!.changes.changed).toEqual({ assessmentMaxAgeMonths: { from: 12, to: 6 } });
  });

  it('refuses a policy naming unknown templates or clauses, duplicate rules, empty rules and roles that cannot approve', async () => {
    const tenant = await t.createTenant();
    const response = await call(tenant, '/v1/onboarding-policy', {
      method: 'PUT',
      headers: { 'If-Match': '"0"' },
      json: {
        assessmentMaxAgeMonths: 12,
        rules: [
          { id: 'one', description: 'Unknown names', templates: ['no-such-template'], clauses: ['nis2-ir-5.1.4-z'] },
          { id: 'one', description: 'Asks for nothing' },
        ],
        approval: { ...DEFAULT_ONBOARDING_POLICY.approval, routine: { roles: ['auditor'], approvers: 1 } },
      },
    });
    const problem = await json<{ code: string; errors: { path: string }[] }>(response, 422);
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors.map((error) => error.path).sort()).toEqual(
      ['approval.routine.roles.0', 'rules.0.clauses.0', 'rules.0.templates.0', 'rules.1', 'rules.1.id'].sort(),
    );
    expect((await json<{ version: number }>(await call(tenant, '/v1/onboarding-policy'), 200)).version).toBe(0);
  });
});

describe('the checklist of the built-in policy', () => {
  it('gives a critical OT integrator with plant access the NIS2 baseline and the OT questionnaire, a certificate and the critical clauses', async () => {
    const tenant = await t.createTenant();
    const supplier = await createSupplier(t, tenant, {
      category: 'ot_integrator',
      profile: { accessLevel: 'ot_network', dataSensitivity: 'confidential', supportsCriticalFunction: true },
      tierOverride: { tier: 'critical', reason: 'Maintains the control system of the water works.' },
    });
    const started = await call(tenant, `/v1/suppliers/${supplier.id}/onboarding`, { method: 'POST' });
    const view = await json<Case>(started, 201);
    expect(started.headers.get('location')).toBe(`/v1/suppliers/${supplier.id}/onboarding`);
    expect(view).toMatchObject({ status: 'open', policyVersion: 0, ready: false, approval: { approversRequired: 2, roles: ['admin', 'risk_manager'] } });
    expect(view.gates.map((candidate) => candidate.key)).toEqual([
      'intake',
      'tier',
      'assessment:nis2-supplier-baseline',
      'evidence:iec62443_certificate|iso27001_certificate|soc2_report',
      'clause:nis2-ir-5.1.4-a',
      'clause:nis2-ir-5.1.4-d',
      'clause:nis2-ir-5.1.4-e',
      'clause:nis2-ir-5.1.4-h',
      'assessment:ot-service-provider',
      'findings',
    ]);
    expect(gate(view, 'assessment:ot-service-provider').requiredBy).toEqual(['ot-integrator', 'ot-access']);
    expect(gate(view, 'intake')).toMatchObject({ met: false, missing: ['legalName', 'identifiers (LEI, EUID, VAT or DUNS)', 'owner', 'primary contact'] });
    expect(gate(view, 'tier')).toMatchObject({ met: true });
    expect(gate(view, 'findings')).toMatchObject({ met: true });

    const reread = await json<{ status: string }>(await call(tenant, `/v1/suppliers/${supplier.id}`), 200);
    expect(reread.status).toBe('onboarding');
  });

  it('gives a routine cloud supplier only intake, tier and findings', async () => {
    const tenant = await t.createTenant();
    const supplier = await createSupplier(t, tenant, { category: 'cloud_saas', profile: { accessLevel: 'none', dataSensitivity: 'none' } });
    const view = await json<Case>(await call(tenant, `/v1/suppliers/${supplier.id}/onboarding`, { method: 'POST' }), 201);
    expect(view.gates.map((candidate) => candidate.key)).toEqual(['intake', 'tier', 'findings']);
    expect(view.approval).toMatchObject({ approversRequired: 1, roles: ['admin', 'risk_manager', 'reviewer'] });
  });

  it('refuses to start twice and from an active supplier, and previews the gates before any case', async () => {
    const tenant = await t.createTenant();
    const supplier = await createSupplier(t, tenant);
    const preview = await json<Case>(await call(tenant, `/v1/suppliers/${supplier.id}/onboarding`), 200);
    expect(preview).toMatchObject({ id: null, status: 'not_started', policyVersion: 0, decision: null });
    expect(preview.unmetGates).toEqual(['intake', 'tier']);
    expect((await json<{ status: string }>(await call(tenant, `/v1/suppliers/${supplier.id}`), 200)).status).toBe('prospect');
    await json(await call(tenant, `/v1/suppliers/${supplier.id}/onboarding`, { method: 'POST', json: { note: 'New integrator for plant 2' } }), 201);
    const twice = await call(tenant, `/v1/suppliers/${supplier.id}/onboarding`, { method: 'POST' });
    expect(twice.status).toBe(409);
    expect(await problemOf(twice)).toMatchObject({ code: 'onboarding_in_progress' });

    const active = await createSupplier(t, tenant, { status: 'active' });
    const refused = await call(tenant, `/v1/suppliers/${active.id}/onboarding`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(await problemOf(refused)).toMatchObject({ code: 'supplier_not_onboardable' });
  });
});

describe('from intake to approved', () => {
  let tenant: TestTenant;
  let templateKey: string;
  let templateId: string;

  beforeAll(async () => {
    tenant = await t.createTenant();
    templateKey = `ot-check-${crypto.randomUUID().slice(0, 6)}`;
    templateId = (await json<{ id: string }>(await call(tenant, '/v1/questionnaire-templates?publish=true', { method: 'POST', json: sampleTemplate(templateKey) }), 201)).id;
    await json(
      await call(tenant, '/v1/onboarding-policy', {
        method: 'PUT',
        headers: { 'If-Match': '"0"' },
        json: {
          assessmentMaxAgeMonths: 12,
          rules: [
            {
              id: 'ot',
              description: 'OT integrators answer our OT check, hold a certificate and grant audit rights.',
              when: { categories: ['ot_integrator'] },
              templates: [templateKey],
              evidence: [{ anyOf: ['iso27001_certificate', 'iec62443_certificate'] }],
              clauses: ['nis2-ir-5.1.4-e'],
            },
          ],
          approval: DEFAULT_ONBOARDING_POLICY.approval,
        },
      }),
      200,
    );
  });

  it('says at every step what is missing, then takes two different approvers for a critical supplier', async () => {
    const { supplierId, contactId } = await intakeReadySupplier(tenant, { tierOverride: { tier: 'critical', reason: 'Remote access into the plant network.' } });
    let view = await json<Case>(await call(tenant, `/v1/suppliers/${supplierId}/onboarding`, { method: 'POST' }), 201);
    expect(view.policyVersion).toBe(1);
    expect(view.unmetGates).toEqual([`assessment:${templateKey}`, 'evidence:iec62443_certificate|iso27001_certificate', 'clause:nis2-ir-5.1.4-e']);
    expect(gate(view, 'intake')).toMatchObject({ met: true, missing: [] });

    const early = await call(tenant, `/v1/suppliers/${supplierId}/onboarding/decision`, { method: 'POST', json: { decision: 'approved' } });
    expect(early.status).toBe(409);
    const problem = (await early.json()) as { code: string; unmetGates: { key: string; detail: string }[] };
    expect(problem.code).toBe('onboarding_gates_unmet');
    expect(problem.unmetGates.map((unmet) => unmet.key)).toEqual(view.unmetGates);
    expect(problem.unmetGates[0]!.detail).toContain('POST /v1/assessments');

    // The questionnaire: sent, answered, submitted and accepted.
    const assessment = await json<{ id: string }>(
      await call(tenant, '/v1/assessments', { method: 'POST', json: { supplierId, templateId, contactId, dueAt: new Date(Date.now() + 14 * DAY).toISOString() } }),
      201,
    );
    await json(await call(tenant, `/v1/assessments/${assessment.id}/send`, { method: 'POST' }), 200);
    await json(
      await call(tenant, `/v1/assessments/${assessment.id}/answers`, {
        method: 'PUT',
        json: { answers: [{ questionKey: 'mfa', value: 'yes' }, { questionKey: 'mfa-method', value: 'totp' }, { questionKey: 'notify-hours', value: 24 }] },
      }),
      200,
    );
    await json(await call(tenant, `/v1/assessments/${assessment.id}/submit`, { method: 'POST' }), 200);
    await json(await call(tenant, `/v1/assessments/${assessment.id}/accept`, { method: 'POST' }), 200);
    view = await json<Case>(await call(tenant, `/v1/suppliers/${supplierId}/onboarding`), 200);
    expect(gate(view, `assessment:${templateKey}`)).toMatchObject({ met: true, satisfiedBy: [{ type: 'assessment', id: assessment.id, href: `/v1/assessments/${assessment.id}` }] });

    // An expired certificate does not count; a current one does.
    const upload = async (validUntil: string) => {
      const form = new FormData();
      form.set('file', new Blob([new TextEncoder().encode(`%PDF-1.4\n% ${validUntil}\n%%EOF\n`)], { type: 'application/pdf' }), 'iec62443.pdf');
      form.set('supplierId', supplierId);
      form.set('kind', 'iec62443_certificate');
      form.set('validUntil', validUntil);
      return json<{ id: string }>(await call(tenant, '/v1/evidence', { method: 'POST', body: form }), 201);
    };
    await upload(day(-1));
    view = await json<Case>(await call(tenant, `/v1/suppliers/${supplierId}/onboarding`), 200);
    expect(gate(view, 'evidence:iec62443_certificate|iso27001_certificate').met).toBe(false);
    const certificate = await upload(day(300));
    view = await json<Case>(await call(tenant, `/v1/suppliers/${supplierId}/onboarding`), 200);
    expect(gate(view, 'evidence:iec62443_certificate|iso27001_certificate')).toMatchObject({ met: true, satisfiedBy: [{ id: certificate.id }] });

    // The audit clause, agreed in the draft contract.
    const contract = await json<{ id: string }>(
      await call(tenant, '/v1/contracts', { method: 'POST', json: { supplierId, reference: `OT-${crypto.randomUUID().slice(0, 6)}`, title: 'Plant maintenance', status: 'draft' } }),
      201,
    );
    await json(await call(tenant, `/v1/contracts/${contract.id}/clauses/nis2-ir-5.1.4-e`, { method: 'PUT', json: { status: 'present', sectionRef: '§ 14' } }), 200);
    view = await json<Case>(await call(tenant, `/v1/suppliers/${supplierId}/onboarding`), 200);
    expect(view).toMatchObject({ ready: true, unmetGates: [] });

    // Two approvers: the first approval is recorded, the same person cannot give the second.
    const riskManager = await t.createKey(tenant, ROLES.risk_manager, 'risk manager');
    view = await json<Case>(await call(tenant, `/v1/suppliers/${supplierId}/onboarding/decision`, { method: 'POST', json: { decision: 'approved', note: 'Looks good.' } }), 200);
    expect(view).toMatchObject({ status: 'open', decision: null, approval: { approversRequired: 2 } });
    expect(view.approval.approvals).toHaveLength(1);
    const again = await call(tenant, `/v1/suppliers/${supplierId}/onboarding/decision`, { method: 'POST', json: { decision: 'approved' } });
    expect(again.status).toBe(409);
    expect(await problemOf(again)).toMatchObject({ code: 'already_approved' });
    expect((await json<{ status: string }>(await call(tenant, `/v1/suppliers/${supplierId}`), 200)).status).toBe('onboarding');

    view = await json<Case>(await call(tenant, `/v1/suppliers/${supplierId}/onboarding/decision`, { method: 'POST', key: riskManager.key, json: { decision: 'approved' } }), 200);
    expect(view).toMatchObject({ status: 'approved', decision: { decision: 'approved', override: null, unmetGatesAtDecision: [] } });
    expect(view.approval.approvals.map((approval) => approval.actor.id)).toEqual([tenant.adminKeyId, riskManager.id]);
    const supplier = await json<{ status: string; approval: unknown }>(await call(tenant, `/v1/suppliers/${supplierId}`), 200);
    expect(supplier).toMatchObject({ status: 'active', approval: { decision: 'approved', override: null } });

    const decided = await call(tenant, `/v1/suppliers/${supplierId}/onboarding/decision`, { method: 'POST', json: { decision: 'rejected' } });
    expect(decided.status).toBe(409);
    expect(await problemOf(decided)).toMatchObject({ code: 'onboarding_decided' });

    const actions = await queryRows<{ action: string }>(
      t.db,
      sql`select action from audit_log where tenant_id = ${tenant.id} and entity_type = 'supplier_case' order by seq`,
    );
    expect(actions.map((row) => row.action)).toEqual(['supplier.onboarding_started', 'supplier.onboarding_approval_given', 'supplier.approved']);
  });

  it('answers 403 to a role the policy does not allow for the tier', async () => {
    const { supplierId } = await intakeReadySupplier(tenant, { tierOverride: { tier: 'critical', reason: 'Remote access into the plant network.' } });
    await json(await call(tenant, `/v1/suppliers/${supplierId}/onboarding`, { method: 'POST' }), 201);
    const reviewer = await t.createKey(tenant, ROLES.reviewer, 'reviewer');
    const refused = await call(tenant, `/v1/suppliers/${supplierId}/onboarding/decision`, {
      method: 'POST',
      key: reviewer.key,
      json: { decision: 'approved', override: { justification: 'Urgent outage work, certificate follows next week.' } },
    });
    expect(refused.status).toBe(403);
    expect((await problemOf(refused)).detail).toContain('admin, risk_manager');

    const noScope = await t.createKey(tenant, ROLES.auditor, 'auditor');
    expect((await call(tenant, `/v1/suppliers/${supplierId}/onboarding/decision`, { method: 'POST', key: noScope.key, json: { decision: 'rejected' } })).status).toBe(403);
  });

  it('overrides unmet gates with a justification and turns conditions into findings with due dates and owners', async () => {
    const { supplierId } = await intakeReadySupplier(tenant, { tierOverride: { tier: 'routine', reason: 'Only delivers spare parts.' }, category: 'ot_integrator' });
    await json(await call(tenant, `/v1/suppliers/${supplierId}/onboarding`, { method: 'POST' }), 201);
    const withoutConditions = await call(tenant, `/v1/suppliers/${supplierId}/onboarding/decision`, { method: 'POST', json: { decision: 'approved_with_conditions' } });
    expect(withoutConditions.status).toBe(422);
    expect(await problemOf(withoutConditions)).toMatchObject({ errors: [{ path: 'conditions' }] });

    const justification = 'Spare-parts deliveries must continue; the certificate is being renewed by the auditor.';
    const view = await json<Case>(
      await call(tenant, `/v1/suppliers/${supplierId}/onboarding/decision`, {
        method: 'POST',
        json: {
          decision: 'approved_with_conditions',
          override: { justification },
          conditions: [{ title: 'Provide the renewed IEC 62443 certificate', dueDate: day(60), owner: 'j.weber@stadtwerke.example', severity: 'high' }],
        },
      }),
      200,
    );
    expect(view).toMatchObject({ status: 'approved_with_conditions', decision: { override: justification } });
    expect(view.decision!.unmetGatesAtDecision).toEqual([`assessment:${templateKey}`, 'evidence:iec62443_certificate|iso27001_certificate', 'clause:nis2-ir-5.1.4-e']);
    const [findingId] = view.decision!.conditionFindingIds;
    const finding = await json<Record<string, unknown>>(await call(tenant, `/v1/findings/${findingId}`), 200);
    expect(finding).toMatchObject({ source: 'onboarding_condition', severity: 'high', status: 'open', dueDate: day(60), owner: 'j.weber@stadtwerke.example' });
    const supplier = await json<{ status: string; approval: unknown }>(await call(tenant, `/v1/suppliers/${supplierId}`), 200);
    expect(supplier).toMatchObject({ status: 'active', approval: { decision: 'approved_with_conditions', override: justification } });
  });

  it('rejects at once without gates, back to prospect, and a new case can start', async () => {
    const { supplierId } = await intakeReadySupplier(tenant);
    await json(await call(tenant, `/v1/suppliers/${supplierId}/onboarding`, { method: 'POST' }), 201);
    const view = await json<Case>(await call(tenant, `/v1/suppliers/${supplierId}/onboarding/decision`, { method: 'POST', json: { decision: 'rejected', note: 'No OT security programme.' } }), 200);
    expect(view).toMatchObject({ status: 'rejected', decision: { decision: 'rejected', override: null } });
    expect(await json(await call(tenant, `/v1/suppliers/${supplierId}`), 200)).toMatchObject({ status: 'prospect', approval: { decision: 'rejected' } });
    const fresh = await json<Case>(await call(tenant, `/v1/suppliers/${supplierId}/onboarding`, { method: 'POST' }), 201);
    expect(fresh.id).not.toBe(view.id);
  });

  it('blocks on an open critical finding until it is resolved', async () => {
    const { supplierId } = await intakeReadySupplier(tenant, { category: 'cloud_saas', tierOverride: { tier: 'routine', reason: 'Newsletter tool only.' } });
    await json(await call(tenant, `/v1/suppliers/${supplierId}/onboarding`, { method: 'POST' }), 201);
    const finding = await json<{ id: string }>(
      await call(tenant, '/v1/findings', { method: 'POST', json: { supplierId, title: 'Default admin password on the portal', severity: 'critical' } }),
      201,
    );
    let view = await json<Case>(await call(tenant, `/v1/suppliers/${supplierId}/onboarding`), 200);
    expect(gate(view, 'findings')).toMatchObject({ met: false, missing: [finding.id] });
    await json(await call(tenant, `/v1/findings/${finding.id}`, { method: 'PATCH', json: { status: 'resolved' } }), 200);
    view = await json<Case>(await call(tenant, `/v1/suppliers/${supplierId}/onboarding`), 200);
    expect(view).toMatchObject({ ready: true });
  });
});

describe('the dashboard', () => {
  it('counts suppliers in onboarding, which gates block them, and suppliers being offboarded', async () => {
    const tenant = await t.createTenant();
    const blocked = await createSupplier(t, tenant, { name: 'Blocked Integrator', category: 'ot_integrator', profile: { accessLevel: 'ot_network' } });
    await json(await call(tenant, `/v1/suppliers/${blocked.id}/onboarding`, { method: 'POST' }), 201);
    const { supplierId: ready } = await intakeReadySupplier(tenant, { name: 'Ready Cloud', category: 'cloud_saas', profile: { accessLevel: 'none', dataSensitivity: 'none' } });
    await json(await call(tenant, `/v1/suppliers/${ready}/onboarding`, { method: 'POST' }), 201);
    const leaving = await createSupplier(t, tenant, { name: 'Leaving Systemhaus', status: 'active' });
    await json(await call(tenant, `/v1/suppliers/${leaving.id}/offboarding`, { method: 'POST' }), 201);

    const dashboard = await json<{ lifecycle: { onboarding: Record<string, unknown>; offboarding: Record<string, unknown> } }>(await call(tenant, '/v1/dashboard'), 200);
    expect(dashboard.lifecycle.onboarding).toMatchObject({ open: 2, ready: 1 });
    const blockedBy = dashboard.lifecycle.onboarding.blockedBy as { gate: string; suppliers: number }[];
    expect(blockedBy.map((entry) => entry.gate)).toEqual(expect.arrayContaining(['intake', 'assessment:ot-service-provider']));
    expect(blockedBy.every((entry) => entry.suppliers === 1)).toBe(true);
    const waiting = dashboard.lifecycle.onboarding.longestWaiting as { name: string; unmetGates: string[] }[];
    expect(waiting.map((entry) => entry.name)).toEqual(['Blocked Integrator', 'Ready Cloud']);
    expect(waiting[1]!.unmetGates).toEqual([]);
    expect(dashboard.lifecycle.offboarding).toMatchObject({ open: 1, longestWaiting: [{ name: 'Leaving Systemhaus' }] });
  });
});

describe('webhook events', () => {
  it('announces onboarding started, approved, rejected and offboarded to the endpoints that want them', async () => {
    const tenant = await t.createTenant();
    const events = ['supplier.onboarding_started', 'supplier.approved', 'supplier.rejected', 'supplier.offboarded'];
    await json(await call(tenant, '/v1/webhooks', { method: 'POST', json: { url: 'https://erp.example.com/lifecycle', events } }), 201);
    const supplier = await createSupplier(t, tenant, { tierOverride: { tier: 'routine', reason: 'Office supplies only.' } });
    const decide = (json: unknown) => call(tenant, `/v1/suppliers/${supplier.id}/onboarding/decision`, { method: 'POST', json });
    await json(await call(tenant, `/v1/suppliers/${supplier.id}/onboarding`, { method: 'POST' }), 201);
    await json(await decide({ decision: 'rejected' }), 200);
    await json(await call(tenant, `/v1/suppliers/${supplier.id}/onboarding`, { method: 'POST' }), 201);
    await json(await decide({ decision: 'approved', override: { justification: 'Long-standing supplier, intake data follows from the ERP.' } }), 200);
    await json(await call(tenant, `/v1/suppliers/${supplier.id}/offboarding`, { method: 'POST' }), 201);
    await json(await call(tenant, `/v1/suppliers/${supplier.id}/offboarding/complete`, { method: 'POST', json: { override: { justification: 'Contract never signed, no data or access was ever given.' } } }), 200);

    const rows = await queryRows<{ type: string; data: Record<string, unknown> }>(
      t.db,
      sql`select e.type, e.data from webhook_events e join webhook_deliveries d on d.tenant_id = e.tenant_id and d.event_id = e.id where e.tenant_id = ${tenant.id} order by e.id`,
    );
    expect(rows.map((row) => row.type)).toEqual(['supplier.onboarding_started', 'supplier.rejected', 'supplier.onboarding_started', 'supplier.approved', 'supplier.offboarded']);
    expect(rows[3]!.data).toMatchObject({ supplierId: supplier.id, status: 'active', decision: 'approved', overridden: true });
    expect(rows[4]!.data).toMatchObject({ supplierId: supplier.id, status: 'terminated', overridden: true });
  });
});
