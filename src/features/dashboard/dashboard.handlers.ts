import type { RouteHandler } from '@hono/zod-openapi';
import { SUPPLIER_TIERS } from '../../catalog/supplier-profile';
import type { Db } from '../../db/types';
import type { AppEnv } from '../../lib/context';
import { dashboardCacheOf } from './dashboard.cache';
import { RISK_RATINGS, SEVERITIES, type RiskFactor } from '../../scoring/types';
import { ASSESSMENT_STATUSES } from '../assessments/assessments.queries';
import { presentConcentration } from '../supply-chain/supply-chain.handlers';
import { concentrationRows } from '../supply-chain/supply-chain.queries';
import { CONCENTRATION_SERVICE_IDS, MAX_CHAIN_DEPTH } from '../supply-chain/supply-chain.schemas';
import { portfolioCounts, riskiestSuppliers } from './dashboard.queries';
import { lifecycleSummary } from '../onboarding/onboarding.view';
import { DASHBOARD_HOT_SPOTS, DASHBOARD_LIFECYCLE_WAITING, DASHBOARD_RISKIEST, HOT_SPOT_MIN_SERVICES } from './dashboard.schemas';
import type { getDashboardRoute } from './dashboard.routes';

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

/** Adds `value` under `key` when the key is one we report (a value outside the lists is not counted twice). */
function add<K extends string>(target: Record<K, number>, key: string, value: number) {
  if (key in target) target[key as K] += value;
}

/** jsonb comes back parsed from both drivers, but a hand-written row could hold text. */
function factorOf(value: unknown): RiskFactor | null {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (!parsed || typeof parsed !== 'object') return null;
  const factor = parsed as RiskFactor;
  return { group: factor.group, key: factor.key, label: factor.label, input: factor.input ?? null, contribution: Number(factor.contribution) };
}

export const getDashboardHandler: RouteHandler<typeof getDashboardRoute, AppEnv> = async (c) => {
  const { db, now } = c.var;
  const tenantId = c.get('principal').tenantId;
  const body = await dashboardCacheOf<DashboardBody>(c.get('deps')).get(db, tenantId, now, () => computeDashboard(db, tenantId, now));
  return c.json(body, 200);
};

type DashboardBody = Awaited<ReturnType<typeof computeDashboard>>;

async function computeDashboard(db: Db, tenantId: string, now: Date) {
  const [counts, riskiest, hotSpots, lifecycle] = await Promise.all([
    portfolioCounts(db, tenantId, now),
    riskiestSuppliers(db, tenantId, DASHBOARD_RISKIEST),
    concentrationRows(db, {
      tenantId,
      limit: DASHBOARD_HOT_SPOTS,
      maxDepth: MAX_CHAIN_DEPTH,
      serviceIdsShown: CONCENTRATION_SERVICE_IDS,
      minCriticalServices: HOT_SPOT_MIN_SERVICES,
    }),
    lifecycleSummary(db, tenantId, now, DASHBOARD_LIFECYCLE_WAITING),
  ]);

  const { suppliers: supplierRows, assessments: assessmentRows, findings: findingRows } = counts;
  const expiry = counts.evidence ?? { expired: 0, within_30_days: 0, within_60_days: 0, within_90_days: 0 };
  const byTier = zeros(SUPPLIER_TIERS);
  const byRating = zeros([...RISK_RATINGS, 'unscored'] as const);
  const reviews = { due: 0, dueEarly: 0, dueWithin30Days: 0 };
  let supplierTotal = 0;
  for (const row of supplierRows) {
    const n = Number(row.suppliers);
    supplierTotal += n;
    add(byTier, row.tier, n);
    add(byRating, row.risk_rating ?? 'unscored', n);
    reviews.due += Number(row.reviews_due);
    reviews.dueEarly += Number(row.reviews_due_early);
    reviews.dueWithin30Days += Number(row.reviews_next_30_days);
  }

  const byStatus = zeros(ASSESSMENT_STATUSES);
  let assessmentTotal = 0;
  let assessmentsOverdue = 0;
  for (const row of assessmentRows) {
    assessmentTotal += Number(row.assessments);
    assessmentsOverdue += Number(row.overdue);
    add(byStatus, row.status, Number(row.assessments));
  }

  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, { open: 0, overdue: 0 }])) as Record<
    (typeof SEVERITIES)[number],
    { open: number; overdue: number }
  >;
  const findings = { open: 0, overdue: 0, riskAccepted: 0 };
  for (const row of findingRows) {
    const n = Number(row.findings);
    if (row.status === 'risk_accepted') {
      findings.riskAccepted += n;
      continue;
    }
    findings.open += n;
    findings.overdue += Number(row.overdue);
    const slot = bySeverity[row.severity as (typeof SEVERITIES)[number]];
    if (slot) {
      slot.open += n;
      slot.overdue += Number(row.overdue);
    }
  }

  return {
    generatedAt: now.toISOString(),
    suppliers: { total: supplierTotal, byTier, byRating },
    assessments: { total: assessmentTotal, byStatus, overdue: assessmentsOverdue },
    findings: { ...findings, bySeverity },
    evidence: {
      expired: Number(expiry.expired),
      expiringWithin30Days: Number(expiry.within_30_days),
      expiringWithin60Days: Number(expiry.within_60_days),
      expiringWithin90Days: Number(expiry.within_90_days),
    },
    reviews,
    riskiestSuppliers: riskiest.map((row) => ({
      id: row.id,
      name: row.name,
      tier: row.tier as 'critical',
      residualRisk: Number(row.residual_risk),
      rating: row.risk_rating as 'high' | null,
      topFactor: factorOf(row.top_factor),
    })),
    lifecycle: {
      onboarding: { ...lifecycle.onboarding, longestWaiting: lifecycle.onboarding.longestWaiting.map((row) => ({ ...row, tier: row.tier as 'critical' })) },
      offboarding: { ...lifecycle.offboarding, longestWaiting: lifecycle.offboarding.longestWaiting.map((row) => ({ ...row, tier: row.tier as 'critical' })) },
    },
    concentrationHotSpots: hotSpots.slice(0, DASHBOARD_HOT_SPOTS).map(presentConcentration),
  };
}
