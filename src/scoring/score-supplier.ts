import { DEFAULT_RISK_MODEL, RISK_FACTOR_PHRASES, RISK_UNKNOWN_PHRASES, RISK_VALUE_PHRASES } from '../catalog/risk-model';
import type { SupplierTier } from '../catalog/supplier-profile';
import type { RiskModel } from './risk-model';
import { SEVERITIES, type RiskFactor, type RiskRating, type RiskScore, type Severity, type SupplierRiskInputs } from './types';

/**
 * Pure scoring (DESIGN.md "Scoring"): inputs and model in, score and explanation out. No clock, no
 * I/O, no randomness, so a score can be recomputed and compared (`inputs_hash`) at any time.
 *
 *   inherent  = min(100, Σ profile factor points)
 *   control   = weighted mean of answers (per domain), best valid certification, clause coverage;
 *               a source without data counts 0: what is not shown is not assumed
 *   residual  = min(100, inherent × (1 − mitigation × control / 100) + penalties)
 *
 * Every rounding step is monotone, so the property tests' orderings hold exactly.
 */

type ProfileInputs = SupplierRiskInputs['profile'];

const SEVERITY_ORDER_DESC: readonly Severity[] = [...SEVERITIES].reverse();

/** Non-negative finite count, whatever the caller passed. */
const count = (value: number) => (Number.isFinite(value) && value > 0 ? Math.floor(value) : 0);
const clampScore = (value: number) => (Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0);

function valuePoints(table: Record<string, number>, value: string | null, unknownShare: number): number {
  if (value !== null && value in table) return table[value]!;
  // Unknown or unset: unassessed is not safe.
  return Math.round(Math.max(0, ...Object.values(table)) * unknownShare);
}

/** The inherent factors of a profile, in the model's declared order, with their points. */
export function inherentFactors(profile: ProfileInputs, model: RiskModel): RiskFactor[] {
  const f = model.inherent.factors;
  const share = model.inherent.unknownShare;
  const critical = profile.supportsCriticalFunction || profile.hasCriticalService;
  const depth = count(profile.subcontractingDepth);
  const dependents = count(profile.dependentSuppliers);
  const factor = (key: string, label: string, input: RiskFactor['input'], contribution: number): RiskFactor => ({ group: 'inherent', key, label: valueLabel(key, input) ?? label, input, contribution });
  return [
    factor('criticalFunction', f.criticalFunction.label, critical, critical ? f.criticalFunction.points : 0),
    factor('dataSensitivity', f.dataSensitivity.label, profile.dataSensitivity, valuePoints(f.dataSensitivity.points, profile.dataSensitivity, share)),
    factor('accessLevel', f.accessLevel.label, profile.accessLevel, valuePoints(f.accessLevel.points, profile.accessLevel, share)),
    factor('substitutability', f.substitutability.label, profile.substitutability, valuePoints(f.substitutability.points, profile.substitutability, share)),
    factor('outsideEea', f.outsideEea.label, profile.outsideEea, profile.outsideEea ? f.outsideEea.points : 0),
    factor('subcontractingDepth', f.subcontractingDepth.label, depth, Math.min(f.subcontractingDepth.max, depth * f.subcontractingDepth.pointsPerUnit)),
    factor('concentration', f.concentration.label, dependents, Math.min(f.concentration.max, dependents * f.concentration.pointsPerUnit)),
  ];
}

/** "Access to the OT network" reads better than "Access to our systems: ot_network". */
function valueLabel(key: string, input: RiskFactor['input']): string | undefined {
  const phrase = typeof input === 'string' ? RISK_VALUE_PHRASES[key]?.[input] : undefined;
  return phrase ? phrase.charAt(0).toUpperCase() + phrase.slice(1) : undefined;
}

export function inherentScore(factors: readonly RiskFactor[]): number {
  let sum = 0;
  for (const factor of factors) sum += factor.contribution;
  return Math.round(Math.min(100, sum));
}

export function tierFor(inherent: number, model: RiskModel): SupplierTier {
  if (inherent >= model.tiers.critical) return 'critical';
  if (inherent >= model.tiers.strategic) return 'strategic';
  return 'routine';
}

export function ratingFor(residual: number, model: RiskModel): RiskRating {
  if (residual >= model.ratings.critical) return 'critical';
  if (residual >= model.ratings.high) return 'high';
  if (residual >= model.ratings.medium) return 'medium';
  return 'low';
}

interface DomainResult {
  domain: string;
  label: string;
  /** Weighted mean of the domain's answers, 0–100. */
  mean: number;
  /** The domain's share of the answers component, 0–1. */
  share: number;
}

/** Per-domain weighted means, and each domain's share of the answers component. */
function domainResults(answers: SupplierRiskInputs['answers'], model: RiskModel): DomainResult[] {
  const sums = new Map<string, { weighted: number; weight: number }>();
  for (const answer of answers) {
    const weight = Number.isFinite(answer.weight) && answer.weight > 0 ? answer.weight : 0;
    if (weight === 0) continue;
    const entry = sums.get(answer.domain);
    if (entry) {
      entry.weighted += weight * clampScore(answer.score);
      entry.weight += weight;
    } else {
      sums.set(answer.domain, { weighted: weight * clampScore(answer.score), weight });
    }
  }
  const results: { domain: string; label: string; mean: number; weight: number }[] = [];
  let totalWeight = 0;
  for (const [domain, sum] of sums) {
    const config = Object.hasOwn(model.controls.domains, domain) ? model.controls.domains[domain]! : model.controls.defaultDomain;
    if (!(config.weight > 0)) continue;
    results.push({ domain, label: config.label, mean: sum.weighted / sum.weight, weight: config.weight });
    totalWeight += config.weight;
  }
  return results.map((result) => ({ domain: result.domain, label: result.label, mean: result.mean, share: result.weight / totalWeight }));
}

/** Certifications by kind (the longest-valid record of each kind), with whether each is valid on `asOf`. */
function certificationResults(inputs: SupplierRiskInputs, model: RiskModel) {
  const byKind = new Map<string, string | null>();
  for (const certification of inputs.certifications) {
    if (!Object.hasOwn(model.controls.certifications, certification.kind)) continue;
    const known = byKind.get(certification.kind);
    // null validUntil: the record states no end, so it is valid; it beats any dated one.
    if (known === undefined || (known !== null && (certification.validUntil === null || certification.validUntil > known))) {
      byKind.set(certification.kind, certification.validUntil);
    }
  }
  return [...byKind].map(([kind, validUntil]) => {
    const config = model.controls.certifications[kind]!;
    return { kind, label: config.label, credit: clampScore(config.credit), validUntil, valid: validUntil === null || validUntil >= inputs.asOf };
  });
}

export function scoreSupplier(inputs: SupplierRiskInputs, model: RiskModel, modelVersion: number): RiskScore {
  // Inherent risk and tier
  const inherentList = inherentFactors(inputs.profile, model);
  const inherent = inherentScore(inherentList);
  const computedTier = tierFor(inherent, model);
  const tier = inputs.tierOverride?.tier ?? computedTier;

  // Control strength: each source's weight share times its 0–100 result
  const weights = model.controls.weights;
  const totalWeight = weights.answers + weights.certifications + weights.clauses;
  const sourceShare = (weight: number) => (totalWeight > 0 ? weight / totalWeight : 0);
  const controlList: RiskFactor[] = [];

  const domains = domainResults(inputs.answers, model);
  const assessed = domains.length > 0;
  if (weights.answers > 0) {
    if (assessed) {
      for (const domain of domains) {
        controlList.push({
          group: 'control',
          key: `domain:${domain.domain}`,
          label: `Answers on ${domain.label}`,
          input: Math.round(domain.mean),
          contribution: sourceShare(weights.answers) * domain.share * domain.mean,
        });
      }
    } else {
      controlList.push({ group: 'control', key: 'answers', label: 'Questionnaire answers', input: 'not assessed yet', contribution: 0 });
    }
  }

  const certifications = certificationResults(inputs, model);
  let bestCertification: (typeof certifications)[number] | undefined;
  for (const certification of certifications) {
    if (certification.valid && (!bestCertification || certification.credit > bestCertification.credit)) bestCertification = certification;
  }
  if (weights.certifications > 0) {
    for (const certification of certifications) {
      controlList.push({
        group: 'control',
        key: `certification:${certification.kind}`,
        label: certification.valid ? certification.label : `${certification.label} (expired)`,
        input: certification.validUntil,
        // Only the strongest valid certificate counts: two certificates do not make twice the control.
        contribution: certification === bestCertification ? sourceShare(weights.certifications) * certification.credit : 0,
      });
    }
    if (certifications.length === 0) {
      controlList.push({ group: 'control', key: 'certifications', label: 'Certifications', input: 'none on file', contribution: 0 });
    }
  }

  if (weights.clauses > 0) {
    const clauses = inputs.clauses;
    const applicable = clauses ? count(clauses.applicable) : 0;
    const coverage = applicable > 0 ? clampScore((100 * Math.min(count(clauses!.satisfied), applicable)) / applicable) : 0;
    controlList.push({
      group: 'control',
      key: 'clauses',
      label: 'Contract clause coverage',
      input: applicable > 0 ? Math.round(coverage) : 'no contract on file',
      contribution: sourceShare(weights.clauses) * coverage,
    });
  }

  let controlSum = 0;
  for (const factor of controlList) controlSum += factor.contribution;
  const controlStrength = Math.round(clampScore(controlSum));

  // Penalties, capped per kind; the cap is spent on the most severe findings first so the
  // contributions still add up to what was charged.
  const penalties = model.penalties;
  const penaltyList: RiskFactor[] = [];
  let findingsLeft = penalties.findings.cap;
  for (const severity of SEVERITY_ORDER_DESC) {
    const open = count(inputs.openFindings[severity]);
    if (open === 0) continue;
    const charged = Math.max(0, Math.min(findingsLeft, open * penalties.findings.points[severity]));
    findingsLeft -= charged;
    penaltyList.push({ group: 'penalty', key: `findings:${severity}`, label: `Open ${severity} findings`, input: open, contribution: charged });
  }
  const expired = count(inputs.expiredEvidence);
  if (expired > 0) {
    penaltyList.push({ group: 'penalty', key: 'expiredEvidence', label: penalties.expiredEvidence.label, input: expired, contribution: Math.min(penalties.expiredEvidence.cap, expired * penalties.expiredEvidence.points) });
  }
  const overdue = count(inputs.overdueAssessments);
  if (overdue > 0) {
    penaltyList.push({ group: 'penalty', key: 'overdueAssessments', label: penalties.overdueAssessments.label, input: overdue, contribution: Math.min(penalties.overdueAssessments.cap, overdue * penalties.overdueAssessments.points) });
  }
  const incidents = count(inputs.openIncidents ?? 0);
  if (incidents > 0) {
    // A tenant model stored before incidents existed has no such penalty: the built-in one applies.
    const incidentPenalty = penalties.openIncidents ?? DEFAULT_RISK_MODEL.penalties.openIncidents!;
    penaltyList.push({ group: 'penalty', key: 'openIncidents', label: incidentPenalty.label, input: incidents, contribution: Math.min(incidentPenalty.cap, incidents * incidentPenalty.points) });
  }
  let penaltySum = 0;
  for (const factor of penaltyList) penaltySum += factor.contribution;

  const remaining = 1 - clampScore(model.controls.mitigation * 100) / 100 * (controlStrength / 100);
  const residualRisk = Math.round(Math.min(100, inherent * remaining + penaltySum));
  const rating = ratingFor(residualRisk, model);

  // Most important first within each group; ties keep the model's declared order (sort is stable).
  const byContribution = (a: RiskFactor, b: RiskFactor) => b.contribution - a.contribution;
  inherentList.sort(byContribution);
  controlList.sort(byContribution);
  penaltyList.sort(byContribution);
  for (const factor of controlList) factor.contribution = round2(factor.contribution);

  const topFactor = pickTopFactor(inherentList, penaltyList, remaining);
  const summary = summarize({ inputs, model, inherentList, penaltyList, domains, assessed, controlStrength, residualRisk, rating, inherent, bestCertification, certifications, sourceShare });

  return {
    modelVersion,
    inherentRisk: inherent,
    tier,
    computedTier,
    tierOverridden: inputs.tierOverride !== null,
    controlStrength,
    residualRisk,
    rating,
    factors: [...inherentList, ...controlList, ...penaltyList],
    topFactor,
    summary,
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Inherent points reach residual risk scaled by what controls leave; penalties count in full. */
/**
 * On a tie the factor that says more about this supplier wins: what it can reach or hold before
 * how much we depend on it, and open work (penalties) before anything inherent. A risk manager
 * reading "access to the OT network" knows what to look at; "supports a critical function" is
 * true of every supplier at the top of the list.
 */
const TIE_ORDER = ['accessLevel', 'dataSensitivity', 'concentration', 'subcontractingDepth', 'substitutability', 'outsideEea', 'criticalFunction'];
const tieRank = (factor: RiskFactor) => {
  const rank = TIE_ORDER.indexOf(factor.key);
  return rank === -1 ? TIE_ORDER.length : rank;
};

function pickTopFactor(inherentList: readonly RiskFactor[], penaltyList: readonly RiskFactor[], remaining: number): RiskFactor | null {
  let top: RiskFactor | null = null;
  let topImpact = 0;
  for (const factor of [...inherentList].sort((a, b) => tieRank(a) - tieRank(b))) {
    const impact = factor.contribution * remaining;
    if (impact > topImpact) [top, topImpact] = [factor, impact];
  }
  for (const factor of penaltyList) {
    if (factor.contribution > 0 && factor.contribution >= topImpact) [top, topImpact] = [factor, factor.contribution];
  }
  return top;
}

interface SummaryParts {
  inputs: SupplierRiskInputs;
  model: RiskModel;
  inherentList: readonly RiskFactor[];
  penaltyList: readonly RiskFactor[];
  domains: readonly DomainResult[];
  assessed: boolean;
  controlStrength: number;
  residualRisk: number;
  rating: RiskRating;
  inherent: number;
  bestCertification: { label: string } | undefined;
  certifications: readonly { valid: boolean }[];
  sourceShare: (weight: number) => number;
}

const WEAK_ANSWERS = 50;

function phraseFor(factor: RiskFactor): string {
  const phrases = RISK_VALUE_PHRASES[factor.key];
  if (phrases && typeof factor.input === 'string' && phrases[factor.input]) return phrases[factor.input]!;
  if (factor.key === 'criticalFunction') return RISK_FACTOR_PHRASES.criticalFunction;
  if (factor.key === 'outsideEea') return RISK_FACTOR_PHRASES.outsideEea;
  if (factor.key === 'subcontractingDepth') return RISK_FACTOR_PHRASES.subcontractingDepth(Number(factor.input));
  if (factor.key === 'concentration') return RISK_FACTOR_PHRASES.concentration(Number(factor.input));
  if (factor.input === null) return RISK_UNKNOWN_PHRASES[factor.key] ?? `${factor.label.toLowerCase()} not recorded`;
  return factor.label.toLowerCase();
}

function joinAnd(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** "High residual risk (64): access to the OT network and weak answers on access control (34/100); 2 high findings open. Start with: access control." */
function summarize(parts: SummaryParts): string {
  const { model, inherentList, domains, assessed, controlStrength, residualRisk, rating } = parts;
  const ratingWord = rating.charAt(0).toUpperCase() + rating.slice(1);

  const drivers = inherentList.filter((factor) => factor.contribution > 0).slice(0, 2).map(phraseFor);
  // Name the domain the next step points at when it is weak, so both sentences agree.
  const priority = costliestDomain(parts);
  const weakest = domains.reduce<DomainResult | undefined>((worst, domain) => (!worst || domain.mean < worst.mean ? domain : worst), undefined);
  const weak = priority && priority.domain.mean < WEAK_ANSWERS ? priority.domain : weakest;
  let controls: string;
  if (model.controls.weights.answers > 0 && !assessed) controls = 'not assessed yet';
  else if (weak && weak.mean < WEAK_ANSWERS) controls = `weak answers on ${weak.label} (${Math.round(weak.mean)}/100)`;
  else controls = `control strength ${controlStrength}/100`;

  const open = SEVERITY_ORDER_DESC.filter((severity) => count(parts.inputs.openFindings[severity]) > 0).map((severity) => `${count(parts.inputs.openFindings[severity])} ${severity}`);
  const issues: string[] = [];
  if (open.length > 0) {
    const total = SEVERITIES.reduce((sum, severity) => sum + count(parts.inputs.openFindings[severity]), 0);
    issues.push(`${joinAnd(open)} ${total === 1 ? 'finding' : 'findings'} open`);
  }
  const expired = count(parts.inputs.expiredEvidence);
  if (expired > 0) issues.push(`${expired} expired evidence ${expired === 1 ? 'record' : 'records'}`);
  const overdue = count(parts.inputs.overdueAssessments);
  if (overdue > 0) issues.push(`${overdue} overdue ${overdue === 1 ? 'assessment' : 'assessments'}`);
  const incidents = count(parts.inputs.openIncidents ?? 0);
  if (incidents > 0) issues.push(`${incidents} open ${incidents === 1 ? 'incident' : 'incidents'}`);

  const head = `${ratingWord} residual risk (${residualRisk}): ${joinAnd([...drivers, controls])}`;
  const first = issues.length > 0 ? `${head}; ${joinAnd(issues)}.` : `${head}.`;
  return `${first} ${nextStep(parts, priority)}`;
}

/** The domain whose shortfall costs the most residual risk; with unequal weights not always the weakest. */
function costliestDomain(parts: SummaryParts): { domain: DomainResult; impact: number } | undefined {
  const answersShare = parts.sourceShare(parts.model.controls.weights.answers);
  let gap: { domain: DomainResult; impact: number } | undefined;
  for (const domain of parts.domains) {
    const impact = (parts.inherent * parts.model.controls.mitigation * answersShare * domain.share * (100 - domain.mean)) / 100;
    if (!gap || impact > gap.impact) gap = { domain, impact };
  }
  return gap;
}

/** The single action that would remove the most residual risk, in words. */
function nextStep(parts: SummaryParts, gap: { domain: DomainResult; impact: number } | undefined): string {
  const { model, inherent, penaltyList, assessed, rating } = parts;
  const mitigation = model.controls.mitigation;
  const candidates: { impact: number; text: string }[] = [];
  const answersShare = parts.sourceShare(model.controls.weights.answers);
  if (answersShare > 0 && !assessed) {
    candidates.push({ impact: inherent * mitigation * answersShare, text: 'Start with: send a security questionnaire.' });
  }
  if (gap && gap.domain.mean < 100) candidates.push({ impact: gap.impact, text: `Start with: ${gap.domain.label}.` });
  const certificationShare = parts.sourceShare(model.controls.weights.certifications);
  if (certificationShare > 0 && !parts.bestCertification) {
    const credits = Object.values(model.controls.certifications).map((certification) => certification.credit);
    const best = Math.max(0, ...credits);
    const expired = parts.certifications.some((certification) => !certification.valid);
    const text = expired ? 'Start with: ask for the renewed certificate.' : 'Start with: ask for a current security certification.';
    candidates.push({ impact: (inherent * mitigation * certificationShare * best) / 100, text });
  }
  for (const factor of penaltyList) {
    let text: string;
    if (factor.key.startsWith('findings:')) text = `Start with: the open ${factor.key.slice('findings:'.length)} findings.`;
    else if (factor.key === 'expiredEvidence') text = 'Start with: renew the expired evidence.';
    else if (factor.key === 'openIncidents') text = 'Start with: follow up the open supplier incident.';
    else text = 'Start with: chase the overdue assessment.';
    candidates.push({ impact: factor.contribution, text });
  }
  if (rating === 'low') return 'No action needed before the next review.';
  let best: { impact: number; text: string } | undefined;
  for (const candidate of candidates) if (!best || candidate.impact > best.impact) best = candidate;
  return best && best.impact > 0 ? best.text : 'Review the profile: the inherent risk comes from what the supplier does, not from its controls.';
}
