import { z } from '@hono/zod-openapi';

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:chainproof:problem:validation_failed' }),
    title: z.string().openapi({ example: 'Validation failed' }),
    status: z.number().int().openapi({ example: 422 }),
    detail: z.string().openapi({ example: 'The request is not valid.' }),
    code: z.string().openapi({ description: 'Stable machine-readable error code.', example: 'validation_failed' }),
    requestId: z.string().nullable().openapi({ example: 'f3c2b1a0-1234-4bcd-9abc-0123456789ab' }),
    errors: z
      .array(
        z.object({
          location: z.string().openapi({ example: 'body' }),
          path: z.string().openapi({ example: 'name' }),
          message: z.string().openapi({ example: 'Required' }),
        }),
      )
      .optional()
      .openapi({ description: 'One entry per invalid field, for validation failures.' }),
  })
  .openapi('Problem', { description: 'An RFC 9457 problem detail.' });

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request, such as JSON that does not parse.',
  401: 'No credentials, or credentials that are invalid, revoked or expired.',
  403: 'The credentials lack the scope this operation needs.',
  404: 'Not found (also for objects of another tenant).',
  409: 'The request conflicts with the current state.',
  412: 'If-Match does not match the current ETag.',
  413: 'The request body is too large.',
  415: 'The request body has an unsupported media type.',
  422: 'Validation failed; `errors` lists each invalid field.',
  429: 'Too many requests; see Retry-After.',
  500: 'Unexpected error; the response carries only a request id.',
  502: 'The blob store (S3) refused the request (`blob_store_error`) or has lost the file (`blob_missing`).',
  503: 'A dependency, such as the database or the blob store (`blob_store_unavailable`), is unavailable.',
};

export type ErrorStatus = keyof typeof DESCRIPTIONS;

const EXAMPLES: Record<number, { code: string; title: string; detail: string }> = {
  400: { code: 'malformed_request', title: 'Malformed request', detail: 'The request body is not valid JSON.' },
  401: { code: 'unauthenticated', title: 'Unauthenticated', detail: 'Missing or invalid credentials.' },
  403: { code: 'forbidden', title: 'Forbidden', detail: 'This operation needs the "suppliers:write" scope.' },
  404: { code: 'not_found', title: 'Not found', detail: 'Resource not found.' },
  409: { code: 'conflict', title: 'Conflict', detail: 'A request with this Idempotency-Key is still being processed. Retry later.' },
  412: { code: 'precondition_failed', title: 'Precondition failed', detail: 'The resource has changed since you read it: If-Match does not match its ETag.' },
  413: { code: 'payload_too_large', title: 'Payload too large', detail: 'The request body is larger than the limit of 1048576 bytes.' },
  415: { code: 'unsupported_media_type', title: 'Unsupported media type', detail: 'Unsupported Media Type' },
  429: { code: 'rate_limited', title: 'Too many requests', detail: 'Too many requests. Retry after 30 seconds.' },
  500: { code: 'internal_error', title: 'Internal server error', detail: 'Something went wrong on our side. Quote the request id when you contact support.' },
  502: { code: 'blob_missing', title: 'Bad gateway', detail: "The evidence record is intact, but its file's content is missing from the blob store. Quote the request id when you contact support." },
  503: { code: 'service_unavailable', title: 'Service unavailable', detail: 'The database is not reachable.' },
};

function exampleProblem(status: number) {
  if (status === 422) {
    return {
      type: 'urn:chainproof:problem:validation_failed',
      title: 'Validation failed',
      status,
      detail: 'The request is not valid.',
      code: 'validation_failed',
      requestId: 'f3c2b1a0-1234-4bcd-9abc-0123456789ab',
      errors: [{ location: 'body', path: 'name', message: 'Required' }],
    };
  }
  const known = EXAMPLES[status] ?? { code: 'error', title: 'Error', detail: 'Error' };
  return { type: `urn:chainproof:problem:${known.code}`, title: known.title, status, detail: known.detail, code: known.code, requestId: 'f3c2b1a0-1234-4bcd-9abc-0123456789ab' };
}

export function errorResponses(statuses: Iterable<number>) {
  const out: Record<
    string,
    { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema; example: ReturnType<typeof exampleProblem> } } }
  > = {};
  for (const status of [...new Set(statuses)].sort()) {
    out[String(status)] = {
      description: DESCRIPTIONS[status] ?? 'Error',
      content: { 'application/problem+json': { schema: ProblemSchema, example: exampleProblem(status) } },
    };
  }
  return out;
}

export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API key (`cp_…`) or an OIDC access token (JWT) from the configured identity provider. The tenant comes from the credential.',
  },
  platformAdmin: {
    type: 'http',
    scheme: 'bearer',
    description: 'The operator\'s PLATFORM_ADMIN_TOKEN. Only creates tenants.',
  },
  portalToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Portal-Token',
    description:
      'The token from a supplier\'s link, which is its only credential until it expires or is revoked: an assessment link (`/portal/a/{token}`) opens that one assessment for that contact; an incident-report link (`/portal/incidents/{token}`) lets that supplier report incidents.',
  },
} as const;

export const IdempotencyKeyParameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a POST safe to retry: a retry with the same key and body returns the first response; the same key with another body answers 422. Keys are kept for at least 24 hours.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
  example: '3f0c6a1e-2d4b-4c55-9a51-1f2e3d4c5b6a',
} as const;

export const IfMatchParameter = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description: 'The ETag you last read. When it no longer matches, the change is refused with 412.',
  // Longer than any ETag the API makes: it could only ever answer 412.
  schema: { type: 'string', maxLength: 64 },
  example: '"3"',
} as const;
