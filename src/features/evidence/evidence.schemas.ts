import { z } from '@hono/zod-openapi';
import { EVIDENCE_KIND_CODES, EVIDENCE_KINDS } from '../../catalog/evidence-kinds';
import { ALLOWED_FORMATS_TEXT } from '../../lib/blobs/sniff';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { DateTimeSchema, idParam, IsoDateSchema, text } from '../../lib/schemas';

const EVIDENCE_ID_EXAMPLE = 'evd_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';
const SUPPLIER_ID_EXAMPLE = 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';

export const EvidenceKindSchema = z.enum(EVIDENCE_KIND_CODES).openapi('EvidenceKind', {
  description: Object.entries(EVIDENCE_KINDS)
    .map(([code, label]) => `\`${code}\`: ${label}`)
    .join('; '),
  example: 'iso27001_certificate',
});

export const EvidenceIdParams = z.object({ evidenceId: idParam('evidenceId', 'evidence', EVIDENCE_ID_EXAMPLE) });

const nullableDate = (description: string) => IsoDateSchema.nullable().openapi({ description });

export const EvidenceSchema = z
  .object({
    id: z.string().openapi({ example: EVIDENCE_ID_EXAMPLE }),
    supplierId: z.string().openapi({ example: SUPPLIER_ID_EXAMPLE }),
    kind: EvidenceKindSchema,
    title: z.string().nullable().openapi({ example: 'ISO/IEC 27001:2022 certificate, Netzwerk Service GmbH' }),
    fileName: z.string().openapi({ description: 'The uploaded file name, without any path or control characters.', example: 'iso27001-certificate.pdf' }),
    contentType: z.string().openapi({ description: 'Decided from the file\'s content (magic bytes), never from its name.', example: 'application/pdf' }),
    size: z.number().int().openapi({ description: 'Bytes.', example: 183_204 }),
    sha256: z.string().openapi({ description: 'SHA-256 of the content, hex. Also the ETag of the content.', example: 'a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778' }),
    issuedAt: nullableDate('Date of issue.'),
    validFrom: nullableDate('First day of validity.'),
    validUntil: nullableDate('Last day of validity; `expiringBefore` filters on it.'),
    periodStart: nullableDate('Start of the period a report covers (SOC 2 type II, SLA report).'),
    periodEnd: nullableDate('End of the period a report covers.'),
    serviceId: z.string().nullable().openapi({ description: 'The ICT service it is about.', example: 'svc_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    assessmentId: z.string().nullable().openapi({ description: 'The assessment it was provided for.', example: 'asm_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    questionKey: z.string().nullable().openapi({ description: 'The question of that assessment it answers.', example: 'isms-certification' }),
    contractId: z.string().nullable(),
    auditId: z.string().nullable(),
    incidentId: z.string().nullable(),
    uploadedBy: z
      .object({ type: z.string().openapi({ example: 'api_key' }), id: z.string().openapi({ example: 'key_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }) })
      .openapi({ description: 'Who uploaded it: an API key, a user, or a supplier contact through the portal (`supplier_contact`, the invitation id).' }),
    contentUrl: z.string().openapi({ description: 'Where to download the file.', example: `/v1/evidence/${EVIDENCE_ID_EXAMPLE}/content` }),
    archivedAt: DateTimeSchema.nullable(),
    version: z.number().int().openapi({ description: 'Row version, for If-Match.', example: 1 }),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  })
  .openapi('Evidence');

export type EvidenceResponse = z.infer<typeof EvidenceSchema>;

export const EvidencePageSchema = pageSchema(EvidenceSchema, 'EvidencePage');

const idField = (description: string, example: string) => z.string().min(1).max(40).openapi({ description, example });

/** The multipart form of an upload. Every field but `file` is text, as multipart carries it. */
export const UploadEvidenceSchema = z
  .object({
    file: z
      .file({ error: 'Attach the document as the multipart field "file" (a file part with a filename).' })
      .openapi({
        type: 'string',
        format: 'binary',
        description: `The document. Allowed by content: ${ALLOWED_FORMATS_TEXT}. A name or declared type that does not match the content is refused (422).`,
      }),
    supplierId: idField('The supplier it is from or about; not archived.', SUPPLIER_ID_EXAMPLE),
    kind: EvidenceKindSchema,
    title: text(200).optional().openapi({ example: 'ISO/IEC 27001:2022 certificate' }),
    issuedAt: IsoDateSchema.optional(),
    validFrom: IsoDateSchema.optional(),
    validUntil: IsoDateSchema.optional().openapi({ description: 'Not before validFrom.', example: '2027-06-30' }),
    periodStart: IsoDateSchema.optional(),
    periodEnd: IsoDateSchema.optional().openapi({ description: 'Not before periodStart.', example: '2026-12-31' }),
    serviceId: idField('An ICT service of this supplier.', 'svc_01JD6S9Q7Y3M8V5R2T4W6X8Z0A').optional(),
    assessmentId: idField('An assessment of this supplier.', 'asm_01JD6S9Q7Y3M8V5R2T4W6X8Z0A').optional(),
    questionKey: z
      .string()
      .min(1)
      .max(80)
      .optional()
      .openapi({ description: 'A question of that assessment\'s template version; needs `assessmentId`.', example: 'isms-certification' }),
  })
  .strict()
  .openapi('UploadEvidence', {
    example: { file: '(the bytes of iso27001-certificate.pdf)', supplierId: SUPPLIER_ID_EXAMPLE, kind: 'iso27001_certificate', title: 'ISO/IEC 27001:2022 certificate', validUntil: '2027-06-30' },
  });

export const UpdateEvidenceSchema = z
  .object({
    kind: EvidenceKindSchema.optional(),
    title: text(200).nullable().optional(),
    issuedAt: IsoDateSchema.nullable().optional(),
    validFrom: IsoDateSchema.nullable().optional(),
    validUntil: IsoDateSchema.nullable().optional(),
    periodStart: IsoDateSchema.nullable().optional(),
    periodEnd: IsoDateSchema.nullable().optional(),
  })
  .strict()
  .openapi('UpdateEvidence', {
    description: 'Fields left out keep their value; null clears one.',
    example: { validUntil: '2028-06-30', title: 'ISO/IEC 27001:2022 certificate (renewed)' },
  });

export const ListEvidenceQuery = z.object({
  ...paginationQuery,
  supplierId: z.string().min(1).max(40).optional().openapi({ description: 'Only this supplier\'s evidence.', example: SUPPLIER_ID_EXAMPLE }),
  kind: EvidenceKindSchema.optional().openapi({ description: 'Only this kind.' }),
  assessmentId: z.string().min(1).max(40).optional().openapi({ description: 'Only evidence provided for this assessment.', example: 'asm_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
  expiringBefore: IsoDateSchema.optional().openapi({
    description: 'Only evidence valid until a day before this date (`validUntil` < expiringBefore), already expired included; sorted by validUntil, soonest first.',
    example: '2027-01-01',
  }),
  includeArchived: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .openapi({ description: 'Include archived evidence.', example: 'false' }),
});
