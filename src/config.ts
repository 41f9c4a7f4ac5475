import { z } from 'zod';
import { fromBase64 } from './lib/crypto';

const MIB = 1024 * 1024;

const booleanFromString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const commaList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const DEFAULT_MAIL_FROM = 'Chainproof <no-reply@localhost>';
// `address` or `Name <address>`; no line breaks (it becomes a header). The domain may be a bare
// host name, as in the default.
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const MAIL_FROM_PATTERN = /^(?:[^\u0000-\u001f\u007f<>]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

/** Needed together: to write to S3 (BLOB_STORE=s3), or to keep reading what was written there. */
const S3_REQUIRED = ['S3_ENDPOINT', 'S3_REGION', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'] as const;

/**
 * Every setting comes from the environment. Parsing is strict so that a typo fails at start,
 * naming the variable, instead of running half-configured.
 */
const environmentSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
        .optional(),
    ),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    DATABASE_PREPARED_STATEMENTS: booleanFromString.default(true),
    DATA_DIR: z.string().min(1).default('./data'),
    PLATFORM_ADMIN_TOKEN: optionalString.pipe(
      z.string().min(24, 'must be at least 24 characters long').optional(),
    ),
    AUTH_JWKS_URL: optionalString.pipe(z.url().optional()),
    AUTH_ISSUER: optionalString,
    AUTH_AUDIENCE: optionalString,
    AUTH_ALGORITHMS: commaList
      .pipe(z.array(z.enum(JWT_ALGORITHMS)).min(1))
      .default(['RS256', 'ES256', 'PS256', 'EdDSA']),
    AUTH_TENANT_CLAIM: z.string().min(1).default('tenant_id'),
    AUTH_ROLES_CLAIM: z.string().min(1).default('roles'),
    AUTH_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
    AUTH_DEV_HS256_SECRET: optionalString.pipe(
      z.string().min(32, 'must be at least 32 characters long').optional(),
    ),
    PUBLIC_BASE_URL: optionalString.pipe(z.url().optional()),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(100 * MIB).default(MIB),
    // The whole file is held in memory while it is checked and hashed (Workers have 128 MB).
    EVIDENCE_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * MIB).default(25 * MIB),
    // Imports parse and check up to 5,000 rows in memory each; more at once would crowd the heap.
    IMPORT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    IMPORT_QUEUE: z.coerce.number().int().min(0).max(1_000).default(8),
    CORS_ORIGINS: commaList.default([]),
    IDEMPOTENCY_TTL_HOURS: z.coerce.number().int().min(24).max(24 * 30).default(24),
    AUTH_FAILURE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
    EVIDENCE_UPLOAD_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
    PORTAL_UPLOAD_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
    PORTAL_FORWARD_LIMIT_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(10),
    INCIDENT_REPORT_LIMIT_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(10),
    JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
    DEMO_TENANT_ON_EMPTY: booleanFromString.optional(),
    MAIL_TRANSPORT: z.enum(['log', 'smtp', 'http']).default('log'),
    MAIL_FROM: optionalString.pipe(
      z
        .string()
        .max(320)
        .regex(MAIL_FROM_PATTERN, 'must be an address, or a name and an address: "Chainproof <no-reply@example.com>"')
        .default(DEFAULT_MAIL_FROM),
    ),
    SMTP_URL: optionalString.pipe(
      z
        .string()
        .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL')
        .refine((value) => URL.canParse(value), 'must be a valid URL')
        .optional(),
    ),
    MAIL_HTTP_URL: optionalString.pipe(
      z
        .string()
        .regex(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// URL')
        .refine((value) => URL.canParse(value), 'must be a valid URL')
        .optional(),
    ),
    MAIL_HTTP_TOKEN: optionalString,
    ASSESSMENT_REMINDER_DAYS: optionalString.pipe(
      z
        .string()
        .regex(/^\d+(\s*,\s*\d+)*$/, 'must be a comma-separated list of whole days before the due date, e.g. "7,3,1"')
        .transform((value) => [...new Set(value.split(',').map((item) => Number(item.trim())))].sort((a, b) => b - a))
        .refine((days) => days.every((day) => day >= 1 && day <= 365), 'must list days from 1 to 365')
        .refine((days) => days.length <= 10, 'must list at most 10 days')
        .default([7, 3, 1]),
    ),
    ASSESSMENT_EXPIRY_GRACE_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    SECRETS_ENCRYPTION_KEY: optionalString.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 random bytes in base64 (openssl rand -base64 32)')
        .optional(),
    ),
    WEBHOOK_ALLOWED_HOSTS: commaList
      .pipe(z.array(z.string().regex(/^[A-Za-z0-9.:\-[\]]+(\/\d{1,3})?$/, 'must list host names, IP addresses or CIDR ranges')))
      .optional(),
    WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(60).default(10),
    BLOB_STORE: z.enum(['postgres', 's3']).default('postgres'),
    S3_ENDPOINT: optionalString.pipe(
      z
        .string()
        .regex(/^https?:\/\/[^\s/?#@]+(\/[^\s?#@]*)?$/, 'must be an http:// or https:// URL with no credentials, query or fragment, e.g. "https://s3.eu-central-1.amazonaws.com"')
        .refine((value) => URL.canParse(value), 'must be a valid URL')
        .transform((value) => value.replace(/\/+$/, ''))
        .optional(),
    ),
    S3_REGION: optionalString.pipe(z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a region name such as "eu-central-1" or "auto"').optional()),
    // S3's rule for bucket names (which R2 and MinIO share).
    S3_BUCKET: optionalString.pipe(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens')
        .optional(),
    ),
    S3_ACCESS_KEY_ID: optionalString.pipe(z.string().max(256).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional()),
    S3_SECRET_ACCESS_KEY: optionalString.pipe(z.string().max(256).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional()),
    S3_PREFIX: z
      .string()
      .default('evidence')
      .transform((value) => value.trim().replace(/^\/+|\/+$/g, ''))
      .pipe(
        z
          .string()
          .max(200)
          .regex(/^[A-Za-z0-9._\-/]*$/, 'must use only letters, digits, ".", "_", "-" and "/"')
          .refine((value) => value.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..') || value === '', 'must not have empty, "." or ".." segments'),
      ),
    S3_FORCE_PATH_STYLE: booleanFromString.default(false),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.AUTH_DEV_HS256_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_DEV_HS256_SECRET'],
        message: 'is refused when NODE_ENV=production; use AUTH_JWKS_URL',
      });
    }
    if (env.AUTH_JWKS_URL || env.AUTH_DEV_HS256_SECRET) {
      for (const name of ['AUTH_ISSUER', 'AUTH_AUDIENCE'] as const) {
        if (!env[name]) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'is required when JWT authentication is configured (AUTH_JWKS_URL or AUTH_DEV_HS256_SECRET)',
          });
        }
      }
    }
    if (env.NODE_ENV === 'production' && !env.SECRETS_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['SECRETS_ENCRYPTION_KEY'],
        message: 'is required when NODE_ENV=production (it seals webhook signing secrets); create one with openssl rand -base64 32',
      });
    }
    if (env.MAIL_TRANSPORT === 'smtp' && !env.SMTP_URL) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required when MAIL_TRANSPORT=smtp' });
    }
    if (env.MAIL_TRANSPORT === 'http') {
      for (const name of ['MAIL_HTTP_URL', 'MAIL_HTTP_TOKEN'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required when MAIL_TRANSPORT=http' });
      }
      // The bearer token must not cross the network in clear text.
      if (env.NODE_ENV === 'production' && env.MAIL_HTTP_URL?.startsWith('http://')) {
        ctx.addIssue({ code: 'custom', path: ['MAIL_HTTP_URL'], message: 'must be an https:// URL when NODE_ENV=production' });
      }
    }
    // S3 settings are needed to write there (BLOB_STORE=s3), and may stay after switching back to
    // postgres so that files already in S3 remain readable; half a set is always a mistake.
    const givenS3 = S3_REQUIRED.filter((name) => env[name] !== undefined);
    if (env.BLOB_STORE === 's3' || givenS3.length > 0) {
      const reason = env.BLOB_STORE === 's3' ? 'when BLOB_STORE=s3' : `when any S3 setting is given (${givenS3.join(', ')})`;
      for (const name of S3_REQUIRED) {
        if (env[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: `is required ${reason}` });
      }
    }
    // Signing keeps the secret off the wire, but not the evidence files themselves.
    if (env.NODE_ENV === 'production' && env.S3_ENDPOINT?.startsWith('http://')) {
      ctx.addIssue({ code: 'custom', path: ['S3_ENDPOINT'], message: 'must be an https:// URL when NODE_ENV=production' });
    }
  });


export type Environment = z.input<typeof environmentSchema>;

export interface Config {
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** Named prepared statements on the pooled PostgreSQL connections (DATABASE_PREPARED_STATEMENTS). */
  databasePreparedStatements: boolean;
  dataDir: string;
  platformAdminToken: string | undefined;
  auth: {
    jwksUrl: string | undefined;
    issuer: string | undefined;
    audience: string | undefined;
    algorithms: string[];
    tenantClaim: string;
    rolesClaim: string;
    devHs256Secret: string | undefined;
    /** How long an instance trusts a looked-up API key or JWT tenant before looking again; 0 looks up every request. */
    cacheSeconds: number;
  };
  publicBaseUrl: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  bodyLimitBytes: number;
  /** Largest evidence file accepted by an upload. */
  evidenceMaxBytes: number;
  /** Supplier imports an instance runs at once, and how many more wait their turn (then 503). */
  imports: { concurrency: number; queue: number };
  corsOrigins: string[];
  idempotencyTtlHours: number;
  rateLimits: RateLimitsConfig;
  jobsIntervalSeconds: number;
  demoTenantOnEmpty: boolean;
  mail: MailConfig;
  assessments: AssessmentJobsConfig;
  /** Seals secrets that must be read back (webhook signing secrets); undefined outside production: stored plain. */
  secretsEncryptionKey: Uint8Array | undefined;
  webhooks: WebhooksConfig;
  blobs: BlobConfig;
}

/** Fixed windows held in memory per instance; over the limit a request answers 429 with Retry-After. */
export interface RateLimitsConfig {
  /** Failed authentications (API, portal and incident-report tokens) per client address. */
  authFailuresPerMinute: number;
  /** Authenticated evidence uploads (`POST /v1/evidence`) per tenant. */
  evidenceUploadsPerMinute: number;
  /** Portal uploads per portal link. */
  portalUploadsPerMinute: number;
  /** Portal forwards per portal link: each sends mail to an address the supplier types. */
  portalForwardsPerHour: number;
  /** Supplier incident reports per incident-report link. */
  incidentReportsPerHour: number;
}

export interface WebhooksConfig {
  /** Host names, IPs and CIDR ranges webhooks may reach although internal (tests: 127.0.0.1). */
  allowedHosts: string[];
  timeoutMs: number;
  /** Production refuses http:// endpoints. */
  requireHttps: boolean;
}

export interface BlobConfig {
  /** Where new evidence files are written. Reads follow each blob's own `store`. */
  store: 'postgres' | 's3';
  /** Set whenever the S3 variables are; required for BLOB_STORE=s3. */
  s3: S3Config | undefined;
}

export interface S3Config {
  /** Without a trailing slash, e.g. `https://s3.eu-central-1.amazonaws.com`. */
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Key prefix without slashes at either end; empty for none. */
  prefix: string;
  /** `endpoint/bucket/key` instead of `bucket.endpoint/key` (MinIO and most local servers need it). */
  forcePathStyle: boolean;
}

export interface AssessmentJobsConfig {
  /** Days before the due date at which an automatic reminder goes out, largest first. */
  reminderDays: number[];
  /** Days after the due date until an open assessment expires; portal links stay valid as long. */
  expiryGraceDays: number;
}

export interface MailConfig {
  /** `log` stores and prints mail; `smtp` (Node only) and `http` send it. */
  transport: 'log' | 'smtp' | 'http';
  from: string;
  smtpUrl: string | undefined;
  httpUrl: string | undefined;
  httpToken: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads only string values, so a Workers `env` object with bindings in it can be passed as is. */
export function loadConfig(source: Record<string, unknown>): Config {
  const strings: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (typeof value === 'string') strings[key] = value;
  }
  const parsed = environmentSchema.safeParse(strings);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        const received = strings[name];
        const shown = received === undefined || /SECRET|TOKEN|URL|ENDPOINT|KEY/.test(name)
          ? ''
          : ` (got "${received}")`;
        return `${name} ${issue.message}${shown}`;
      }),
    );
  }
  const env = parsed.data;
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    databasePreparedStatements: env.DATABASE_PREPARED_STATEMENTS,
    dataDir: env.DATA_DIR,
    platformAdminToken: env.PLATFORM_ADMIN_TOKEN,
    auth: {
      jwksUrl: env.AUTH_JWKS_URL,
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_AUDIENCE,
      algorithms: env.AUTH_ALGORITHMS,
      tenantClaim: env.AUTH_TENANT_CLAIM,
      rolesClaim: env.AUTH_ROLES_CLAIM,
      devHs256Secret: env.AUTH_DEV_HS256_SECRET,
      cacheSeconds: env.AUTH_CACHE_SECONDS,
    },
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    logLevel: env.LOG_LEVEL,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    evidenceMaxBytes: env.EVIDENCE_MAX_BYTES,
    imports: { concurrency: env.IMPORT_CONCURRENCY, queue: env.IMPORT_QUEUE },
    corsOrigins: env.CORS_ORIGINS,
    idempotencyTtlHours: env.IDEMPOTENCY_TTL_HOURS,
    rateLimits: {
      authFailuresPerMinute: env.AUTH_FAILURE_LIMIT_PER_MINUTE,
      evidenceUploadsPerMinute: env.EVIDENCE_UPLOAD_LIMIT_PER_MINUTE,
      portalUploadsPerMinute: env.PORTAL_UPLOAD_LIMIT_PER_MINUTE,
      portalForwardsPerHour: env.PORTAL_FORWARD_LIMIT_PER_HOUR,
      incidentReportsPerHour: env.INCIDENT_REPORT_LIMIT_PER_HOUR,
    },
    jobsIntervalSeconds: env.JOBS_INTERVAL_SECONDS,
    demoTenantOnEmpty: env.DEMO_TENANT_ON_EMPTY ?? env.NODE_ENV !== 'production',
    mail: {
      transport: env.MAIL_TRANSPORT,
      from: env.MAIL_FROM,
      smtpUrl: env.SMTP_URL,
      httpUrl: env.MAIL_HTTP_URL,
      httpToken: env.MAIL_HTTP_TOKEN,
    },
    assessments: {
      reminderDays: env.ASSESSMENT_REMINDER_DAYS,
      expiryGraceDays: env.ASSESSMENT_EXPIRY_GRACE_DAYS,
    },
    secretsEncryptionKey: env.SECRETS_ENCRYPTION_KEY ? fromBase64(env.SECRETS_ENCRYPTION_KEY) : undefined,
    webhooks: {
      // Development allows this machine, so a receiver on localhost works out of the box.
      allowedHosts: env.WEBHOOK_ALLOWED_HOSTS ?? (env.NODE_ENV === 'development' ? ['127.0.0.1', '::1', 'localhost'] : []),
      timeoutMs: env.WEBHOOK_TIMEOUT_SECONDS * 1000,
      requireHttps: env.NODE_ENV === 'production',
    },
    blobs: {
      store: env.BLOB_STORE,
      s3:
        env.S3_ENDPOINT && env.S3_REGION && env.S3_BUCKET && env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
          ? {
              endpoint: env.S3_ENDPOINT,
              region: env.S3_REGION,
              bucket: env.S3_BUCKET,
              accessKeyId: env.S3_ACCESS_KEY_ID,
              secretAccessKey: env.S3_SECRET_ACCESS_KEY,
              prefix: env.S3_PREFIX,
              forcePathStyle: env.S3_FORCE_PATH_STYLE,
            }
          : undefined,
    },
  };
}

/** For entry points: prints the configuration problems and exits instead of starting half-configured. */
export function loadConfigOrExit(source: Record<string, unknown> = process.env): Config {
  try {
    return loadConfig(source);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
