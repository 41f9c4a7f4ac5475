import { isEeaCountry } from '../../catalog/countries';
import type { SupplierInput, SupplierPatch } from './suppliers.schemas';
import type { SupplierFields, SupplierRow } from './suppliers.queries';

export function presentSupplier(row: SupplierRow) {
  return {
    id: row.id,
    name: row.name,
    legalName: row.legalName,
    country: row.country,
    website: row.website,
    status: row.status as 'active',
    category: row.category as 'ot_integrator' | null,
    externalRef: row.externalRef,
    identifiers: { lei: row.lei, euid: row.euid, vat: row.vat, duns: row.duns },
    profile: {
      dataSensitivity: row.dataSensitivity as 'confidential' | null,
      accessLevel: row.accessLevel as 'remote' | null,
      supportsCriticalFunction: row.supportsCriticalFunction,
      substitutability: row.substitutability as 'easy' | null,
      annualSpend:
        row.annualSpendAmount !== null && row.annualSpendCurrency !== null
          ? { amount: Number(row.annualSpendAmount), currency: row.annualSpendCurrency }
          : null,
      outsideEea: row.outsideEea,
    },
    hasCriticalService: row.hasCriticalService,
    inherentScore: row.inherentScore,
    computedTier: row.computedTier as 'routine',
    tier: row.tier as 'routine',
    tierOverride: row.tierOverride ? { tier: row.tierOverride as 'routine', reason: row.tierOverrideReason ?? '' } : null,
    tags: row.tags,
    owner: row.owner,
    lastReviewedAt: row.lastReviewedAt?.toISOString() ?? null,
    nextReviewAt: row.nextReviewAt?.toISOString() ?? null,
    reviewDueReason: row.reviewDueReason,
    approval: row.approvalDecision
      ? { decision: row.approvalDecision as 'approved', decidedAt: row.approvalDecidedAt!.toISOString(), override: row.approvalOverride }
      : null,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A supplier with nothing but defaults: what a create body fills in (bulk writers and benchmarks start from it too). */
export const EMPTY_SUPPLIER_FIELDS: SupplierFields = {
  name: '',
  legalName: null,
  country: '',
  website: null,
  status: 'prospect',
  category: null,
  externalRef: null,
  lei: null,
  euid: null,
  vat: null,
  duns: null,
  owner: null,
  tags: [],
  dataSensitivity: null,
  accessLevel: null,
  supportsCriticalFunction: false,
  substitutability: null,
  annualSpendAmount: null,
  annualSpendCurrency: null,
  outsideEea: null,
  tierOverride: null,
  tierOverrideReason: null,
};

/**
 * Applies a create body (over the defaults) or a PATCH body (over the current fields): absent keys
 * keep their value, null clears it. Nested `identifiers` and `profile` merge the same way.
 */
export function applySupplierInput(base: SupplierFields | undefined, input: SupplierInput | SupplierPatch): SupplierFields {
  const next: SupplierFields = { ...(base ?? EMPTY_SUPPLIER_FIELDS) };
  const set = <K extends keyof SupplierFields>(key: K, value: SupplierFields[K] | undefined) => {
    if (value !== undefined) next[key] = value;
  };
  set('name', input.name);
  set('legalName', input.legalName);
  set('country', input.country);
  set('website', input.website);
  set('status', input.status);
  set('category', input.category);
  set('externalRef', input.externalRef);
  set('owner', input.owner);
  set('tags', input.tags);
  if (input.identifiers) {
    set('lei', input.identifiers.lei);
    set('euid', input.identifiers.euid);
    set('vat', input.identifiers.vat);
    set('duns', input.identifiers.duns);
  }
  const profile = input.profile;
  if (profile) {
    set('dataSensitivity', profile.dataSensitivity);
    set('accessLevel', profile.accessLevel);
    set('supportsCriticalFunction', profile.supportsCriticalFunction);
    set('substitutability', profile.substitutability);
    set('outsideEea', profile.outsideEea);
    if (profile.annualSpend !== undefined) {
      next.annualSpendAmount = profile.annualSpend ? profile.annualSpend.amount.toFixed(2) : null;
      next.annualSpendCurrency = profile.annualSpend?.currency ?? null;
    }
  }
  if (input.tierOverride !== undefined) {
    next.tierOverride = input.tierOverride?.tier ?? null;
    next.tierOverrideReason = input.tierOverride?.reason ?? null;
  }
  // A country change re-derives outsideEea unless the caller set it explicitly in this request.
  if (input.country !== undefined && profile?.outsideEea === undefined && base && base.country !== input.country) {
    next.outsideEea = null;
  }
  next.outsideEea ??= !isEeaCountry(next.country);
  return next;
}

/** { field: { from, to } } for the audit log; empty when nothing changed. */
export function diffFields(before: SupplierFields, after: SupplierFields): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof SupplierFields)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = { from: before[key], to: after[key] };
  }
  return changes;
}
