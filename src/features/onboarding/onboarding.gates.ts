import type { OnboardingPolicy } from '../../catalog/onboarding-policy';
import type { Db } from '../../db/types';
import { dayOf } from '../../lib/dates';
import type { SupplierRow } from '../suppliers/suppliers.queries';
import { gateSpecs, type GateSpec } from './onboarding.policy';
import { gateFacts, policyVocabulary, type GateFacts } from './onboarding.queries';
import type { Gate } from './onboarding.schemas';

/** The supplier fields intake asks for, with how they read in a gate's `missing`. */
function intakeMissing(supplier: SupplierRow, facts: GateFacts): string[] {
  const missing: string[] = [];
  if (!supplier.legalName) missing.push('legalName');
  if (!supplier.lei && !supplier.euid && !supplier.vat && !supplier.duns) missing.push('identifiers (LEI, EUID, VAT or DUNS)');
  if (!supplier.owner) missing.push('owner');
  if (!supplier.category) missing.push('category');
  if (!facts.hasPrimaryContact) missing.push('primary contact');
  return missing;
}

function tierMissing(supplier: SupplierRow): string[] {
  if (supplier.tierOverride) return [];
  const missing: string[] = [];
  if (!supplier.dataSensitivity) missing.push('profile.dataSensitivity');
  if (!supplier.accessLevel) missing.push('profile.accessLevel');
  return missing;
}

const ref = (type: string, id: string, href: string) => ({ type, id, href });

function evaluate(spec: GateSpec, supplier: SupplierRow, facts: GateFacts, policy: OnboardingPolicy): Gate {
  const base = { key: spec.key, kind: spec.kind, label: spec.label, requiredBy: spec.requiredBy, missing: [] as string[], satisfiedBy: [] as Gate['satisfiedBy'] };
  switch (spec.kind) {
    case 'intake': {
      const missing = intakeMissing(supplier, facts);
      return { ...base, met: missing.length === 0, missing, detail: missing.length === 0 ? 'The supplier record is complete.' : `Missing: ${missing.join(', ')}.` };
    }
    case 'tier': {
      const missing = tierMissing(supplier);
      const detail = missing.length > 0
        ? `The tier is computed from an incomplete profile. Set ${missing.join(' and ')}, or override the tier with a reason.`
        : supplier.tierOverride
          ? `Tier ${supplier.tier}, overridden: ${supplier.tierOverrideReason ?? ''}`
          : `Tier ${supplier.tier}, computed from the profile.`;
      return { ...base, met: missing.length === 0, missing, detail };
    }
    case 'assessment': {
      const found = facts.acceptedAssessments.find((row) => row.templateKey === spec.templateKey);
      return found
        ? { ...base, met: true, satisfiedBy: [ref('assessment', found.id, `/v1/assessments/${found.id}`)], detail: `Accepted on ${dayOf(found.acceptedAt!)}.` }
        : { ...base, met: false, detail: `No assessment of "${spec.templateKey}" accepted in the last ${policy.assessmentMaxAgeMonths} months. Send one (POST /v1/assessments) and accept it after review.` };
    }
    case 'evidence': {
      const kinds = new Set<string>(spec.evidenceKinds);
      const found = facts.validEvidence.filter((row) => kinds.has(row.kind));
      return found.length > 0
        ? { ...base, met: true, satisfiedBy: found.map((row) => ref('evidence', row.id, `/v1/evidence/${row.id}`)), detail: 'Valid evidence on file.' }
        : { ...base, met: false, detail: `No valid evidence of kind ${spec.evidenceKinds!.join(' or ')}. Upload it (POST /v1/evidence) with its validity dates.` };
    }
    case 'clause': {
      const found = facts.presentClauses.filter((row) => row.clauseKey === spec.clauseKey);
      return found.length > 0
        ? { ...base, met: true, satisfiedBy: found.map((row) => ref('contract', row.contractId, `/v1/contracts/${row.contractId}`)), detail: 'Present in a current contract.' }
        : { ...base, met: false, detail: `No draft or active contract of the supplier has clause ${spec.clauseKey} as present. Record it (PUT /v1/contracts/{contractId}/clauses/${spec.clauseKey}).` };
    }
    case 'findings': {
      const open = facts.openCriticalFindings;
      return open.length === 0
        ? { ...base, met: true, detail: 'No open critical finding.' }
        : {
            ...base,
            met: false,
            missing: open,
            detail: `${open.length} open critical finding(s): resolve them, or accept the risk (POST /v1/findings/{findingId}/accept-risk).`,
          };
    }
  }
}

const monthsBefore = (now: Date, months: number) => {
  const since = new Date(now);
  since.setUTCMonth(since.getUTCMonth() - months);
  return since;
};

/**
 * Derives each supplier's checklist from its policy and evaluates every gate against today's
 * records, for any number of suppliers in the same handful of queries.
 */
export async function evaluateGatesFor(db: Db, tenantId: string, cases: { supplier: SupplierRow; policy: OnboardingPolicy }[], now: Date): Promise<Map<string, Gate[]>> {
  if (cases.length === 0) return new Map();
  const vocabulary = await policyVocabulary(db, tenantId);
  const labels = { template: (key: string) => vocabulary.templates.get(key) ?? key, clause: (key: string) => vocabulary.clauses.get(key) ?? key };
  const planned = cases.map(({ supplier, policy }) => ({ supplier, policy, specs: gateSpecs(policy, supplier, labels) }));
  const specs = planned.flatMap((entry) => entry.specs);
  const facts = await gateFacts(db, {
    tenantId,
    supplierIds: [...new Set(cases.map(({ supplier }) => supplier.id))],
    templateKeys: [...new Set(specs.flatMap((spec) => (spec.templateKey ? [spec.templateKey] : [])))],
    evidenceKinds: [...new Set(specs.flatMap((spec) => spec.evidenceKinds ?? []))],
    clauseKeys: [...new Set(specs.flatMap((spec) => (spec.clauseKey ? [spec.clauseKey] : [])))],
    acceptedSince: monthsBefore(now, Math.max(...cases.map(({ policy }) => policy.assessmentMaxAgeMonths))),
    today: dayOf(now),
  });
  return new Map(
    planned.map(({ supplier, policy, specs: own }) => {
      const since = monthsBefore(now, policy.assessmentMaxAgeMonths);
      const supplierFacts = facts.get(supplier.id)!;
      // Policies may differ in how old an accepted assessment may be: each case applies its own.
      const recent = { ...supplierFacts, acceptedAssessments: supplierFacts.acceptedAssessments.filter((row) => row.acceptedAt !== null && row.acceptedAt >= since) };
      return [supplier.id, own.map((spec) => evaluate(spec, supplier, recent, policy))];
    }),
  );
}

export async function evaluateGates(db: Db, supplier: SupplierRow, policy: OnboardingPolicy, now: Date): Promise<Gate[]> {
  return (await evaluateGatesFor(db, supplier.tenantId, [{ supplier, policy }], now)).get(supplier.id)!;
}
