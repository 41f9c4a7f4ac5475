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
      databasePreparedStatements: true,
    });
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).databasePreparedStatements).toBe(false);
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

describe('blob store configuration', () => {
  const s3 = {
    S3_ENDPOINT: 'https://s3.eu-central-1.amazonaws.com/',
    S3_REGION: 'eu-central-1',
    S3_BUCKET: 'chainproof-evidence',
    S3_ACCESS_KEY_ID: 'AKIAEXAMPLEKEYID',
    S3_SECRET_ACCESS_KEY: 'very-secret-access-key/0123456789',
  };

  it('keeps files in Postgres unless told otherwise', () => {
    expect(loadConfig({}).blobs).toEqual({ store: 'postgres', s3: undefined });
  });

  it('reads the S3 settings, with a default prefix and virtual-host addressing', () => {
    expect(loadConfig({ BLOB_STORE: 's3', ...s3 }).blobs).toEqual({
      store: 's3',
      s3: {
        endpoint: 'https://s3.eu-central-1.amazonaws.com',
        region: 'eu-central-1',
        bucket: 'chainproof-evidence',
        accessKeyId: 'AKIAEXAMPLEKEYID',
        secretAccessKey: 'very-secret-access-key/0123456789',
        prefix: 'evidence',
        forcePathStyle: false,
      },
    });
    const custom = loadConfig({ BLOB_STORE: 's3', ...s3, S3_PREFIX: '/chainproof/prod/', S3_FORCE_PATH_STYLE: 'true' }).blobs.s3!;
    expect(custom).toMatchObject({ prefix: 'chainproof/prod', forcePathStyle: true });
    expect(loadConfig({ BLOB_STORE: 's3', ...s3, S3_PREFIX: '' }).blobs.s3!.prefix).toBe('');
  });

  it('needs every S3 setting for BLOB_STORE=s3, and all or none otherwise', () => {
    expect(problemsOf({ BLOB_STORE: 's3' }).map((problem) => problem.split(' ')[0])).toEqual([
      'S3_ENDPOINT',
      'S3_REGION',
      'S3_BUCKET',
      'S3_ACCESS_KEY_ID',
      'S3_SECRET_ACCESS_KEY',
    ]);
    const blank = problemsOf({ BLOB_STORE: 's3', ...s3, S3_BUCKET: ' ' });
    expect(blank).toHaveLength(1);
    expect(blank[0]).toMatch(/^S3_BUCKET is required when BLOB_STORE=s3/);
    // Kept after switching back to postgres, so old files stay readable; half a set is a mistake.
    expect(loadConfig({ BLOB_STORE: 'postgres', ...s3 }).blobs).toMatchObject({ store: 'postgres', s3: { bucket: 'chainproof-evidence' } });
    expect(problemsOf({ S3_BUCKET: 'chainproof-evidence' })[0]).toMatch(/^S3_ENDPOINT is required when any S3 setting is given \(S3_BUCKET\)/);
    expect(problemsOf({ BLOB_STORE: 'r2' })[0]).toMatch(/^BLOB_STORE /);
  });

  it('refuses bad values without showing secrets or endpoints', () => {
    const bad = (overrides: Record<string, string>) => problemsOf({ BLOB_STORE: 's3', ...s3, ...overrides });
    expect(bad({ S3_ENDPOINT: 'ftp://files.example' })[0]).toMatch(/^S3_ENDPOINT must be an http/);
    const withCredentials = bad({ S3_ENDPOINT: 'https://user:hunter2@s3.example' });
    expect(withCredentials[0]).toMatch(/^S3_ENDPOINT must be/);
    expect(withCredentials.join()).not.toContain('hunter2');
    expect(bad({ S3_BUCKET: 'Evidence_Bucket' })[0]).toMatch(/^S3_BUCKET must be a bucket name/);
    expect(bad({ S3_REGION: 'EU Central' })[0]).toMatch(/^S3_REGION /);
    expect(bad({ S3_PREFIX: 'a/../b' })[0]).toMatch(/^S3_PREFIX /);
    expect(bad({ S3_FORCE_PATH_STYLE: 'sometimes' })[0]).toMatch(/^S3_FORCE_PATH_STYLE /);
    const secret = bad({ S3_SECRET_ACCESS_KEY: 'has a space in it' });
    expect(secret[0]).toMatch(/^S3_SECRET_ACCESS_KEY /);
    expect(secret.join()).not.toContain('has a space');
    expect(problemsOf({ NODE_ENV: 'production', SECRETS_ENCRYPTION_KEY: PRODUCTION_KEY, BLOB_STORE: 's3', ...s3, S3_ENDPOINT: 'http://minio.internal:9000' })).toEqual([
      'S3_ENDPOINT must be an https:// URL when NODE_ENV=production',
    ]);
  });
});
