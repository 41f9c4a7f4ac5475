import { ROLES } from '../../catalog/access';
import { EVIDENCE_KINDS, type EvidenceKind } from '../../catalog/evidence-kinds';
import type { OnboardingGateKind, OnboardingPolicy, OnboardingRequirementRule } from '../../catalog/onboarding-policy';
import type { FieldError } from '../../lib/errors';

/** What the policy's rules are matched against. */
export interface SupplierFacts {
  tier: string;
  category: string | null;
  accessLevel: string | null;
}

/** A gate the case has, before it is evaluated against the records. */
export interface GateSpec {
  key: string;
  kind: OnboardingGateKind;
  label: string;
  requiredBy: string[];
  /** Template key, evidence kinds or clause key, by kind. */
  templateKey?: string;
  evidenceKinds?: EvidenceKind[];
  clauseKey?: string;
}

export const APPROVE_SCOPE = 'suppliers:approve';

function matches(rule: OnboardingRequirementRule, supplier: SupplierFacts): boolean {
  const when = rule.when;
  if (!when) return true;
  if (when.tiers && !when.tiers.includes(supplier.tier as never)) return false;
  if (when.categories && (!supplier.category || !when.categories.includes(supplier.category as never))) return false;
  if (when.accessLevels && (!supplier.accessLevel || !when.accessLevels.includes(supplier.accessLevel as never))) return false;
  return true;
}

/**
 * The checklist for a supplier: intake, tier, then what every matching rule requires (the same
 * requirement asked by two rules is one gate naming both), and no open critical finding. Derived
 * from the current profile, so a supplier whose tier rises mid-onboarding gets the stricter list.
 */
export function gateSpecs(policy: OnboardingPolicy, supplier: SupplierFacts, labels: { template: (key: string) => string; clause: (key: string) => string }): GateSpec[] {
  const gates = new Map<string, GateSpec>();
  const add = (spec: Omit<GateSpec, 'requiredBy'>, ruleId?: string) => {
    const existing = gates.get(spec.key) ?? { ...spec, requiredBy: [] };
    if (ruleId && !existing.requiredBy.includes(ruleId)) existing.requiredBy.push(ruleId);
    gates.set(spec.key, existing);
  };
  add({ key: 'intake', kind: 'intake', label: 'Intake complete' });
  add({ key: 'tier', kind: 'tier', label: 'Tier set' });
  for (const rule of policy.rules) {
    if (!matches(rule, supplier)) continue;
    for (const templateKey of rule.templates ?? []) {
      add({ key: `assessment:${templateKey}`, kind: 'assessment', label: `Accepted "${labels.template(templateKey)}" assessment`, templateKey }, rule.id);
    }
    for (const { anyOf } of rule.evidence ?? []) {
      const kinds = [...new Set(anyOf)].sort();
      add({ key: `evidence:${kinds.join('|')}`, kind: 'evidence', label: `Valid ${kinds.map((kind) => EVIDENCE_KINDS[kind]).join(' or ')}`, evidenceKinds: kinds }, rule.id);
    }
    for (const clauseKey of rule.clauses ?? []) {
      add({ key: `clause:${clauseKey}`, kind: 'clause', label: `Clause present: ${labels.clause(clauseKey)}`, clauseKey }, rule.id);
    }
  }
  add({ key: 'findings', kind: 'findings', label: 'No open critical finding' });
  return [...gates.values()];
}

/** Checks what the schema cannot: unique rule ids, and that every key names something the tenant has. */
export function checkPolicyCoherence(policy: OnboardingPolicy, known: { templateKeys: ReadonlySet<string>; clauseKeys: ReadonlySet<string> }): FieldError[] {
  const errors: FieldError[] = [];
  const error = (path: string, message: string) => errors.push({ location: 'body', path, message });
  const seen = new Set<string>();
  policy.rules.forEach((rule, index) => {
    if (seen.has(rule.id)) error(`rules.${index}.id`, `Rule id "${rule.id}" is used twice.`);
    seen.add(rule.id);
    (rule.templates ?? []).forEach((key, at) => {
      if (!known.templateKeys.has(key)) error(`rules.${index}.templates.${at}`, `No questionnaire template "${key}" (see GET /v1/questionnaire-templates).`);
    });
    (rule.clauses ?? []).forEach((key, at) => {
      if (!known.clauseKeys.has(key)) error(`rules.${index}.clauses.${at}`, `No clause "${key}" (see GET /v1/clause-library).`);
    });
    const asks = (rule.templates?.length ?? 0) + (rule.evidence?.length ?? 0) + (rule.clauses?.length ?? 0);
    if (asks === 0) error(`rules.${index}`, 'The rule asks for nothing: give it templates, evidence or clauses.');
  });
  for (const [tier, approval] of Object.entries(policy.approval)) {
    approval.roles.forEach((role, at) => {
      if (!(ROLES[role] as readonly string[]).includes(APPROVE_SCOPE)) {
        error(`approval.${tier}.roles.${at}`, `The role "${role}" does not have the ${APPROVE_SCOPE} scope, so it could never decide.`);
      }
    });
  }
  return errors;
}
