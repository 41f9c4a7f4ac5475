import type { RouteHandler } from '@hono/zod-openapi';
import { OFFBOARDING_ITEMS, type OffboardingItemKey } from '../../catalog/offboarding';
import type { Db } from '../../db/types';
import { auditContextOf, recordAudit } from '../../lib/audit';
import type { AppContext, AppEnv } from '../../lib/context';
import { ApiError, problems } from '../../lib/errors';
import { emitEvent } from '../../lib/events';
import { latestCase, setSupplierApproval, updateCase, type SupplierCaseRow } from '../onboarding/onboarding.queries';
import { supplierEventData } from '../suppliers/suppliers.events';
import { requireSupplier } from '../suppliers/suppliers.queries';
import type { RecordedItem } from './offboarding.items';
import { caseView, offboardingView } from './offboarding.view';
import { startSupplierCase } from '../onboarding/supplier-cases';
import { supplierEvidenceIds } from './offboarding.queries';
import type { RecordOffboardingItem } from './offboarding.schemas';
import type { completeOffboardingRoute, getOffboardingRoute, recordOffboardingItemRoute, startOffboardingRoute } from './offboarding.routes';

/** Statuses from which a supplier can be offboarded: it has (or had begun) a relationship with us. */
const OFFBOARDABLE_STATUSES = new Set(['active', 'onboarding']);

async function requireOpenCase(db: Db, tenantId: string, supplierId: string): Promise<SupplierCaseRow> {
  const row = await latestCase(db, tenantId, supplierId, 'offboarding', { forUpdate: true });
  if (!row) throw problems.notFound('Offboarding case');
  if (row.status !== 'open') throw problems.conflict('The offboarding is completed: the supplier is terminated.', 'offboarding_completed');
  return row;
}

export const startOffboardingHandler: RouteHandler<typeof startOffboardingRoute, AppEnv> = async (c) => {
  const { supplierId } = c.req.valid('param');
  const body = c.req.valid('json') ?? {};
  const view = await c.get('db').transaction(async (tx) => {
    const { row, supplier } = await startSupplierCase(tx, auditContextOf(c), supplierId, { kind: 'offboarding', from: OFFBOARDABLE_STATUSES, policyVersion: 0, note: body.reason ?? null });
    await emitEvent(tx, supplier.tenantId, c.get('now'), { type: 'supplier.updated', data: supplierEventData(supplier, ['status']) });
    return caseView(tx, row, supplier);
  });
  c.header('Location', `/v1/suppliers/${supplierId}/offboarding`);
  return c.json(view, 201);
};

export const getOffboardingHandler: RouteHandler<typeof getOffboardingRoute, AppEnv> = async (c) => {
  const { supplierId } = c.req.valid('param');
  const supplier = await requireSupplier(c.get('db'), c.get('principal').tenantId, supplierId);
  return c.json(await offboardingView(c.get('db'), supplier), 200);
};

/** The entry to keep for an item, after its rules: a reason for not_applicable, a confirmation for data, evidence of this supplier. */
async function checkedEntry(c: AppContext, tx: Db, supplierId: string, itemKey: OffboardingItemKey, input: RecordOffboardingItem): Promise<RecordedItem> {
  const evidenceIds = [...new Set(input.evidenceIds ?? [])];
  if (input.state === 'not_applicable' && !input.note) {
    throw problems.validation([{ location: 'body', path: 'note', message: 'Say why the item does not apply.' }]);
  }
  if (input.state === 'done' && OFFBOARDING_ITEMS[itemKey].needsEvidence && evidenceIds.length === 0) {
    throw problems.validation([{ location: 'body', path: 'evidenceIds', message: 'Attach the confirmation of return or destruction (POST /v1/evidence, then its id here).' }]);
  }
  const known = await supplierEvidenceIds(tx, c.get('principal').tenantId, supplierId, evidenceIds);
  const errors = evidenceIds.flatMap((id, index) => (known.has(id) ? [] : [{ location: 'body', path: `evidenceIds.${index}`, message: `No live evidence ${id} of this supplier.` }]));
  if (errors.length > 0) throw problems.validation(errors);
  return { state: input.state, note: input.note ?? null, evidenceIds, by: c.get('principal').actor, at: c.get('now').toISOString() };
}

export const recordOffboardingItemHandler: RouteHandler<typeof recordOffboardingItemRoute, AppEnv> = async (c) => {
  const { supplierId, itemKey } = c.req.valid('param');
  const tenantId = c.get('principal').tenantId;
  const view = await c.get('db').transaction(async (tx) => {
    const supplier = await requireSupplier(tx, tenantId, supplierId);
    const row = await requireOpenCase(tx, tenantId, supplierId);
    const entry = await checkedEntry(c, tx, supplierId, itemKey, c.req.valid('json'));
    const before = (row.items as Record<string, RecordedItem>)[itemKey];
    const updated = await updateCase(tx, row, { items: { ...(row.items as Record<string, RecordedItem>), [itemKey]: entry } }, c.get('now'));
    await recordAudit(tx, auditContextOf(c), {
      action: 'supplier.offboarding_item_recorded',
      entityType: 'supplier_case',
      entityId: row.id,
      changes: { supplierId, item: itemKey, state: { from: before?.state ?? 'open', to: entry.state }, note: entry.note, evidenceIds: entry.evidenceIds },
    });
    return caseView(tx, updated, supplier);
  });
  return c.json(view, 200);
};

export const completeOffboardingHandler: RouteHandler<typeof completeOffboardingRoute, AppEnv> = async (c) => {
  const { supplierId } = c.req.valid('param');
  const input = c.req.valid('json') ?? {};
  const { tenantId, actor } = c.get('principal');
  const { now } = c.var;
  const view = await c.get('db').transaction(async (tx) => {
    const supplier = await requireSupplier(tx, tenantId, supplierId, { forUpdate: true });
    const row = await requireOpenCase(tx, tenantId, supplierId);
    const current = await caseView(tx, row, supplier);
    if (current.openItems.length > 0 && !input.override) {
      throw new ApiError({
        status: 409,
        code: 'offboarding_incomplete',
        title: 'Conflict',
        detail: `${current.openItems.length} item(s) are open: ${current.openItems.join(', ')}. Complete them, or complete with an override and its justification.`,
        extensions: { openItems: current.items.filter((item) => !item.met).map((item) => ({ key: item.key, label: item.label, detail: item.detail })) },
      });
    }
    const override = current.openItems.length > 0 ? (input.override?.justification ?? null) : null;
    const completed = await updateCase(
      tx,
      row,
      {
        status: 'completed',
        decision: 'completed',
        decidedAt: now,
        decidedByType: actor.type,
        decidedById: actor.id,
        overrideJustification: override,
        gatesAtDecision: { openItems: current.openItems, reason: row.decisionNote, items: current.items },
      },
      now,
    );
    const terminated = await setSupplierApproval(tx, supplier, { status: 'terminated' }, now);
    await recordAudit(tx, auditContextOf(c), [
      { action: 'supplier.offboarded', entityType: 'supplier_case', entityId: row.id, changes: { supplierId, openItems: current.openItems, override } },
      { action: 'supplier.updated', entityType: 'supplier', entityId: supplierId, changes: { status: { from: supplier.status, to: 'terminated' } } },
    ]);
    await emitEvent(tx, tenantId, now, { type: 'supplier.offboarded', data: { ...supplierEventData(terminated), caseId: row.id, overridden: override !== null } });
    await emitEvent(tx, tenantId, now, { type: 'supplier.updated', data: supplierEventData(terminated, ['status']) });
    return caseView(tx, completed, terminated);
  });
  return c.json(view, 200);
};
