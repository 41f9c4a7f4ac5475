import { emitEvent } from '../../lib/events';
import type { RouteHandler } from '@hono/zod-openapi';
import { count, eq } from 'drizzle-orm';
import { z } from 'zod';
import {
  CUSTOM_CLAUSES_PER_TENANT,
  JUSTIFIED_CLAUSE_STATUSES,
  type ClauseDefinition,
  type ClauseStatus,
} from '../../catalog/clauses';
import { contractClauses, customClauses } from '../../db/schema';
import type { Db } from '../../db/types';
import { auditContextOf, recordAudit } from '../../lib/audit';
import type { AppContext, AppEnv } from '../../lib/context';
import { isUniqueViolation, problems, type FieldError } from '../../lib/errors';
import type { ArrangementType } from '../../catalog/dora-register';
import { assertIfMatch, setEtag } from '../../lib/etag';
import { newId } from '../../lib/ids';
import { csvAttachment } from '../../lib/csv';
import { decodeCursor, toPage } from '../../lib/pagination';
import { unusableEvidenceIds } from '../evidence/evidence.queries';
import { clauseFindingEffect, ENDED_CONTRACT_STATUSES, isSatisfied, resolveClauseFindingsOfEndedContract } from './clause-findings';
import { rescoreSupplier } from '../risk/risk.rescore';
import { findSupplier } from '../suppliers/suppliers.queries';
import { applicableClauses, clauseApplies } from './clause-applicability';
import { clauseGapExportStream } from './clause-gaps.export';
import { contractClauseCounts, listGaps, tenantGapFilter, type ClauseCounts, type GapRow } from './clause-sql';
import {
  clauseLibrary,
  clauseStates,
  coversCriticalFunction,
  customClauseDefinition,
  findClause,
  findContractByReference,
  foreignServiceIds,
  insertContract,
  listContracts,
  replaceServices,
  requireContract,
  servicesOf,
  tenantRegime,
  updateContract,
  type ContractChanges,
  type ContractClauseRow,
  type ContractRow,
} from './contracts.queries';
import type {
  createClauseRoute,
  createContractRoute,
  exportClauseGapsRoute,
  getContractRoute,
  listClauseGapsRoute,
  listClauseLibraryRoute,
  listContractClausesRoute,
  listContractGapsRoute,
  listContractsRoute,
  setContractClauseRoute,
  updateContractRoute,
} from './contracts.routes';

const iso = (value: Date | string | null | undefined) => (value === null || value === undefined ? null : new Date(value).toISOString());

export function presentClause(clause: ClauseDefinition) {
  return { ...clause, builtIn: clause.source !== 'custom' };
}

function presentContract(row: ContractRow, serviceIds: string[], counts: ClauseCounts | undefined) {
  const applicable = counts?.applicable ?? 0;
  const satisfied = counts?.satisfied ?? 0;
  return {
    id: row.id,
    supplierId: row.supplierId,
    serviceIds,
    reference: row.reference,
    title: row.title,
    status: row.status as 'draft',
    startDate: row.startDate,
    endDate: row.endDate,
    noticePeriodDays: row.noticePeriodDays,
    autoRenewal: row.autoRenewal,
    governingLaw: row.governingLaw,
    annualValueAmount: row.annualValueAmount,
    annualValueCurrency: row.annualValueCurrency,
    arrangementType: row.arrangementType as ArrangementType | null,
    overarchingReference: row.overarchingReference,
    providerNoticePeriodDays: row.providerNoticePeriodDays,
    clauses: { applicable, satisfied, gaps: applicable - satisfied },
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Contracts with their services and clause counts: two queries for the whole list. */
async function presentContracts(db: Db, tenantId: string, rows: ContractRow[]) {
  const ids = rows.map((row) => row.id);
  const [services, counts] = await Promise.all([servicesOf(db, tenantId, ids), contractClauseCounts(db, tenantId, ids)]);
  return rows.map((row) => presentContract(row, services.get(row.id) ?? [], counts.get(row.id)));
}

async function respondContract(c: AppContext, db: Db, row: ContractRow) {
  setEtag(c, row.version);
  const [presented] = await presentContracts(db, row.tenantId, [row]);
  return presented!;
}

const field = (path: string, message: string): FieldError => ({ location: 'body', path, message });

/** The checks shared by create and update, on the contract as it would be. */
async function checkContract(
  db: Db,
  tenantId: string,
  next: Pick<ContractRow, 'supplierId' | 'startDate' | 'endDate' | 'annualValueAmount' | 'annualValueCurrency'>,
  serviceIds: readonly string[] | undefined,
) {
  const errors: FieldError[] = [];
  if (next.startDate && next.endDate && next.startDate > next.endDate) errors.push(field('endDate', `endDate (${next.endDate}) is before startDate (${next.startDate}).`));
  if ((next.annualValueAmount === null) !== (next.annualValueCurrency === null)) {
    errors.push(field(next.annualValueAmount === null ? 'annualValueAmount' : 'annualValueCurrency', 'annualValueAmount and annualValueCurrency go together.'));
  }
  if (serviceIds) {
    const foreign = await foreignServiceIds(db, tenantId, next.supplierId, serviceIds);
    if (foreign.length > 0) errors.push(field('serviceIds', `Not services of the contract's supplier: ${foreign.join(', ')}.`));
  }
  if (errors.length > 0) throw problems.validation(errors);
}

const duplicateReference = (reference: string) => problems.conflict(`Another contract of this tenant has the reference "${reference}".`, 'duplicate_reference');

export const listClauseLibraryHandler: RouteHandler<typeof listClauseLibraryRoute, AppEnv> = async (c) => {
  const { regime, topic } = c.req.valid('query');
  const library = await clauseLibrary(c.get('db'), c.get('principal').tenantId);
  const data = library
    .filter((clause) => !regime || clause.regime === regime || clause.regime === 'both')
    .filter((clause) => !topic || (clause.topic !== null && topic.includes(clause.topic)))
    .map(presentClause);
  return c.json({ data }, 200);
};

export const createClauseHandler: RouteHandler<typeof createClauseRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const { principal, now } = c.var;
  const row = await c.get('db').transaction(async (tx) => {
    const [{ total } = { total: 0 }] = await tx.select({ total: count() }).from(customClauses).where(eq(customClauses.tenantId, principal.tenantId));
    if (Number(total) >= CUSTOM_CLAUSES_PER_TENANT) throw problems.conflict(`A tenant has at most ${CUSTOM_CLAUSES_PER_TENANT} custom clauses.`, 'clause_limit');
    const [created] = await tx
      .insert(customClauses)
      .values({
        tenantId: principal.tenantId,
        key: input.key,
        title: input.title,
        description: input.description ?? null,
        regime: input.regime,
        criticalOnly: input.criticalOnly,
        topic: input.topic ?? null,
        createdByType: principal.actor.type,
        createdById: principal.actor.id,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!created) throw problems.conflict(`The tenant already has a clause with the key "${input.key}".`, 'duplicate_key');
    await recordAudit(tx, auditContextOf(c), {
      action: 'clause.created',
      entityType: 'clause',
      entityId: created.key,
      changes: { title: created.title, regime: created.regime, criticalOnly: created.criticalOnly, topic: created.topic },
    });
    return created;
  });
  c.header('Location', '/v1/clause-library');
  return c.json(presentClause(customClauseDefinition(row)), 201);
};

const listCursor = z.union([z.tuple([z.string().max(40)]), z.tuple([z.iso.date(), z.string().max(40)])]);

export const listContractsHandler: RouteHandler<typeof listContractsRoute, AppEnv> = async (c) => {
  const { limit, cursor, endingBefore, ...filters } = c.req.valid('query');
  const after = cursor ? decodeCursor(cursor, listCursor) : undefined;
  if (after && (after.length === 2) !== Boolean(endingBefore)) {
    throw problems.validation([{ location: 'query', path: 'cursor', message: 'Not a cursor from this list.' }]);
  }
  const tenantId = c.get('principal').tenantId;
  const rows = await listContracts(c.get('db'), {
    ...filters,
    tenantId,
    limit,
    endingBefore,
    ...(after ? { after: after.length === 2 ? { endDate: after[0], id: after[1] } : { id: after[0] } } : {}),
  });
  const page = toPage(rows, limit, (row) => row, (row) => (endingBefore ? [row.endDate ?? '', row.id] : [row.id]));
  return c.json({ data: await presentContracts(c.get('db'), tenantId, page.data), nextCursor: page.nextCursor }, 200);
};

export const createContractHandler: RouteHandler<typeof createContractRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const { principal, now } = c.var;
  const tenantId = principal.tenantId;
  const row = await c.get('db').transaction(async (tx) => {
    const supplier = await findSupplier(tx, tenantId, input.supplierId);
    if (!supplier) throw problems.validation([field('supplierId', 'No such supplier in this tenant.')]);
    if (supplier.archivedAt) throw problems.validation([field('supplierId', 'The supplier is archived. Restore it first.')]);
    const values = {
      supplierId: input.supplierId,
      startDate: input.startDate ?? null,
      endDate: input.endDate ?? null,
      annualValueAmount: input.annualValueAmount ?? null,
      annualValueCurrency: input.annualValueCurrency ?? null,
    };
    await checkContract(tx, tenantId, values, input.serviceIds);
    if (await findContractByReference(tx, tenantId, input.reference)) throw duplicateReference(input.reference);
    let created: ContractRow;
    try {
      created = await insertContract(tx, {
          ...values,
          tenantId,
          id: newId('contract', now),
          reference: input.reference,
          title: input.title,
          status: input.status,
          noticePeriodDays: input.noticePeriodDays ?? null,
          autoRenewal: input.autoRenewal,
          governingLaw: input.governingLaw ?? null,
          arrangementType: input.arrangementType ?? null,
          overarchingReference: input.overarchingReference ?? null,
          providerNoticePeriodDays: input.providerNoticePeriodDays ?? null,
          createdAt: now,
          updatedAt: now,
        });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateReference(input.reference);
      throw error;
    }
    await replaceServices(tx, tenantId, created.id, input.serviceIds);
    await recordAudit(tx, auditContextOf(c), {
      action: 'contract.created',
      entityType: 'contract',
      entityId: created.id,
      changes: { supplierId: created.supplierId, reference: created.reference, title: created.title, status: created.status, serviceIds: input.serviceIds },
    });
    await rescoreSupplier(tx, { tenantId, supplierId: created.supplierId, now, trigger: 'contract' });
    return created;
  });
  c.header('Location', `/v1/contracts/${row.id}`);
  return c.json(await respondContract(c, c.get('db'), row), 201);
};

export const getContractHandler: RouteHandler<typeof getContractRoute, AppEnv> = async (c) => {
  const row = await requireContract(c.get('db'), c.get('principal').tenantId, c.req.valid('param').contractId);
  return c.json(await respondContract(c, c.get('db'), row), 200);
};

const EDITABLE = ['reference', 'title', 'status', 'startDate', 'endDate', 'noticePeriodDays', 'autoRenewal', 'governingLaw', 'annualValueAmount', 'annualValueCurrency', 'arrangementType', 'overarchingReference', 'providerNoticePeriodDays'] as const;

export const updateContractHandler: RouteHandler<typeof updateContractRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const { contractId } = c.req.valid('param');
  const { now } = c.var;
  const row = await c.get('db').transaction(async (tx) => {
    const current = await requireContract(tx, c.get('principal').tenantId, contractId, { forUpdate: true });
    assertIfMatch(c, current.version);
    const changes: ContractChanges = {};
    for (const key of EDITABLE) {
      const value = input[key];
      if (value !== undefined && value !== current[key]) (changes as Record<string, unknown>)[key] = value;
    }
    const next = { ...current, ...changes };
    const before = (await servicesOf(tx, current.tenantId, [current.id])).get(current.id) ?? [];
    const servicesChanged = input.serviceIds !== undefined && [...input.serviceIds].sort().join() !== before.join();
    await checkContract(tx, current.tenantId, next, servicesChanged ? input.serviceIds : undefined);
    if (changes.reference !== undefined) {
      const other = await findContractByReference(tx, current.tenantId, changes.reference);
      if (other && other.id !== current.id) throw duplicateReference(changes.reference);
    }
    if (Object.keys(changes).length === 0 && !servicesChanged) return current;
    let updated: ContractRow;
    try {
      updated = await updateContract(tx, current, changes, now);
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateReference(changes.reference ?? current.reference);
      throw error;
    }
    if (servicesChanged) await replaceServices(tx, current.tenantId, current.id, input.serviceIds!);
    await recordAudit(tx, auditContextOf(c), {
      action: 'contract.updated',
      entityType: 'contract',
      entityId: current.id,
      changes: {
        ...Object.fromEntries(Object.entries(changes).map(([key, to]) => [key, { from: current[key as keyof ContractChanges] ?? null, to }])),
        ...(servicesChanged ? { serviceIds: { from: before, to: input.serviceIds } } : {}),
      },
    });
    if (changes.status !== undefined && ENDED_CONTRACT_STATUSES.has(changes.status) && !ENDED_CONTRACT_STATUSES.has(current.status)) {
      await resolveClauseFindingsOfEndedContract(tx, auditContextOf(c), updated);
    }
    // Status (active or not) and services (which clauses apply) feed the clause coverage.
    await rescoreSupplier(tx, { tenantId: current.tenantId, supplierId: current.supplierId, now, trigger: 'contract' });
    return updated;
  });
  return c.json(await respondContract(c, c.get('db'), row), 200);
};


function presentContractClause(clause: ClauseDefinition, state: ContractClauseRow | undefined) {
  return {
    clause: presentClause(clause),
    status: (state?.status ?? 'unassessed') as ClauseStatus | 'unassessed',
    satisfied: isSatisfied(state?.status),
    sectionRef: state?.sectionRef ?? null,
    notes: state?.notes ?? null,
    justification: state?.justification ?? null,
    evidenceId: state?.evidenceId ?? null,
    updatedAt: iso(state?.updatedAt),
  };
}

export const listContractClausesHandler: RouteHandler<typeof listContractClausesRoute, AppEnv> = async (c) => {
  const { db, principal } = c.var;
  const contract = await requireContract(db, principal.tenantId, c.req.valid('param').contractId);
  const [library, regime, critical, states] = await Promise.all([
    clauseLibrary(db, principal.tenantId),
    tenantRegime(db, principal.tenantId),
    coversCriticalFunction(db, principal.tenantId, contract.id),
    clauseStates(db, principal.tenantId, contract.id),
  ]);
  const data = applicableClauses(library, { regime, coversCriticalFunction: critical }).map((clause) => presentContractClause(clause, states.get(clause.key)));
  return c.json({ data }, 200);
};

export const setContractClauseHandler: RouteHandler<typeof setContractClauseRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const { contractId, clauseKey } = c.req.valid('param');
  const { principal, now } = c.var;
  const tenantId = principal.tenantId;
  const result = await c.get('db').transaction(async (tx) => {
    const contract = await requireContract(tx, tenantId, contractId, { forUpdate: true });
    const clause = await findClause(tx, tenantId, clauseKey);
    if (!clause) throw problems.notFound('Clause');
    const [regime, critical] = await Promise.all([tenantRegime(tx, tenantId), coversCriticalFunction(tx, tenantId, contract.id)]);
    if (!clauseApplies(clause, { regime, coversCriticalFunction: critical })) {
      throw problems.unprocessable(
        'clause_not_applicable',
        `Clause ${clause.key} does not apply to this contract (tenant regime ${regime}${clause.criticalOnly && !critical ? '; it applies only when a covered service supports a critical or important function' : ''}).`,
      );
    }
    const errors: FieldError[] = [];
    if ((JUSTIFIED_CLAUSE_STATUSES as readonly string[]).includes(input.status) && !input.justification) {
      errors.push(field('justification', `A justification is required for ${input.status}.`));
    }
    if (input.evidenceId && (await unusableEvidenceIds(tx, tenantId, contract.supplierId, [input.evidenceId])).size > 0) {
      errors.push(field('evidenceId', 'Not live evidence of this contract\'s supplier.'));
    }
    if (errors.length > 0) throw problems.validation(errors);
    const previous = (await clauseStates(tx, tenantId, contract.id)).get(clause.key);
    const values = {
      status: input.status,
      sectionRef: input.sectionRef ?? null,
      notes: input.notes ?? null,
      justification: input.justification ?? null,
      evidenceId: input.evidenceId ?? null,
      updatedByType: principal.actor.type,
      updatedById: principal.actor.id,
      updatedAt: now,
    };
    const [state] = await tx
      .insert(contractClauses)
      .values({ tenantId, contractId: contract.id, clauseKey: clause.key, ...values })
      .onConflictDoUpdate({
        target: [contractClauses.tenantId, contractClauses.contractId, contractClauses.clauseKey],
        set: { ...values, version: (previous?.version ?? 0) + 1 },
      })
      .returning();
    const audit = auditContextOf(c);
    await recordAudit(tx, audit, {
      action: 'contract_clause.updated',
      entityType: 'contract',
      entityId: contract.id,
      changes: {
        clauseKey: clause.key,
        status: { from: previous?.status ?? 'unassessed', to: input.status },
        ...(input.sectionRef !== undefined ? { sectionRef: input.sectionRef } : {}),
        ...(input.justification !== undefined ? { justification: input.justification } : {}),
        ...(input.evidenceId !== undefined ? { evidenceId: input.evidenceId } : {}),
      },
    });
    const supplier = await findSupplier(tx, tenantId, contract.supplierId);
    await clauseFindingEffect(tx, audit, contract, clause, input.status, supplier?.tier ?? '');
    if (!isSatisfied(input.status)) {
      await emitEvent(tx, tenantId, now, {
        type: 'contract.clause_gap',
        data: { contractId: contract.id, contractReference: contract.reference, supplierId: contract.supplierId, clauseKey: clause.key, topic: clause.topic ?? null, status: input.status },
      });
    }
    await rescoreSupplier(tx, { tenantId, supplierId: contract.supplierId, now, trigger: 'contract' });
    return presentContractClause(clause, state);
  });
  return c.json(result, 200);
};

function presentGap(row: GapRow) {
  return {
    contractId: row.contract_id,
    contractReference: row.contract_reference,
    contractTitle: row.contract_title,
    contractStatus: row.contract_status as 'active',
    supplierId: row.supplier_id,
    supplierName: row.supplier_name,
    supplierTier: row.supplier_tier as 'critical',
    clauseKey: row.clause_key,
    clauseTitle: row.clause_title,
    topic: row.topic as 'right_to_audit' | null,
    regime: row.regime as 'nis2',
    criticalOnly: Boolean(row.critical_only),
    status: row.status as 'missing',
    sectionRef: row.section_ref,
    notes: row.notes,
    updatedAt: iso(row.updated_at),
  };
}

const gapCursor = z.tuple([z.string().max(40), z.string().max(80)]);

export const listContractGapsHandler: RouteHandler<typeof listContractGapsRoute, AppEnv> = async (c) => {
  const { limit, cursor, clauseKey, topic } = c.req.valid('query');
  const tenantId = c.get('principal').tenantId;
  const contract = await requireContract(c.get('db'), tenantId, c.req.valid('param').contractId);
  const after = cursor ? decodeCursor(cursor, gapCursor) : undefined;
  const rows = await listGaps(c.get('db'), {
    tenantId,
    limit,
    contractId: contract.id,
    clauseKeys: clauseKey,
    topics: topic,
    ...(after ? { after: { contractId: after[0], clauseKey: after[1] } } : {}),
  });
  return c.json(toPage(rows, limit, presentGap, (row) => [row.contract_id, row.clause_key]), 200);
};

export const listClauseGapsHandler: RouteHandler<typeof listClauseGapsRoute, AppEnv> = async (c) => {
  const { limit, cursor, ...query } = c.req.valid('query');
  const after = cursor ? decodeCursor(cursor, gapCursor) : undefined;
  const rows = await listGaps(c.get('db'), {
    ...tenantGapFilter(c.get('principal').tenantId, query),
    limit,
    ...(after ? { after: { contractId: after[0], clauseKey: after[1] } } : {}),
  });
  return c.json(toPage(rows, limit, presentGap, (row) => [row.contract_id, row.clause_key]), 200);
};

export const exportClauseGapsHandler: RouteHandler<typeof exportClauseGapsRoute, AppEnv> = async (c) => {
  const filter = tenantGapFilter(c.get('principal').tenantId, c.req.valid('query'));
  return csvAttachment(c, 'clause-gaps', (hooks) => clauseGapExportStream(c.get('db'), filter, hooks));
};
