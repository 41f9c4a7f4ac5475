import { sql, type SQLWrapper } from 'drizzle-orm';
import { isEeaCountry } from '../../catalog/countries';
import { suppliers as s } from '../../db/schema';
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

/** A timestamp as Date.prototype.toISOString() writes it (milliseconds, Z). */
export const isoTimestamp = (column: SQLWrapper) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * presentSupplier, written by the database as JSON text: a list page is then 50 strings joined,
 * instead of 50 rows of 45 columns parsed, mapped, presented and serialised again (most of a list
 * request's CPU). tests/supplier-json.test.ts holds the two to the same output.
 */
export const supplierJsonText = sql<string>`json_build_object(
  'id', ${s.id}, 'name', ${s.name}, 'legalName', ${s.legalName}, 'country', ${s.country}, 'website', ${s.website},
  'status', ${s.status}, 'category', ${s.category}, 'externalRef', ${s.externalRef},
  'identifiers', json_build_object('lei', ${s.lei}, 'euid', ${s.euid}, 'vat', ${s.vat}, 'duns', ${s.duns}),
  'profile', json_build_object(
    'dataSensitivity', ${s.dataSensitivity}, 'accessLevel', ${s.accessLevel},
    'supportsCriticalFunction', ${s.supportsCriticalFunction}, 'substitutability', ${s.substitutability},
    'annualSpend', case when ${s.annualSpendAmount} is not null and ${s.annualSpendCurrency} is not null
      then json_build_object('amount', ${s.annualSpendAmount}::float8, 'currency', ${s.annualSpendCurrency}) end,
    'outsideEea', ${s.outsideEea}),
  'hasCriticalService', ${s.hasCriticalService}, 'inherentScore', ${s.inherentScore},
  'computedTier', ${s.computedTier}, 'tier', ${s.tier},
  'tierOverride', case when ${s.tierOverride} is not null
    then json_build_object('tier', ${s.tierOverride}, 'reason', coalesce(${s.tierOverrideReason}, '')) end,
  'tags', to_json(${s.tags}), 'owner', ${s.owner},
  'lastReviewedAt', ${isoTimestamp(s.lastReviewedAt)}, 'nextReviewAt', ${isoTimestamp(s.nextReviewAt)},
  'reviewDueReason', ${s.reviewDueReason},
  'approval', case when ${s.approvalDecision} is not null
    then json_build_object('decision', ${s.approvalDecision}, 'decidedAt', ${isoTimestamp(s.approvalDecidedAt)}, 'override', ${s.approvalOverride}) end,
  'archivedAt', ${isoTimestamp(s.archivedAt)}, 'version', ${s.version},
  'createdAt', ${isoTimestamp(s.createdAt)}, 'updatedAt', ${isoTimestamp(s.updatedAt)}
)::text`;

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
