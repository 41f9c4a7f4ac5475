import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';
import type { DatabaseProvider, Db } from './types';

export interface PostgresOptions {
  max: number;
  /** Workers have no long-lived sockets: each request opens and ends its own client. */
  perOpen?: boolean;
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

function connect(url: string, max: number) {
  const sql = postgres(url, {
    max,
    // Type lookups cost a round trip per connection; we use no custom types.
    fetch_types: false,
    connect_timeout: CONNECT_TIMEOUT_SECONDS,
    backoff: reconnectDelaySeconds,
    onnotice: () => {},
    connection: { application_name: 'chainproof' },
  });
  // postgres.js copies a bytea parameter (Buffer.from) before hex-encoding it: 1 MiB more garbage
  // per blob chunk. A view of the same bytes encodes the same.
  sql.options.serializers[BYTEA_OID] = (value: Uint8Array) => `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  const db = drizzle(sql, { schema }) as unknown as Db;
  return { sql, db };
}

export function createPostgresProvider(url: string, options: PostgresOptions): DatabaseProvider {
  if (options.perOpen) {
    return {
      async open() {
        const { sql, db } = connect(url, options.max);
        return { db, release: () => sql.end({ timeout: 5 }) };
      },
      close: async () => {},
    };
  }
  const shared = connect(url, options.max);
  return {
    open: async () => ({ db: shared.db, release: async () => {} }),
    close: () => shared.sql.end({ timeout: 5 }),
  };
}
