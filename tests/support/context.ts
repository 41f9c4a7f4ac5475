import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SQL } from 'drizzle-orm';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { inject } from 'vitest';
import { buildApp, type App } from '../../src/app';
import { ALL_SCOPES, type Scope } from '../../src/catalog/access';
import { loadConfig, type Config } from '../../src/config';
import { createPgliteProvider } from '../../src/db/node';
import { createPostgresProvider } from '../../src/db/postgres';
import type { DatabaseProvider, Db } from '../../src/db/types';
import { createLogger, type Logger } from '../../src/lib/logger';
import { nodeDocsAssets } from '../../src/node-docs-assets';

export const PLATFORM_TOKEN = 'test-platform-token-0123456789abcdef';
export const JWT_ISSUER = 'https://idp.example.test/';
export const JWT_AUDIENCE = 'chainproof-api';
export const DEV_HS256_SECRET = 'dev-hs256-secret-for-tests-only-0123456789';

export interface TestTenant {
  id: string;
  name: string;
  adminKey: string;
  adminKeyId: string;
}

export interface RequestOptions {
  method?: string;
  key?: string | null;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

export interface TestContext {
  app: App;
  db: Db;
  config: Config;
  logs: string[];
  request(path: string, options?: RequestOptions): Promise<Response>;
  createTenant(name?: string): Promise<TestTenant>;
  createKey(tenant: TestTenant, scopes: readonly Scope[], name?: string): Promise<{ id: string; key: string }>;
  /** Signs a JWT with the test identity provider's key (served as a JWKS). */
  signJwt(claims: JWTPayload, options?: { expiresIn?: string; kid?: string; alg?: string }): Promise<string>;
  jwks: { privateKey: CryptoKey; publicJwk: JWK; url: string };
  close(): Promise<void>;
}

async function openTestDatabase(): Promise<DatabaseProvider> {
  if (inject('databaseKind') === 'postgres') {
    return createPostgresProvider(inject('databaseUrl'), { max: 4 });
  }
  const dump = new Blob([readFileSync(inject('pgliteDumpPath'))]);
  return createPgliteProvider({ loadDataDir: dump });
}

async function startJwksServer() {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  const server: Server = createServer((request, response) => {
    if (request.url === '/jwks.json') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [publicJwk] }));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, privateKey, publicJwk, url: `http://127.0.0.1:${port}/jwks.json` };
}

export async function createTestContext(overrides: Record<string, string> = {}): Promise<TestContext> {
  const jwks = await startJwksServer();
  const config = loadConfig({
    NODE_ENV: 'test',
    PLATFORM_ADMIN_TOKEN: PLATFORM_TOKEN,
    AUTH_JWKS_URL: jwks.url,
    AUTH_ISSUER: JWT_ISSUER,
    AUTH_AUDIENCE: JWT_AUDIENCE,
    AUTH_DEV_HS256_SECRET: DEV_HS256_SECRET,
    LOG_LEVEL: 'info',
    AUTH_FAILURE_LIMIT_PER_MINUTE: '100000',
    ...overrides,
  });
  const database = await openTestDatabase();
  const logs: string[] = [];
  const logger: Logger = createLogger(config.logLevel, (line) => logs.push(line));
  const app = buildApp({ config, database, logger, docsAssets: nodeDocsAssets() });

  const request = (path: string, options: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    }
    return Promise.resolve(app.request(path, { method: options.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}) }));
  };

  let tenantCounter = 0;
  const createTenant = async (name?: string): Promise<TestTenant> => {
    tenantCounter += 1;
    const response = await request('/v1/tenants', {
      method: 'POST',
      key: PLATFORM_TOKEN,
      json: { name: name ?? `Test tenant ${tenantCounter} ${crypto.randomUUID().slice(0, 8)}` },
    });
    if (response.status !== 201) throw new Error(`tenant creation failed: ${response.status} ${await response.text()}`);
    const created = (await response.json()) as { tenant: { id: string; name: string }; apiKey: { id: string; key: string } };
    return { id: created.tenant.id, name: created.tenant.name, adminKey: created.apiKey.key, adminKeyId: created.apiKey.id };
  };

  const createKey = async (tenant: TestTenant, scopes: readonly Scope[], name = 'test key') => {
    const response = await request('/v1/api-keys', { method: 'POST', key: tenant.adminKey, json: { name, scopes } });
    if (response.status !== 201) throw new Error(`key creation failed: ${response.status} ${await response.text()}`);
    const created = (await response.json()) as { id: string; key: string };
    return { id: created.id, key: created.key };
  };

  const signJwt = (claims: JWTPayload, options: { expiresIn?: string; kid?: string; alg?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'test-key-1' })
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(jwks.privateKey);

  return {
    app,
    db: (await database.open()).db,
    config,
    logs,
    request,
    createTenant,
    createKey,
    signJwt,
    jwks: { privateKey: jwks.privateKey, publicJwk: jwks.publicJwk, url: jwks.url },
    close: async () => {
      await database.close();
      await new Promise<void>((resolve) => jwks.server.close(() => resolve()));
    },
  };
}

export const allScopesExcept = (scope: string) => ALL_SCOPES.filter((candidate) => candidate !== scope);

export async function problemOf(response: Response) {
  expectProblemContentType(response);
  return (await response.json()) as {
    type: string;
    title: string;
    status: number;
    detail: string;
    code: string;
    requestId: string | null;
    errors?: { location: string; path: string; message: string }[];
  };
}

function expectProblemContentType(response: Response) {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) {
    throw new Error(`expected application/problem+json, got "${type}" (status ${response.status})`);
  }
}

/** Rows of a raw query, whichever driver ran it (PGlite answers { rows }, postgres.js an array). */
export async function queryRows<Row>(db: Db, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as Row[] | { rows: Row[] };
  return Array.isArray(result) ? result : result.rows;
}
