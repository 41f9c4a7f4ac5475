import type { ClauseDefinition, ClauseRegime, TenantRegime } from '../../catalog/clauses';

/** Whether a clause of `clauseRegime` counts for a tenant under `tenantRegime`. */
export function regimeCovers(tenantRegime: TenantRegime, clauseRegime: ClauseRegime): boolean {
  return tenantRegime === 'both' || clauseRegime === 'both' || clauseRegime === tenantRegime;
}

export interface ApplicabilityContext {
  regime: TenantRegime;
  /** Any service the contract covers supports a critical or important function. */
  coversCriticalFunction: boolean;
}

/**
 * Whether one clause applies to a contract. The SQL of clause-sql.ts (gaps, counts, scoring)
 * encodes the same rule; the tests hold both to it.
 */
export function clauseApplies(clause: Pick<ClauseDefinition, 'regime' | 'criticalOnly'>, context: ApplicabilityContext): boolean {
  return regimeCovers(context.regime, clause.regime) && (!clause.criticalOnly || context.coversCriticalFunction);
}

/** The clauses of a library that apply to a contract, in library order. */
export function applicableClauses<Clause extends Pick<ClauseDefinition, 'regime' | 'criticalOnly'>>(library: readonly Clause[], context: ApplicabilityContext): Clause[] {
  return library.filter((clause) => clauseApplies(clause, context));
}
