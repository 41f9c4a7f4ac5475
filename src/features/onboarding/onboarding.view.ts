import type { OnboardingPolicy } from '../../catalog/onboarding-policy';
import type { Db } from '../../db/types';
import type { SupplierRow } from '../suppliers/suppliers.queries';
import { evaluateGates, evaluateGatesFor } from './onboarding.gates';
import { currentPolicy, latestCase, openCases, policyVersion, type SupplierCaseRow } from './onboarding.queries';
import type { Gate } from './onboarding.schemas';

export interface Approval {
  actor: { type: string; id: string };
  decision: 'approved' | 'approved_with_conditions';
  at: string;
  note: string | null;
}

export interface DecisionRecord {
  unmetGates: string[];
  conditionFindingIds: string[];
}

export async function casePolicy(db: Db, row: Pick<SupplierCaseRow, 'tenantId' | 'policyVersion'>): Promise<OnboardingPolicy> {
  const policy = await policyVersion(db, row.tenantId, row.policyVersion);
  if (!policy) throw new Error(`onboarding policy version ${row.policyVersion} of ${row.tenantId} is missing`);
  return policy;
}

export function presentCase(row: SupplierCaseRow, supplier: SupplierRow, policy: OnboardingPolicy, gates: Gate[]) {
  const approvalRule = policy.approval[supplier.tier as keyof OnboardingPolicy['approval']];
  const unmetGates = gates.filter((gate) => !gate.met).map((gate) => gate.key);
  const record = (row.gatesAtDecision ?? { unmetGates: [], conditionFindingIds: [] }) as DecisionRecord;
  return {
    id: row.id,
    supplierId: row.supplierId,
    status: row.status as 'open',
    policyVersion: row.policyVersion,
    ready: unmetGates.length === 0,
    gates,
    unmetGates,
    approval: { roles: approvalRule.roles, approversRequired: approvalRule.approvers, approvals: row.approvals as Approval[] },
    decision:
      row.decision && row.decidedAt
        ? {
            decision: row.decision as 'approved',
            decidedAt: row.decidedAt.toISOString(),
            decidedBy: { type: row.decidedByType!, id: row.decidedById! },
            note: row.decisionNote,
            override: row.overrideJustification,
            unmetGatesAtDecision: record.unmetGates,
            conditionFindingIds: record.conditionFindingIds,
          }
        : null,
    startedBy: { type: row.startedByType, id: row.startedById },
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function caseView(db: Db, row: SupplierCaseRow, supplier: SupplierRow, now: Date) {
  const policy = await casePolicy(db, row);
  return presentCase(row, supplier, policy, await evaluateGates(db, supplier, policy, now));
}

/** Before any case: what onboarding would ask of the supplier today, so nobody has to start a case to find out. */
async function previewView(db: Db, supplier: SupplierRow, now: Date) {
  const { version, policy } = await currentPolicy(db, supplier.tenantId);
  const gates = await evaluateGates(db, supplier, policy, now);
  const rule = policy.approval[supplier.tier as keyof OnboardingPolicy['approval']];
  const unmetGates = gates.filter((gate) => !gate.met).map((gate) => gate.key);
  return {
    id: null,
    supplierId: supplier.id,
    status: 'not_started' as const,
    policyVersion: version,
    ready: unmetGates.length === 0,
    gates,
    unmetGates,
    approval: { roles: rule.roles, approversRequired: rule.approvers, approvals: [] },
    decision: null,
    startedBy: null,
    version: 0,
    createdAt: null,
    updatedAt: null,
  };
}

/** The supplier's latest onboarding case, or the preview when it never had one: what the API and the dossier show. */
export async function onboardingView(db: Db, supplier: SupplierRow, now: Date) {
  const row = await latestCase(db, supplier.tenantId, supplier.id, 'onboarding');
  return row ? caseView(db, row, supplier, now) : previewView(db, supplier, now);
}

export type OnboardingView = Awaited<ReturnType<typeof onboardingView>>;

/** Gates reported at most on the dashboard, most blocking first. */
export const DASHBOARD_BLOCKING_GATES = 10;

/**
 * Open onboarding cases: how many, how many are ready for a decision, which gates hold the rest up,
 * and the longest-waiting cases with what they miss; plus how many suppliers are being offboarded.
 * The gates of every open case are evaluated in the same few queries.
 */
export async function lifecycleSummary(db: Db, tenantId: string, now: Date, waitingLimit: number) {
  const [onboarding, offboarding] = await Promise.all([openCases(db, tenantId, 'onboarding'), openCases(db, tenantId, 'offboarding')]);
  const versions = [...new Set(onboarding.map((row) => row.caseRow.policyVersion))];
  const policies = new Map(await Promise.all(versions.map(async (version) => [version, await casePolicy(db, { tenantId, policyVersion: version })] as const)));
  const gates = await evaluateGatesFor(db, tenantId, onboarding.map((row) => ({ supplier: row.supplier, policy: policies.get(row.caseRow.policyVersion)! })), now);
  const blocking = new Map<string, { gate: string; kind: string; label: string; suppliers: number }>();
  let ready = 0;
  const waiting = onboarding.map(({ caseRow, supplier }) => {
    const unmet = gates.get(supplier.id)!.filter((gate) => !gate.met);
    if (unmet.length === 0) ready += 1;
    for (const gate of unmet) {
      const entry = blocking.get(gate.key) ?? { gate: gate.key, kind: gate.kind, label: gate.label, suppliers: 0 };
      entry.suppliers += 1;
      blocking.set(gate.key, entry);
    }
    return { supplierId: supplier.id, name: supplier.name, tier: supplier.tier, since: caseRow.createdAt.toISOString(), unmetGates: unmet.map((gate) => gate.key) };
  });
  return {
    onboarding: {
      open: onboarding.length,
      ready,
      blockedBy: [...blocking.values()].sort((a, b) => b.suppliers - a.suppliers || a.gate.localeCompare(b.gate)).slice(0, DASHBOARD_BLOCKING_GATES),
      longestWaiting: waiting.slice(0, waitingLimit),
    },
    offboarding: {
      open: offboarding.length,
      longestWaiting: offboarding.slice(0, waitingLimit).map(({ caseRow, supplier }) => ({ supplierId: supplier.id, name: supplier.name, tier: supplier.tier, since: caseRow.createdAt.toISOString() })),
    },
  };
}
