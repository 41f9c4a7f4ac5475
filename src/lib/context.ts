import type { Context } from 'hono';
import type { Role, Scope } from '../catalog/access';
import type { Config } from '../config';
import type { DatabaseProvider, Db } from '../db/types';
import type { Authenticator } from './auth';
import type { PortalSession } from '../portal/portal.auth';
import type { Logger } from './logger';
import type { MailTransport } from './mail/transports';

export type ActorType = 'api_key' | 'user' | 'platform' | 'supplier_contact' | 'system';

export interface Actor {
  type: ActorType;
  id: string;
}

export interface Principal {
  tenantId: string;
  actor: Actor;
  scopes: ReadonlySet<Scope>;
  /** Token roles for people; for API keys, the roles their scopes amount to (rolesHeldByScopes). */
  roles: ReadonlySet<Role>;
}

export interface DocsAsset {
  body: string | Uint8Array;
  contentType: string;
}

/** Static files of the docs UI, served by the app itself so /docs works without internet access. */
export type DocsAssets = (name: string) => Promise<DocsAsset | undefined>;

export interface AppDeps {
  config: Config;
  database: DatabaseProvider;
  logger: Logger;
  docsAssets: DocsAssets;
  clock?: () => Date;
  /**
   * Delivers the mail outbox (the jobs use it; requests only enqueue). Optional for now: without
   * one, mail stays queued.
   */
  mailer?: MailTransport;
  /** The caller's network address, used to rate-limit failed authentication. */
  clientAddress?: (c: Context) => string | undefined;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    deps: AppDeps;
    db: Db;
    now: Date;
    principal: Principal;
    authenticator: Authenticator;
    /** The supplier's portal session, on portal routes (set from the token, never from input). */
    portal: PortalSession;
    /** Set through releaseDatabaseAfter by a handler whose response body still reads the database. */
    releaseAfter?: Promise<unknown>;
  };
}

export type AppContext = Context<AppEnv>;

/**
 * Keeps this request's database handle open until `done` settles, for a response body that is
 * streamed from the database after the handler has returned (the handle is otherwise released as
 * soon as the handler returns; on Workers that ends the postgres client). Settle `done` when the
 * stream ends, fails or is cancelled. An error response (the handler threw) never waits for it.
 */
export function releaseDatabaseAfter(c: AppContext, done: Promise<unknown>): void {
  c.set('releaseAfter', done);
}

export function requirePrincipal(c: AppContext): Principal {
  return c.get('principal');
}
