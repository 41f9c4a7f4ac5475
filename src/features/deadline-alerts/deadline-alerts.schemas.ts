import { z } from '@hono/zod-openapi';
import { DEADLINE_ALERT_KIND_CODES, DEADLINE_ALERT_KINDS } from '../../catalog/deadline-alerts';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { DateTimeSchema, IsoDateSchema } from '../../lib/schemas';

const SUPPLIER_ID_EXAMPLE = 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';

export const DeadlineAlertKindSchema = z.enum(DEADLINE_ALERT_KIND_CODES).openapi('DeadlineAlertKind', {
  description: Object.entries(DEADLINE_ALERT_KINDS)
    .map(([code, text]) => `\`${code}\`: ${text}`)
    .join(' '),
  example: 'contract_notice',
});

export const DeadlineAlertSchema = z
  .object({
    id: z.string().openapi({ example: 'dla_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    kind: DeadlineAlertKindSchema,
    subjectType: z.enum(['contract', 'evidence']).openapi({ description: 'What `subjectId` names.' }),
    subjectId: z.string().openapi({ description: 'The contract or evidence the deadline belongs to.', example: 'ctr_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    supplierId: z.string().openapi({ example: SUPPLIER_ID_EXAMPLE }),
    deadline: IsoDateSchema,
    leadDays: z.number().int().openapi({ description: 'The tenant\'s lead time that was due when the alert was raised.', example: 30 }),
    daysLeft: z.number().int().openapi({ description: 'Days from the day it was raised to the deadline; negative once passed.', example: 29 }),
    summary: z.string().openapi({ example: 'Notice deadline of contract CTR-2026-014 with Rheinland Automation GmbH is in 29 days (2027-01-01)' }),
    mailedTo: z.string().nullable().openapi({ description: 'Where it was mailed: the supplier owner\'s address, else the tenant\'s notification address; null when neither is set.', example: 'procurement@stadtwerke.example' }),
    createdAt: DateTimeSchema,
  })
  .openapi('DeadlineAlert');

export type DeadlineAlertResponse = z.infer<typeof DeadlineAlertSchema>;

export const DeadlineAlertPageSchema = pageSchema(DeadlineAlertSchema, 'DeadlineAlertPage');

export const ListDeadlineAlertsQuery = z.object({
  ...paginationQuery,
  kind: DeadlineAlertKindSchema.optional(),
  supplierId: z.string().min(1).max(40).optional().openapi({ description: 'Only this supplier\'s alerts.', example: SUPPLIER_ID_EXAMPLE }),
});
