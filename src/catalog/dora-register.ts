/**
 * DORA Register of Information (Implementing Regulation (EU) 2024/2956, Annex I) as an xBRL-CSV
 * report package for the EBA DORA taxonomy 4.0: package metadata, the closed lists (EBA DPM codes)
 * and, per template, its columns in file order with their meaning and where Chainproof takes the
 * value from. Data, not code: src/features/dora-register reads it.
 *
 * Sources: the ITS Annex I column instructions and Annex III (ICT service types); the EBA DPM 4.0
 * closed-list codes as published in open-source RoI exporters that produce packages accepted by
 * the EBA (see the report of issue 7). Anything marked "unverified:" could not be confirmed from
 * a primary source and is the most plausible choice.
 */
import { ICT_SERVICE_TYPES, type IctServiceType } from './ict-service-types';

export const DORA_PACKAGE = {
  /** META-INF/reportPackage.json documentInfo.documentType (XBRL Report Packages 1.0). */
  reportPackageDocumentType: 'https://xbrl.org/report-package/2023',
  /** reports/report.json documentInfo.documentType (xBRL-CSV 1.0). */
  reportDocumentType: 'https://xbrl.org/2021/xbrl-csv',
  /** The EBA DORA taxonomy 4.0 module that report.json extends. */
  moduleUrl: 'http://www.eba.europa.eu/eu/fr/xbrl/crr/fws/dora/4.0/mod/dora.json',
  /** Module code in the EBA file name `{LEI}.{IND|CON}_{country}_DORA010100_DORA_{refDate}_{timestamp}`. */
  moduleCode: 'DORA010100',
  /** Individual (entity-level) reporting: Chainproof keeps one register per tenant. */
  reportingLevel: 'IND',
  /** parameters.csv: entityID is `rs:{LEI}.{IND|CON}` (unverified: the brief suggested `lei:`; published EBA examples use `rs:`). */
  entityIdScheme: 'rs',
  decimalsInteger: 0,
  /** unverified: -3 (thousands) as in the EBA sample packages; amounts are written with their two decimals. */
  decimalsMonetary: -3,
  /** baseCurrency when the tenant has no contract currency to go by. */
  defaultBaseCurrency: 'EUR',
} as const;

/** Every template of the ITS, in order; FilingIndicators.csv lists each, `reported` true for the ones produced. */
export const DORA_ALL_TEMPLATES = [
  'B_01.01', 'B_01.02', 'B_01.03', 'B_02.01', 'B_02.02', 'B_02.03', 'B_03.01', 'B_03.02', 'B_03.03',
  'B_04.01', 'B_05.01', 'B_05.02', 'B_06.01', 'B_07.01', 'B_99.01',
] as const;
export type DoraTemplateId = (typeof DORA_ALL_TEMPLATES)[number];

/**
 * unverified: the EBA filing rules may expect every template to be reported (`true`) even when
 * empty; Chainproof reports the ones it fills and marks the others `false` (intra-group, branch
 * and signatory templates need group data it does not hold).
 */
export const DORA_REPORTED_TEMPLATES = ['B_01.01', 'B_02.01', 'B_02.02', 'B_05.01', 'B_05.02', 'B_06.01', 'B_07.01', 'B_99.01'] as const;
export type ReportedTemplateId = (typeof DORA_REPORTED_TEMPLATES)[number];

/** Value of a key column that does not apply (EBA FAQ on the RoI). unverified: taken from a published exporter. */
export const NOT_APPLICABLE_COUNTRY = 'eba_GA:qx2007';

export const countryCode = (iso: string) => `eba_GA:${iso}`;
export const currencyCode = (iso: string) => `eba_CU:${iso}`;
export const serviceTypeCode = (type: string) => `eba_TA:${type}`;

export const YES = 'eba_BT:x28';
export const NO = 'eba_BT:x29';
/** "Assessment not performed" in the yes / no / not assessed lists (B_06.01.0050, B_07.01.0110). */
export const NOT_ASSESSED = 'eba_BT:x21';

/** B_01.01.0040 type of entity (LIST of Annex I). API value → EBA code and name. */
export const DORA_ENTITY_TYPES = {
  credit_institution: { code: 'eba_CT:x12', name: 'Credit institution' },
  payment_institution: { code: 'eba_CT:x300', name: 'Payment institution (including one exempted under Directive (EU) 2015/2366)' },
  account_information_service_provider: { code: 'eba_CT:x301', name: 'Account information service provider' },
  electronic_money_institution: { code: 'eba_CT:x302', name: 'Electronic money institution (including one exempted under Directive 2009/110/EC)' },
  investment_firm: { code: 'eba_CT:x599', name: 'Investment firm' },
  crypto_asset_service_provider: { code: 'eba_CT:x303', name: 'Crypto-asset service provider' },
  asset_referenced_token_issuer: { code: 'eba_CT:x310', name: 'Issuer of asset-referenced tokens' },
  central_securities_depository: { code: 'eba_CT:x304', name: 'Central securities depository' },
  central_counterparty: { code: 'eba_CT:x643', name: 'Central counterparty' },
  trading_venue: { code: 'eba_CT:x305', name: 'Trading venue' },
  trade_repository: { code: 'eba_CT:x306', name: 'Trade repository' },
  alternative_investment_fund_manager: { code: 'eba_CT:x307', name: 'Manager of alternative investment funds' },
  management_company: { code: 'eba_CT:x639', name: 'Management company' },
  data_reporting_service_provider: { code: 'eba_CT:x308', name: 'Data reporting service provider' },
  insurance_undertaking: { code: 'eba_CT:x309', name: 'Insurance or reinsurance undertaking' },
  insurance_intermediary: { code: 'eba_CT:x320', name: 'Insurance, reinsurance or ancillary insurance intermediary' },
  occupational_retirement_institution: { code: 'eba_CT:x311', name: 'Institution for occupational retirement provision' },
  credit_rating_agency: { code: 'eba_CT:x312', name: 'Credit rating agency' },
  critical_benchmark_administrator: { code: 'eba_CT:x313', name: 'Administrator of critical benchmarks' },
  crowdfunding_service_provider: { code: 'eba_CT:x314', name: 'Crowdfunding service provider' },
  securitisation_repository: { code: 'eba_CT:x315', name: 'Securitisation repository' },
  other_financial_entity: { code: 'eba_CT:x316', name: 'Other financial entity' },
  ict_intra_group_provider: { code: 'eba_CT:x317', name: 'Non-financial entity: ICT intra-group service provider' },
  other_non_financial_entity: { code: 'eba_CT:x318', name: 'Non-financial entity: other than ICT intra-group service provider' },
} as const;
export type DoraEntityType = keyof typeof DORA_ENTITY_TYPES;
export const DORA_ENTITY_TYPE_CODES = Object.keys(DORA_ENTITY_TYPES) as DoraEntityType[];

/** B_05.01.0020 / B_02.02.0040 / B_05.02.0040 type of code identifying a provider. unverified: codes from a published exporter. */
export const PROVIDER_CODE_TYPES = {
  lei: 'eba_qCO:qx2000',
  euid: 'eba_qCO:qx2002',
  vat: 'eba_qCO:qx2004',
} as const;
export type ProviderCodeType = keyof typeof PROVIDER_CODE_TYPES;

/** B_05.01.0070 type of person. Chainproof's suppliers are legal persons. */
export const PERSON_TYPES = { legal: 'eba_CT:x212', natural: 'eba_CT:x213' } as const;

/** B_02.01.0020 type of contractual arrangement. */
export const ARRANGEMENT_TYPES = {
  standalone: { code: 'eba_CO:x1', name: 'Standalone arrangement' },
  overarching: { code: 'eba_CO:x2', name: 'Overarching arrangement (master agreement)' },
  subsequent: { code: 'eba_CO:x3', name: 'Subsequent or associated arrangement (under an overarching one)' },
} as const;
export type ArrangementType = keyof typeof ARRANGEMENT_TYPES;
export const ARRANGEMENT_TYPE_CODES = Object.keys(ARRANGEMENT_TYPES) as ArrangementType[];
/** A contract with no arrangement type is reported as standalone. */
export const DEFAULT_ARRANGEMENT_TYPE: ArrangementType = 'standalone';

/**
 * B_02.02.0170 sensitiveness of the data stored (low / medium / high), from Chainproof's data
 * sensitivity scale. The mapping is the entity's own definition, stated in B_99.01.
 */
export const DATA_SENSITIVENESS = {
  none: 'eba_ZZ:x791',
  internal: 'eba_ZZ:x791',
  confidential: 'eba_ZZ:x792',
  personal: 'eba_ZZ:x792',
  special_category: 'eba_ZZ:x793',
} as const satisfies Record<string, string>;

/** B_02.02.0180 level of reliance, from Chainproof's reliance scale (the same four steps). */
export const RELIANCE_CODES = {
  not_significant: 'eba_ZZ:x794',
  low: 'eba_ZZ:x795',
  material: 'eba_ZZ:x796',
  full: 'eba_ZZ:x797',
} as const satisfies Record<string, string>;

/** B_06.01.0100 and B_07.01.0100 impact of discontinuing. */
export const DISCONTINUATION_IMPACTS = {
  low: { code: 'eba_ZZ:x791', name: 'Low' },
  medium: { code: 'eba_ZZ:x792', name: 'Medium' },
  high: { code: 'eba_ZZ:x793', name: 'High' },
  not_assessed: { code: 'eba_ZZ:x799', name: 'Assessment not performed' },
} as const;
export type DiscontinuationImpact = keyof typeof DISCONTINUATION_IMPACTS;
export const DISCONTINUATION_IMPACT_CODES = Object.keys(DISCONTINUATION_IMPACTS) as DiscontinuationImpact[];

/** B_07.01.0050 substitutability, keyed by Chainproof's substitutability scale (src/catalog/supplier-profile.ts). */
export const SUBSTITUTABILITY_CODES = {
  not_substitutable: 'eba_ZZ:x959',
  difficult: 'eba_ZZ:x960',
  medium: 'eba_ZZ:x961',
  easy: 'eba_ZZ:x962',
} as const satisfies Record<string, string>;

/** B_07.01.0060 reason when not substitutable or highly complex to substitute. */
export const NON_SUBSTITUTABILITY_REASONS = {
  no_alternatives: { code: 'eba_ZZ:x963', name: 'Lack of real alternatives' },
  difficult_migration: { code: 'eba_ZZ:x964', name: 'Difficulties in migrating or reintegrating' },
  both: { code: 'eba_ZZ:x965', name: 'Lack of real alternatives and difficulties in migrating or reintegrating' },
} as const;
export type NonSubstitutabilityReason = keyof typeof NON_SUBSTITUTABILITY_REASONS;
export const NON_SUBSTITUTABILITY_REASON_CODES = Object.keys(NON_SUBSTITUTABILITY_REASONS) as NonSubstitutabilityReason[];

/** B_07.01.0090 possibility of reintegration of the contracted ICT service. */
export const REINTEGRATION_POSSIBILITIES = {
  easy: { code: 'eba_ZZ:x798', name: 'Easy' },
  difficult: { code: 'eba_ZZ:x966', name: 'Difficult' },
  highly_complex: { code: 'eba_ZZ:x967', name: 'Highly complex' },
} as const;
export type ReintegrationPossibility = keyof typeof REINTEGRATION_POSSIBILITIES;
export const REINTEGRATION_POSSIBILITY_CODES = Object.keys(REINTEGRATION_POSSIBILITIES) as ReintegrationPossibility[];

/**
 * B_06.01.0020 licensed activity (Annex I closed list). unverified: a subset of the EBA list
 * (banking, payment, investment, insurance distribution and a few others), keyed by the EBA
 * code; extend it from the EBA DPM list as tenants need.
 */
export const LICENSED_ACTIVITIES = {
  x162: 'Taking deposits and other repayable funds',
  x163: 'Lending activities',
  x164: 'Financial leasing',
  x165: 'Issuing and administering other means of payment',
  x166: 'Guarantees and commitments',
  x168: 'Trading for own account or for account of customers',
  x169: 'Participation in securities issues and the provision of services relating to such issues',
  x170: 'Advisory services',
  x171: 'Money broking',
  x172: 'Portfolio management and advice',
  x174: 'Safekeeping and administration of securities',
  x178: 'Safe custody services',
  x179: 'Credit reference services',
  x180: 'Issuing electronic money',
  x104: 'Foreign exchange services',
  x28: 'Payment services',
  x220: 'Services enabling cash to be placed on a payment account',
  x221: 'Services enabling cash withdrawals from a payment account',
  x222: 'Execution of payment transactions, including transfers of funds on a payment account',
  x223: 'Execution of payment transactions where the funds are covered by a credit line',
  x224: 'Issuing of payment instruments and/or acquiring of payment transactions',
  x225: 'Money remittance',
  x226: 'Payment initiation services',
  x227: 'Account information services',
  x133: 'Reception and transmission of orders',
  x134: 'Execution of orders on behalf of clients',
  x136: 'Portfolio management',
  x137: 'Investment advice',
  x138: 'Underwriting of financial instruments and/or placing on a firm commitment basis',
  x139: 'Placing of financial instruments without a firm commitment basis',
  x140: 'Operation of an MTF',
  x141: 'Operation of an OTF',
  x202: 'Insurance distribution',
  x203: 'Reinsurance distribution',
  x250: 'Providing regulatory reporting',
  x252: 'Providing IT services',
  x260: 'Risk management',
} as const;
export type LicensedActivity = keyof typeof LICENSED_ACTIVITIES;
export const LICENSED_ACTIVITY_CODES = Object.keys(LICENSED_ACTIVITIES) as LicensedActivity[];
export const licensedActivityCode = (key: string) => `eba_TA:${key}`;

/** B_06.01.0010: function identifiers look like F1, F2, … (a validation warning otherwise). */
export const FUNCTION_IDENTIFIER_PATTERN = /^F[0-9]{1,9}$/;

export interface TemplateColumn {
  /** The column code, the CSV header (`c0010`). */
  code: string;
  /** What the ITS asks for. */
  meaning: string;
  /** Where Chainproof takes it from. */
  source: string;
}

export interface TemplateDefinition {
  id: ReportedTemplateId;
  /** File name under reports/. */
  file: string;
  name: string;
  /** What one row is. */
  row: string;
  columns: readonly TemplateColumn[];
}

const col = (code: string, meaning: string, source: string): TemplateColumn => ({ code, meaning, source });

/** The templates Chainproof fills, with their columns in file order. */
export const DORA_TEMPLATES: Record<ReportedTemplateId, TemplateDefinition> = {
  'B_01.01': {
    id: 'B_01.01',
    file: 'b_01.01.csv',
    name: 'Entity maintaining the register of information',
    row: 'The tenant (one row).',
    columns: [
      col('c0010', 'LEI of the entity maintaining the register', 'tenant.lei'),
      col('c0020', 'Name of the entity', 'tenant.name'),
      col('c0030', 'Country of the entity', 'tenant.country'),
      col('c0040', 'Type of entity', 'tenant.entityType'),
      col('c0050', 'Competent authority', 'tenant.competentAuthority'),
      col('c0060', 'Date of the reporting', 'the day the package is produced (UTC)'),
    ],
  },
  'B_02.01': {
    id: 'B_02.01',
    file: 'b_02.01.csv',
    name: 'Contractual arrangements – general information',
    row: 'A contract in force at the reference date.',
    columns: [
      col('c0010', 'Contractual arrangement reference number', 'contract.reference'),
      col('c0020', 'Type of contractual arrangement', 'contract.arrangementType (standalone when not set)'),
      col('c0030', 'Overarching contractual arrangement reference number', 'contract.overarchingReference'),
      col('c0040', 'Currency of the annual expense or estimated cost', 'contract.annualValueCurrency'),
      col('c0050', 'Annual expense or estimated cost', 'contract.annualValueAmount'),
    ],
  },
  'B_02.02': {
    id: 'B_02.02',
    file: 'b_02.02.csv',
    name: 'Contractual arrangements – specific information',
    row: 'A service a contract covers, once per data storage country and processing country.',
    columns: [
      col('c0010', 'Contractual arrangement reference number', 'contract.reference'),
      col('c0020', 'LEI of the entity making use of the ICT service(s)', 'tenant.lei'),
      col('c0030', 'Identification code of the ICT third-party service provider', 'supplier LEI, else EUID, else VAT'),
      col('c0040', 'Type of code to identify the ICT third-party service provider', 'which identifier c0030 is'),
      col('c0050', 'Function identifier', 'the service\'s function (functions.identifier)'),
      col('c0060', 'Type of ICT services', 'service.serviceType'),
      col('c0070', 'Start date of the contractual arrangement', 'contract.startDate'),
      col('c0080', 'End date of the contractual arrangement', 'contract.endDate (9999-12-31 when open-ended)'),
      col('c0090', 'Reason of the termination or ending', 'empty: only contracts in force are reported'),
      col('c0100', 'Notice period for the financial entity (days)', 'contract.noticePeriodDays'),
      col('c0110', 'Notice period for the ICT third-party service provider (days)', 'contract.providerNoticePeriodDays'),
      col('c0120', 'Country of the governing law of the contractual arrangement', 'contract.governingLaw'),
      col('c0130', 'Country of provision of the ICT services', 'the service\'s first processing country, else the supplier\'s country (unverified: closest data Chainproof holds)'),
      col('c0140', 'Storage of data', 'yes when the service has data storage countries'),
      col('c0150', 'Location of the data at rest (storage)', 'each of service.dataStorageCountries'),
      col('c0160', 'Location of management of the data (processing)', 'each of service.dataProcessingCountries'),
      col('c0170', 'Sensitiveness of the data stored', 'service.dataSensitivity (mapping in B_99.01)'),
      col('c0180', 'Level of reliance on the ICT service', 'service.reliance'),
    ],
  },
  'B_05.01': {
    id: 'B_05.01',
    file: 'b_05.01.csv',
    name: 'ICT third-party service providers',
    row: 'A direct provider of a reported contract, or a subcontractor in its chain.',
    columns: [
      col('c0010', 'Identification code of the ICT third-party service provider', 'supplier LEI, else EUID, else VAT'),
      col('c0020', 'Type of code to identify the ICT third-party service provider', 'which identifier c0010 is'),
      col('c0030', 'Additional identification code', 'supplier EUID when c0010 is its LEI'),
      col('c0040', 'Type of additional identification code', 'EUID when c0030 is set'),
      col('c0050', 'Legal name of the ICT third-party service provider', 'supplier.legalName, else name'),
      col('c0060', 'Name of the ICT third-party service provider in Latin alphabet', 'supplier.name'),
      col('c0070', 'Type of person', 'legal person (Chainproof records companies)'),
      col('c0080', 'Country of the ICT third-party service provider\'s headquarters', 'supplier.country'),
      col('c0090', 'Currency of the total annual expense', 'the currency of its reported contracts'),
      col('c0100', 'Total annual expense or estimated cost', 'sum of its reported contracts\' annual value (direct providers, one currency)'),
      col('c0110', 'Identification code of the ultimate parent undertaking', 'its own code (unverified: Chainproof does not record groups; EBA FAQ asks for the provider\'s own code when it is its ultimate parent)'),
      col('c0120', 'Type of code of the ultimate parent undertaking', 'as c0020'),
    ],
  },
  'B_05.02': {
    id: 'B_05.02',
    file: 'b_05.02.csv',
    name: 'ICT service supply chains',
    row: 'A provider in the chain of a contracted service, with its rank (the direct provider is 1).',
    columns: [
      col('c0010', 'Contractual arrangement reference number', 'contract.reference'),
      col('c0020', 'Type of ICT services', 'service.serviceType'),
      col('c0030', 'Identification code of the ICT third-party service provider', 'the provider at this rank'),
      col('c0040', 'Type of code to identify the ICT third-party service provider', 'which identifier c0030 is'),
      col('c0050', 'Rank', 'depth in subcontracting_links (direct provider 1)'),
      col('c0060', 'Identification code of the recipient of sub-contracted ICT services', 'the provider one rank up (rank 1: the provider itself)'),
      col('c0070', 'Type of code to identify the recipient of sub-contracted ICT services', 'which identifier c0060 is'),
    ],
  },
  'B_06.01': {
    id: 'B_06.01',
    file: 'b_06.01.csv',
    name: 'Functions identification',
    row: 'A function of the tenant (GET /v1/functions).',
    columns: [
      col('c0010', 'Function identifier', 'function.identifier'),
      col('c0020', 'Licensed activity', 'function.licensedActivity'),
      col('c0030', 'Function name', 'function.name'),
      col('c0040', 'LEI of the financial entity', 'tenant.lei'),
      col('c0050', 'Criticality or importance assessment', 'function.criticalOrImportant (null: not assessed)'),
      col('c0060', 'Reasons for criticality or importance', 'function.criticalityReasons'),
      col('c0070', 'Date of the last assessment of criticality or importance', 'function.lastCriticalityAssessmentOn'),
      col('c0080', 'Recovery time objective of the function (hours)', 'function.rtoHours'),
      col('c0090', 'Recovery point objective of the function (hours)', 'function.rpoHours'),
      col('c0100', 'Impact of discontinuing the function', 'function.discontinuationImpact'),
    ],
  },
  'B_07.01': {
    id: 'B_07.01',
    file: 'b_07.01.csv',
    name: 'Assessment of the ICT services',
    row: 'A service a reported contract covers that supports a critical or important function.',
    columns: [
      col('c0010', 'Contractual arrangement reference number', 'contract.reference'),
      col('c0020', 'Identification code of the ICT third-party service provider', 'supplier LEI, else EUID, else VAT'),
      col('c0030', 'Type of code to identify the ICT third-party service provider', 'which identifier c0020 is'),
      col('c0040', 'Type of ICT services', 'service.serviceType'),
      col('c0050', 'Substitutability of the ICT third-party service provider', 'service.substitutability'),
      col('c0060', 'Reason if not substitutable or difficult to substitute', 'service.nonSubstitutabilityReason'),
      col('c0070', 'Date of the last audit on the ICT third-party service provider', 'latest performedDate of the supplier\'s completed audits up to the reference date'),
      col('c0080', 'Existence of an exit plan', 'service.exitPlanExists'),
      col('c0090', 'Possibility of reintegration of the contracted ICT service', 'service.reintegrationPossibility'),
      col('c0100', 'Impact of discontinuing the ICT services', 'service.discontinuationImpact'),
      col('c0110', 'Are there alternative ICT third-party service providers identified?', 'service.alternativeProvidersIdentified (null: not assessed)'),
      col('c0120', 'Identification of alternative ICT TPP', 'service.alternativeProviders'),
    ],
  },
  'B_99.01': {
    id: 'B_99.01',
    file: 'b_99.01.csv',
    name: 'Definitions from the entity making use of the ICT services',
    row: 'One row: how the entity defines the closed-list options it uses.',
    columns: [
      col('c0010', 'Definition: standalone arrangement (B_02.01.0020)', 'catalog'),
      col('c0020', 'Definition: overarching arrangement (B_02.01.0020)', 'catalog'),
      col('c0030', 'Definition: subsequent or associated arrangement (B_02.01.0020)', 'catalog'),
      col('c0040', 'Definition: data sensitiveness low (B_02.02.0170)', 'catalog'),
      col('c0050', 'Definition: data sensitiveness medium (B_02.02.0170)', 'catalog'),
      col('c0060', 'Definition: data sensitiveness high (B_02.02.0170)', 'catalog'),
      col('c0070', 'Definition: impact of discontinuing the function low (B_06.01.0100)', 'catalog'),
      col('c0080', 'Definition: impact of discontinuing the function medium (B_06.01.0100)', 'catalog'),
      col('c0090', 'Definition: impact of discontinuing the function high (B_06.01.0100)', 'catalog'),
      col('c0100', 'Definition: not substitutable (B_07.01.0050)', 'catalog'),
      col('c0110', 'Definition: highly complex substitutability (B_07.01.0050)', 'catalog'),
      col('c0120', 'Definition: medium complexity substitutability (B_07.01.0050)', 'catalog'),
      col('c0130', 'Definition: easily substitutable (B_07.01.0050)', 'catalog'),
      col('c0140', 'Definition: reintegration easy (B_07.01.0090)', 'catalog'),
      col('c0150', 'Definition: reintegration difficult (B_07.01.0090)', 'catalog'),
      col('c0160', 'Definition: reintegration highly complex (B_07.01.0090)', 'catalog'),
      col('c0170', 'Definition: impact of discontinuing the ICT services low (B_07.01.0100)', 'catalog'),
      col('c0180', 'Definition: impact of discontinuing the ICT services medium (B_07.01.0100)', 'catalog'),
      col('c0190', 'Definition: impact of discontinuing the ICT services high (B_07.01.0100)', 'catalog'),
    ],
  },
};

/**
 * B_99.01 row: Chainproof's definitions of the options, in column order. unverified: the column
 * order of B_99.01 in taxonomy 4.0 (arrangement types, sensitiveness, function impact,
 * substitutability, reintegration, ICT service impact, low to high) is taken from a published exporter.
 */
export const B_99_01_DEFINITIONS: Record<string, string> = {
  c0010: 'A single contract that is neither a master agreement nor concluded under one.',
  c0020: 'A master agreement under which subsequent or associated contracts are concluded.',
  c0030: 'A contract concluded under an overarching (master) agreement, which it names.',
  c0040: 'No data, or internal data whose disclosure would not harm clients or the entity.',
  c0050: 'Confidential business data or personal data.',
  c0060: 'Special categories of personal data (GDPR Art. 9) or equally sensitive data.',
  c0070: 'Losing the function would cause minor disruption, absorbed within normal operations.',
  c0080: 'Losing the function would cause noticeable disruption to clients or operations that the entity can contain.',
  c0090: 'Losing the function would materially impair service to clients, compliance or financial soundness.',
  c0100: 'No other provider can deliver the service, or the entity could not move it in any reasonable time.',
  c0110: 'Substitution is possible but needs a long, costly and risky migration.',
  c0120: 'Substitution is possible with a planned migration of moderate effort.',
  c0130: 'Several providers offer the service and it can be moved with little effort.',
  c0140: 'The entity could run the service itself at short notice with the skills and systems it has.',
  c0150: 'Bringing the service in-house would need significant new skills, systems or time.',
  c0160: 'Bringing the service in-house is hardly feasible.',
  c0170: 'Losing the service would cause minor disruption, absorbed within normal operations.',
  c0180: 'Losing the service would cause noticeable disruption that the entity can contain.',
  c0190: 'Losing the service would materially impair a critical or important function.',
};

/** Contract statuses that can be in force (draft contracts are never reported). */
export const REPORTABLE_CONTRACT_STATUSES = ['active', 'expired', 'terminated'] as const;

/** A recognised ICT service type code of Annex III. */
export const isDoraServiceType = (code: string): code is IctServiceType => Object.hasOwn(ICT_SERVICE_TYPES, code);
