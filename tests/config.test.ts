import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';

/** 32 bytes in base64: production needs SECRETS_ENCRYPTION_KEY. */
const PRODUCTION_KEY = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('has working defaults for a fresh clone', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      databaseUrl: undefined,
      dataDir: './data',
      publicBaseUrl: 'http://localhost:3000',
      bodyLimitBytes: 1024 * 1024,
      demoTenantOnEmpty: true,
      idempotencyTtlHours: 24,
    });
  });

  it('names the variable that is wrong, and shows no secret', () => {
    expect(problemsOf({ PORT: 'eighty' })[0]).toMatch(/^PORT /);
    expect(problemsOf({ LOG_LEVEL: 'loud' })[0]).toMatch(/^LOG_LEVEL .*"loud"/);
    expect(problemsOf({ DATABASE_URL: 'mysql://x' })[0]).toMatch(/^DATABASE_URL must be a postgres/);
    const secret = problemsOf({ PLATFORM_ADMIN_TOKEN: 'short-secret' });
    expect(secret[0]).toMatch(/^PLATFORM_ADMIN_TOKEN /);
    expect(secret.join()).not.toContain('short-secret');
  });

  it('refuses the development HS256 secret in production', () => {
    const problems = problemsOf({
      NODE_ENV: 'production', SECRETS_ENCRYPTION_KEY: PRODUCTION_KEY,
      AUTH_DEV_HS256_SECRET: 'x'.repeat(40),
      AUTH_ISSUER: 'https://idp',
      AUTH_AUDIENCE: 'api',
    });
    expect(problems).toEqual([expect.stringMatching(/^AUTH_DEV_HS256_SECRET is refused when NODE_ENV=production/)]);
  });

  it('needs a secrets key in production, shaped right, and never echoes it', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^SECRETS_ENCRYPTION_KEY is required when NODE_ENV=production/)]);
    const short = problemsOf({ SECRETS_ENCRYPTION_KEY: 'c2hvcnQta2V5' });
    expect(short).toEqual([expect.stringMatching(/^SECRETS_ENCRYPTION_KEY must be 32 random bytes in base64/)]);
    expect(short.join()).not.toContain('c2hvcnQta2V5');
    expect(loadConfig({ SECRETS_ENCRYPTION_KEY: PRODUCTION_KEY }).secretsEncryptionKey).toHaveLength(32);
    expect(loadConfig({}).secretsEncryptionKey).toBeUndefined();
  });

  it('needs issuer and audience pinned when JWTs are configured', () => {
    const problems = problemsOf({ AUTH_JWKS_URL: 'https://idp.example/jwks.json' });
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual(['AUTH_ISSUER', 'AUTH_AUDIENCE']);
  });

  it('parses lists and turns the demo tenant off in production', () => {
    const config = loadConfig({ NODE_ENV: 'production', SECRETS_ENCRYPTION_KEY: PRODUCTION_KEY, CORS_ORIGINS: 'https://a.example, https://b.example', AUTH_ALGORITHMS: 'ES256,RS256' });
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.auth.algorithms).toEqual(['ES256', 'RS256']);
    expect(config.demoTenantOnEmpty).toBe(false);
    expect(problemsOf({ AUTH_ALGORITHMS: 'HS256' })[0]).toMatch(/^AUTH_ALGORITHMS/);
  });
});
