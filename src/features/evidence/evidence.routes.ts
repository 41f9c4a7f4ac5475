import { z } from '@hono/zod-openapi';
import { ALLOWED_FORMATS_TEXT } from '../../lib/blobs/sniff';
import { ProblemSchema } from '../../lib/openapi';
import { defineRoute } from '../../lib/router';
import {
  EvidenceIdParams,
  EvidencePageSchema,
  EvidenceSchema,
  ListEvidenceQuery,
  UpdateEvidenceSchema,
  UploadEvidenceSchema,
} from './evidence.schemas';

const tags = ['Evidence'];
const evidenceResponse = (description: string) => ({ description, content: { 'application/json': { schema: EvidenceSchema } } });

export const listEvidenceRoute = defineRoute({
  method: 'get',
  path: '/v1/evidence',
  operationId: 'listEvidence',
  summary: 'List evidence',
  description:
    'Keyset-paginated, newest first. Filter by supplier, kind and assessment. `expiringBefore` lists evidence whose `validUntil` is before that date (already expired included), soonest first: the renewal worklist. Archived evidence is left out unless `includeArchived=true`.',
  tags,
  access: 'evidence:read',
  request: { query: ListEvidenceQuery },
  responses: { 200: { description: 'A page of evidence.', content: { 'application/json': { schema: EvidencePageSchema } } } },
});

export const uploadEvidenceRoute = defineRoute({
  method: 'post',
  path: '/v1/evidence',
  operationId: 'uploadEvidence',
  summary: 'Upload evidence',
  description: [
    '`multipart/form-data` with the document in `file` and its metadata in the other fields. Other media types answer 415.',
    `The type is decided from the content (magic bytes), never from the file name: ${ALLOWED_FORMATS_TEXT}. CSV is UTF-8 text whose name or declared type says CSV; JSON is recognised as a CycloneDX or SPDX SBOM when it is one. A file whose name or declared type says one thing while its content is another (an executable named \`.pdf\`, HTML sent as \`text/plain\`), or whose content is not allowed, answers 422 naming \`file\` and saying what was detected. The canonical type is stored and served.`,
    'A tenant may upload `EVIDENCE_UPLOAD_LIMIT_PER_MINUTE` (default 120) files a minute, whichever key or user sends them; beyond that 429 with Retry-After, before the body is read.',
    'The file may be up to `EVIDENCE_MAX_BYTES` (25 MiB unless configured); a larger one answers 413 naming `file`. The same content uploaded again in the tenant is stored once (by SHA-256) and gets a new evidence record.',
    'The ids come in the body, so an unknown supplier, an archived supplier, a service of another supplier, an assessment of another supplier or a question that is not in the assessment\'s questionnaire answer 422 naming the field. `validUntil` must not be before `validFrom`, nor `periodEnd` before `periodStart`. Audited as `evidence.uploaded`.',
    'With `Idempotency-Key`, a retry is recognised by its form fields and file bytes (the multipart boundary may differ); different fields or bytes under the same key answer 422 `idempotency_key_reused`.',
    'With `BLOB_STORE=s3`, a bucket that cannot be reached answers 503 `blob_store_unavailable` and one that refuses the file 502 `blob_store_error`; nothing is stored then, neither the record nor the object.',
  ].join('\n\n'),
  tags,
  access: 'evidence:write',
  errors: [502, 503],
  request: { body: { required: true, content: { 'multipart/form-data': { schema: UploadEvidenceSchema } } } },
  responses: {
    201: {
      description: 'The new evidence record; `Location` names it.',
      headers: z.object({ Location: z.string().openapi({ example: '/v1/evidence/evd_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }) }),
      content: { 'application/json': { schema: EvidenceSchema } },
    },
    413: {
      description: 'The file is larger than `EVIDENCE_MAX_BYTES` (`file_too_large`, naming `file`), or the whole body is more than 1 MiB over it (`payload_too_large`).',
      content: {
        'application/problem+json': {
          schema: ProblemSchema,
          example: {
            type: 'urn:chainproof:problem:file_too_large',
            title: 'Payload too large',
            status: 413,
            detail: 'The file is larger than the limit of 25 MiB.',
            code: 'file_too_large',
            requestId: 'f3c2b1a0-1234-4bcd-9abc-0123456789ab',
            errors: [{ location: 'body', path: 'file', message: 'The file has 27262976 bytes (26 MiB); at most 25 MiB (26214400 bytes) are accepted.' }],
          },
        },
      },
    },
  },
});

export const getEvidenceRoute = defineRoute({
  method: 'get',
  path: '/v1/evidence/{evidenceId}',
  operationId: 'getEvidence',
  summary: 'Get an evidence record',
  description: 'Its metadata, archived or not. Carries an ETag for If-Match. The file itself is at `contentUrl`.',
  tags,
  access: 'evidence:read',
  request: { params: EvidenceIdParams },
  responses: { 200: evidenceResponse('The evidence record.') },
});

export const updateEvidenceRoute = defineRoute({
  method: 'patch',
  path: '/v1/evidence/{evidenceId}',
  operationId: 'updateEvidence',
  summary: 'Update evidence metadata',
  description:
    'Kind, title and dates; the file and its links do not change (upload a new record instead). Fields left out keep their value, null clears one; the dates must stay in order (422). Archived evidence answers 409 `evidence_archived`. Audited as `evidence.updated`.',
  tags,
  access: 'evidence:write',
  ifMatch: true,
  errors: [409],
  request: { params: EvidenceIdParams, body: { required: true, content: { 'application/json': { schema: UpdateEvidenceSchema } } } },
  responses: { 200: evidenceResponse('The updated evidence record.') },
});

export const archiveEvidenceRoute = defineRoute({
  method: 'delete',
  path: '/v1/evidence/{evidenceId}',
  operationId: 'archiveEvidence',
  summary: 'Archive evidence',
  description:
    'Evidence is never deleted: it stays readable and downloadable for auditors, but leaves lists (unless `includeArchived=true`) and can no longer be attached to answers. Archiving archived evidence changes nothing and also answers 204. Audited as `evidence.archived`.',
  tags,
  access: 'evidence:write',
  ifMatch: true,
  request: { params: EvidenceIdParams },
  responses: { 204: { description: 'Archived.' } },
});

export const downloadEvidenceRoute = defineRoute({
  method: 'get',
  path: '/v1/evidence/{evidenceId}/content',
  operationId: 'downloadEvidence',
  summary: 'Download the file',
  description:
    'The stored bytes, streamed, as an attachment with the canonical content type detected at upload, `X-Content-Type-Options: nosniff` and `Cache-Control: private, no-store`. The ETag is the SHA-256 of the content; `If-None-Match` with it answers 304. Files are read from the store they were written to (Postgres or S3); when that store is down the answer is 503 `blob_store_unavailable`, when it has lost the file 502 `blob_missing`, before any byte is sent.',
  tags,
  access: 'evidence:read',
  errors: [502, 503],
  request: { params: EvidenceIdParams },
  responses: {
    200: {
      description: 'The file.',
      headers: z.object({
        'Content-Disposition': z.string().openapi({ example: 'attachment; filename="iso27001-certificate.pdf"; filename*=UTF-8\'\'iso27001-certificate.pdf' }),
        ETag: z.string().openapi({ example: '"a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778"' }),
      }),
      content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary', description: 'Served with the type detected at upload, such as application/pdf.' }) } },
    },
    304: { description: 'Not modified: `If-None-Match` names the content\'s ETag.' },
  },
});
