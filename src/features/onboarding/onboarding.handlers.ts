import type { RouteHandler } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { DEFAULT_ONBOARDING_POLICY, type OnboardingPolicy } from '../../catalog/onboarding-policy';
import { auditContextOf, recordAudit } from '../../lib/audit';
import type { AppContext, AppEnv } from '../../lib/context';
import { ApiError, problems } from '../../lib/errors';
import { assertIfMatch, setEtag } from '../../lib/etag';
import { emitEvent } from '../../lib/events';
import { documentDiff } from '../../lib/document-diff';
import { changesScore, raiseFinding } from '../findings/findings.raise';
import { rescoreSupplier } from '../risk/risk.rescore';
import { supplierEventData } from '../suppliers/suppliers.events';
import { requireSupplier, type SupplierRow } from '../suppliers/suppliers.queries';
import { evaluateGates } from './onboarding.gates';
import { startSupplierCase } from './supplier-cases';
import { casePolicy, caseView, onboardingView, presentCase, type Approval, type DecisionRecord } from './onboarding.view';
import { checkPolicyCoherence } from './onboarding.policy';
import {
  currentPolicy,
  insertPolicy,
  latestCase,
  latestPolicyRow,
  policyVocabulary,
  setSupplierApproval,
  updateCase,
  type OnboardingPolicyRow,
  type SupplierCaseRow,
} from './onboarding.queries';
import { OnboardingPolicySchema, type Gate, type OnboardingDecisionInput } from './onboarding.schemas';
import type { decideOnboardingRoute, getOnboardingPolicyRoute, getOnboardingRoute, putOnboardingPolicyRoute, startOnboardingRoute } from './onboarding.routes';

/** Keeps two PUTs for one tenant from both reading version n and both inserting n + 1. */
const ONBOARDING_POLICY_LOCK_CLASS = 7_203;

/** Statuses from which onboarding can start: a supplier already active or leaving is past it. */
const ONBOARDABLE_STATUSES = new Set(['prospect', 'onboarding']);

function presentPolicy(c: AppContext, row: OnboardingPolicyRow | undefined) {
  const body = row
    ? {
        version: row.version,
        policy: OnboardingPolicySchema.parse(row.document),
        builtIn: false,
        updatedAt: row.createdAt.toISOString(),
        updatedBy: { type: row.createdByType, id: row.createdById },
      }
    : { version: 0, policy: DEFAULT_ONBOARDING_POLICY, builtIn: true, updatedAt: null, updatedBy: null };
  setEtag(c, body.version);
  return body;
}

export const getOnboardingPolicyHandler: RouteHandler<typeof getOnboardingPolicyRoute, AppEnv> = async (c) => {
  return c.json(presentPolicy(c, await latestPolicyRow(c.get('db'), c.get('principal').tenantId)), 200);
};

export const putOnboardingPolicyHandler: RouteHandler<typeof putOnboardingPolicyRoute, AppEnv> = async (c) => {
  const policy = c.req.valid('json');
  const { tenantId, actor } = c.get('principal');
  const row = await c.get('db').transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ONBOARDING_POLICY_LOCK_CLASS}::int, hashtext(${tenantId}))`);
    const vocabulary = await policyVocabulary(tx, tenantId);
    const errors = checkPolicyCoherence(policy, { templateKeys: new Set(vocabulary.templates.keys()), clauseKeys: new Set(vocabulary.clauses.keys()) });
    if (errors.length > 0) throw problems.validation(errors, 'The onboarding policy is not coherent.');
    const current = await currentPolicy(tx, tenantId);
    assertIfMatch(c, current.version);
    const inserted = await insertPolicy(tx, {
      tenantId,
      version: current.version + 1,
      document: policy,
      createdByType: actor.type,
      createdById: actor.id,
      createdAt: c.get('now'),
    });
    await recordAudit(tx, auditContextOf(c), {
      action: 'onboarding_policy.updated',
      entityType: 'onboarding_policy',
      entityId: String(inserted.version),
      changes: { fromVersion: current.version, toVersion: inserted.version, ...documentDiff(current.policy, policy) },
    });
    return inserted;
  });
  return c.json(presentPolicy(c, row), 200);
};

export const startOnboardingHandler: RouteHandler<typeof startOnboardingRoute, AppEnv> = async (c) => {
  const { supplierId } = c.req.valid('param');
  const body = c.req.valid('json') ?? {};
  const { tenantId } = c.get('principal');
  const view = await c.get('db').transaction(async (tx) => {
    const { version } = await currentPolicy(tx, tenantId);
    const { row, supplier } = await startSupplierCase(tx, auditContextOf(c), supplierId, { kind: 'onboarding', from: ONBOARDABLE_STATUSES, policyVersion: version, note: body.note ?? null });
    await emitEvent(tx, tenantId, c.get('now'), { type: 'supplier.onboarding_started', data: { ...supplierEventData(supplier), caseId: row.id } });
    return caseView(tx, row, supplier, c.get('now'));
  });
  c.header('Location', `/v1/suppliers/${supplierId}/onboarding`);
  return c.json(view, 201);
};

export const getOnboardingHandler: RouteHandler<typeof getOnboardingRoute, AppEnv> = async (c) => {
  const { supplierId } = c.req.valid('param');
  const { db, now } = c.var;
  const tenantId = c.get('principal').tenantId;
  const supplier = await requireSupplier(db, tenantId, supplierId);
  return c.json(await onboardingView(db, supplier, now), 200);
};

/** 409 naming each unmet gate, so the caller knows exactly what is missing. */
function gatesUnmet(gates: Gate[]): ApiError {
  const unmet = gates.filter((gate) => !gate.met);
  return new ApiError({
    status: 409,
    code: 'onboarding_gates_unmet',
    title: 'Conflict',
    detail: `${unmet.length} gate(s) are unmet: ${unmet.map((gate) => gate.key).join(', ')}. Meet them, or decide with an override and its justification.`,
    extensions: { unmetGates: unmet.map((gate) => ({ key: gate.key, label: gate.label, detail: gate.detail })) },
  });
}

function assertMayDecide(c: AppContext, policy: OnboardingPolicy, supplier: SupplierRow, row: SupplierCaseRow) {
  const rule = policy.approval[supplier.tier as keyof OnboardingPolicy['approval']];
  const { roles, actor } = c.get('principal');
  if (!rule.roles.some((role) => roles.has(role))) {
    throw problems.forbidden(`Deciding the onboarding of a ${supplier.tier} supplier needs one of the roles ${rule.roles.join(', ')} (onboarding policy version ${row.policyVersion}).`);
  }
  if ((row.approvals as Approval[]).some((approval) => approval.actor.type === actor.type && approval.actor.id === actor.id)) {
    throw problems.conflict('You have already approved this case; a second approval must come from someone else.', 'already_approved');
  }
}

function assertDecisionInput(input: OnboardingDecisionInput) {
  if (input.decision === 'approved_with_conditions' && !input.conditions) {
    throw problems.validation([{ location: 'body', path: 'conditions', message: 'Required for approved_with_conditions: at least one condition with its due date and owner.' }]);
  }
  if (input.decision !== 'approved_with_conditions' && input.conditions) {
    throw problems.validation([{ location: 'body', path: 'conditions', message: 'Only approved_with_conditions takes conditions.' }]);
  }
}

export const decideOnboardingHandler: RouteHandler<typeof decideOnboardingRoute, AppEnv> = async (c) => {
  const { supplierId } = c.req.valid('param');
  const input = c.req.valid('json');
  assertDecisionInput(input);
  const { tenantId, actor } = c.get('principal');
  const { now } = c.var;
  const audit = auditContextOf(c);
  const view = await c.get('db').transaction(async (tx) => {
    const supplier = await requireSupplier(tx, tenantId, supplierId, { forUpdate: true });
    const row = await latestCase(tx, tenantId, supplierId, 'onboarding', { forUpdate: true });
    if (!row) throw problems.notFound('Onboarding case');
    if (row.status !== 'open') throw problems.conflict(`The onboarding case is already decided (${row.status}). Start a new one to decide again.`, 'onboarding_decided');
    const policy = await casePolicy(tx, row);
    assertMayDecide(c, policy, supplier, row);
    const gates = await evaluateGates(tx, supplier, policy, now);
    const unmet = gates.filter((gate) => !gate.met).map((gate) => gate.key);
    // A rejection needs no gate: turning a supplier down is always allowed.
    if (input.decision !== 'rejected' && unmet.length > 0 && !input.override) throw gatesUnmet(gates);

    const approvals = row.approvals as Approval[];
    const required = policy.approval[supplier.tier as keyof OnboardingPolicy['approval']].approvers;
    if (input.decision !== 'rejected' && approvals.length + 1 < required) {
      const approval: Approval = { actor, decision: input.decision, at: now.toISOString(), note: input.note ?? null };
      const updated = await updateCase(tx, row, { approvals: [...approvals, approval] }, now);
      await recordAudit(tx, audit, {
        action: 'supplier.onboarding_approval_given',
        entityType: 'supplier_case',
        entityId: row.id,
        changes: { supplierId, decision: input.decision, approvals: approvals.length + 1, approversRequired: required, unmetGates: unmet, override: input.override?.justification ?? null },
      });
      return presentCase(updated, supplier, policy, gates);
    }

    const conditionFindingIds: string[] = [];
    let rescore = false;
    for (const [index, condition] of (input.conditions ?? []).entries()) {
      const { finding, outcome } = await raiseFinding(tx, audit, {
        supplierId,
        source: 'onboarding_condition',
        sourceRef: `${row.id}:${index + 1}`,
        title: condition.title,
        description: condition.description ?? null,
        severity: condition.severity,
        dueDate: condition.dueDate,
        owner: condition.owner,
      });
      conditionFindingIds.push(finding.id);
      rescore ||= changesScore(outcome);
    }
    const override = unmet.length > 0 && input.decision !== 'rejected' ? (input.override?.justification ?? null) : null;
    const finalApprovals = input.decision === 'rejected' ? approvals : [...approvals, { actor, decision: input.decision, at: now.toISOString(), note: input.note ?? null }];
    const decided = await updateCase(
      tx,
      row,
      {
        status: input.decision,
        decision: input.decision,
        decidedAt: now,
        decidedByType: actor.type,
        decidedById: actor.id,
        decisionNote: input.note ?? null,
        overrideJustification: override,
        approvals: finalApprovals,
        gatesAtDecision: { unmetGates: unmet, conditionFindingIds, gates } satisfies DecisionRecord & { gates: Gate[] },
      },
      now,
    );
    const status = input.decision === 'rejected' ? 'prospect' : 'active';
    const updatedSupplier = await setSupplierApproval(tx, supplier, { status, approvalDecision: input.decision, approvalDecidedAt: now, approvalOverride: override }, now);
    await recordAudit(tx, audit, [
      {
        action: `supplier.${input.decision === 'rejected' ? 'rejected' : 'approved'}`,
        entityType: 'supplier_case',
        entityId: row.id,
        changes: { supplierId, decision: input.decision, unmetGates: unmet, override, approvers: finalApprovals.map((approval) => approval.actor), conditionFindingIds },
      },
      { action: 'supplier.updated', entityType: 'supplier', entityId: supplierId, changes: { status: { from: supplier.status, to: status }, approvalDecision: { from: supplier.approvalDecision, to: input.decision } } },
    ]);
    if (rescore) await rescoreSupplier(tx, { tenantId, supplierId, now, trigger: 'finding' });
    const eventData = { ...supplierEventData(updatedSupplier), caseId: row.id, decision: input.decision, overridden: override !== null };
    await emitEvent(tx, tenantId, now, { type: input.decision === 'rejected' ? 'supplier.rejected' : 'supplier.approved', data: eventData });
    await emitEvent(tx, tenantId, now, { type: 'supplier.updated', data: supplierEventData(updatedSupplier, ['status']) });
    return presentCase(decided, updatedSupplier, policy, gates);
  });
  return c.json(view, 200);
};
