import { z } from '@hono/zod-openapi';
import { INCIDENT_MILESTONES, INCIDENT_STATUS_CODES, INCIDENT_STATUSES } from '../../catalog/incidents';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { DateTimeSchema, idParam, text } from '../../lib/schemas';
import { SEVERITIES } from '../../scoring/types';

const INCIDENT_ID_EXAMPLE = 'inc_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';
const SUPPLIER_ID_EXAMPLE = 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';
const SERVICE_ID_EXAMPLE = 'svc_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';

const describeCodes = (codes: Record<string, string>) =>
  Object.entries(codes)
    .map(([code, label]) => `\`${code}\`: ${label}`)
    .join(' ');

export const IncidentSeveritySchema = z.enum(SEVERITIES).openapi('IncidentSeverity', {
  description: 'How badly the incident affects us. The finding it raises gets the same severity.',
  example: 'high',
});

export const IncidentStatusSchema = z.enum(INCIDENT_STATUS_CODES).openapi('IncidentStatus', { description: describeCodes(INCIDENT_STATUSES), example: 'open' });

export const IncidentIdParams = z.object({ incidentId: idParam('incidentId', 'incident', INCIDENT_ID_EXAMPLE) });

const actorSchema = z.object({
  type: z.string().openapi({ description: '`api_key`, `user`, or `supplier_contact` for reports through a supplier\'s incident link.', example: 'api_key' }),
  id: z.string().openapi({ example: 'key_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
});

const milestoneSchema = (name: string, rule: string) =>
  z
    .object({
      dueAt: DateTimeSchema.openapi({ description: `Time of awareness plus ${rule}.` }),
      completedAt: DateTimeSchema.nullable().openapi({ description: 'When it was done; null while outstanding.' }),
      overdue: z.boolean().openapi({ description: 'Past due and not completed.' }),
    })
    .openapi(name);

export const IncidentDeadlinesSchema = z
  .object({
    earlyWarning: milestoneSchema('IncidentEarlyWarning', `${INCIDENT_MILESTONES.earlyWarning.hours} hours`),
    notification: milestoneSchema('IncidentNotification', `${INCIDENT_MILESTONES.notification.hours} hours`),
    finalReport: milestoneSchema('IncidentFinalReport', 'one calendar month (UTC; the 31st runs to the last day of a shorter month)'),
  })
  .openapi('IncidentDeadlines', { description: 'NIS2 Art. 23(4) milestones, computed from `awareAt`.' });

export const IncidentSchema = z
  .object({
    id: z.string().openapi({ example: INCIDENT_ID_EXAMPLE }),
    supplierId: z.string().openapi({ example: SUPPLIER_ID_EXAMPLE }),
    title: z.string().openapi({ example: 'Ransomware at the remote-maintenance provider' }),
    description: z.string().nullable(),
    severity: IncidentSeveritySchema,
    significant: z.boolean().openapi({ description: 'Significant in the sense of NIS2 Art. 23(3).' }),
    status: IncidentStatusSchema,
    awareAt: DateTimeSchema.openapi({ description: 'When we became aware of it: the milestones count from here.' }),
    serviceIds: z.array(z.string()).openapi({ description: 'The supplier\'s ICT services affected.', example: [SERVICE_ID_EXAMPLE] }),
    deadlines: IncidentDeadlinesSchema,
    overdue: z.boolean().openapi({ description: 'Any milestone past due and not completed.' }),
    resolvedAt: DateTimeSchema.nullable(),
    reportedBy: actorSchema,
    version: z.number().int().openapi({ description: 'Row version, for If-Match.', example: 1 }),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  })
  .openapi('Incident');

export type IncidentResponse = z.infer<typeof IncidentSchema>;

export const IncidentPageSchema = pageSchema(IncidentSchema, 'IncidentPage');

const longText = (max: number) => z.string().trim().max(max);
const serviceIds = z
  .array(z.string().min(1).max(40))
  .max(100)
  .refine((ids) => new Set(ids).size === ids.length, 'Service ids must not repeat.')
  .openapi({ description: 'ICT services of that supplier affected by the incident.', example: [SERVICE_ID_EXAMPLE] });

export const CreateIncidentSchema = z
  .object({
    supplierId: z.string().min(1).max(40).openapi({ description: 'The supplier the incident is at or caused by; must exist and not be archived.', example: SUPPLIER_ID_EXAMPLE }),
    title: text(200),
    awareAt: DateTimeSchema.openapi({ description: 'When we became aware of it; not in the future.' }),
    severity: IncidentSeveritySchema,
    significant: z.boolean(),
    serviceIds: serviceIds.optional(),
    description: longText(10_000).optional(),
    status: IncidentStatusSchema.optional().openapi({ description: 'Default `open`; an incident recorded after the fact may start `contained` or `resolved`.' }),
  })
  .strict()
  .openapi('CreateIncident', {
    example: {
      supplierId: SUPPLIER_ID_EXAMPLE,
      title: 'Ransomware at the remote-maintenance provider',
      awareAt: '2026-11-20T07:45:00.000Z',
      severity: 'high',
      significant: true,
      serviceIds: [SERVICE_ID_EXAMPLE],
      description: 'The provider\'s jump hosts are offline; their remote sessions into our substations are blocked.',
    },
  });

const completion = (name: string) =>
  DateTimeSchema.nullable()
    .optional()
    .openapi({ description: `When the ${name} was made: not before \`awareAt\`, not in the future. null marks it outstanding again.` });

export const UpdateIncidentSchema = z
  .object({
    title: text(200).optional(),
    description: longText(10_000).nullable().optional(),
    severity: IncidentSeveritySchema.optional(),
    significant: z.boolean().optional(),
    serviceIds: serviceIds.optional(),
    status: IncidentStatusSchema.optional().openapi({ description: 'open ↔ contained, open or contained → resolved, resolved → open (reopen).' }),
    earlyWarningCompletedAt: completion('early warning'),
    notificationCompletedAt: completion('incident notification'),
    finalReportCompletedAt: completion('final report'),
  })
  .strict()
  .openapi('UpdateIncident', {
    description: 'Fields left out keep their value; null clears one.',
    example: { status: 'contained', earlyWarningCompletedAt: '2026-11-20T16:00:00.000Z' },
  });

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

export const ListIncidentsQuery = z.object({
  ...paginationQuery,
  supplierId: z.string().min(1).max(40).optional().openapi({ description: 'Only this supplier\'s incidents.', example: SUPPLIER_ID_EXAMPLE }),
  status: IncidentStatusSchema.optional(),
  severity: IncidentSeveritySchema.optional(),
  significant: booleanQuery.optional().openapi({ description: 'Only significant (`true`) or other (`false`) incidents.', example: 'true' }),
  overdue: booleanQuery.optional().openapi({ description: '`true`: only incidents with a milestone past due and not completed; `false`: all others.', example: 'true' }),
});
