import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../src/catalog/access';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';
import { createSupplier } from './support/fixtures';

/* Offboarding through HTTP: the checklist, items that follow the records, proof, and termination. */

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
});

afterAll(() => t.close());

interface Item {
  key: string;
  applies: boolean;
  state: string;
  met: boolean;
  detail: string;
  evidenceIds: string[];
}

interface OffboardingCase {
  id: string;
  status: string;
  reason: string | null;
  complete: boolean;
  items: Item[];
  openItems: string[];
  completion: null | { override: string | null; openItemsAtCompletion: string[] };
}

async function call(path: string, init: { method?: string; json?: unknown; body?: BodyInit; key?: string } = {}) {
  return t.request(path, { key: tenant.adminKey, ...init });
}

async function json<T>(response: Response, status: number): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
}

const item = (view: OffboardingCase, key: string) => view.items.find((candidate) => candidate.key === key)!;

async function uploadConfirmation(supplierId: string) {
  const form = new FormData();
  form.set('file', new Blob([new TextEncoder().encode('%PDF-1.4\n% certificate of destruction\n%%EOF\n')], { type: 'application/pdf' }), 'destruction.pdf');
  form.set('supplierId', supplierId);
  form.set('kind', 'other');
  form.set('title', 'Certificate of data destruction');
  return json<{ id: string }>(await call('/v1/evidence', { method: 'POST', body: form }), 201);
}

describe('offboarding', () => {
  it('takes an OT integrator with a subcontractor and a critical service through the exit, with proof', async () => {
    const supplier = await createSupplier(t, tenant, { status: 'active', profile: { accessLevel: 'ot_network', supportsCriticalFunction: true } });
    const subcontractor = await createSupplier(t, tenant, { name: 'Remote support GmbH' });
    await json(await call(`/v1/suppliers/${supplier.id}/subcontractors/${subcontractor.id}`, { method: 'PUT' }), 201);
    const contract = await json<{ id: string }>(
      await call('/v1/contracts', { method: 'POST', json: { supplierId: supplier.id, reference: `EXIT-${crypto.randomUUID().slice(0, 6)}`, title: 'Plant maintenance', status: 'active' } }),
      201,
    );

    const started = await call(`/v1/suppliers/${supplier.id}/offboarding`, { method: 'POST', json: { reason: 'Maintenance moves to an in-house team.' } });
    let view = await json<OffboardingCase>(started, 201);
    expect(view).toMatchObject({ status: 'open', reason: 'Maintenance moves to an in-house team.', complete: false, completion: null });
    expect(view.openItems).toEqual(['data_returned_or_destroyed', 'access_revoked', 'contracts_ended', 'subcontractors_informed', 'exit_plan_executed']);
    expect(item(view, 'access_revoked').detail).toContain('remote access into OT');
    expect(item(view, 'contracts_ended').detail).toContain('Still live');
    expect((await json<{ status: string }>(await call(`/v1/suppliers/${supplier.id}`), 200)).status).toBe('offboarding');

    // Data: done needs confirmation evidence of this supplier.
    const withoutProof = await call(`/v1/suppliers/${supplier.id}/offboarding/items/data_returned_or_destroyed`, { method: 'PUT', json: { state: 'done' } });
    expect(withoutProof.status).toBe(422);
    expect(await problemOf(withoutProof)).toMatchObject({ errors: [{ path: 'evidenceIds' }] });
    const foreign = await uploadConfirmation(subcontractor.id);
    const wrongSupplier = await call(`/v1/suppliers/${supplier.id}/offboarding/items/data_returned_or_destroyed`, { method: 'PUT', json: { state: 'done', evidenceIds: [foreign.id] } });
    expect(wrongSupplier.status).toBe(422);
    const proof = await uploadConfirmation(supplier.id);
    view = await json<OffboardingCase>(
      await call(`/v1/suppliers/${supplier.id}/offboarding/items/data_returned_or_destroyed`, { method: 'PUT', json: { state: 'done', evidenceIds: [proof.id], note: 'Backups wiped, certificate attached.' } }),
      200,
    );
    expect(item(view, 'data_returned_or_destroyed')).toMatchObject({ met: true, state: 'done', evidenceIds: [proof.id] });

    // not_applicable needs a reason.
    const noReason = await call(`/v1/suppliers/${supplier.id}/offboarding/items/exit_plan_executed`, { method: 'PUT', json: { state: 'not_applicable' } });
    expect(noReason.status).toBe(422);
    await json(await call(`/v1/suppliers/${supplier.id}/offboarding/items/access_revoked`, { method: 'PUT', json: { state: 'done', note: 'VPN, jump host and badges revoked.' } }), 200);
    await json(await call(`/v1/suppliers/${supplier.id}/offboarding/items/subcontractors_informed`, { method: 'PUT', json: { state: 'done', note: 'Remote support GmbH informed by letter.' } }), 200);
    await json(await call(`/v1/suppliers/${supplier.id}/offboarding/items/exit_plan_executed`, { method: 'PUT', json: { state: 'done', note: 'Service taken over by the plant team.' } }), 200);

    // The contract is still active: completing answers 409 naming it.
    const early = await call(`/v1/suppliers/${supplier.id}/offboarding/complete`, { method: 'POST' });
    expect(early.status).toBe(409);
    const problem = (await early.json()) as { code: string; openItems: { key: string }[] };
    expect(problem).toMatchObject({ code: 'offboarding_incomplete', openItems: [{ key: 'contracts_ended' }] });

    // Ending the contract meets the item by itself.
    const ended = await call(`/v1/contracts/${contract.id}`, { method: 'PATCH', json: { status: 'terminated' } });
    expect(ended.status, await ended.clone().text()).toBe(200);
    view = await json<OffboardingCase>(await call(`/v1/suppliers/${supplier.id}/offboarding`), 200);
    expect(view).toMatchObject({ complete: true, openItems: [] });
    expect(item(view, 'contracts_ended')).toMatchObject({ met: true, state: 'open' });

    view = await json<OffboardingCase>(await call(`/v1/suppliers/${supplier.id}/offboarding/complete`, { method: 'POST' }), 200);
    expect(view).toMatchObject({ status: 'completed', completion: { override: null, openItemsAtCompletion: [] } });
    expect((await json<{ status: string }>(await call(`/v1/suppliers/${supplier.id}`), 200)).status).toBe('terminated');
    // History stays: the evidence is still there, the case is read-only.
    expect((await call(`/v1/evidence/${proof.id}`)).status).toBe(200);
    const late = await call(`/v1/suppliers/${supplier.id}/offboarding/items/access_revoked`, { method: 'PUT', json: { state: 'open' } });
    expect(await problemOf(late)).toMatchObject({ status: 409, code: 'offboarding_completed' });

    const actions = await queryRows<{ action: string }>(t.db, sql`select action from audit_log where tenant_id = ${tenant.id} and entity_id = ${view.id} order by seq`);
    expect(actions.map((row) => row.action)).toEqual([
      'supplier.offboarding_started',
      ...Array(4).fill('supplier.offboarding_item_recorded'),
      'supplier.offboarded',
    ]);
  });

  it('leaves out items that do not apply, and completes with an override only when justified', async () => {
    const supplier = await createSupplier(t, tenant, { status: 'active', profile: { accessLevel: 'none' } });
    const view = await json<OffboardingCase>(await call(`/v1/suppliers/${supplier.id}/offboarding`, { method: 'POST' }), 201);
    expect(item(view, 'subcontractors_informed')).toMatchObject({ applies: false, met: true });
    expect(item(view, 'exit_plan_executed')).toMatchObject({ applies: false, met: true });
    expect(item(view, 'contracts_ended')).toMatchObject({ met: true });
    expect(view.openItems).toEqual(['data_returned_or_destroyed', 'access_revoked']);

    const shortJustification = await call(`/v1/suppliers/${supplier.id}/offboarding/complete`, { method: 'POST', json: { override: { justification: 'later' } } });
    expect(shortJustification.status).toBe(422);
    const auditor = await t.createKey(tenant, ROLES.auditor, 'auditor');
    expect((await call(`/v1/suppliers/${supplier.id}/offboarding/complete`, { method: 'POST', key: auditor.key })).status).toBe(403);

    const justification = 'Supplier insolvent; the administrator confirms no data is held, written confirmation follows.';
    const done = await json<OffboardingCase>(await call(`/v1/suppliers/${supplier.id}/offboarding/complete`, { method: 'POST', json: { override: { justification } } }), 200);
    expect(done).toMatchObject({ status: 'completed', completion: { override: justification, openItemsAtCompletion: ['data_returned_or_destroyed', 'access_revoked'] } });
  });

  it('starts only from active or onboarding, once at a time, and previews the checklist before any case', async () => {
    const prospect = await createSupplier(t, tenant);
    const preview = await json<OffboardingCase>(await call(`/v1/suppliers/${prospect.id}/offboarding`), 200);
    expect(preview).toMatchObject({ id: null, status: 'not_started', openItems: ['data_returned_or_destroyed', 'access_revoked'] });
    const refused = await call(`/v1/suppliers/${prospect.id}/offboarding`, { method: 'POST' });
    expect(await problemOf(refused)).toMatchObject({ status: 409, code: 'supplier_not_offboardable' });
    const active = await createSupplier(t, tenant, { status: 'active' });
    await json(await call(`/v1/suppliers/${active.id}/offboarding`, { method: 'POST' }), 201);
    expect(await problemOf(await call(`/v1/suppliers/${active.id}/offboarding`, { method: 'POST' }))).toMatchObject({ status: 409, code: 'supplier_not_offboardable' });
    const unknownItem = await call(`/v1/suppliers/${active.id}/offboarding/items/coffee_machine`, { method: 'PUT', json: { state: 'done' } });
    expect(await problemOf(unknownItem)).toMatchObject({ status: 422, errors: [{ location: 'path', path: 'itemKey' }] });
  });
});
