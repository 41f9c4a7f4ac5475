import type { Db } from './types';

interface Prepared<Values, Result> {
  execute(values: Values): Promise<Result>;
}

// Shapes are a product of a few optional filters; the bound only guards against surprises.
const MAX_SHAPES_PER_DATABASE = 512;

/**
 * A hot query built once per database handle instead of once per call. drizzle rebuilds a
 * query's SQL from its builder on every run, which costs more CPU than the database spends on a
 * lookup by key; a prepared query (`.prepare()` with `sql.placeholder`s) keeps the SQL and only
 * fills in the values. On Node the handle lives as long as the process; a transaction or a
 * Worker's per-request handle gets its own, dropped with it.
 */
export function preparedPerDatabase<Values extends Record<string, unknown>, Result>(build: (db: Db) => Prepared<Values, Result>) {
  const byShape = preparedPerDatabaseAndShape<void, Values, Result>((db) => build(db));
  return (db: Db, values: Values): Promise<Result> => byShape(db, '', undefined, values);
}

/**
 * preparedPerDatabase for a query whose SQL depends on its input (which optional filters are
 * set): one prepared query per handle and shape, `shape` naming the SQL that `build` makes.
 */
export function preparedPerDatabaseAndShape<Input, Values extends Record<string, unknown>, Result>(
  build: (db: Db, input: Input) => Prepared<Values, Result>,
) {
  const built = new WeakMap<Db, Map<string, Prepared<Values, Result>>>();
  return (db: Db, shape: string, input: Input, values: Values): Promise<Result> => {
    let shapes = built.get(db);
    if (!shapes) {
      shapes = new Map();
      built.set(db, shapes);
    }
    let prepared = shapes.get(shape);
    if (!prepared) {
      prepared = build(db, input);
      if (shapes.size >= MAX_SHAPES_PER_DATABASE) shapes.clear();
      shapes.set(shape, prepared);
    }
    return prepared.execute(values);
  };
}
