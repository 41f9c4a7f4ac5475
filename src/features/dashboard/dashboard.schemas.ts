import { z } from '@hono/zod-openapi';
import { SUPPLIER_TIERS } from '../../catalog/supplier-profile';
import { DateTimeSchema, orNull } from '../../lib/schemas';
import { RISK_RATINGS, SEVERITIES } from '../../scoring/types';
import { RiskScoreFactorSchema } from '../risk/risk.schemas';
import { SupplierTierSchema } from '../suppliers/suppliers.schemas';
import { ConcentrationEntrySchema } from '../supply-chain/supply-chain.schemas';
import { ASSESSMENT_STATUSES } from '../assessments/assessments.queries';

const count = (description: string, example: number) => z.number().int().min(0).openapi({ description, example });
const counts = <K extends string>(keys: readonly K[], description: string, example: Record<K, number>) =>
  z.object(Object.fromEntries(keys.map((key) => [key, z.number().int().min(0)])) as Record<K, z.ZodNumber>).openapi({ description, example });

export const DASHBOARD_RISKIEST = 10;
export const DASHBOARD_HOT_SPOTS = 5;
/** A provider is a hot spot when at least this many critical or important services depend on it. */
export const HOT_SPOT_MIN_SERVICES = 2;

const SeverityCountSchema = z.object({ open: z.number().int().min(0), overdue: z.number().int().min(0) });

const RiskiestSupplierSchema = z.object({
  id: z.string().openapi({ example: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
  name: z.string().openapi({ example: 'Rhein Automation GmbH' }),
  tier: z.enum(SUPPLIER_TIERS).openapi({ example: 'critical' }),
  residualRisk: z.number().int().openapi({ example: 81 }),
  rating: orNull(z.enum(RISK_RATINGS)).openapi({ example: 'critical' }),
  topFactor: orNull(RiskScoreFactorSchema).openapi({ description: 'The factor that raises its residual risk the most: what to act on first.' }),
});

const EXAMPLE = {
  generatedAt: '2026-11-20T14:02:11.000Z',
  suppliers: {
    total: 25,
    byTier: { critical: 7, strategic: 10, routine: 8 },
    byRating: { critical: 2, high: 5, medium: 9, low: 8, unscored: 1 },
  },
  assessments: {
    total: 10,
    byStatus: { draft: 1, sent: 2, in_progress: 1, submitted: 1, under_review: 1, returned: 1, accepted: 1, cancelled: 1, expired: 1 },
    overdue: 1,
  },
  findings: {
    open: 14,
    overdue: 3,
    riskAccepted: 2,
    bySeverity: { low: { open: 3, overdue: 0 }, medium: { open: 6, overdue: 1 }, high: { open: 4, overdue: 2 }, critical: { open: 1, overdue: 0 } },
  },
  evidence: { expired: 2, expiringWithin30Days: 1, expiringWithin60Days: 3, expiringWithin90Days: 4 },
  reviews: { due: 4, dueEarly: 1, dueWithin30Days: 2 },
  riskiestSuppliers: [
    {
      id: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A',
      name: 'Rhein Automation GmbH',
      tier: 'critical',
      residualRisk: 81,
      rating: 'critical',
      topFactor: { group: 'inherent', key: 'accessLevel', label: 'Access to our systems', input: 'ot_network', contribution: 25 },
    },
  ],
  lifecycle: {
    onboarding: {
      open: 3,
      ready: 1,
      blockedBy: [
        { gate: 'assessment:ot-service-provider', kind: 'assessment', label: 'Accepted "OT service provider (IEC 62443-2-4)" assessment', suppliers: 2 },
        { gate: 'clause:nis2-ir-5.1.4-e', kind: 'clause', label: 'Clause present: Right to audit', suppliers: 1 },
      ],
      longestWaiting: [
        { supplierId: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A', name: 'Rhein Automation GmbH', tier: 'critical', since: '2026-11-02T09:30:00.000Z', unmetGates: ['assessment:ot-service-provider', 'clause:nis2-ir-5.1.4-e'] },
      ],
    },
    offboarding: { open: 1, longestWaiting: [{ supplierId: 'sup_01JD6SD4P6R8T0V2X4Z6B8D0F2', name: 'Alt-Systemhaus KG', tier: 'strategic', since: '2026-11-15T08:00:00.000Z' }] },
  },
  concentrationHotSpots: [
    {
      supplierId: 'sup_01JD6SD4P6R8T0V2X4Z6B8D0F2',
      name: 'Nordcloud Hosting AB',
      country: 'SE',
      tier: 'critical',
      substitutability: 'not_substitutable',
      noAlternative: true,
      outsideEea: false,
      criticalServices: 3,
      direct: 2,
      indirect: 1,
      minRank: 1,
      serviceIds: ['svc_01JD6SC3N5Q7S9V1W3Y5A7C9E1', 'svc_01JD6SE5Q7S9V1W3Y5A7C9E1G3', 'svc_01JD6SF6R8T0V2X4Z6B8D0F2H4'],
    },
  ],
};

/** Cases listed per lifecycle on the dashboard. */
export const DASHBOARD_LIFECYCLE_WAITING = 5;

export const DashboardSchema = z
  .object({
    generatedAt: DateTimeSchema,
    suppliers: z.object({
      total: count('Suppliers that are not archived.', 25),
      byTier: counts(SUPPLIER_TIERS, 'By the tier in force.', EXAMPLE.suppliers.byTier),
      byRating: counts([...RISK_RATINGS, 'unscored'] as const, 'By risk rating; `unscored`: not yet scored.', EXAMPLE.suppliers.byRating),
    }),
    assessments: z.object({
      total: count('Assessments of suppliers that are not archived.', 10),
      byStatus: counts(ASSESSMENT_STATUSES, 'By status.', EXAMPLE.assessments.byStatus),
      overdue: count('Past the due date while the supplier still has to act (sent, in progress, returned).', 1),
    }),
    findings: z.object({
      open: count('Open or in remediation.', 14),
      overdue: count('Open or in remediation, past their due date.', 3),
      riskAccepted: count('Risk accepted (an expired acceptance reopens the finding).', 2),
      bySeverity: z
        .object(Object.fromEntries(SEVERITIES.map((severity) => [severity, SeverityCountSchema])) as Record<(typeof SEVERITIES)[number], typeof SeverityCountSchema>)
        .openapi({ description: 'Open (or in remediation) and overdue findings per severity.', example: EXAMPLE.findings.bySeverity }),
    }),
    evidence: z
      .object({
        expired: count('Validity ended before today (not archived).', 2),
        expiringWithin30Days: count('Valid today, ending within 30 days.', 1),
        expiringWithin60Days: count('Valid today, ending within 60 days (includes the 30).', 3),
        expiringWithin90Days: count('Valid today, ending within 90 days (includes the 60).', 4),
      })
      .openapi({ description: 'The renewal worklist in numbers; `GET /v1/evidence?expiringBefore=` lists it.' }),
    reviews: z.object({
      due: count('Suppliers whose next review is before now (`GET /v1/reviews/due`).', 4),
      dueEarly: count('Of those, made due by a material change or an incident rather than by the cadence.', 1),
      dueWithin30Days: count('Not yet due, due within 30 days.', 2),
    }),
    riskiestSuppliers: z
      .array(RiskiestSupplierSchema)
      .openapi({ description: `The ${DASHBOARD_RISKIEST} scored suppliers with the highest residual risk, highest first.` }),
    lifecycle: z
      .object({
        onboarding: z.object({
          open: count('Open onboarding cases.', 3),
          ready: count('Of those, with every gate met: waiting only for a decision.', 1),
          blockedBy: z
            .array(z.object({ gate: z.string().openapi({ example: 'assessment:ot-service-provider' }), kind: z.string().openapi({ example: 'assessment' }), label: z.string(), suppliers: count('Open cases this gate holds up.', 2) }))
            .openapi({ description: 'The gates holding open cases up, most first (at most 10).' }),
          longestWaiting: z
            .array(z.object({ supplierId: z.string(), name: z.string(), tier: SupplierTierSchema, since: DateTimeSchema, unmetGates: z.array(z.string()) }))
            .openapi({ description: `Up to ${DASHBOARD_LIFECYCLE_WAITING} open cases, oldest first, with the gates each still misses.` }),
        }),
        offboarding: z.object({
          open: count('Suppliers being offboarded.', 1),
          longestWaiting: z
            .array(z.object({ supplierId: z.string(), name: z.string(), tier: SupplierTierSchema, since: DateTimeSchema }))
            .openapi({ description: `Up to ${DASHBOARD_LIFECYCLE_WAITING} open offboarding cases, oldest first.` }),
        }),
      })
      .openapi({ description: 'Suppliers in onboarding and which gates block them; suppliers being offboarded.' }),
    concentrationHotSpots: z.array(ConcentrationEntrySchema).openapi({
      description: `Up to ${DASHBOARD_HOT_SPOTS} providers (suppliers or their subcontractors) that at least ${HOT_SPOT_MIN_SERVICES} critical or important services depend on, most first: the top of \`GET /v1/concentration\`.`,
    }),
  })
  .openapi('Dashboard', { example: EXAMPLE });
