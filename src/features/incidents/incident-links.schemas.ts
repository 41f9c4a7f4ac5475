import { z } from '@hono/zod-openapi';
import { INCIDENT_LINK_DEFAULT_DAYS, INCIDENT_LINK_MAX_DAYS } from '../../catalog/incidents';
import { DateTimeSchema, idParam, text } from '../../lib/schemas';
import { IncidentSeveritySchema } from './incidents.schemas';

const SUPPLIER_ID_EXAMPLE = 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';
const LINK_ID_EXAMPLE = 'irl_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';

export const SupplierIncidentLinksParams = z.object({ supplierId: idParam('supplierId', 'supplier', SUPPLIER_ID_EXAMPLE) });
export const IncidentLinkParams = z.object({
  supplierId: idParam('supplierId', 'supplier', SUPPLIER_ID_EXAMPLE),
  incidentLinkId: idParam('incidentLinkId', 'incidentLink', LINK_ID_EXAMPLE),
});

export const IncidentLinkSchema = z
  .object({
    id: z.string().openapi({ example: LINK_ID_EXAMPLE }),
    supplierId: z.string().openapi({ example: SUPPLIER_ID_EXAMPLE }),
    email: z.string().nullable().openapi({ description: 'Where the link was mailed, if anywhere.', example: 'security@rhein-automation.example' }),
    expiresAt: DateTimeSchema,
    revokedAt: DateTimeSchema.nullable(),
    lastUsedAt: DateTimeSchema.nullable(),
    createdAt: DateTimeSchema,
  })
  .openapi('IncidentLink');

export const IncidentLinkListSchema = z
  .object({ data: z.array(IncidentLinkSchema), nextCursor: z.string().nullable() })
  .openapi('IncidentLinkList');

export const CreatedIncidentLinkSchema = IncidentLinkSchema.extend({
  url: z.string().openapi({
    description: 'The link, shown this once: only a hash of its token is stored.',
    example: 'https://chainproof.example/portal/incidents/3q2-7wH1bK0mXr9yZ4cV8nT5uL6pS2dF1gJ0aE7iO3w',
  }),
}).openapi('CreatedIncidentLink');

export const CreateIncidentLinkSchema = z
  .object({
    email: z.email().max(254).optional().openapi({ description: 'Mail the link there (plain text and HTML, through the outbox).', example: 'security@rhein-automation.example' }),
    expiresInDays: z
      .number()
      .int()
      .min(1)
      .max(INCIDENT_LINK_MAX_DAYS)
      .optional()
      .openapi({ description: `Default ${INCIDENT_LINK_DEFAULT_DAYS}.`, example: INCIDENT_LINK_DEFAULT_DAYS }),
  })
  .strict()
  .openapi('CreateIncidentLink', { example: { email: 'security@rhein-automation.example' } });

export const ReportIncidentSchema = z
  .object({
    title: text(200),
    awareAt: DateTimeSchema.openapi({ description: 'When you became aware of the incident; not in the future.' }),
    description: z.string().trim().max(10_000).optional().openapi({ description: 'What happened, what is affected, what you are doing about it.' }),
    severity: IncidentSeveritySchema.optional().openapi({ description: 'Your estimate; default `medium`. Your customer may change it.' }),
    significant: z.boolean().optional().openapi({ description: 'Whether you consider it significant (NIS2 Art. 23(3)); default false.' }),
  })
  .strict()
  .openapi('ReportIncident', {
    example: {
      title: 'Ransomware on our remote-maintenance jump hosts',
      awareAt: '2026-11-20T07:45:00.000Z',
      description: 'Jump hosts offline since 07:30 UTC; remote sessions to customer sites suspended.',
      severity: 'high',
      significant: true,
    },
  });

export const IncidentReportReceiptSchema = z
  .object({
    incidentId: z.string().openapi({ description: 'Quote it in follow-ups.', example: 'inc_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    receivedAt: DateTimeSchema,
  })
  .openapi('IncidentReportReceipt');
