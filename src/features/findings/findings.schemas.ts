import { z } from '@hono/zod-openapi';
import {
  FINDING_SOURCE_CODES,
  FINDING_SOURCES,
  FINDING_STATUS_CODES,
  FINDING_STATUSES,
  MAX_RISK_ACCEPTANCE_DAYS,
  MIN_JUSTIFICATION_CHARS,
} from '../../catalog/findings';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { DateTimeSchema, idParam, idString, IsoDateSchema, orNull, text } from '../../lib/schemas';
import { SEVERITIES } from '../../scoring/types';

const FINDING_ID_EXAMPLE = 'fnd_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';
const SUPPLIER_ID_EXAMPLE = 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';

const describeCodes = (codes: Record<string, string>) =>
  Object.entries(codes)
    .map(([code, label]) => `\`${code}\`: ${label}`)
    .join(' ');

export const FindingSeveritySchema = z.enum(SEVERITIES).openapi('FindingSeverity', {
  description: 'How much the weakness matters. Open findings lower the supplier\'s control strength by severity.',
  example: 'high',
});

export const FindingStatusSchema = z.enum(FINDING_STATUS_CODES).openapi('FindingStatus', { description: describeCodes(FINDING_STATUSES), example: 'open' });

export const FindingSourceSchema = z.enum(FINDING_SOURCE_CODES).openapi('FindingSource', { description: describeCodes(FINDING_SOURCES), example: 'answer' });

export const FindingIdParams = z.object({ findingId: idParam('findingId', 'finding', FINDING_ID_EXAMPLE) });

const actorSchema = z.object({
  type: z.string().openapi({ example: 'api_key' }),
  id: z.string().openapi({ example: 'key_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
});

export const RiskAcceptanceSchema = z
  .object({
    acceptedBy: actorSchema.openapi({ description: 'The approver: the admin or risk manager who accepted the risk.' }),
    acceptedAt: DateTimeSchema,
    justification: z.string().openapi({ example: 'Compensating control: remote sessions run only through our jump host with MFA until the supplier\'s migration in Q3.' }),
    expiresAt: IsoDateSchema.openapi({ description: 'The acceptance ends at the start of this day (UTC); the finding then reopens on its own.', example: '2027-06-30' }),
  })
  .openapi('RiskAcceptance');

export const FindingSchema = z
  .object({
    id: z.string().openapi({ example: FINDING_ID_EXAMPLE }),
    supplierId: z.string().openapi({ example: SUPPLIER_ID_EXAMPLE }),
    title: z.string().openapi({ example: 'No multi-factor authentication on remote access into OT' }),
    description: z.string().nullable(),
    severity: FindingSeveritySchema,
    status: FindingStatusSchema,
    source: FindingSourceSchema,
    sourceRef: z.string().nullable().openapi({
      description: 'What raised it, unique per source in the tenant: the same cause never raises two findings. For answers `answer:<supplierId>:<templateKey>:<questionKey>`; null for findings entered by hand.',
      example: 'answer:sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A:builtin.ot-service-provider:sp07.mfa',
    }),
    assessmentId: z.string().nullable().openapi({ description: 'The (newest) accepted assessment whose answer raised it.', example: 'asm_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    questionKey: z.string().nullable().openapi({ example: 'sp07.mfa' }),
    serviceId: z.string().nullable().openapi({ example: 'svc_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    evidenceId: z.string().nullable(),
    contractId: z.string().nullable(),
    clauseKey: z.string().nullable(),
    auditId: z.string().nullable(),
    incidentId: z.string().nullable(),
    owner: z.string().nullable().openapi({ example: 'OT security team (m.weber@example.com)' }),
    dueDate: IsoDateSchema.nullable().openapi({ description: 'Remediation due date.', example: '2026-09-30' }),
    overdue: z.boolean().openapi({ description: 'Open or in remediation, and the due date has passed.' }),
    remediationPlan: z.string().nullable(),
    resolvedAt: DateTimeSchema.nullable(),
    riskAcceptance: orNull(RiskAcceptanceSchema).openapi({ description: 'The current risk acceptance, while the status is `risk_accepted`; earlier ones are in the audit log.' }),
    createdBy: actorSchema,
    version: z.number().int().openapi({ description: 'Row version, for If-Match.', example: 1 }),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  })
  .openapi('Finding');

export type FindingResponse = z.infer<typeof FindingSchema>;

export const FindingPageSchema = pageSchema(FindingSchema, 'FindingPage');

const idField = (description: string, example: string) => z.string().min(1).max(40).openapi({ description, example });
const longText = (max: number) => z.string().trim().max(max);

export const CreateFindingSchema = z
  .object({
    supplierId: idField('The supplier the weakness is at; must exist and not be archived.', SUPPLIER_ID_EXAMPLE),
    title: text(200),
    description: longText(10_000).optional(),
    severity: FindingSeveritySchema,
    owner: text(200).optional(),
    dueDate: IsoDateSchema.optional(),
    remediationPlan: longText(10_000).optional(),
    serviceId: idField('An ICT service of that supplier the finding is about.', 'svc_01JD6S9Q7Y3M8V5R2T4W6X8Z0A').optional(),
  })
  .strict()
  .openapi('CreateFinding', {
    example: {
      supplierId: SUPPLIER_ID_EXAMPLE,
      title: 'Shared administrator account on the substation gateway',
      severity: 'high',
      owner: 'OT security team',
      dueDate: '2026-09-30',
      remediationPlan: 'Supplier issues personal accounts and disables the shared one.',
    },
  });

export const UpdateFindingSchema = z
  .object({
    title: text(200).optional(),
    description: longText(10_000).nullable().optional(),
    severity: FindingSeveritySchema.optional(),
    owner: text(200).nullable().optional(),
    dueDate: IsoDateSchema.nullable().optional(),
    remediationPlan: longText(10_000).nullable().optional(),
    status: FindingStatusSchema.optional().openapi({
      description:
        'open ↔ in_remediation, open or in_remediation → resolved, resolved → open (reopen). `risk_accepted` only through accept-risk; leaving it (open or resolved) withdraws the acceptance.',
    }),
  })
  .strict()
  .openapi('UpdateFinding', {
    description: 'Fields left out keep their value; null clears one.',
    example: { status: 'in_remediation', owner: 'OT security team', dueDate: '2026-09-30', remediationPlan: 'Personal accounts by end of Q3.' },
  });

export const AcceptFindingRiskSchema = z
  .object({
    justification: z
      .string()
      .trim()
      .min(MIN_JUSTIFICATION_CHARS, `Explain why the risk is acceptable, in at least ${MIN_JUSTIFICATION_CHARS} characters.`)
      .max(4000),
    expiresAt: IsoDateSchema.openapi({
      description: `The acceptance ends at the start of this day (UTC). After today, and at most ${MAX_RISK_ACCEPTANCE_DAYS} days (about three years) ahead.`,
      example: '2027-06-30',
    }),
  })
  .strict()
  .openapi('AcceptFindingRisk', {
    example: {
      justification: 'Compensating control: remote sessions run only through our jump host with MFA until the supplier\'s migration in Q3.',
      expiresAt: '2027-06-30',
    },
  });

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

export const ListFindingsQuery = z.object({
  ...paginationQuery,
  // A supplier id or nothing: the export streams, so a value Postgres refuses (NUL) would break the stream, not answer 422.
  supplierId: idString('supplier').optional().openapi({ description: 'Only this supplier\'s findings.', example: SUPPLIER_ID_EXAMPLE }),
  severity: FindingSeveritySchema.optional(),
  status: FindingStatusSchema.optional(),
  source: FindingSourceSchema.optional(),
  overdue: booleanQuery.optional().openapi({
    description: '`true`: only findings open or in remediation whose due date has passed; `false`: all others.',
    example: 'true',
  }),
});

export const FindingCommentSchema = z
  .object({
    id: z.string().openapi({ example: 'fcm_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    findingId: z.string().openapi({ example: FINDING_ID_EXAMPLE }),
    body: z.string().openapi({ example: 'Supplier confirmed the new accounts go live on 15 September.' }),
    author: actorSchema,
    createdAt: DateTimeSchema,
  })
  .openapi('FindingComment');

export const FindingCommentPageSchema = pageSchema(FindingCommentSchema, 'FindingCommentPage');

export const CreateFindingCommentSchema = z
  .object({ body: text(10_000) })
  .strict()
  .openapi('CreateFindingComment', { example: { body: 'Supplier confirmed the new accounts go live on 15 September.' } });

export const ListFindingCommentsQuery = z.object({ ...paginationQuery });

/** The list's filters; an export has no page size or cursor: it streams every match. */
export const ExportFindingsQuery = ListFindingsQuery.omit({ limit: true, cursor: true });

/** A row of the findings export as its cells, for the documented example (columns: FINDING_EXPORT_COLUMNS). */
export const FINDING_EXPORT_EXAMPLE = [
  [
    FINDING_ID_EXAMPLE, SUPPLIER_ID_EXAMPLE, 'Rhein Automation GmbH', 'Shared administrator account on the jump host', 'high', 'in_remediation', true,
    '2026-10-31', 'j.weber@stadtwerke.example', 'audit', 'One account "admin" is used by four technicians.', 'Named accounts with MFA, then disable "admin".',
    '2026-09-14T08:12:00.000Z', null, null, null, null, null, null, null, null, null, 'aud_01JD6S9Q7Y3M8V5R2T4W6X8Z0A', null, null, null,
    '2026-10-02T15:40:00.000Z',
  ],
];
