import { z } from '@hono/zod-openapi';
import { ACCESS_LEVELS, DATA_SENSITIVITY_LEVELS, SUBSTITUTABILITY_LEVELS } from '../catalog/supplier-profile';
import type { FieldError } from '../lib/errors';
import { SEVERITIES } from './types';

/**
 * A tenant's risk model: the document stored in `risk_models.document` and exchanged by
 * `GET`/`PUT /v1/risk-model`. The default lives in src/catalog/risk-model.ts. Zod checks shapes and
 * ranges; `checkRiskModelCoherence` checks what only makes sense across fields.
 */

const label = z.string().trim().min(1).max(120);
const points = z.number().min(0).max(100);
const weight = z.number().min(0).max(100);
const key = z.string().trim().min(1).max(100);

const BooleanFactorSchema = z.object({ label, points }).strict();

const ValueFactorSchema = z
  .object({
    label,
    /** Points per profile value; unknown (null) values get `unknownShare` of the largest. */
    points: z.record(key, points),
  })
  .strict();

const CountFactorSchema = z
  .object({
    label,
    /** Points per unit (subcontracting level, dependent supplier), up to `max`. */
    pointsPerUnit: points,
    max: points,
  })
  .strict();

const DomainSchema = z.object({ label, weight }).strict();

const CertificationSchema = z
  .object({
    label,
    /** Control-strength points (0–100) a valid certificate of this kind is worth on its own. */
    credit: points,
  })
  .strict();

const CappedPenaltySchema = z.object({ label, points, cap: points }).strict();

const severityRecord = <T extends z.ZodType>(schema: T) =>
  z.object({ low: schema, medium: schema, high: schema, critical: schema }).strict();

export const RiskModelSchema = z
  .object({
    inherent: z
      .object({
        /** Share (0–1) of a factor's largest value that an unknown value counts: unassessed is not safe. */
        unknownShare: z.number().min(0).max(1),
        factors: z
          .object({
            criticalFunction: BooleanFactorSchema,
            dataSensitivity: ValueFactorSchema,
            accessLevel: ValueFactorSchema,
            substitutability: ValueFactorSchema,
            outsideEea: BooleanFactorSchema,
            subcontractingDepth: CountFactorSchema,
            concentration: CountFactorSchema,
          })
          .strict(),
      })
      .strict(),
    tiers: z.object({ critical: points, strategic: points }).strict(),
    ratings: z.object({ critical: points, high: points, medium: points }).strict(),
    reviewCadenceMonths: z
      .object({ critical: z.number().int().min(1).max(120), strategic: z.number().int().min(1).max(120), routine: z.number().int().min(1).max(120) })
      .strict(),
    controls: z
      .object({
        /** Relative weights of the three sources of control strength. */
        weights: z.object({ answers: weight, certifications: weight, clauses: weight }).strict(),
        /** Share (0–1) of inherent risk that full control strength (100) removes. */
        mitigation: z.number().min(0).max(1),
        domains: z.record(key, DomainSchema),
        defaultDomain: DomainSchema,
        certifications: z.record(key, CertificationSchema),
      })
      .strict(),
    penalties: z
      .object({
        findings: z.object({ label, points: severityRecord(points), cap: points }).strict(),
        expiredEvidence: CappedPenaltySchema,
        overdueAssessments: CappedPenaltySchema,
        /** Optional: models stored before incidents existed lack it and use the built-in one. */
        openIncidents: CappedPenaltySchema.optional(),
      })
      .strict(),
  })
  .strict()
  .openapi('RiskModelDocument', {
    description: 'Factor points, thresholds, control-strength weights, penalties and review cadence. See DESIGN.md "Scoring".',
  });

export type RiskModel = z.infer<typeof RiskModelSchema>;

/** The profile values each value factor must price, from the supplier register's closed lists. */
const VALUE_FACTOR_CODES = {
  dataSensitivity: DATA_SENSITIVITY_LEVELS,
  accessLevel: ACCESS_LEVELS,
  substitutability: SUBSTITUTABILITY_LEVELS,
} as const;

const inRange = (value: number) => Number.isFinite(value) && value >= 0 && value <= 100;

/**
 * What zod alone cannot say: thresholds in order, codes priced, some control source weighted.
 * Assumes the shape already parsed; ranges are checked again so a model built in code is safe too.
 * Paths are dotted, relative to the model document.
 */
export function checkRiskModelCoherence(model: RiskModel, location = 'body'): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (path: string, message: string) => errors.push({ location, path, message });

  const { tiers, ratings, reviewCadenceMonths: cadence, controls, penalties, inherent } = model;
  for (const [name, value] of Object.entries(tiers)) if (!inRange(value)) fail(`tiers.${name}`, 'Must be between 0 and 100.');
  for (const [name, value] of Object.entries(ratings)) if (!inRange(value)) fail(`ratings.${name}`, 'Must be between 0 and 100.');
  if (!(tiers.critical > tiers.strategic)) fail('tiers.critical', 'Must be greater than tiers.strategic.');
  if (!(tiers.strategic > 0)) fail('tiers.strategic', 'Must be greater than 0, or no supplier would be routine.');
  if (!(ratings.critical > ratings.high)) fail('ratings.critical', 'Must be greater than ratings.high.');
  if (!(ratings.high > ratings.medium)) fail('ratings.high', 'Must be greater than ratings.medium.');
  if (!(ratings.medium > 0)) fail('ratings.medium', 'Must be greater than 0, or no supplier would be rated low.');
  for (const [name, months] of Object.entries(cadence)) {
    if (!Number.isInteger(months) || months < 1) fail(`reviewCadenceMonths.${name}`, 'Must be a positive whole number of months.');
  }
  if (!(cadence.critical <= cadence.strategic && cadence.strategic <= cadence.routine)) {
    fail('reviewCadenceMonths', 'Critical suppliers must be reviewed at least as often as strategic ones, and strategic at least as often as routine ones.');
  }

  if (!(inherent.unknownShare >= 0 && inherent.unknownShare <= 1)) fail('inherent.unknownShare', 'Must be between 0 and 1.');
  for (const [factor, codes] of Object.entries(VALUE_FACTOR_CODES)) {
    const table = inherent.factors[factor as keyof typeof VALUE_FACTOR_CODES].points;
    for (const code of codes) if (!(code in table)) fail(`inherent.factors.${factor}.points.${code}`, `Missing: every ${factor} value needs points.`);
    for (const [code, value] of Object.entries(table)) {
      if (!(codes as readonly string[]).includes(code)) fail(`inherent.factors.${factor}.points.${code}`, `Unknown ${factor} value. Known: ${codes.join(', ')}.`);
      else if (!inRange(value)) fail(`inherent.factors.${factor}.points.${code}`, 'Must be between 0 and 100.');
    }
  }
  for (const factor of ['subcontractingDepth', 'concentration'] as const) {
    const { pointsPerUnit, max } = inherent.factors[factor];
    if (!inRange(pointsPerUnit)) fail(`inherent.factors.${factor}.pointsPerUnit`, 'Must be between 0 and 100.');
    if (!inRange(max)) fail(`inherent.factors.${factor}.max`, 'Must be between 0 and 100.');
    else if (max < pointsPerUnit) fail(`inherent.factors.${factor}.max`, 'Must be at least pointsPerUnit.');
  }
  const inherentMax = maxInherentPoints(model);
  if (inherentMax < tiers.critical) {
    fail('tiers.critical', `No supplier could reach it: the inherent factors add up to at most ${inherentMax}.`);
  }

  const weights = controls.weights;
  for (const [name, value] of Object.entries(weights)) if (!(value >= 0)) fail(`controls.weights.${name}`, 'Must be 0 or more.');
  if (!(weights.answers + weights.certifications + weights.clauses > 0)) {
    fail('controls.weights', 'At least one of answers, certifications or clauses must weigh more than 0.');
  }
  if (!(controls.mitigation >= 0 && controls.mitigation <= 1)) fail('controls.mitigation', 'Must be between 0 and 1.');
  for (const [domain, { weight: value }] of Object.entries(controls.domains)) {
    if (!(value >= 0)) fail(`controls.domains.${domain}.weight`, 'Must be 0 or more.');
  }
  if (!(controls.defaultDomain.weight >= 0)) fail('controls.defaultDomain.weight', 'Must be 0 or more.');
  if (weights.answers > 0 && controls.defaultDomain.weight === 0 && Object.values(controls.domains).every((domain) => domain.weight === 0)) {
    fail('controls.domains', 'Answers weigh in, so at least one domain (or the default) must weigh more than 0.');
  }
  for (const [kind, { credit }] of Object.entries(controls.certifications)) {
    if (!inRange(credit)) fail(`controls.certifications.${kind}.credit`, 'Must be between 0 and 100.');
  }

  for (const severity of SEVERITIES) {
    if (!inRange(penalties.findings.points[severity])) fail(`penalties.findings.points.${severity}`, 'Must be between 0 and 100.');
  }
  const ordered = SEVERITIES.every((severity, index) => index === 0 || penalties.findings.points[severity] >= penalties.findings.points[SEVERITIES[index - 1]!]);
  if (!ordered) fail('penalties.findings.points', 'A more severe finding must not cost fewer points than a less severe one.');
  for (const name of ['findings', 'expiredEvidence', 'overdueAssessments'] as const) {
    if (!inRange(penalties[name].cap)) fail(`penalties.${name}.cap`, 'Must be between 0 and 100.');
  }
  for (const name of ['expiredEvidence', 'overdueAssessments'] as const) {
    if (!inRange(penalties[name].points)) fail(`penalties.${name}.points`, 'Must be between 0 and 100.');
  }
  if (penalties.openIncidents) {
    if (!inRange(penalties.openIncidents.points)) fail('penalties.openIncidents.points', 'Must be between 0 and 100.');
    if (!inRange(penalties.openIncidents.cap)) fail('penalties.openIncidents.cap', 'Must be between 0 and 100.');
  }
  return errors;
}

/** The most inherent points a supplier can collect under the model, before the 100 cap. */
export function maxInherentPoints(model: RiskModel): number {
  const f = model.inherent.factors;
  const largest = (table: Record<string, number>) => Math.max(0, ...Object.values(table));
  return (
    f.criticalFunction.points +
    largest(f.dataSensitivity.points) +
    largest(f.accessLevel.points) +
    largest(f.substitutability.points) +
    f.outsideEea.points +
    f.subcontractingDepth.max +
    f.concentration.max
  );
}
