import { z } from '@hono/zod-openapi';
import {
  CLAUSE_STATUS_CODES,
  CLAUSE_STATUSES,
  CLAUSE_TOPIC_CODES,
  CLAUSE_TOPICS,
  CUSTOM_CLAUSE_PREFIX,
  TENANT_REGIME_CODES,
  TENANT_REGIMES,
} from '../../catalog/clauses';
import { SUPPLIER_TIERS } from '../../catalog/supplier-profile';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { ARRANGEMENT_TYPE_CODES, ARRANGEMENT_TYPES, type ArrangementType } from '../../catalog/dora-register';
import { CountryCodeSchema, DateTimeSchema, idParam, idString, IsoDateSchema, orNull, text } from '../../lib/schemas';

const CONTRACT_ID_EXAMPLE = 'ctr_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';
const SUPPLIER_ID_EXAMPLE = 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';
const SERVICE_ID_EXAMPLE = 'svc_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';

export const CONTRACT_STATUSES = ['draft', 'active', 'expired', 'terminated'] as const;
export const ContractStatusSchema = z.enum(CONTRACT_STATUSES).openapi('ContractStatus', {
  description: '`draft` (being negotiated), `active`, `expired` (ended by its date), `terminated` (ended early).',
  example: 'active',
});

export const ArrangementTypeSchema = z.enum(ARRANGEMENT_TYPE_CODES as [ArrangementType, ...ArrangementType[]]).openapi('ArrangementType', {
  description: `Type of contractual arrangement (DORA RoI B_02.01.0020): ${Object.entries(ARRANGEMENT_TYPES)
    .map(([code, { name }]) => `\`${code}\` ${name}`)
    .join('; ')}. Not set: reported as standalone.`,
  example: 'standalone',
});

const describe = (entries: Record<string, string>) =>
  Object.entries(entries)
    .map(([code, text]) => `\`${code}\`: ${text}`)
    .join('; ');

export const RegimeSchema = z.enum(TENANT_REGIME_CODES).openapi('Regime', { description: describe(TENANT_REGIMES), example: 'nis2' });
export const ClauseTopicSchema = z.enum(CLAUSE_TOPIC_CODES).openapi('ClauseTopic', { description: describe(CLAUSE_TOPICS), example: 'right_to_audit' });
export const ClauseStatusSchema = z.enum(CLAUSE_STATUS_CODES).openapi('ClauseStatus', { description: describe(CLAUSE_STATUSES), example: 'present' });

export const ContractIdParams = z.object({ contractId: idParam('contractId', 'contract', CONTRACT_ID_EXAMPLE) });

const CLAUSE_KEY_PATTERN = /^[a-z0-9][a-z0-9.-]{0,79}$/;
const clauseKey = z.string().regex(CLAUSE_KEY_PATTERN, 'Not a clause key (lower-case letters, digits, dots and hyphens).').openapi({ maxLength: 80 });

export const ContractClauseParams = z.object({
  contractId: idParam('contractId', 'contract', CONTRACT_ID_EXAMPLE),
  clauseKey: clauseKey.openapi({ param: { name: 'clauseKey', in: 'path' }, example: 'nis2-ir-5.1.4-e' }),
});

const ClauseSummarySchema = z
  .object({
    applicable: z.number().int().openapi({ description: 'Clauses that apply to this contract under the tenant\'s regime and its services.', example: 8 }),
    satisfied: z.number().int().openapi({ description: 'Of those: present, waived or not applicable.', example: 5 }),
    gaps: z.number().int().openapi({ description: 'Applicable clauses not satisfied (unassessed included).', example: 3 }),
  })
  .openapi('ContractClauseSummary');

export const ContractSchema = z
  .object({
    id: z.string().openapi({ example: CONTRACT_ID_EXAMPLE }),
    supplierId: z.string().openapi({ example: SUPPLIER_ID_EXAMPLE }),
    serviceIds: z.array(z.string()).openapi({ description: 'The ICT services of the supplier it covers.', example: [SERVICE_ID_EXAMPLE] }),
    reference: z.string().openapi({ description: 'The contractual arrangement reference number (DORA RoI B_02.01), unique in the tenant.', example: 'CA-2026-0042' }),
    title: z.string().openapi({ example: 'Managed SOC services agreement' }),
    status: ContractStatusSchema,
    startDate: IsoDateSchema.nullable(),
    endDate: IsoDateSchema.nullable(),
    noticePeriodDays: z.number().int().nullable().openapi({ example: 90 }),
    autoRenewal: z.boolean(),
    governingLaw: z.string().nullable().openapi({ description: 'Country whose law governs the contract (ISO 3166-1 alpha-2).', example: 'DE' }),
    annualValueAmount: z.string().nullable().openapi({ description: 'Decimal, two places.', example: '120000.00' }),
    annualValueCurrency: z.string().nullable().openapi({ description: 'ISO 4217.', example: 'EUR' }),
    arrangementType: orNull(ArrangementTypeSchema),
    overarchingReference: z.string().nullable().openapi({ description: 'The reference of the overarching arrangement a subsequent one belongs to (B_02.01.0030).', example: null }),
    providerNoticePeriodDays: z.number().int().nullable().openapi({ description: 'The provider\'s notice period in days (B_02.02.0110); `noticePeriodDays` is the entity\'s.', example: 180 }),
    clauses: ClauseSummarySchema,
    version: z.number().int().openapi({ description: 'Row version, for If-Match.', example: 1 }),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  })
  .openapi('Contract');

export const ContractPageSchema = pageSchema(ContractSchema, 'ContractPage');

const amount = z
  .string()
  .regex(/^\d{1,16}(\.\d{1,2})?$/, 'A non-negative decimal with at most two places, as a string.')
  .openapi({ example: '120000.00', maxLength: 19 });
const currency = z.string().regex(/^[A-Z]{3}$/, 'An ISO 4217 code (three upper-case letters).').openapi({ example: 'EUR', maxLength: 3 });
const serviceIds = z
  .array(z.string().min(1).max(40))
  .max(100)
  .refine((ids) => new Set(ids).size === ids.length, 'Service ids must not repeat.')
  .openapi({ description: 'Services of the contract\'s supplier.', example: [SERVICE_ID_EXAMPLE] });

const contractFields = {
  reference: text(100).openapi({ example: 'CA-2026-0042' }),
  title: text(200).openapi({ example: 'Managed SOC services agreement' }),
  status: ContractStatusSchema,
  startDate: IsoDateSchema,
  endDate: IsoDateSchema.openapi({ description: 'Not before startDate.', example: '2028-12-31' }),
  noticePeriodDays: z.number().int().min(0).max(3650).openapi({ example: 90 }),
  autoRenewal: z.boolean(),
  governingLaw: CountryCodeSchema,
  annualValueAmount: amount,
  annualValueCurrency: currency,
  serviceIds,
  arrangementType: ArrangementTypeSchema,
  overarchingReference: text(100).openapi({ description: 'Reference of the overarching (master) arrangement, for a `subsequent` one.', example: 'MSA-2024-001' }),
  providerNoticePeriodDays: z.number().int().min(0).max(3650).openapi({ description: 'The provider\'s notice period in days.', example: 180 }),
};

export const CreateContractSchema = z
  .object({
    supplierId: z.string().min(1).max(40).openapi({ description: 'An existing, not archived supplier.', example: SUPPLIER_ID_EXAMPLE }),
    reference: contractFields.reference,
    title: contractFields.title,
    status: contractFields.status.default('draft'),
    startDate: contractFields.startDate.optional(),
    endDate: contractFields.endDate.optional(),
    noticePeriodDays: contractFields.noticePeriodDays.optional(),
    autoRenewal: contractFields.autoRenewal.default(false),
    governingLaw: contractFields.governingLaw.optional(),
    annualValueAmount: contractFields.annualValueAmount.optional(),
    annualValueCurrency: contractFields.annualValueCurrency.optional(),
    serviceIds: contractFields.serviceIds.default([]),
    arrangementType: contractFields.arrangementType.optional(),
    overarchingReference: contractFields.overarchingReference.optional(),
    providerNoticePeriodDays: contractFields.providerNoticePeriodDays.optional(),
  })
  .strict()
  .openapi('CreateContract', {
    example: {
      supplierId: SUPPLIER_ID_EXAMPLE,
      reference: 'CA-2026-0042',
      title: 'Managed SOC services agreement',
      status: 'active',
      startDate: '2026-01-01',
      endDate: '2028-12-31',
      noticePeriodDays: 90,
      autoRenewal: true,
      governingLaw: 'DE',
      annualValueAmount: '120000.00',
      annualValueCurrency: 'EUR',
      serviceIds: [SERVICE_ID_EXAMPLE],
    },
  });

export const UpdateContractSchema = z
  .object({
    reference: contractFields.reference.optional(),
    title: contractFields.title.optional(),
    status: contractFields.status.optional(),
    startDate: orNull(contractFields.startDate).optional(),
    endDate: orNull(contractFields.endDate).optional(),
    noticePeriodDays: orNull(contractFields.noticePeriodDays).optional(),
    autoRenewal: contractFields.autoRenewal.optional(),
    governingLaw: orNull(contractFields.governingLaw).optional(),
    annualValueAmount: orNull(contractFields.annualValueAmount).optional(),
    annualValueCurrency: orNull(contractFields.annualValueCurrency).optional(),
    serviceIds: contractFields.serviceIds.optional(),
    arrangementType: orNull(contractFields.arrangementType).optional(),
    overarchingReference: orNull(contractFields.overarchingReference).optional(),
    providerNoticePeriodDays: orNull(contractFields.providerNoticePeriodDays).optional(),
  })
  .strict()
  .openapi('UpdateContract', {
    description: 'Fields left out keep their value; null clears one. `serviceIds` replaces the list. The supplier never changes.',
    example: { status: 'active', endDate: '2029-12-31' },
  });

export const ListContractsQuery = z.object({
  ...paginationQuery,
  supplierId: z.string().min(1).max(40).optional().openapi({ description: 'Only this supplier\'s contracts.', example: SUPPLIER_ID_EXAMPLE }),
  status: ContractStatusSchema.optional().openapi({ description: 'Only contracts in this status.' }),
  endingBefore: IsoDateSchema.optional().openapi({
    description: 'Only contracts whose endDate is before this date; sorted by endDate, soonest first.',
    example: '2027-01-01',
  }),
});

export const ClauseSchema = z
  .object({
    key: z.string().openapi({ example: 'nis2-ir-5.1.4-e' }),
    title: z.string().openapi({ example: 'Right to audit' }),
    description: z.string().nullable().openapi({ example: 'The entity may audit the supplier, or at least receive its audit reports.' }),
    regime: RegimeSchema,
    criticalOnly: z.boolean().openapi({ description: 'Applies only when a covered service supports a critical or important function.' }),
    topic: orNull(ClauseTopicSchema),
    source: z.string().openapi({ description: 'Its legal source, or `custom` for the tenant\'s own.', example: 'Implementing Regulation (EU) 2024/2690, Annex, point 5.1.4(e)' }),
    builtIn: z.boolean(),
  })
  .openapi('Clause');

export const ClauseLibrarySchema = z.object({ data: z.array(ClauseSchema) }).openapi('ClauseLibrary');

const listOf = <T extends string>(values: readonly [T, ...T[]], name: string) =>
  z
    .string()
    .max(1000)
    .transform((value, context) => {
      const items = value.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
      const unknown = items.filter((item) => !(values as readonly string[]).includes(item));
      if (unknown.length > 0 || items.length === 0) {
        context.addIssue({ code: 'custom', message: `Unknown ${name}: ${unknown.join(', ') || '(empty)'}. One or more of: ${values.join(', ')}, comma-separated.` });
        return z.NEVER;
      }
      return [...new Set(items)] as T[];
    });

export const ClauseLibraryQuery = z.object({
  regime: RegimeSchema.optional().openapi({ description: 'Only clauses of this regime (custom clauses of `both` included).' }),
  topic: listOf(CLAUSE_TOPIC_CODES, 'topic').optional().openapi({ description: 'Only clauses of these topics, comma-separated.', example: 'right_to_audit,incident_notification' }),
});

export const CreateClauseSchema = z
  .object({
    key: z
      .string()
      .regex(new RegExp(`^${CUSTOM_CLAUSE_PREFIX}[a-z0-9][a-z0-9.-]{0,71}$`), `Starts with "${CUSTOM_CLAUSE_PREFIX}", then lower-case letters, digits, dots and hyphens.`)
      .openapi({ example: 'custom-ot-remote-access', maxLength: CUSTOM_CLAUSE_PREFIX.length + 72 }),
    title: text(200).openapi({ example: 'Remote access into OT only through our jump host' }),
    description: text(2000).optional().openapi({ example: 'The supplier reaches substations only through the entity\'s jump host, with MFA and session recording.' }),
    regime: RegimeSchema,
    criticalOnly: z.boolean().default(false),
    topic: ClauseTopicSchema.optional().openapi({ description: 'Groups the clause with the built-in ones that ask for the same thing, so topic filters on gaps find it.' }),
  })
  .strict()
  .openapi('CreateClause', {
    example: {
      key: 'custom-ot-remote-access',
      title: 'Remote access into OT only through our jump host',
      description: 'The supplier reaches substations only through the entity\'s jump host, with MFA and session recording.',
      regime: 'both',
      criticalOnly: false,
      topic: 'security_requirements',
    },
  });

export const ContractClauseSchema = z
  .object({
    clause: ClauseSchema,
    status: z.enum([...CLAUSE_STATUS_CODES, 'unassessed']).openapi({ description: 'A ClauseStatus, or `unassessed` when none was recorded.', example: 'present' }),
    satisfied: z.boolean().openapi({ description: 'present, waived or not_applicable.' }),
    sectionRef: z.string().nullable().openapi({ example: '§ 12.3' }),
    notes: z.string().nullable(),
    justification: z.string().nullable(),
    evidenceId: z.string().nullable().openapi({ example: 'evd_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    updatedAt: DateTimeSchema.nullable(),
  })
  .openapi('ContractClause');

export const ContractClauseListSchema = z.object({ data: z.array(ContractClauseSchema) }).openapi('ContractClauseList');

export const SetClauseStatusSchema = z
  .object({
    status: ClauseStatusSchema,
    sectionRef: text(100).optional().openapi({ description: 'Where in the contract.', example: '§ 12.3' }),
    notes: text(5000).optional(),
    justification: text(5000).optional().openapi({ description: 'Required for `waived` and `not_applicable`.' }),
    evidenceId: z.string().min(1).max(40).optional().openapi({ description: 'Live evidence of the contract\'s supplier (e.g. the signed contract).', example: 'evd_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
  })
  .strict()
  .openapi('SetClauseStatus', { example: { status: 'present', sectionRef: '§ 12.3', notes: 'Audit once a year with 30 days\' notice.' } });

export const ClauseGapSchema = z
  .object({
    contractId: z.string().openapi({ example: CONTRACT_ID_EXAMPLE }),
    contractReference: z.string().openapi({ example: 'CA-2026-0042' }),
    contractTitle: z.string(),
    contractStatus: ContractStatusSchema,
    supplierId: z.string().openapi({ example: SUPPLIER_ID_EXAMPLE }),
    supplierName: z.string().openapi({ example: 'Netzwerk Service GmbH' }),
    supplierTier: z.enum(SUPPLIER_TIERS).openapi({ example: 'critical' }),
    clauseKey: z.string().openapi({ example: 'nis2-ir-5.1.4-e' }),
    clauseTitle: z.string().openapi({ example: 'Right to audit' }),
    topic: orNull(ClauseTopicSchema),
    regime: RegimeSchema,
    criticalOnly: z.boolean(),
    status: z.enum(['missing', 'partial', 'negotiating', 'unassessed']).openapi({ example: 'missing' }),
    sectionRef: z.string().nullable(),
    notes: z.string().nullable(),
    updatedAt: DateTimeSchema.nullable(),
  })
  .openapi('ClauseGap');

export const ClauseGapPageSchema = pageSchema(ClauseGapSchema, 'ClauseGapPage');

const gapFilters = {
  clauseKey: z
    .string()
    .max(1000)
    .transform((value) => [...new Set(value.split(',').map((item) => item.trim()).filter((item) => item.length > 0))])
    .pipe(z.array(clauseKey).min(1))
    .optional()
    .openapi({ description: 'Only these clauses, comma-separated keys.', example: 'nis2-ir-5.1.4-e' }),
  topic: listOf(CLAUSE_TOPIC_CODES, 'topic').optional().openapi({ description: 'Only clauses of these topics, comma-separated.', example: 'right_to_audit,incident_notification' }),
};

export const ContractGapsQuery = z.object({ ...paginationQuery, ...gapFilters });

export const ClauseGapsQuery = z.object({
  ...paginationQuery,
  ...gapFilters,
  // A supplier id or nothing: the export streams, so a value Postgres refuses (NUL) would break the stream, not answer 422.
  supplierId: idString('supplier').optional().openapi({ description: 'Only this supplier\'s contracts.', example: SUPPLIER_ID_EXAMPLE }),
  tier: listOf(SUPPLIER_TIERS as unknown as readonly ['critical', ...string[]], 'tier').optional().openapi({ description: 'Only suppliers in these tiers, comma-separated.', example: 'critical' }),
  contractStatus: listOf(CONTRACT_STATUSES as unknown as readonly ['draft', ...string[]], 'contract status')
    .optional()
    .openapi({ description: 'Only contracts in these statuses, comma-separated; `draft,active` when left out (ended contracts have no gaps to close).', example: 'active' }),
});

/** The cross-contract list's filters; an export has no page size or cursor: it streams every match. */
export const ExportClauseGapsQuery = ClauseGapsQuery.omit({ limit: true, cursor: true });

/** A row of the clause-gap export as its cells, for the documented example (columns: CLAUSE_GAP_EXPORT_COLUMNS). */
export const CLAUSE_GAP_EXPORT_EXAMPLE = [
  [
    CONTRACT_ID_EXAMPLE, 'CA-2026-0042', 'Remote maintenance of substations', 'active', SUPPLIER_ID_EXAMPLE, 'Netzwerk Service GmbH', 'critical',
    'nis2-ir-5.1.4-e', 'Right to audit', 'Implementing Regulation (EU) 2024/2690, Annex, point 5.1.4(e)', 'right_to_audit', 'nis2', false, 'missing',
    null, 'Supplier offers SOC 2 reports only; negotiating on-site audits.', '2026-10-12T10:05:00.000Z',
  ],
];
