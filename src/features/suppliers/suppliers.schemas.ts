import { z } from '@hono/zod-openapi';
import {
  ACCESS_LEVELS,
  CURRENCY_CODES,
  DATA_SENSITIVITY_LEVELS,
  SUBSTITUTABILITY_LEVELS,
  SUPPLIER_CATEGORY_CODES,
  SUPPLIER_STATUSES,
  SUPPLIER_TIERS,
} from '../../catalog/supplier-profile';
import { isValidDuns, isValidEuid, isValidLei, isValidVat, normalizeDuns, normalizeVat } from '../../lib/identifiers';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { CountryCodeSchema, DateTimeSchema, filterText, idParam, OffsetDateTimeSchema, orNull, text } from '../../lib/schemas';
import { AuditRefSchema } from '../audits/audits.schemas';
import { SUPPLIER_SORTS } from './suppliers.queries';

export const SupplierCategorySchema = z
  .enum(SUPPLIER_CATEGORY_CODES)
  .openapi('SupplierCategory', { description: 'What kind of supplier it is; onboarding policy rules match on it.', example: 'ot_integrator' });

export const SupplierStatusSchema = z.enum(SUPPLIER_STATUSES).openapi('SupplierStatus', { example: 'active' });
export const SupplierTierSchema = z.enum(SUPPLIER_TIERS).openapi('SupplierTier', { example: 'critical' });
export const DataSensitivitySchema = z.enum(DATA_SENSITIVITY_LEVELS).openapi('DataSensitivity', { example: 'confidential' });
export const AccessLevelSchema = z.enum(ACCESS_LEVELS).openapi('AccessLevel', { example: 'ot_network' });
export const SubstitutabilitySchema = z.enum(SUBSTITUTABILITY_LEVELS).openapi('Substitutability', { example: 'difficult' });

const ExternalRefSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\x21-\x7e]+$/, 'Visible ASCII characters only, no spaces.')
  .openapi({ description: 'Your ERP\'s vendor id. Unique per tenant; `PUT /v1/suppliers/by-external-ref/{externalRef}` upserts by it.', example: 'SAP-100482' });

const LeiSchema = z
  .string()
  .max(64, { abort: true })
  .trim()
  .toUpperCase()
  .refine(isValidLei, 'Not a valid LEI: 20 characters with ISO 17442 check digits.')
  .openapi({ description: 'Legal Entity Identifier (ISO 17442), check digits verified.', example: '5493001KJTIIGC8Y1R12' });

const EuidSchema = z
  .string()
  .max(64, { abort: true })
  .trim()
  .toUpperCase()
  .refine(isValidEuid, 'Not a valid EUID: EEA country code, register code, ".", registration number.')
  .openapi({ description: 'European Unique Identifier (BRIS).', example: 'DEK1101R.HRB116737' });

const VatSchema = z
  .string()
  .max(64, { abort: true })
  .transform(normalizeVat)
  .refine(isValidVat, 'Not a valid VAT number for its country prefix (e.g. DE123456789).')
  .openapi({ description: 'VAT number with its country prefix; spaces, dots and dashes are removed.', example: 'DE123456789' });

const DunsSchema = z
  .string()
  .max(32, { abort: true })
  .transform(normalizeDuns)
  .refine(isValidDuns, 'A DUNS number has 9 digits.')
  .openapi({ description: 'Dun & Bradstreet number, 9 digits.', example: '150483782' });

export const IdentifiersSchema = z
  .object({
    lei: LeiSchema.nullable().optional(),
    euid: EuidSchema.nullable().optional(),
    vat: VatSchema.nullable().optional(),
    duns: DunsSchema.nullable().optional(),
  })
  .strict()
  .openapi('SupplierIdentifiersInput');

const MoneySchema = z
  .object({
    amount: z.number().nonnegative().max(1e15).multipleOf(0.01).openapi({ example: 250000 }),
    currency: z
      .string()
      .length(3)
      .refine((code) => CURRENCY_CODES.includes(code), 'Unknown ISO 4217 currency code.')
      .openapi({ example: 'EUR' }),
  })
  .strict()
  .openapi('Money');

export const ProfileSchema = z
  .object({
    dataSensitivity: orNull(DataSensitivitySchema).optional(),
    accessLevel: orNull(AccessLevelSchema).optional(),
    supportsCriticalFunction: z.boolean().optional().openapi({ description: 'Declared: the supplier supports a critical or important function.' }),
    substitutability: orNull(SubstitutabilitySchema).optional(),
    annualSpend: orNull(MoneySchema).optional(),
    outsideEea: z
      .boolean()
      .nullable()
      .optional()
      .openapi({ description: 'Processing or control outside the EU/EEA. Omit or null to derive it from the country.' }),
  })
  .strict()
  .openapi('SupplierProfileInput');

export const TierOverrideSchema = z
  .object({
    tier: SupplierTierSchema,
    reason: text(1000).openapi({ example: 'Sole supplier of the safety PLCs in plant Duisburg; treated as critical by the board.' }),
  })
  .strict()
  .openapi('TierOverride');

const TagsSchema = z
  .array(
    z
      .string()
      .trim()
      .toLowerCase()
      .min(1)
      .max(50)
      .regex(/^[a-z0-9][a-z0-9._:-]*$/, 'Tags are lower-case letters, digits and . _ : -'),
  )
  .max(50)
  .transform((tags) => [...new Set(tags)])
  .openapi({ example: ['ot', 'plant-duisburg'] });

const WebsiteSchema = z
  .url({ protocol: /^https?$/ })
  .max(500)
  .openapi({ example: 'https://www.rheinautomation.example' });

const supplierInputShape = {
  name: text(200).openapi({ example: 'Rhein Automation GmbH' }),
  legalName: text(300).nullable().optional().openapi({ example: 'Rhein Automation Gesellschaft mit beschränkter Haftung' }),
  country: CountryCodeSchema,
  website: WebsiteSchema.nullable().optional(),
  status: SupplierStatusSchema.optional(),
  category: orNull(SupplierCategorySchema).optional(),
  externalRef: ExternalRefSchema.nullable().optional(),
  identifiers: IdentifiersSchema.optional(),
  profile: ProfileSchema.optional(),
  tierOverride: orNull(TierOverrideSchema).optional(),
  tags: TagsSchema.optional(),
  owner: text(200).nullable().optional().openapi({ example: 'j.weber@stadtwerke.example' }),
  statusOverride: z
    .object({ justification: text(2000).min(20) })
    .strict()
    .optional()
    .openapi({
      description:
        'Registers a relationship that already exists: lets `status` be `active` (normally reached through an onboarding approval) or `terminated` (through a completed offboarding). Audited with the supplier\'s creation or change. Not accepted by PATCH.',
      example: { justification: 'Existing OT integrator since 2019, approved under the previous vendor process.' },
    }),
};

const SUPPLIER_EXAMPLE = {
  name: 'Rhein Automation GmbH',
  country: 'DE',
  externalRef: 'SAP-100482',
  status: 'onboarding',
  category: 'ot_integrator',
  identifiers: { lei: '5493001KJTIIGC8Y1R12', vat: 'DE123456789' },
  profile: { dataSensitivity: 'confidential', accessLevel: 'ot_network', supportsCriticalFunction: true, substitutability: 'difficult' },
  tags: ['ot', 'integrator'],
  owner: 'j.weber@stadtwerke.example',
};

export const CreateSupplierSchema = z.object(supplierInputShape).strict().openapi('CreateSupplier', { example: SUPPLIER_EXAMPLE });

/** PUT by external ref: the same body as create; the path's externalRef wins. */
export const UpsertSupplierSchema = z
  .object({ ...supplierInputShape, externalRef: ExternalRefSchema.optional() })
  .strict()
  .openapi('UpsertSupplier', { example: { ...SUPPLIER_EXAMPLE, externalRef: undefined } });

const { statusOverride: _statusOverride, ...patchShape } = supplierInputShape;

export const UpdateSupplierSchema = z
  .object({
    ...patchShape,
    name: supplierInputShape.name.optional(),
    country: CountryCodeSchema.optional(),
  })
  .strict()
  .openapi('UpdateSupplier', { example: { status: 'active', profile: { accessLevel: 'remote' }, tags: ['ot'] } });

export type SupplierInput = z.infer<typeof CreateSupplierSchema>;
export type SupplierPatch = z.infer<typeof UpdateSupplierSchema>;

export const SupplierSchema = z
  .object({
    id: z.string().openapi({ example: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    name: z.string(),
    legalName: z.string().nullable(),
    country: z.string().openapi({ example: 'DE' }),
    website: z.string().nullable(),
    status: SupplierStatusSchema,
    category: orNull(SupplierCategorySchema),
    externalRef: z.string().nullable(),
    identifiers: z.object({ lei: z.string().nullable(), euid: z.string().nullable(), vat: z.string().nullable(), duns: z.string().nullable() }),
    profile: z.object({
      dataSensitivity: orNull(DataSensitivitySchema),
      accessLevel: orNull(AccessLevelSchema),
      supportsCriticalFunction: z.boolean(),
      substitutability: orNull(SubstitutabilitySchema),
      annualSpend: orNull(MoneySchema),
      outsideEea: z.boolean(),
    }),
    hasCriticalService: z.boolean().openapi({ description: 'At least one of its ICT services supports a critical or important function.' }),
    inherentScore: z.number().int().openapi({ description: 'Inherent risk, 0-100, from the profile and services.', example: 72 }),
    computedTier: SupplierTierSchema,
    tier: SupplierTierSchema.openapi({ description: 'The tier in force: the override if set, else the computed tier.' }),
    tierOverride: orNull(TierOverrideSchema),
    tags: z.array(z.string()),
    owner: z.string().nullable(),
    lastReviewedAt: DateTimeSchema.nullable().openapi({ description: 'When the supplier was last reviewed (an accepted assessment or a recorded review); null if never.' }),
    nextReviewAt: DateTimeSchema.nullable().openapi({
      description: 'When the next review is due: the last review (or creation) plus the cadence of its tier, or earlier when a material change or an incident made it due.',
    }),
    reviewDueReason: z.string().nullable().openapi({ description: 'Why the review is due before its cadence date, e.g. `profile_changed: accessLevel` or `service_added`; null otherwise.', example: null }),
    lastAudit: orNull(AuditRefSchema)
      .optional()
      .openapi({ description: 'Only on GET /v1/suppliers/{supplierId}: the latest completed audit (by performed date); null if none.' }),
    nextAudit: orNull(AuditRefSchema)
      .optional()
      .openapi({ description: 'Only on GET /v1/suppliers/{supplierId}: the earliest planned audit from today on; null if none.' }),
    approval: z
      .object({
        decision: z.enum(['approved', 'approved_with_conditions', 'rejected']),
        decidedAt: DateTimeSchema,
        override: z.string().nullable().openapi({ description: 'The justification when the decision overrode unmet onboarding gates; null otherwise.' }),
      })
      .nullable()
      .openapi({ description: 'The last onboarding decision (POST /v1/suppliers/{supplierId}/onboarding/decision); null before any.' }),
    archivedAt: DateTimeSchema.nullable(),
    version: z.number().int().openapi({ example: 1 }),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  })
  .openapi('Supplier', {
    example: {
      id: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A',
      name: 'Rhein Automation GmbH',
      legalName: null,
      country: 'DE',
      website: null,
      status: 'onboarding',
      category: 'ot_integrator',
      externalRef: 'SAP-100482',
      identifiers: { lei: '5493001KJTIIGC8Y1R12', euid: null, vat: 'DE123456789', duns: null },
      profile: {
        dataSensitivity: 'confidential',
        accessLevel: 'ot_network',
        supportsCriticalFunction: true,
        substitutability: 'difficult',
        annualSpend: null,
        outsideEea: false,
      },
      hasCriticalService: false,
      inherentScore: 72,
      computedTier: 'critical',
      tier: 'critical',
      tierOverride: null,
      tags: ['ot', 'integrator'],
      owner: 'j.weber@stadtwerke.example',
      lastReviewedAt: null,
      nextReviewAt: '2027-11-02T09:30:00.000Z',
      reviewDueReason: null,
      approval: null,
      archivedAt: null,
      version: 1,
      createdAt: '2026-11-02T09:30:00.000Z',
      updatedAt: '2026-11-02T09:30:00.000Z',
    },
  });

export const SupplierPageSchema = pageSchema(SupplierSchema, 'SupplierPage');

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

export const ListSuppliersQuery = z.object({
  ...paginationQuery,
  status: SupplierStatusSchema.optional().openapi({ description: 'Lifecycle status.' }),
  tier: SupplierTierSchema.optional().openapi({ description: 'Tier in force.' }),
  country: CountryCodeSchema.optional().openapi({ description: 'Country (ISO 3166-1 alpha-2).', example: 'DE' }),
  tag: filterText(50).toLowerCase().optional().openapi({ description: 'Has this tag.', example: 'ot' }),
  owner: filterText(200).optional().openapi({ description: 'Owned by.', example: 'j.weber@stadtwerke.example' }),
  supportsCriticalFunction: booleanQuery.optional().openapi({
    description: 'true: declared critical, or has a service supporting a critical or important function. false: neither.',
    example: 'true',
  }),
  q: filterText(100, 2).optional().openapi({ description: 'Text search in name, legal name, identifiers and external ref.', example: 'rhein' }),
  updatedSince: OffsetDateTimeSchema.optional().openapi({ description: 'Changed at or after this time (ERP sync).', example: '2026-11-01T00:00:00Z' }),
  archived: z.enum(['exclude', 'only', 'include']).default('exclude').openapi({ description: 'Archived suppliers are left out unless asked for.', example: 'exclude' }),
  sort: z.enum(SUPPLIER_SORTS).default('name').openapi({ description: 'Sort key; ties break on id.', example: 'name' }),
  order: z.enum(['asc', 'desc']).optional().openapi({ description: 'Default: asc for name, desc for times.', example: 'asc' }),
});

export const SupplierIdParams = z.object({ supplierId: idParam('supplierId', 'supplier', 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A') });

export const ExternalRefParams = z.object({
  externalRef: ExternalRefSchema.openapi({ param: { name: 'externalRef', in: 'path' }, example: 'SAP-100482' }),
});
