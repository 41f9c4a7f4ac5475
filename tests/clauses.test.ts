import { describe, expect, it } from 'vitest';
import { BUILTIN_CLAUSES, CLAUSE_TOPIC_CODES } from '../src/catalog/clauses';
import { applicableClauses, clauseApplies } from '../src/features/contracts/clause-applicability';

const keys = (list: readonly { key: string }[]) => list.map((clause) => clause.key);

describe('the built-in clause library', () => {
  it('has NIS2 5.1.4 (a)–(h), DORA 30(2)(a)–(i) and 30(3)(a)–(f), unique keys, each with a topic', () => {
    expect(keys(BUILTIN_CLAUSES.filter((clause) => clause.regime === 'nis2'))).toEqual('abcdefgh'.split('').map((point) => `nis2-ir-5.1.4-${point}`));
    expect(keys(BUILTIN_CLAUSES.filter((clause) => clause.key.startsWith('dora-30.2-')))).toEqual('abcdefghi'.split('').map((point) => `dora-30.2-${point}`));
    expect(keys(BUILTIN_CLAUSES.filter((clause) => clause.key.startsWith('dora-30.3-')))).toEqual('abcdef'.split('').map((point) => `dora-30.3-${point}`));
    expect(new Set(keys(BUILTIN_CLAUSES)).size).toBe(BUILTIN_CLAUSES.length);
    for (const clause of BUILTIN_CLAUSES) {
      expect(clause.criticalOnly, clause.key).toBe(clause.key.startsWith('dora-30.3-'));
      expect(CLAUSE_TOPIC_CODES, clause.key).toContain(clause.topic);
      expect(clause.title.length).toBeGreaterThan(0);
      expect(clause.description?.length ?? 0).toBeGreaterThan(20);
    }
  });

  it('tags right to audit and incident notification across both regimes', () => {
    const topic = (name: string) => keys(BUILTIN_CLAUSES.filter((clause) => clause.topic === name));
    expect(topic('right_to_audit')).toEqual(['nis2-ir-5.1.4-e', 'dora-30.3-e']);
    expect(topic('incident_notification')).toEqual(['nis2-ir-5.1.4-d', 'dora-30.3-b']);
  });
});

describe('which clauses apply', () => {
  const count = (regime: 'nis2' | 'dora' | 'both', critical: boolean) => applicableClauses(BUILTIN_CLAUSES, { regime, coversCriticalFunction: critical }).length;

  it('follows the regime and, for DORA 30(3), a critical or important function', () => {
    expect(count('nis2', false)).toBe(8);
    expect(count('nis2', true)).toBe(8);
    expect(count('dora', false)).toBe(9);
    expect(count('dora', true)).toBe(15);
    expect(count('both', false)).toBe(17);
    expect(count('both', true)).toBe(23);
  });

  it('applies custom clauses by their regime (both: always) and critical-only flag', () => {
    const custom = { regime: 'both' as const, criticalOnly: true };
    expect(clauseApplies(custom, { regime: 'nis2', coversCriticalFunction: false })).toBe(false);
    expect(clauseApplies(custom, { regime: 'nis2', coversCriticalFunction: true })).toBe(true);
    expect(clauseApplies({ regime: 'dora', criticalOnly: false }, { regime: 'nis2', coversCriticalFunction: true })).toBe(false);
    expect(clauseApplies({ regime: 'nis2', criticalOnly: false }, { regime: 'both', coversCriticalFunction: false })).toBe(true);
  });
});
