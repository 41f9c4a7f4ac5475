import { OFFBOARDING_ITEM_KEYS, OFFBOARDING_ITEMS, type OffboardingItemKey } from '../../catalog/offboarding';
import type { SupplierRow } from '../suppliers/suppliers.queries';
import type { OffboardingFacts } from './offboarding.queries';

/** What a person recorded on an item, as kept in `supplier_cases.items`. */
export interface RecordedItem {
  state: 'open' | 'done' | 'not_applicable';
  note: string | null;
  evidenceIds: string[];
  by: { type: string; id: string };
  at: string;
}

function applies(key: OffboardingItemKey, supplier: SupplierRow, facts: OffboardingFacts): boolean {
  const when = OFFBOARDING_ITEMS[key].appliesWhen;
  if (when === 'has_subcontractors') return facts.hasSubcontractors;
  if (when === 'critical_function') return supplier.supportsCriticalFunction || supplier.hasCriticalService;
  return true;
}

function detailOf(key: OffboardingItemKey, itemApplies: boolean, recorded: RecordedItem | undefined, facts: OffboardingFacts, supplier: SupplierRow): string {
  if (!itemApplies) {
    return key === 'subcontractors_informed' ? 'The supplier has no recorded subcontractors.' : 'No service of the supplier supports a critical or important function.';
  }
  if (key === 'contracts_ended' && facts.liveContracts.length === 0) return 'No draft or active contract is left.';
  if (recorded?.state === 'done') return recorded.note ?? 'Done.';
  if (recorded?.state === 'not_applicable') return `Not applicable: ${recorded.note ?? ''}`;
  if (key === 'contracts_ended') return `Still live: ${facts.liveContracts.map((contract) => `${contract.reference} (${contract.status})`).join(', ')}. End them, or record the notice given.`;
  if (key === 'access_revoked' && (supplier.accessLevel === 'ot_network' || supplier.accessLevel === 'privileged')) {
    return 'Open. The supplier has OT network or privileged access: include remote access into OT.';
  }
  if (key === 'data_returned_or_destroyed') return 'Open. Attach the confirmation of return or destruction as evidence.';
  return 'Open.';
}

/** Every checklist item, evaluated against the supplier's records and what was recorded by hand. */
export function evaluateItems(supplier: SupplierRow, facts: OffboardingFacts, recorded: Record<string, RecordedItem>) {
  return OFFBOARDING_ITEM_KEYS.map((key) => {
    const definition = OFFBOARDING_ITEMS[key];
    const entry = recorded[key];
    const itemApplies = applies(key, supplier, facts);
    const met = !itemApplies || entry?.state === 'done' || entry?.state === 'not_applicable' || (key === 'contracts_ended' && facts.liveContracts.length === 0);
    return {
      key,
      label: definition.label,
      description: definition.description,
      applies: itemApplies,
      state: entry?.state ?? ('open' as const),
      met,
      detail: detailOf(key, itemApplies, entry, facts, supplier),
      note: entry?.note ?? null,
      evidenceIds: entry?.evidenceIds ?? [],
      updatedAt: entry?.at ?? null,
      updatedBy: entry?.by ?? null,
    };
  });
}
