import { z } from '@hono/zod-openapi';
import { AUDIT_STATUS_CODES, AUDIT_STATUSES, AUDIT_TYPE_CODES, AUDIT_TYPES } from '../../catalog/audits';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { DateTimeSchema, idParam, IsoDateSchema, text } from '../../lib/schemas';
import { FindingSeveritySchema } from '../findings/findings.schemas';

const AUDIT_ID_EXAMPLE = 'adt_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';
const SUPPLIER_ID_EXAMPLE = 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';
const SERVICE_ID_EXAMPLE = 'svc_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';
const EVIDENCE_ID_EXAMPLE = 'evd_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';

const describeCodes = (codes: Record<string, string>) =>
  Object.entries(codes)
    .map(([code, label]) => `\`${code}\`: ${label}`)
    .join(' ');

export const AuditTypeSchema = z.enum(AUDIT_TYPE_CODES).openapi('AuditType', { description: describeCodes(AUDIT_TYPES), example: 'on_site' });
export const AuditStatusSchema = z.enum(AUDIT_STATUS_CODES).openapi('AuditStatus', { description: describeCodes(AUDIT_STATUSES), example: 'planned' });

export const AuditIdParams = z.object({ auditId: idParam('auditId', 'audit', AUDIT_ID_EXAMPLE) });

export const AuditSchema = z
  .object({
    id: z.string().openapi({ example: AUDIT_ID_EXAMPLE }),
    supplierId: z.string().openapi({ example: SUPPLIER_ID_EXAMPLE }),
    serviceId: z.string().nullable().openapi({ example: SERVICE_ID_EXAMPLE }),
    type: AuditTypeSchema,
    status: AuditStatusSchema,
    plannedDate: IsoDateSchema.nullable(),
    performedDate: IsoDateSchema.nullable().openapi({ description: 'Set for completed audits.' }),
    scope: z.string().nullable(),
    auditor: z.string().nullable(),
    result: z.string().nullable(),
    reportEvidenceId: z.string().nullable().openapi({ description: 'The audit report, as evidence of the supplier.', example: EVIDENCE_ID_EXAMPLE }),
    findingIds: z.array(z.string()).openapi({ description: 'Findings the audit raised, oldest first.', example: ['fnd_01JD6S9Q7Y3M8V5R2T4W6X8Z0A'] }),
    createdBy: z.object({ type: z.string().openapi({ example: 'api_key' }), id: z.string() }),
    version: z.number().int().openapi({ description: 'Row version, for If-Match.', example: 1 }),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  })
  .openapi('Audit');

export type AuditResponse = z.infer<typeof AuditSchema>;
export const AuditPageSchema = pageSchema(AuditSchema, 'AuditPage');

const idField = (description: string, example: string) => z.string().min(1).max(40).openapi({ description, example });
const longText = (max: number) => z.string().trim().max(max);

export const CreateAuditSchema = z
  .object({
    supplierId: idField('The audited supplier; must exist and not be archived.', SUPPLIER_ID_EXAMPLE),
    serviceId: idField('The audited ICT service of that supplier.', SERVICE_ID_EXAMPLE).optional(),
    type: AuditTypeSchema,
    status: AuditStatusSchema.optional().openapi({ description: 'Default `planned`. `completed` needs `performedDate`.' }),
    plannedDate: IsoDateSchema.optional(),
    performedDate: IsoDateSchema.optional().openapi({ description: 'When it was performed; not in the future.' }),
    scope: longText(4000).optional(),
    auditor: text(200).optional(),
    result: longText(10_000).optional(),
    reportEvidenceId: idField('The audit report: live (not archived) evidence of the same supplier.', EVIDENCE_ID_EXAMPLE).optional(),
  })
  .strict()
  .openapi('CreateAudit', {
    example: { supplierId: SUPPLIER_ID_EXAMPLE, type: 'on_site', plannedDate: '2027-03-15', scope: 'Remote-maintenance access into substations', auditor: 'Internal audit (OT)' },
  });

export const UpdateAuditSchema = z
  .object({
    serviceId: idField('An ICT service of the audit\'s supplier.', SERVICE_ID_EXAMPLE).nullable().optional(),
    type: AuditTypeSchema.optional(),
    status: AuditStatusSchema.optional().openapi({ description: 'planned ↔ in_progress, either → completed (needs `performedDate`), completed → in_progress.' }),
    plannedDate: IsoDateSchema.nullable().optional(),
    performedDate: IsoDateSchema.nullable().optional(),
    scope: longText(4000).nullable().optional(),
    auditor: text(200).nullable().optional(),
    result: longText(10_000).nullable().optional(),
    reportEvidenceId: idField('Live evidence of the audit\'s supplier.', EVIDENCE_ID_EXAMPLE).nullable().optional(),
  })
  .strict()
  .openapi('UpdateAudit', {
    description: 'Fields left out keep their value; null clears one.',
    example: { status: 'completed', performedDate: '2027-03-16', result: 'Two findings; access control otherwise effective.' },
  });

export const ListAuditsQuery = z.object({
  ...paginationQuery,
  supplierId: z.string().min(1).max(40).optional().openapi({ description: 'Only this supplier\'s audits.', example: SUPPLIER_ID_EXAMPLE }),
  status: AuditStatusSchema.optional(),
  type: AuditTypeSchema.optional(),
});

export const CreateAuditFindingSchema = z
  .object({
    title: text(200),
    description: longText(10_000).optional(),
    severity: FindingSeveritySchema,
    serviceId: idField('An ICT service of the audit\'s supplier; default the audit\'s service.', SERVICE_ID_EXAMPLE).optional(),
    ref: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,40}$/, 'Letters, digits, dot, dash and underscore, at most 40.')
      .openapi({ maxLength: 40 })
      .optional()
      .openapi({ description: 'The finding\'s number in the audit report, e.g. `4.2`. The same ref raises the same finding again, never a second one.', example: '4.2' }),
  })
  .strict()
  .openapi('CreateAuditFinding', { example: { title: 'Shared administrator account on the jump host', severity: 'high', ref: '4.2' } });

/** An audit as the supplier resource mentions it. */
export const AuditRefSchema = z
  .object({
    id: z.string().openapi({ example: AUDIT_ID_EXAMPLE }),
    type: AuditTypeSchema,
    status: AuditStatusSchema,
    serviceId: z.string().nullable(),
    plannedDate: IsoDateSchema.nullable(),
    performedDate: IsoDateSchema.nullable(),
  })
  .openapi('AuditRef');
