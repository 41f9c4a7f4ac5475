import type { Db } from './types';

interface Prepared<Values, Result> {
  execute(values: Values): Promise<Result>;
}

/**
 * A hot query built once per database handle instead of once per call. drizzle rebuilds a
 * query's SQL from its builder on every run, which costs more CPU than the database spends on a
 * lookup by key; a prepared query (`.prepare()` with `sql.placeholder`s) keeps the SQL and only
 * fills in the values. On Node the handle lives as long as the process; a transaction or a
 * Worker's per-request handle gets its own, dropped with it.
 */
export function preparedPerDatabase<Values extends Record<string, unknown>, Result>(build: (db: Db) => Prepared<Values, Result>) {
  const built = new WeakMap<Db, Prepared<Values, Result>>();
  return (db: Db, values: Values): Promise<Result> => {
    let prepared = built.get(db);
    if (!prepared) {
      prepared = build(db);
      built.set(db, prepared);
    }
    return prepared.execute(values);
  };
}
