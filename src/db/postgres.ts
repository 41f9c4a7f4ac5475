import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';
import { NAMED_STATEMENT_MARK } from './rows';
import type { DatabaseProvider, Db } from './types';

export interface PostgresOptions {
  max: number;
  /** Workers have no long-lived sockets: each request opens and ends its own client. */
  perOpen?: boolean;
  /**
   * Named prepared statements for the queries that ask for them (choosingNamedStatements). Off for
   * a pooler in transaction mode that cannot keep them (PgBouncer before 1.21). Never on a client
   * per request: a statement is prepared per connection, so one connection per request gains nothing.
   */
  preparedStatements?: boolean;
}

const BYTEA_OID = 17;

// postgres.js waits 30 s by default for a connection that is accepted but never answered (a pooler
// or load balancer whose database is gone); requests would hang that long before their 503.
const CONNECT_TIMEOUT_SECONDS = 5;
// After a failed connection postgres.js waits before a slot of the pool connects again, by default
// 3^failures / 100 s (up to 20 s, counted across the pool): a few seconds into an outage, requests
// waited 10 to 20 s for their 503, and as long again once the database was back. Attempts are only
// made for requests, which get 503 with Retry-After meanwhile, so a short cap does not hammer it.
const reconnectDelaySeconds = (failures: number) => Math.min(0.05 * 2 ** failures, 1);

// Which statements are named (prepared once per connection, then one round trip per use) is the
// caller's choice: the hot lookups ask for it with drizzle's `.prepare()` (src/db/prepared.ts), raw
// queries with `named()` (src/db/rows.ts).
// Everything else goes unnamed, planned for its actual values on every call: postgres.js would
// otherwise name raw statements by default, and after five uses Postgres may switch a named
// statement to a generic plan; for the clause-gap page that generic plan took 225 ms where a plan
// for the values took 13. With `named` off (a pooler in transaction mode) nothing is named.
type QueryOptions = Parameters<postgres.Sql['unsafe']>[2];

function choosingNamedStatements<T extends postgres.Sql>(client: T, named: boolean): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        return (query: string, parameters: postgres.ParameterOrJSON<never>[] = [], options: QueryOptions = {}) =>
          target.unsafe(query, parameters, { ...options, prepare: named && (options.prepare === true || query.startsWith(NAMED_STATEMENT_MARK)) });
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      // Only a transaction has `savepoint` (src/db/copy.ts tells a transaction by it).
      if ((property === 'begin' || property === 'savepoint') && typeof value === 'function') {
        return (...args: unknown[]) => {
          const body = args.pop() as (scoped: postgres.Sql) => unknown;
          return (value as (...rest: unknown[]) => unknown).call(target, ...args, (scoped: postgres.Sql) => body(choosingNamedStatements(scoped, named)));
        };
      }
      return value;
    },
  });
}

function connect(url: string, max: number, preparedStatements: boolean) {
  const sql = postgres(url, {
    max,
    // Type lookups cost a round trip per connection; we use no custom types.
    fetch_types: false,
    connect_timeout: CONNECT_TIMEOUT_SECONDS,
    backoff: reconnectDelaySeconds,
    onnotice: () => {},
    // JIT compiles a plan whose estimate is high (recursive supply-chain walks, register-wide
    // counts) for hundreds of milliseconds before running it in a fraction of one: measured 400 ms
    // of JIT around a 0.2 ms query. Our queries are short; JIT never pays for itself here.
    connection: { application_name: 'chainproof', jit: 'off' },
  });
  // postgres.js copies a bytea parameter (Buffer.from) before hex-encoding it: 1 MiB more garbage
  // per blob chunk. A view of the same bytes encodes the same.
  sql.options.serializers[BYTEA_OID] = (value: Uint8Array) => `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  const db = drizzle(choosingNamedStatements(sql, preparedStatements), { schema }) as unknown as Db;
  return { sql, db };
}

export function createPostgresProvider(url: string, options: PostgresOptions): DatabaseProvider {
  if (options.perOpen) {
    return {
      async open() {
        const { sql, db } = connect(url, options.max, false);
        return { db, release: () => sql.end({ timeout: 5 }) };
      },
      close: async () => {},
    };
  }
  const shared = connect(url, options.max, options.preparedStatements ?? true);
  return {
    open: async () => ({ db: shared.db, release: async () => {} }),
    close: () => shared.sql.end({ timeout: 5 }),
  };
}
