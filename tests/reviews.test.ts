import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problemOf, type TestContext, type TestTenant } from './support/context';
import { createSupplier, sentAssessment } from './support/fixtures';

let t: TestContext;
let tenant: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
  other = await t.createTenant();
});
afterAll(() => t.close());

interface Supplier {
  id: string;
  tier: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  lastReviewedAt: string | null;
  nextReviewAt: string | null;
  reviewDueReason: string | null;
}

interface DueReview {
  supplier: { id: string; name: string; tier: string; riskRating: string | null };
  nextReviewAt: string;
  lastReviewedAt: string | null;
  reason: string;
  overdueDays: number;
}

async function json<T>(response: Response, status: number): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
}

/** Calendar months later in UTC, as Postgres adds an interval of months (clamped to the month's end). */
function plusMonths(iso: string, months: number): string {
  const date = new Date(iso);
  const day = date.getUTCDate();
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString();
}

const override = (tier: string) => ({ tierOverride: { tier, reason: `Treated as ${tier} for the review tests.` } });
const create = async (body: Record<string, unknown> = {}, owner = tenant) => (await createSupplier(t, owner, body)) as unknown as Supplier;
const get = async (id: string, owner = tenant) => json<Supplier>(await t.request(`/v1/suppliers/${id}`, { key: owner.adminKey }), 200);
const patch = async (id: string, body: unknown) => json<Supplier>(await t.request(`/v1/suppliers/${id}`, { method: 'PATCH', key: tenant.adminKey, json: body }), 200);
const review = (id: string, body?: unknown, key = tenant.adminKey) =>
  t.request(`/v1/suppliers/${id}/reviews`, { method: 'POST', key, ...(body !== undefined ? { json: body } : {}) });
const due = async (query = '', owner = tenant) =>
  json<{ data: DueReview[]; nextCursor: string | null }>(await t.request(`/v1/reviews/due${query}`, { key: owner.adminKey }), 200);

async function auditOf(entityId: string, action: string, owner = tenant) {
  const page = await json<{ data: { action: string; changes: Record<string, unknown> }[] }>(
    await t.request(`/v1/audit-log?entityId=${entityId}&action=${action}`, { key: owner.adminKey }),
    200,
  );
  return page.data;
}

async function addService(supplierId: string, criticalOrImportant = false) {
  return json<{ id: string }>(
    await t.request(`/v1/suppliers/${supplierId}/services`, {
      method: 'POST',
      key: tenant.adminKey,
      json: { name: 'Remote maintenance', serviceType: 'S19', criticalOrImportant },
    }),
    201,
  );
}

/** Moves a supplier's review back in time, as if it had been scheduled long ago (test setup only). */
async function setNextReview(id: string, iso: string, reason: string | null = null) {
  await t.db.execute(sql`update suppliers set next_review_at = ${iso}::timestamptz, review_due_reason = ${reason} where id = ${id}`);
}

describe('review cadence', () => {
  it('schedules the next review from creation by the cadence of the tier: 12, 24 and 36 months', async () => {
    for (const [tier, months] of [['critical', 12], ['strategic', 24], ['routine', 36]] as const) {
      const supplier = await create(override(tier));
      expect(supplier.tier).toBe(tier);
      expect(supplier.lastReviewedAt).toBeNull();
      expect(supplier.reviewDueReason).toBeNull();
      expect(supplier.nextReviewAt).toBe(plusMonths(supplier.createdAt, months));
      expect((await get(supplier.id)).nextReviewAt).toBe(supplier.nextReviewAt);
    }
  });

  it('follows a change of the model\'s cadence at once', async () => {
    const owner = await t.createTenant();
    const supplier = await create(override('critical'), owner);
    expect(supplier.nextReviewAt).toBe(plusMonths(supplier.createdAt, 12));
    const current = await json<{ model: Record<string, unknown> & { reviewCadenceMonths: Record<string, number> } }>(
      await t.request('/v1/risk-model', { key: owner.adminKey }),
      200,
    );
    const model = { ...current.model, reviewCadenceMonths: { ...current.model.reviewCadenceMonths, critical: 6 } };
    await json(await t.request('/v1/risk-model', { method: 'PUT', key: owner.adminKey, json: model }), 200);
    expect((await get(supplier.id, owner)).nextReviewAt).toBe(plusMonths(supplier.createdAt, 6));
  });

  it('a computed tier counts too, and a tier change moves the date without making the review due', async () => {
    const supplier = await create({
      profile: { supportsCriticalFunction: true, accessLevel: 'ot_network', dataSensitivity: 'special_category', substitutability: 'not_substitutable' },
    });
    expect(supplier.tier).toBe('critical');
    expect(supplier.nextReviewAt).toBe(plusMonths(supplier.createdAt, 12));

    const routine = await patch(supplier.id, override('routine'));
    expect(routine.tier).toBe('routine');
    expect(routine.reviewDueReason).toBeNull();
    expect(routine.nextReviewAt).toBe(plusMonths(supplier.createdAt, 36));
  });

  it('upsert by externalRef schedules a new supplier', async () => {
    const ref = `REV-${crypto.randomUUID().slice(0, 8)}`;
    const created = await json<Supplier>(
      await t.request(`/v1/suppliers/by-external-ref/${ref}`, { method: 'PUT', key: tenant.adminKey, json: { name: 'Upserted', country: 'DE', ...override('strategic') } }),
      201,
    );
    expect(created.nextReviewAt).toBe(plusMonths(created.createdAt, 24));
  });
});

describe('recording a review', () => {
  it('by hand: restarts the cadence, clears an early reason, and is audited', async () => {
    const supplier = await create(override('critical'));
    await patch(supplier.id, { profile: { accessLevel: 'privileged' } });
    expect((await get(supplier.id)).reviewDueReason).toBe('profile_changed: accessLevel');

    const before = await get(supplier.id);
    const body = await json<{ supplierId: string; reviewedAt: string; outcome: string; notes: string; previousReviewDueReason: string; nextReviewAt: string }>(
      await review(supplier.id, { outcome: 'action_required', notes: 'Jump host still missing.' }),
      201,
    );
    expect(body).toMatchObject({ supplierId: supplier.id, outcome: 'action_required', notes: 'Jump host still missing.', previousReviewDueReason: 'profile_changed: accessLevel' });
    expect(body.nextReviewAt).toBe(plusMonths(body.reviewedAt, 12));

    const after = await get(supplier.id);
    expect(after).toMatchObject({ lastReviewedAt: body.reviewedAt, nextReviewAt: body.nextReviewAt, reviewDueReason: null });
    // Review state is not a change of the supplier's data: If-Match keeps working.
    expect(after.version).toBe(before.version);

    const [entry] = await auditOf(supplier.id, 'supplier.reviewed');
    expect(entry!.changes).toMatchObject({
      source: 'manual',
      outcome: 'action_required',
      notes: 'Jump host still missing.',
      reviewDueReason: { from: 'profile_changed: accessLevel', to: null },
      lastReviewedAt: { from: null, to: body.reviewedAt },
    });
  });

  it('accepts an empty body, and refuses bad input, missing scope, other tenants and archived suppliers', async () => {
    const supplier = await create(override('routine'));
    const bare = await json<{ outcome: null; notes: null; nextReviewAt: string; reviewedAt: string }>(await review(supplier.id), 201);
    expect(bare).toMatchObject({ outcome: null, notes: null });
    expect(bare.nextReviewAt).toBe(plusMonths(bare.reviewedAt, 36));

    const invalid = await review(supplier.id, { outcome: 'fine', extra: 1 });
    expect(invalid.status).toBe(422);
    expect((await problemOf(invalid)).errors!.map((error) => error.path).sort()).toEqual(['', 'outcome']);

    const reader = await t.createKey(tenant, ['suppliers:read']);
    expect((await review(supplier.id, {}, reader.key)).status).toBe(403);
    expect((await review(supplier.id, {}, other.adminKey)).status).toBe(404);

    await json(await t.request(`/v1/suppliers/${supplier.id}`, { method: 'DELETE', key: tenant.adminKey }), 200);
    const archived = await review(supplier.id, {});
    expect(archived.status).toBe(409);
    expect((await problemOf(archived)).code).toBe('supplier_archived');
  });

  it('accepting an assessment of the supplier records a review in the same transaction', async () => {
    const { assessmentId, supplierId } = await sentAssessment(t, tenant);
    await patch(supplierId, { profile: { dataSensitivity: 'personal' } });
    expect((await get(supplierId)).reviewDueReason).toBe('profile_changed: dataSensitivity');
    // Skip the supplier's answering: the accept is what this test is about.
    await t.db.execute(sql`update assessments set status = 'submitted' where id = ${assessmentId}`);
    const accepted = await json<{ status: string; acceptedAt: string }>(
      await t.request(`/v1/assessments/${assessmentId}/accept`, { method: 'POST', key: tenant.adminKey }),
      200,
    );
    expect(accepted.status).toBe('accepted');
    const supplier = await get(supplierId);
    expect(supplier).toMatchObject({ lastReviewedAt: accepted.acceptedAt, reviewDueReason: null });
    expect(supplier.nextReviewAt).toBe(plusMonths(accepted.acceptedAt, { critical: 12, strategic: 24, routine: 36 }[supplier.tier]!));
    const [entry] = await auditOf(supplierId, 'supplier.reviewed');
    expect(entry!.changes).toMatchObject({ source: 'assessment', assessmentId });
  });
});

describe('material changes make a review due now', () => {
  it('a change of a risk-relevant profile field, with the reason and an audit entry', async () => {
    const supplier = await create({ ...override('routine'), status: 'active' });
    const started = Date.now();
    const changed = await patch(supplier.id, { profile: { accessLevel: 'ot_network', substitutability: 'difficult' } });
    expect(changed.reviewDueReason).toBe('profile_changed: accessLevel, substitutability');
    expect(Date.parse(changed.nextReviewAt!)).toBeGreaterThanOrEqual(started - 1000);
    expect(Date.parse(changed.nextReviewAt!)).toBeLessThanOrEqual(Date.now());

    const [entry] = await auditOf(supplier.id, 'supplier.review_due');
    expect(entry!.changes).toMatchObject({
      reason: 'profile_changed: accessLevel, substitutability',
      nextReviewAt: { from: supplier.nextReviewAt, to: changed.nextReviewAt },
    });
    expect((await due()).data.find((item) => item.supplier.id === supplier.id)).toMatchObject({
      reason: 'profile_changed: accessLevel, substitutability',
      overdueDays: 0,
    });

    // A second change keeps the first, earlier date: the overdue time is not reset.
    const again = await patch(supplier.id, { country: 'US' });
    expect(again.nextReviewAt).toBe(changed.nextReviewAt);
    expect(again.reviewDueReason).toBe('profile_changed: accessLevel, substitutability');
  });

  it('a country outside the EEA is material (outsideEea), a website is not', async () => {
    const supplier = await create(override('strategic'));
    const website = await patch(supplier.id, { website: 'https://www.example.com', tags: ['newsletter'], owner: 'someone@example.com' });
    expect(website.reviewDueReason).toBeNull();
    expect(website.nextReviewAt).toBe(supplier.nextReviewAt);
    expect(await auditOf(supplier.id, 'supplier.review_due')).toEqual([]);

    const moved = await patch(supplier.id, { country: 'US' });
    expect(moved.reviewDueReason).toBe('profile_changed: outsideEea');
  });

  it('a service added, its criticality changed or removed', async () => {
    const supplier = await create(override('critical'));
    const service = await addService(supplier.id);
    expect((await get(supplier.id)).reviewDueReason).toBe('service_added');
    const [entry] = await auditOf(supplier.id, 'supplier.review_due');
    expect(entry!.changes).toMatchObject({ reason: 'service_added' });

    await json(await review(supplier.id), 201);
    const path = `/v1/suppliers/${supplier.id}/services/${service.id}`;
    await json(await t.request(path, { method: 'PATCH', key: tenant.adminKey, json: { description: 'Now with a jump host.' } }), 200);
    expect((await get(supplier.id)).reviewDueReason).toBeNull();
    await json(await t.request(path, { method: 'PATCH', key: tenant.adminKey, json: { criticalOrImportant: true } }), 200);
    expect((await get(supplier.id)).reviewDueReason).toBe('service_criticality_changed');

    await json(await review(supplier.id), 201);
    expect((await t.request(path, { method: 'DELETE', key: tenant.adminKey })).status).toBe(204);
    expect((await get(supplier.id)).reviewDueReason).toBe('service_removed');
  });

  it('a material change through the import', async () => {
    const ref = `IMP-${crypto.randomUUID().slice(0, 8)}`;
    const importRows = async (rows: unknown[]) =>
      json<{ summary: { created: number; updated: number } }>(
        await t.request('/v1/suppliers/import', { method: 'POST', key: tenant.adminKey, json: { rows } }),
        200,
      );
    await importRows([{ externalRef: ref, name: 'Imported GmbH', country: 'DE', ...override('strategic') }]);
    const [imported] = (await json<{ data: Supplier[] }>(await t.request(`/v1/suppliers?q=${ref.toLowerCase()}`, { key: tenant.adminKey }), 200)).data;
    expect(imported!.nextReviewAt).toBe(plusMonths(imported!.createdAt, 24));

    await importRows([{ externalRef: ref, website: 'https://imported.example' }]);
    expect((await get(imported!.id)).reviewDueReason).toBeNull();
    await importRows([{ externalRef: ref, profile: { dataSensitivity: 'special_category' } }]);
    const after = await get(imported!.id);
    expect(after.reviewDueReason).toBe('profile_changed: dataSensitivity');
    expect((await auditOf(imported!.id, 'supplier.review_due')).length).toBe(1);
  });
});

describe('GET /v1/reviews/due', () => {
  it('lists due reviews soonest first with filters, pagination and tenant isolation', async () => {
    const owner = await t.createTenant();
    const mk = async (name: string, tier: string, nextReviewAt: string, extra: Record<string, unknown> = {}) => {
      const supplier = await create({ name, ...override(tier), status: 'active', ...extra }, owner);
      await setNextReview(supplier.id, nextReviewAt);
      return supplier.id;
    };
    const now = Date.now();
    const daysAgo = (days: number) => new Date(now - days * 86_400_000).toISOString();
    const a = await mk('Alpha', 'critical', daysAgo(40), { owner: 'anna@example.com' });
    const b = await mk('Bravo', 'routine', daysAgo(10));
    const c = await mk('Charlie', 'critical', daysAgo(3), { owner: 'anna@example.com' });
    const notYet = await mk('Delta', 'strategic', new Date(now + 20 * 86_400_000).toISOString());
    const archived = await mk('Echo', 'critical', daysAgo(60));
    await json(await t.request(`/v1/suppliers/${archived}`, { method: 'DELETE', key: owner.adminKey }), 200);
    await create({ name: 'Foxtrot (not due)' }, owner);
    // Only active suppliers take part in the cadence.
    await mk('Golf (prospect)', 'critical', daysAgo(20), { status: 'prospect' });
    await mk('Hotel (onboarding)', 'critical', daysAgo(20), { status: 'onboarding' });

    const all = await due('', owner);
    expect(all.data.map((item) => item.supplier.id)).toEqual([a, b, c]);
    expect(all.data[0]).toMatchObject({ supplier: { id: a, name: 'Alpha', tier: 'critical' }, reason: 'cadence', lastReviewedAt: null, overdueDays: 40 });
    expect([null, 'low', 'medium', 'high', 'critical']).toContain(all.data[0]!.supplier.riskRating);
    expect(all.data[1]!.overdueDays).toBe(10);
    expect(all.nextCursor).toBeNull();

    expect((await due('?tier=critical', owner)).data.map((item) => item.supplier.id)).toEqual([a, c]);
    expect((await due('?owner=anna%40example.com', owner)).data.map((item) => item.supplier.id)).toEqual([a, c]);
    const later = await due(`?before=${encodeURIComponent(new Date(now + 30 * 86_400_000).toISOString())}`, owner);
    expect(later.data.map((item) => item.supplier.id)).toEqual([a, b, c, notYet]);
    expect(later.data[3]!.overdueDays).toBe(0);

    const first = await due('?limit=2', owner);
    expect(first.data.map((item) => item.supplier.id)).toEqual([a, b]);
    const second = await due(`?limit=2&cursor=${first.nextCursor}`, owner);
    expect(second.data.map((item) => item.supplier.id)).toEqual([c]);
    expect(second.nextCursor).toBeNull();

    // Another tenant sees none of them.
    expect((await due('', other)).data.map((item) => item.supplier.id)).not.toContain(a);

    const badCursor = await t.request('/v1/reviews/due?cursor=nope', { key: owner.adminKey });
    expect(badCursor.status).toBe(422);
    const badBefore = await t.request('/v1/reviews/due?before=tomorrow&tier=gold', { key: owner.adminKey });
    expect(badBefore.status).toBe(422);
    expect((await problemOf(badBefore)).errors!.map((error) => error.path).sort()).toEqual(['before', 'tier']);
    const noKey = await t.request('/v1/reviews/due', { key: null });
    expect(noKey.status).toBe(401);
  });
});
