import type { Db } from '../../db/types';
import { latestCase, type SupplierCaseRow } from '../onboarding/onboarding.queries';
import type { SupplierRow } from '../suppliers/suppliers.queries';
import { evaluateItems, type RecordedItem } from './offboarding.items';
import { offboardingFacts } from './offboarding.queries';

interface Completion {
  openItems: string[];
  reason: string | null;
}

export async function caseView(db: Db, row: SupplierCaseRow, supplier: SupplierRow) {
  const facts = await offboardingFacts(db, row.tenantId, row.supplierId);
  const items = evaluateItems(supplier, facts, row.items as Record<string, RecordedItem>);
  const record = (row.gatesAtDecision ?? { openItems: [], reason: null }) as Completion;
  return {
    id: row.id,
    supplierId: row.supplierId,
    status: row.status as 'open',
    reason: row.decisionNote,
    complete: items.every((item) => item.met),
    items,
    openItems: items.filter((item) => !item.met).map((item) => item.key),
    completion:
      row.decidedAt && row.status === 'completed'
        ? {
            completedAt: row.decidedAt.toISOString(),
            completedBy: { type: row.decidedByType!, id: row.decidedById! },
            override: row.overrideJustification,
            openItemsAtCompletion: record.openItems,
          }
        : null,
    startedBy: { type: row.startedByType, id: row.startedById },
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The supplier's latest offboarding case, or before any case the checklist an exit would have today. */
export async function offboardingView(db: Db, supplier: SupplierRow) {
  const row = await latestCase(db, supplier.tenantId, supplier.id, 'offboarding');
  if (row) return caseView(db, row, supplier);
  const items = evaluateItems(supplier, await offboardingFacts(db, supplier.tenantId, supplier.id), {});
  return {
    id: null,
    supplierId: supplier.id,
    status: 'not_started' as const,
    reason: null,
    complete: items.every((item) => item.met),
    items,
    openItems: items.filter((item) => !item.met).map((item) => item.key),
    completion: null,
    startedBy: null,
    version: 0,
    createdAt: null,
    updatedAt: null,
  };
}

export type OffboardingView = Awaited<ReturnType<typeof offboardingView>>;
