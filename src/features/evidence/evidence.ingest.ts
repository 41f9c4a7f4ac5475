import type { EvidenceKind } from '../../catalog/evidence-kinds';
import type { Db } from '../../db/types';
import type { BlobStore } from '../../lib/blobs';
import { sniffFile } from '../../lib/blobs/sniff';
import type { Actor } from '../../lib/context';
import { sha256Hex } from '../../lib/crypto';
import { ApiError, problems, type FieldError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { documentOf, findAssessment, questionsByKey } from '../assessments/assessments.queries';
import { findService } from '../ict-services/ict-services.queries';
import { findSupplier } from '../suppliers/suppliers.queries';
import { insertEvidence, type EvidenceRow } from './evidence.queries';
import type { EvidenceResponse } from './evidence.schemas';

export type { EvidenceRow } from './evidence.queries';
export type { EvidenceResponse } from './evidence.schemas';

export interface IngestEvidenceInput {
  tenantId: string;
  supplierId: string;
  file: { name: string; type: string; bytes: Uint8Array };
  kind: EvidenceKind;
  title?: string | null;
  issuedAt?: string | null;
  validFrom?: string | null;
  validUntil?: string | null;
  periodStart?: string | null;
  periodEnd?: string | null;
  links?: { serviceId?: string; assessmentId?: string; questionKey?: string; contractId?: string; auditId?: string; incidentId?: string };
  uploadedBy: Actor;
  now: Date;
  maxBytes: number;
}

const MIB = 1024 * 1024;
const MAX_FILE_NAME_CHARS = 200;

const mib = (bytes: number) => `${Number((bytes / MIB).toFixed(2))} MiB`;

// eslint-disable-next-line no-control-regex -- control, zero-width and bidi-override characters are what it removes
const UNSAFE_NAME_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * The name to keep and offer on download: the last path segment only, without control or
 * direction-changing characters, no leading dots, at most 200 characters with the extension kept.
 */
export function sanitizeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.normalize('NFC').replace(UNSAFE_NAME_CHARACTERS, '').replace(/\s+/g, ' ').trim().replace(/^\.+/, '').trim();
  if (clean === '') return 'file';
  const chars = Array.from(clean);
  if (chars.length <= MAX_FILE_NAME_CHARS) return clean;
  const dot = clean.lastIndexOf('.');
  const extension = dot > 0 && clean.length - dot <= 16 ? Array.from(clean.slice(dot)) : [];
  return chars.slice(0, MAX_FILE_NAME_CHARS - extension.length).join('').trimEnd() + extension.join('');
}

function fileTooLarge(size: number, maxBytes: number) {
  return new ApiError({
    status: 413,
    code: 'file_too_large',
    title: 'Payload too large',
    detail: `The file is larger than the limit of ${mib(maxBytes)}.`,
    errors: [{ location: 'body', path: 'file', message: `The file has ${size} bytes (${mib(size)}); at most ${mib(maxBytes)} (${maxBytes} bytes) are accepted.` }],
  });
}

/**
 * Checks and stores one evidence file: size (413 over `maxBytes`), content sniffed from the bytes
 * (422 naming `file` when it is not allowed or does not match its name or declared type), dates
 * in order, links that exist for this supplier; then stores the blob once per tenant and inserts
 * the row. Runs inside the caller's transaction, with a store bound to it; the caller records the
 * audit entry. The supplier must exist; whether an archived one may still receive evidence is the
 * caller's decision.
 */
export async function ingestEvidence(tx: Db, store: BlobStore, input: IngestEvidenceInput): Promise<EvidenceRow> {
  const { tenantId, supplierId, file, now } = input;
  const links = input.links ?? {};
  const size = file.bytes.byteLength;
  if (size > input.maxBytes) throw fileTooLarge(size, input.maxBytes);

  const errors: FieldError[] = [];
  const fail = (path: string, message: string) => errors.push({ location: 'body', path, message });

  const sniffed = size === 0 ? undefined : sniffFile(file.bytes, file.name, file.type);
  if (size === 0) fail('file', 'The file is empty.');
  else if (sniffed && !sniffed.ok) fail('file', sniffed.message);

  if (input.validFrom && input.validUntil && input.validFrom > input.validUntil) fail('validUntil', `Must not be before validFrom (${input.validFrom}).`);
  if (input.periodStart && input.periodEnd && input.periodStart > input.periodEnd) fail('periodEnd', `Must not be before periodStart (${input.periodStart}).`);

  const supplier = await findSupplier(tx, tenantId, supplierId);
  if (!supplier) fail('supplierId', 'No such supplier.');
  if (supplier && links.serviceId && !(await findService(tx, { tenantId, supplierId, serviceId: links.serviceId }))) {
    fail('serviceId', 'No such ICT service of this supplier.');
  }
  if (links.questionKey && !links.assessmentId) fail('questionKey', 'Needs assessmentId.');
  if (supplier && links.assessmentId) {
    const assessment = await findAssessment(tx, tenantId, links.assessmentId);
    if (!assessment || assessment.supplierId !== supplierId) fail('assessmentId', 'No such assessment of this supplier.');
    else if (links.questionKey && !questionsByKey(await documentOf(tx, assessment)).has(links.questionKey)) {
      fail('questionKey', `"${links.questionKey}" is not a question of this assessment's questionnaire.`);
    }
  }
  if (errors.length > 0 || !sniffed?.ok) throw problems.validation(errors);

  const sha256 = await sha256Hex(file.bytes);
  await store.put(tenantId, sha256, sniffed.contentType, file.bytes);
  return insertEvidence(tx, {
    tenantId,
    id: newId('evidence', now),
    supplierId,
    kind: input.kind,
    title: input.title?.trim() || null,
    fileName: sanitizeFileName(file.name),
    contentType: sniffed.contentType,
    size,
    sha256,
    issuedAt: input.issuedAt ?? null,
    validFrom: input.validFrom ?? null,
    validUntil: input.validUntil ?? null,
    periodStart: input.periodStart ?? null,
    periodEnd: input.periodEnd ?? null,
    serviceId: links.serviceId ?? null,
    assessmentId: links.assessmentId ?? null,
    questionKey: links.questionKey ?? null,
    contractId: links.contractId ?? null,
    auditId: links.auditId ?? null,
    incidentId: links.incidentId ?? null,
    uploadedByType: input.uploadedBy.type,
    uploadedById: input.uploadedBy.id,
    createdAt: now,
    updatedAt: now,
  });
}

/** The JSON shape of an evidence record in every API answer. */
export function presentEvidence(row: EvidenceRow): EvidenceResponse {
  return {
    id: row.id,
    supplierId: row.supplierId,
    kind: row.kind as EvidenceKind,
    title: row.title,
    fileName: row.fileName,
    contentType: row.contentType,
    size: row.size,
    sha256: row.sha256,
    issuedAt: row.issuedAt,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    serviceId: row.serviceId,
    assessmentId: row.assessmentId,
    questionKey: row.questionKey,
    contractId: row.contractId,
    auditId: row.auditId,
    incidentId: row.incidentId,
    uploadedBy: { type: row.uploadedByType, id: row.uploadedById },
    contentUrl: `/v1/evidence/${row.id}/content`,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
