import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_MODEL } from '../src/catalog/risk-model';
import { ACCESS_LEVELS, DATA_SENSITIVITY_LEVELS, SUBSTITUTABILITY_LEVELS, SUPPLIER_TIERS } from '../src/catalog/supplier-profile';
import { inherentRisk } from '../src/scoring/inherent-risk';
import { checkRiskModelCoherence, RiskModelSchema, type RiskModel } from '../src/scoring/risk-model';
import { scoreSupplier } from '../src/scoring/score-supplier';
import type { SupplierRiskInputs } from '../src/scoring/types';

const NO_FINDINGS = { low: 0, medium: 0, high: 0, critical: 0 };

function inputs(overrides: Partial<Omit<SupplierRiskInputs, 'profile'>> & { profile?: Partial<SupplierRiskInputs['profile']> } = {}): SupplierRiskInputs {
  return {
    tierOverride: null,
    answers: [],
    certifications: [],
    clauses: null,
    openFindings: NO_FINDINGS,
    expiredEvidence: 0,
    overdueAssessments: 0,
    asOf: '2026-03-01',
    ...overrides,
    profile: {
      supportsCriticalFunction: false,
      hasCriticalService: false,
      dataSensitivity: 'none',
      accessLevel: 'none',
      substitutability: 'easy',
      outsideEea: false,
      subcontractingDepth: 0,
      dependentSuppliers: 0,
      ...overrides.profile,
    },
  };
}

const factor = (score: ReturnType<typeof scoreSupplier>, key: string) => score.factors.find((candidate) => candidate.key === key);

describe('the default model', () => {
  it('passes its own schema and coherence checks', () => {
    expect(RiskModelSchema.parse(DEFAULT_RISK_MODEL)).toEqual(DEFAULT_RISK_MODEL);
    expect(checkRiskModelCoherence(DEFAULT_RISK_MODEL)).toEqual([]);
  });

  it('keeps the inherent scores of the first inherent-risk model', () => {
    // 25 + 20 + 25 + 15 + 10 = 95: the old maximum, unchanged.
    expect(inherentRisk({ supportsCriticalFunction: true, hasCriticalService: false, dataSensitivity: 'special_category', accessLevel: 'ot_network', substitutability: 'not_substitutable', outsideEea: true }).score).toBe(95);
    // Unknown values count half the factor's maximum: round(20 / 2) + round(25 / 2) + round(15 / 2) = 10 + 13 + 8.
    expect(inherentRisk({ supportsCriticalFunction: false, hasCriticalService: false, dataSensitivity: null, accessLevel: null, substitutability: null, outsideEea: false })).toMatchObject({ score: 31, tier: 'routine' });
    expect(inherentRisk({ supportsCriticalFunction: false, hasCriticalService: true, dataSensitivity: 'personal', accessLevel: 'remote', substitutability: 'easy', outsideEea: false })).toMatchObject({ score: 50, tier: 'strategic' });
  });
});

describe('scoreSupplier: worked example', () => {
  const score = scoreSupplier(
    inputs({
      profile: { supportsCriticalFunction: true, dataSensitivity: 'personal', accessLevel: 'remote', substitutability: 'medium', subcontractingDepth: 2, dependentSuppliers: 1 },
      answers: [
        { domain: 'access-control', weight: 2, score: 40 },
        { domain: 'access-control', weight: 2, score: 40 },
        { domain: 'governance', weight: 1, score: 80 },
        { domain: 'governance', weight: 0, score: 0 }, // weight 0: does not count
      ],
      certifications: [{ kind: 'iso27001_certificate', validUntil: '2026-03-01' }], // valid through asOf
      openFindings: { ...NO_FINDINGS, medium: 1 },
      overdueAssessments: 1,
    }),
    DEFAULT_RISK_MODEL,
    3,
  );

  it('adds up inherent risk: 25 + 15 + 10 + 5 + 2×3 + 1×2 = 63, strategic', () => {
    expect(score).toMatchObject({ modelVersion: 3, inherentRisk: 63, tier: 'strategic', computedTier: 'strategic', tierOverridden: false });
    expect(factor(score, 'subcontractingDepth')).toMatchObject({ input: 2, contribution: 6 });
    expect(factor(score, 'concentration')).toMatchObject({ input: 1, contribution: 2 });
    expect(factor(score, 'accessLevel')).toMatchObject({ label: 'Remote access to our systems', input: 'remote', contribution: 10 });
  });

  it('weighs control sources and domains: 0.75 × (0.75 × 40 + 0.25 × 80) + 0.25 × 80 = 57.5 → 58', () => {
    expect(score.controlStrength).toBe(58);
    expect(factor(score, 'domain:access-control')).toMatchObject({ input: 40, contribution: 22.5 });
    expect(factor(score, 'domain:governance')).toMatchObject({ input: 80, contribution: 15 });
    expect(factor(score, 'certification:iso27001_certificate')).toMatchObject({ input: '2026-03-01', contribution: 20 });
  });

  it('reduces inherent risk and adds penalties: 63 × (1 − 0.6 × 0.58) + 3 + 5 = 49.08 → 49, medium', () => {
    expect(score.residualRisk).toBe(49);
    expect(score.rating).toBe('medium');
    expect(factor(score, 'findings:medium')).toMatchObject({ group: 'penalty', input: 1, contribution: 3 });
    expect(factor(score, 'overdueAssessments')).toMatchObject({ group: 'penalty', input: 1, contribution: 5 });
  });

  it('orders factors by group, then by contribution, and names the top factor', () => {
    expect(score.factors.map((entry) => entry.group)).toEqual([...Array(7).fill('inherent'), ...Array(3).fill('control'), ...Array(2).fill('penalty')]);
    expect(score.factors.slice(0, 3).map((entry) => entry.key)).toEqual(['criticalFunction', 'dataSensitivity', 'accessLevel']);
    // 25 × 0.652 = 16.3 beats every penalty (5).
    expect(score.topFactor?.key).toBe('criticalFunction');
  });

  it('summarises in words a risk manager can act on', () => {
    expect(score.summary).toBe(
      'Medium residual risk (49): supports a critical or important function, access to personal data and weak answers on access control (40/100); 1 medium finding open and 1 overdue assessment. Start with: access control.',
    );
  });
});

describe('scoreSupplier: ranking', () => {
  const otIntegrator = scoreSupplier(
    inputs({
      profile: { supportsCriticalFunction: true, dataSensitivity: 'confidential', accessLevel: 'ot_network', substitutability: 'difficult', subcontractingDepth: 1 },
      answers: [
        { domain: 'sp07-remote-access', weight: 3, score: 25 },
        { domain: 'sp09-account-management', weight: 2, score: 40 },
        { domain: 'access-control', weight: 2, score: 30 },
        { domain: 'sp11-patch-management', weight: 1, score: 60 },
      ],
      openFindings: { ...NO_FINDINGS, high: 1 },
    }),
    DEFAULT_RISK_MODEL,
    0,
  );
  const newsletterTool = scoreSupplier(
    inputs({
      profile: { dataSensitivity: 'none', accessLevel: 'none', substitutability: 'easy', outsideEea: true },
      answers: [
        { domain: 'access-control', weight: 2, score: 90 },
        { domain: 'data-protection', weight: 2, score: 100 },
        { domain: 'incident-management', weight: 1, score: 80 },
      ],
      certifications: [{ kind: 'soc2_report', validUntil: '2026-12-31' }],
    }),
    DEFAULT_RISK_MODEL,
    0,
  );

  it('puts an OT integrator with weak answers and a high finding above a SaaS newsletter tool', () => {
    expect(otIntegrator.residualRisk).toBeGreaterThan(newsletterTool.residualRisk);
    expect(otIntegrator).toMatchObject({ tier: 'critical', rating: 'critical' });
    // Critical function and OT access both weigh 25: the factor about the supplier itself wins the tie.
    expect(otIntegrator.topFactor).toMatchObject({ key: 'accessLevel', input: 'ot_network' });
    expect(newsletterTool).toMatchObject({ tier: 'routine', rating: 'low' });
    expect(otIntegrator.summary).toMatch(/^Critical residual risk \(\d+\): supports a critical or important function, access to the OT network and weak answers on remote access \(25\/100\); 1 high finding open\. Start with: /);
    expect(newsletterTool.summary).toBe('Low residual risk (5): based outside the EEA and control strength 85/100. No action needed before the next review.');
  });
});

describe('scoreSupplier: rules', () => {
  it('honours a tier override and reports it', () => {
    const score = scoreSupplier(inputs({ tierOverride: { tier: 'critical', reason: 'Runs payroll.' } }), DEFAULT_RISK_MODEL, 0);
    expect(score).toMatchObject({ tier: 'critical', computedTier: 'routine', tierOverridden: true });
  });

  it('does not count an expired certificate, and says so', () => {
    const expired = scoreSupplier(inputs({ certifications: [{ kind: 'iec62443_certificate', validUntil: '2026-02-28' }] }), DEFAULT_RISK_MODEL, 0);
    expect(expired.controlStrength).toBe(0);
    expect(factor(expired, 'certification:iec62443_certificate')).toMatchObject({ label: 'IEC 62443 certificate (expired)', contribution: 0 });
    // The newest record of a kind wins, and only the best valid certificate counts.
    const renewed = scoreSupplier(
      inputs({
        certifications: [
          { kind: 'iec62443_certificate', validUntil: '2026-02-28' },
          { kind: 'iec62443_certificate', validUntil: '2029-02-28' },
          { kind: 'soc2_report', validUntil: null },
          { kind: 'pentest_summary', validUntil: null },
        ],
      }),
      DEFAULT_RISK_MODEL,
      0,
    );
    expect(renewed.controlStrength).toBe(21); // 0.25 × 85 = 21.25
    expect(factor(renewed, 'certification:soc2_report')?.contribution).toBe(0);
    expect(factor(renewed, 'certification:pentest_summary')).toBeUndefined();
  });

  it('reads no answers as not assessed, never as strong control', () => {
    const score = scoreSupplier(inputs({ profile: { supportsCriticalFunction: true, accessLevel: 'privileged' } }), DEFAULT_RISK_MODEL, 0);
    expect(score.controlStrength).toBe(0);
    expect(score.residualRisk).toBe(score.inherentRisk);
    expect(factor(score, 'answers')).toMatchObject({ input: 'not assessed yet', contribution: 0 });
    expect(score.summary).toBe(
      'High residual risk (50): supports a critical or important function, privileged access and not assessed yet. Start with: send a security questionnaire.',
    );
  });

  it('caps penalties, spending the findings cap on the most severe first', () => {
    const score = scoreSupplier(inputs({ openFindings: { low: 5, medium: 0, high: 1, critical: 2 }, expiredEvidence: 9, overdueAssessments: 1 }), DEFAULT_RISK_MODEL, 0);
    expect(factor(score, 'findings:critical')?.contribution).toBe(30);
    expect(factor(score, 'findings:high')?.contribution).toBe(0);
    expect(factor(score, 'findings:low')?.contribution).toBe(0);
    expect(factor(score, 'expiredEvidence')?.contribution).toBe(10);
    expect(score.residualRisk).toBe(45);
    expect(score.topFactor?.key).toBe('findings:critical');
    expect(score.summary).toContain('2 critical, 1 high and 5 low findings open, 9 expired evidence records and 1 overdue assessment.');
  });

  it('counts clause coverage once its weight is above 0', () => {
    const model = structuredClone(DEFAULT_RISK_MODEL);
    model.controls.weights = { answers: 0, certifications: 0, clauses: 1 };
    const score = scoreSupplier(inputs({ clauses: { applicable: 8, satisfied: 6 } }), model, 0);
    expect(score.controlStrength).toBe(75);
    expect(scoreSupplier(inputs({ clauses: null }), model, 0).controlStrength).toBe(0);
  });

  it('weights unknown domains with the default and skips zero-weight ones', () => {
    const score = scoreSupplier(inputs({ answers: [{ domain: 'custom-domain', weight: 1, score: 60 }, { domain: 'profile', weight: 1, score: 0 }] }), DEFAULT_RISK_MODEL, 0);
    expect(factor(score, 'domain:custom-domain')).toMatchObject({ label: 'Answers on other controls', input: 60 });
    expect(factor(score, 'domain:profile')).toBeUndefined();
    expect(score.controlStrength).toBe(45);
  });
});

// ---- Property tests ----

const DOMAINS = ['access-control', 'governance', 'sp07-remote-access', 'continuity', 'profile', 'unknown-domain'];
const CERT_KINDS = ['iso27001_certificate', 'iec62443_certificate', 'soc2_report', 'policy'];
const date = fc.integer({ min: 2024, max: 2028 }).chain((year) => fc.integer({ min: 1, max: 12 }).map((month) => `${year}-${String(month).padStart(2, '0')}-15`));

const profileArb = fc.record({
  supportsCriticalFunction: fc.boolean(),
  hasCriticalService: fc.boolean(),
  dataSensitivity: fc.option(fc.constantFrom(...DATA_SENSITIVITY_LEVELS), { nil: null }),
  accessLevel: fc.option(fc.constantFrom(...ACCESS_LEVELS), { nil: null }),
  substitutability: fc.option(fc.constantFrom(...SUBSTITUTABILITY_LEVELS), { nil: null }),
  outsideEea: fc.boolean(),
  subcontractingDepth: fc.nat({ max: 8 }),
  dependentSuppliers: fc.nat({ max: 20 }),
});

const answerArb = fc.record({ domain: fc.constantFrom(...DOMAINS), weight: fc.integer({ min: 0, max: 5 }), score: fc.integer({ min: 0, max: 100 }) });

const inputsArb: fc.Arbitrary<SupplierRiskInputs> = fc.record({
  profile: profileArb,
  tierOverride: fc.option(fc.record({ tier: fc.constantFrom(...SUPPLIER_TIERS), reason: fc.constant('Reason.') }), { nil: null }),
  answers: fc.array(answerArb, { maxLength: 30 }),
  certifications: fc.array(fc.record({ kind: fc.constantFrom(...CERT_KINDS), validUntil: fc.option(date, { nil: null }) }), { maxLength: 3 }),
  clauses: fc.option(fc.nat({ max: 20 }).chain((applicable) => fc.record({ applicable: fc.constant(applicable), satisfied: fc.nat({ max: applicable }) })), { nil: null }),
  openFindings: fc.record({ low: fc.nat({ max: 10 }), medium: fc.nat({ max: 10 }), high: fc.nat({ max: 5 }), critical: fc.nat({ max: 3 }) }),
  expiredEvidence: fc.nat({ max: 10 }),
  overdueAssessments: fc.nat({ max: 4 }),
  asOf: date,
});

const pts = fc.integer({ min: 0, max: 40 });
/** Valid models: the default with random points, weights and ordered thresholds; incoherent draws are skipped. */
const modelArb: fc.Arbitrary<RiskModel> = fc
  .record({
    critical: pts,
    values: fc.tuple(fc.array(pts, { minLength: 5, maxLength: 5 }), fc.array(pts, { minLength: 5, maxLength: 5 }), fc.array(pts, { minLength: 4, maxLength: 4 })),
    eea: pts,
    perUnit: fc.integer({ min: 0, max: 5 }),
    tiers: fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 40 })),
    ratings: fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 })),
    weights: fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })),
    mitigation: fc.double({ min: 0, max: 1, noNaN: true }),
    domainWeight: fc.integer({ min: 0, max: 5 }),
    finding: fc.integer({ min: 0, max: 10 }),
  })
  .map((draw) => {
    const model = structuredClone(DEFAULT_RISK_MODEL);
    const f = model.inherent.factors;
    f.criticalFunction.points = draw.critical;
    f.outsideEea.points = draw.eea;
    const table = (codes: readonly string[], values: number[]) => Object.fromEntries(codes.map((code, index) => [code, values[index]!]));
    f.dataSensitivity.points = table(DATA_SENSITIVITY_LEVELS, draw.values[0]);
    f.accessLevel.points = table(ACCESS_LEVELS, draw.values[1]);
    f.substitutability.points = table(SUBSTITUTABILITY_LEVELS, draw.values[2]);
    f.subcontractingDepth = { ...f.subcontractingDepth, pointsPerUnit: draw.perUnit, max: draw.perUnit * 3 };
    model.tiers = { strategic: draw.tiers[1], critical: draw.tiers[1] + draw.tiers[0] };
    model.ratings = { medium: draw.ratings[2], high: draw.ratings[2] + draw.ratings[1], critical: draw.ratings[2] + draw.ratings[1] + draw.ratings[0] };
    model.controls.weights = { answers: draw.weights[0], certifications: draw.weights[1], clauses: draw.weights[2] };
    model.controls.mitigation = draw.mitigation;
    model.controls.defaultDomain.weight = draw.domainWeight;
    model.penalties.findings.points = { low: draw.finding, medium: draw.finding * 2, high: draw.finding * 3, critical: draw.finding * 4 };
    return model;
  })
  .filter((model) => checkRiskModelCoherence(model).length === 0);

const anyModel = fc.oneof(fc.constant(DEFAULT_RISK_MODEL), modelArb);
const inRange = (value: number) => Number.isInteger(value) && value >= 0 && value <= 100;

describe('scoreSupplier: properties', () => {
  it('random models drawn for the properties are valid and coherent', () => {
    fc.assert(fc.property(modelArb, (model) => RiskModelSchema.safeParse(model).success));
  });

  it('keeps every score between 0 and 100', () => {
    fc.assert(
      fc.property(inputsArb, anyModel, (input, model) => {
        const score = scoreSupplier(input, model, 1);
        return inRange(score.inherentRisk) && inRange(score.controlStrength) && inRange(score.residualRisk);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same output for the same inputs', () => {
    fc.assert(
      fc.property(inputsArb, anyModel, (input, model) => {
        expect(scoreSupplier(structuredClone(input), model, 4)).toEqual(scoreSupplier(input, structuredClone(model), 4));
      }),
    );
  });

  it('never lowers inherent risk when the profile gets riskier', () => {
    const riskier = (codes: readonly string[]) => fc.tuple(fc.constantFrom(...codes), fc.constantFrom(...codes));
    fc.assert(
      fc.property(
        profileArb,
        anyModel,
        fc.constantFrom('dataSensitivity', 'accessLevel', 'substitutability', 'criticalFunction', 'outsideEea', 'subcontractingDepth', 'concentration'),
        riskier(DATA_SENSITIVITY_LEVELS),
        riskier(ACCESS_LEVELS),
        riskier(SUBSTITUTABILITY_LEVELS),
        fc.nat({ max: 5 }),
        (profile, model, which, data, access, substitutability, more) => {
          const low: SupplierRiskInputs['profile'] = { ...profile };
          const high: SupplierRiskInputs['profile'] = { ...profile };
          const points = model.inherent.factors;
          const order = (table: Record<string, number>, [a, b]: [string, string]): [string, string] => (table[a]! <= table[b]! ? [a, b] : [b, a]);
          if (which === 'dataSensitivity') [low.dataSensitivity, high.dataSensitivity] = order(points.dataSensitivity.points, data);
          if (which === 'accessLevel') [low.accessLevel, high.accessLevel] = order(points.accessLevel.points, access);
          if (which === 'substitutability') [low.substitutability, high.substitutability] = order(points.substitutability.points, substitutability);
          if (which === 'criticalFunction') [low.supportsCriticalFunction, low.hasCriticalService, high.supportsCriticalFunction] = [false, false, true];
          if (which === 'outsideEea') [low.outsideEea, high.outsideEea] = [false, true];
          if (which === 'subcontractingDepth') high.subcontractingDepth = low.subcontractingDepth + more;
          if (which === 'concentration') high.dependentSuppliers = low.dependentSuppliers + more;
          const base = inputs();
          const lower = scoreSupplier({ ...base, profile: low }, model, 0);
          const higher = scoreSupplier({ ...base, profile: high }, model, 0);
          return higher.inherentRisk >= lower.inherentRisk && higher.residualRisk >= lower.residualRisk;
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never raises residual risk when an answer gets better', () => {
    fc.assert(
      fc.property(inputsArb, anyModel, fc.nat(), fc.integer({ min: 1, max: 100 }), (input, model, pick, gain) => {
        fc.pre(input.answers.length > 0);
        const index = pick % input.answers.length;
        const better = structuredClone(input);
        better.answers[index]!.score = Math.min(100, better.answers[index]!.score + gain);
        const before = scoreSupplier(input, model, 0);
        const after = scoreSupplier(better, model, 0);
        return after.residualRisk <= before.residualRisk && after.controlStrength >= before.controlStrength;
      }),
      { numRuns: 500 },
    );
  });

  it('always explains itself: a summary, and a top factor whenever residual risk is above 0', () => {
    fc.assert(
      fc.property(inputsArb, anyModel, (input, model) => {
        const score = scoreSupplier(input, model, 0);
        expect(score.summary).toMatch(/^(Low|Medium|High|Critical) residual risk \(\d+\): .+\. .+\.$/);
        if (score.residualRisk > 0) expect(score.topFactor).not.toBeNull();
      }),
    );
  });
});
