import { ApiError, type ProblemInit } from '../errors';

/**
 * A blob store that failed or lost a file. The client gets a problem without internals; `reason`
 * (HTTP status, S3 error code, object key; never a credential) is for the operator's log.
 */
export class BlobStoreError extends ApiError {
  readonly reason: string;

  constructor(init: ProblemInit, reason: string) {
    super(init);
    this.name = 'BlobStoreError';
    this.reason = reason;
  }
}

export const blobProblems = {
  /** The row says the bytes exist; the store has no object (or one of another size). */
  missing: (reason: string) =>
    new BlobStoreError(
      {
        status: 502,
        code: 'blob_missing',
        title: 'Bad gateway',
        detail: "The evidence record is intact, but its file's content is missing from the blob store. Quote the request id when you contact support.",
      },
      reason,
    ),
  /** Down, too slow, or 5xx: worth a retry. */
  unavailable: (reason: string) =>
    new BlobStoreError(
      {
        status: 503,
        code: 'blob_store_unavailable',
        title: 'Service unavailable',
        detail: 'The blob store that holds evidence files is not reachable. Retry shortly.',
        headers: { 'Retry-After': '5' },
      },
      reason,
    ),
  /** A 4xx from the store: wrong credentials, bucket or policy, or a failed integrity check. */
  refused: (reason: string) =>
    new BlobStoreError(
      {
        status: 502,
        code: 'blob_store_error',
        title: 'Bad gateway',
        detail: 'The blob store refused the request. Quote the request id when you contact support.',
      },
      reason,
    ),
  /** A blob written to S3 while this deployment has no S3 settings (any more). */
  notConfigured: (reason: string) =>
    new BlobStoreError(
      {
        status: 503,
        code: 'blob_store_not_configured',
        title: 'Service unavailable',
        detail: 'This file is kept in S3, which this deployment is not configured to reach. Quote the request id when you contact support.',
      },
      reason,
    ),
};
