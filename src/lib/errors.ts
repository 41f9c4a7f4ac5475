import type { Context } from 'hono';

export interface FieldError {
  /** Where the bad value was: body, query, path or header. */
  location: string;
  /** Dotted path to the field inside that location, empty for the whole of it. */
  path: string;
  message: string;
}

export interface ProblemInit {
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors?: FieldError[];
  /** Members a problem type adds besides the standard ones (RFC 9457 section 3.2), e.g. `unmetGates`. */
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Thrown anywhere in a request; the error handler turns it into RFC 9457 problem+json. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly extensions: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(init: ProblemInit) {
    super(init.detail ?? init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors;
    this.extensions = init.extensions;
    this.headers = init.headers;
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(code: string): string {
  return `urn:chainproof:problem:${code}`;
}

export function problemResponse(c: Context, init: ProblemInit): Response {
  const requestId = (c.get('requestId') as string | undefined) ?? null;
  const body = {
    type: problemType(init.code),
    title: init.title,
    status: init.status,
    detail: init.detail ?? init.title,
    code: init.code,
    requestId,
    ...(init.errors ? { errors: init.errors } : {}),
    ...init.extensions,
  };
  const headers = new Headers(init.headers);
  headers.set('Content-Type', PROBLEM_CONTENT_TYPE);
  if (requestId) headers.set('X-Request-Id', requestId);
  return new Response(JSON.stringify(body), { status: init.status, headers });
}

export const problems = {
  badRequest: (detail: string) => new ApiError({ status: 400, code: 'bad_request', title: 'Bad request', detail }),
  unauthenticated: (detail = 'Missing or invalid credentials.') =>
    new ApiError({
      status: 401,
      code: 'unauthenticated',
      title: 'Unauthenticated',
      detail,
      headers: { 'WWW-Authenticate': 'Bearer realm="chainproof"' },
    }),
  forbidden: (detail: string) => new ApiError({ status: 403, code: 'forbidden', title: 'Forbidden', detail }),
  notFound: (entity = 'Resource') =>
    new ApiError({ status: 404, code: 'not_found', title: 'Not found', detail: `${entity} not found.` }),
  conflict: (detail: string, code = 'conflict') => new ApiError({ status: 409, code, title: 'Conflict', detail }),
  preconditionFailed: (detail = 'The resource has changed since you read it: If-Match does not match its ETag.') =>
    new ApiError({ status: 412, code: 'precondition_failed', title: 'Precondition failed', detail }),
  tooLarge: (limit: number) =>
    new ApiError({
      status: 413,
      code: 'payload_too_large',
      title: 'Payload too large',
      detail: `The request body is larger than the limit of ${limit} bytes.`,
    }),
  validation: (errors: FieldError[], detail = 'The request is not valid.') =>
    new ApiError({ status: 422, code: 'validation_failed', title: 'Validation failed', detail, errors }),
  unprocessable: (code: string, detail: string, errors?: FieldError[]) =>
    new ApiError({ status: 422, code, title: 'Unprocessable request', detail, ...(errors ? { errors } : {}) }),
  rateLimited: (retryAfterSeconds: number) =>
    new ApiError({
      status: 429,
      code: 'rate_limited',
      title: 'Too many requests',
      detail: `Too many requests. Retry after ${retryAfterSeconds} seconds.`,
      headers: { 'Retry-After': String(retryAfterSeconds) },
    }),
  busy: (code: string, detail: string, retryAfterSeconds: number) =>
    new ApiError({ status: 503, code, title: 'Busy', detail, headers: { 'Retry-After': String(retryAfterSeconds) } }),
  unavailable: (detail: string) =>
    new ApiError({ status: 503, code: 'service_unavailable', title: 'Service unavailable', detail, headers: { 'Retry-After': '5' } }),
};

/** Postgres SQLSTATE of a driver error, wherever drizzle or the driver put it. */
export function postgresErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown) => postgresErrorCode(error) === '23505';
