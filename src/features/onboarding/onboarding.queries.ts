import { and, desc, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import { BUILTIN_CLAUSES } from '../../catalog/clauses';
import { BUILT_IN_TEMPLATES } from '../../catalog/questionnaires';
import { DEFAULT_ONBOARDING_POLICY, type OnboardingPolicy } from '../../catalog/onboarding-policy';
import {
  assessments,
  contractClauses,
  contracts,
  customClauses,
  evidence,
  findings,
  onboardingPolicies,
  questionnaireTemplates,
  supplierCases,
  supplierContacts,
  suppliers,
} from '../../db/schema';
import type { Db } from '../../db/types';
import { problems } from '../../lib/errors';
import type { SupplierRow } from '../suppliers/suppliers.queries';
import { OnboardingPolicySchema } from './onboarding.schemas';

export type OnboardingPolicyRow = typeof onboardingPolicies.$inferSelect;
export type SupplierCaseRow = typeof supplierCases.$inferSelect;

export async function latestPolicyRow(db: Db, tenantId: string): Promise<OnboardingPolicyRow | undefined> {
  const [row] = await db.select().from(onboardingPolicies).where(eq(onboardingPolicies.tenantId, tenantId)).orderBy(desc(onboardingPolicies.version)).limit(1);
  return row;
}

/** A given version (the one a case started with); version 0 is the built-in policy. */
export async function policyVersion(db: Db, tenantId: string, version: number): Promise<OnboardingPolicy | undefined> {
  if (version === 0) return DEFAULT_ONBOARDING_POLICY;
  const [row] = await db
    .select()
    .from(onboardingPolicies)
    .where(and(eq(onboardingPolicies.tenantId, tenantId), eq(onboardingPolicies.version, version)));
  return row ? OnboardingPolicySchema.parse(row.document) : undefined;
}

export async function currentPolicy(db: Db, tenantId: string): Promise<{ version: number; policy: OnboardingPolicy }> {
  const row = await latestPolicyRow(db, tenantId);
  if (!row) return { version: 0, policy: DEFAULT_ONBOARDING_POLICY };
  return { version: row.version, policy: OnboardingPolicySchema.parse(row.document) };
}

export async function insertPolicy(db: Db, values: typeof onboardingPolicies.$inferInsert): Promise<OnboardingPolicyRow> {
  const [row] = await db.insert(onboardingPolicies).values(values).returning();
  return row!;
}

/** Template names and clause titles by key: what a policy may name, and how gates are labelled. */
export async function policyVocabulary(db: Db, tenantId: string): Promise<{ templates: Map<string, string>; clauses: Map<string, string> }> {
  const [templateRows, clauseRows] = await Promise.all([
    db
      .select({ key: questionnaireTemplates.key, name: questionnaireTemplates.name })
      .from(questionnaireTemplates)
      .where(and(eq(questionnaireTemplates.tenantId, tenantId), isNull(questionnaireTemplates.archivedAt))),
    db.select({ key: customClauses.key, title: customClauses.title }).from(customClauses).where(eq(customClauses.tenantId, tenantId)),
  ]);
  return {
    // Built-in templates reach a tenant's table on first use; a policy may name them before that.
    templates: new Map([...BUILT_IN_TEMPLATES.map((template) => [template.key, template.name] as const), ...templateRows.map((row) => [row.key, row.name] as const)]),
    clauses: new Map([...BUILTIN_CLAUSES.map((clause) => [clause.key, clause.title] as const), ...clauseRows.map((row) => [row.key, row.title] as const)]),
  };
}

export async function insertCase(db: Db, values: typeof supplierCases.$inferInsert): Promise<SupplierCaseRow> {
  const [row] = await db.insert(supplierCases).values(values).returning();
  return row!;
}

/** The supplier's most recent case of a kind (the open one when there is one). */
export async function latestCase(db: Db, tenantId: string, supplierId: string, kind: string, options: { forUpdate?: boolean } = {}): Promise<SupplierCaseRow | undefined> {
  const query = db
    .select()
    .from(supplierCases)
    .where(and(eq(supplierCases.tenantId, tenantId), eq(supplierCases.supplierId, supplierId), eq(supplierCases.kind, kind)))
    .orderBy(desc(supplierCases.createdAt), desc(supplierCases.id))
    .limit(1);
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function updateCase(db: Db, current: SupplierCaseRow, changes: Partial<typeof supplierCases.$inferInsert>, now: Date): Promise<SupplierCaseRow> {
  const [row] = await db
    .update(supplierCases)
    .set({ ...changes, version: current.version + 1, updatedAt: now })
    .where(and(eq(supplierCases.tenantId, current.tenantId), eq(supplierCases.id, current.id)))
    .returning();
  return row!;
}

export interface GateFacts {
  hasPrimaryContact: boolean;
  acceptedAssessments: { id: string; templateKey: string; acceptedAt: Date | null }[];
  validEvidence: { id: string; kind: string }[];
  presentClauses: { contractId: string; clauseKey: string }[];
  openCriticalFindings: string[];
}

const emptyFacts = (): GateFacts => ({ hasPrimaryContact: false, acceptedAssessments: [], validEvidence: [], presentClauses: [], openCriticalFindings: [] });

/**
 * Everything the gates of some suppliers depend on, in five indexed queries whatever the number of
 * suppliers or gates (bounded by what the gates ask for): one case or a dashboard of many.
 */
export async function gateFacts(
  db: Db,
  input: { tenantId: string; supplierIds: string[]; templateKeys: string[]; evidenceKinds: string[]; clauseKeys: string[]; acceptedSince: Date; today: string },
): Promise<Map<string, GateFacts>> {
  const { tenantId, supplierIds, today } = input;
  const facts = new Map(supplierIds.map((id) => [id, emptyFacts()]));
  if (supplierIds.length === 0) return facts;
  const none = Promise.resolve([]);
  const [contacts, accepted, valid, clauses, critical] = await Promise.all([
    db
      .select({ supplierId: supplierContacts.supplierId })
      .from(supplierContacts)
      .where(and(eq(supplierContacts.tenantId, tenantId), inArray(supplierContacts.supplierId, supplierIds), eq(supplierContacts.isPrimary, true))),
    input.templateKeys.length === 0
      ? none
      : db
          .select({ supplierId: assessments.supplierId, id: assessments.id, templateKey: questionnaireTemplates.key, acceptedAt: assessments.acceptedAt })
          .from(assessments)
          .innerJoin(questionnaireTemplates, and(eq(questionnaireTemplates.tenantId, assessments.tenantId), eq(questionnaireTemplates.id, assessments.templateId)))
          .where(
            and(
              eq(assessments.tenantId, tenantId),
              inArray(assessments.supplierId, supplierIds),
              eq(assessments.status, 'accepted'),
              gte(assessments.acceptedAt, input.acceptedSince),
              inArray(questionnaireTemplates.key, input.templateKeys),
            ),
          )
          .orderBy(desc(assessments.acceptedAt)),
    input.evidenceKinds.length === 0
      ? none
      : db
          .select({ supplierId: evidence.supplierId, id: evidence.id, kind: evidence.kind })
          .from(evidence)
          .where(
            and(
              eq(evidence.tenantId, tenantId),
              inArray(evidence.supplierId, supplierIds),
              isNull(evidence.archivedAt),
              inArray(evidence.kind, input.evidenceKinds),
              or(isNull(evidence.validFrom), lte(evidence.validFrom, today)),
              or(isNull(evidence.validUntil), gte(evidence.validUntil, today)),
            ),
          )
          .orderBy(desc(evidence.validUntil)),
    input.clauseKeys.length === 0
      ? none
      : db
          .select({ supplierId: contracts.supplierId, contractId: contractClauses.contractId, clauseKey: contractClauses.clauseKey })
          .from(contractClauses)
          .innerJoin(contracts, and(eq(contracts.tenantId, contractClauses.tenantId), eq(contracts.id, contractClauses.contractId)))
          .where(
            and(
              eq(contracts.tenantId, tenantId),
              inArray(contracts.supplierId, supplierIds),
              inArray(contracts.status, ['draft', 'active']),
              eq(contractClauses.status, 'present'),
              inArray(contractClauses.clauseKey, input.clauseKeys),
            ),
          ),
    db
      .select({ supplierId: findings.supplierId, id: findings.id })
      .from(findings)
      .where(
        and(eq(findings.tenantId, tenantId), inArray(findings.supplierId, supplierIds), eq(findings.severity, 'critical'), inArray(findings.status, ['open', 'in_remediation'])),
      ),
  ]);
  const of = (supplierId: string) => facts.get(supplierId)!;
  for (const row of contacts) of(row.supplierId).hasPrimaryContact = true;
  for (const { supplierId, ...row } of accepted) of(supplierId).acceptedAssessments.push(row);
  for (const { supplierId, ...row } of valid) of(supplierId).validEvidence.push(row);
  for (const { supplierId, ...row } of clauses) of(supplierId).presentClauses.push(row);
  for (const row of critical) of(row.supplierId).openCriticalFindings.push(row.id);
  return facts;
}

/** Open cases of a kind with their suppliers, oldest first: what a dashboard summarises. */
export async function openCases(db: Db, tenantId: string, kind: string) {
  return db
    .select({ caseRow: supplierCases, supplier: suppliers })
    .from(supplierCases)
    .innerJoin(suppliers, and(eq(suppliers.tenantId, supplierCases.tenantId), eq(suppliers.id, supplierCases.supplierId)))
    .where(and(eq(supplierCases.tenantId, tenantId), eq(supplierCases.kind, kind), eq(supplierCases.status, 'open')))
    .orderBy(supplierCases.createdAt, supplierCases.id);
}

/** Status and last onboarding decision on the supplier row, bumping its version like any supplier write. */
export async function setSupplierApproval(
  db: Db,
  current: SupplierRow,
  changes: Partial<Pick<SupplierRow, 'status' | 'approvalDecision' | 'approvalDecidedAt' | 'approvalOverride'>>,
  now: Date,
): Promise<SupplierRow> {
  const [row] = await db
    .update(suppliers)
    .set({ ...changes, version: current.version + 1, updatedAt: now })
    .where(and(eq(suppliers.tenantId, current.tenantId), eq(suppliers.id, current.id), eq(suppliers.version, current.version)))
    .returning();
  if (!row) throw problems.conflict('The supplier changed while this request ran. Read it again and retry.', 'concurrent_update');
  return row;
}
