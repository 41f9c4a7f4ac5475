/** Closed lists of the supplier register. Order runs from least to most risk where that applies. */

export const SUPPLIER_STATUSES = ['prospect', 'onboarding', 'active', 'offboarding', 'terminated'] as const;
export type SupplierStatus = (typeof SUPPLIER_STATUSES)[number];

/** What kind of supplier it is. Onboarding policy rules match on it (an OT integrator gets the OT questionnaire). */
export const SUPPLIER_CATEGORIES = {
  ot_integrator: 'OT integrator or maintainer of industrial control systems (IEC 62443-2-4 service provider).',
  product_vendor: 'Vendor of hardware or software products, including OT components (IEC 62443-4-1).',
  cloud_saas: 'Cloud or SaaS provider.',
  msp_mssp: 'Managed (security) service provider.',
  telecom: 'Telecommunications or network provider.',
  consulting: 'Consulting, engineering or professional services.',
  other: 'Anything else.',
} as const;
export type SupplierCategory = keyof typeof SUPPLIER_CATEGORIES;
export const SUPPLIER_CATEGORY_CODES = Object.keys(SUPPLIER_CATEGORIES) as [SupplierCategory, ...SupplierCategory[]];

export const SUPPLIER_TIERS = ['critical', 'strategic', 'routine'] as const;
export type SupplierTier = (typeof SUPPLIER_TIERS)[number];

/** What data the supplier (or service) sees. `special_category` is GDPR Art. 9 data. */
export const DATA_SENSITIVITY_LEVELS = ['none', 'internal', 'confidential', 'personal', 'special_category'] as const;
export type DataSensitivity = (typeof DATA_SENSITIVITY_LEVELS)[number];

/** How the supplier reaches our systems. OT network and privileged access weigh most. */
export const ACCESS_LEVELS = ['none', 'remote', 'on_site', 'ot_network', 'privileged'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** How hard the supplier is to replace (DORA Art. 28(4)(c), B_07.01). */
export const SUBSTITUTABILITY_LEVELS = ['easy', 'medium', 'difficult', 'not_substitutable'] as const;
export type Substitutability = (typeof SUBSTITUTABILITY_LEVELS)[number];

/** Reliance of the business on the service (DORA RoI B_02.02 "level of reliance"). */
export const RELIANCE_LEVELS = ['not_significant', 'low', 'material', 'full'] as const;
export type Reliance = (typeof RELIANCE_LEVELS)[number];

/** ISO 4217, from the runtime's ICU data (Node and workerd both ship it). */
export const CURRENCY_CODES: readonly string[] = Intl.supportedValuesOf('currency');
