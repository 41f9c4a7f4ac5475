import {
  ARRANGEMENT_TYPES,
  B_99_01_DEFINITIONS,
  countryCode,
  currencyCode,
  DATA_SENSITIVENESS,
  DEFAULT_ARRANGEMENT_TYPE,
  DISCONTINUATION_IMPACTS,
  DORA_ENTITY_TYPES,
  DORA_REPORTED_TEMPLATES,
  DORA_TEMPLATES,
  licensedActivityCode,
  NO,
  NON_SUBSTITUTABILITY_REASONS,
  NOT_APPLICABLE_COUNTRY,
  NOT_ASSESSED,
  PERSON_TYPES,
  PROVIDER_CODE_TYPES,
  REINTEGRATION_POSSIBILITIES,
  RELIANCE_CODES,
  serviceTypeCode,
  SUBSTITUTABILITY_CODES,
  YES,
  type ProviderCodeType,
  type ReportedTemplateId,
} from '../../catalog/dora-register';
import { isValidEuid, isValidLei } from '../../lib/identifiers';
import type { ContractRow, RegisterData, ServiceRow, SupplierRow } from './dora-register.queries';

/** One CSV row: the cells in the template's column order. */
export type Cells = string[];
export type TemplateRows = Record<ReportedTemplateId, Cells[]>;

/** The end date of an open-ended arrangement (B_02.02.0080). */
export const OPEN_ENDED = '9999-12-31';

export interface ProviderCode {
  code: string;
  type: ProviderCodeType;
}

/**
 * How a provider is identified in the register: its LEI when valid, else its EUID when valid,
 * else (a draft only: the validation reports it) its VAT number.
 */
export function providerCode(supplier: SupplierRow | undefined): ProviderCode | null {
  if (!supplier) return null;
  if (supplier.lei && isValidLei(supplier.lei)) return { code: supplier.lei, type: 'lei' };
  if (supplier.euid && isValidEuid(supplier.euid)) return { code: supplier.euid, type: 'euid' };
  if (supplier.vat) return { code: supplier.vat, type: 'vat' };
  return null;
}

const codeOf = (code: ProviderCode | null) => code?.code ?? '';
const typeOf = (code: ProviderCode | null) => (code ? PROVIDER_CODE_TYPES[code.type] : '');
const yesNo = (value: boolean | null) => (value === null ? '' : value ? YES : NO);
const yesNoAssessed = (value: boolean | null) => (value === null ? NOT_ASSESSED : value ? YES : NO);
const lookup = <T>(table: Record<string, T>, key: string | null): T | undefined => (key !== null && Object.hasOwn(table, key) ? table[key] : undefined);
const num = (value: number | null) => (value === null ? '' : String(value));

/** Amounts are numeric(18,2) strings: summed exactly in cents. */
function sumAmounts(amounts: string[]): string {
  let cents = 0n;
  for (const amount of amounts) {
    const [whole = '0', fraction = ''] = amount.split('.');
    cents += BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
  }
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

/**
 * Per direct provider, its total annual expense (B_05.01.0090/0100): the sum of its reported
 * contracts' annual values when they share one currency; null when they do not or none has one.
 */
export function providerExpenses(contracts: readonly ContractRow[]): Map<string, { currency: string; amount: string } | null> {
  const bySupplier = new Map<string, ContractRow[]>();
  for (const contract of contracts) {
    const list = bySupplier.get(contract.supplierId);
    if (list) list.push(contract);
    else bySupplier.set(contract.supplierId, [contract]);
  }
  const result = new Map<string, { currency: string; amount: string } | null>();
  for (const [supplierId, rows] of bySupplier) {
    const valued = rows.filter((row) => row.annualValueAmount !== null && row.annualValueCurrency !== null);
    const currencies = new Set(valued.map((row) => row.annualValueCurrency!));
    result.set(supplierId, valued.length > 0 && currencies.size === 1 ? { currency: valued[0]!.annualValueCurrency!, amount: sumAmounts(valued.map((row) => row.annualValueAmount!)) } : null);
  }
  return result;
}

/** Whether the service's function (or, without one, the service itself) is critical or important. */
export function supportsCif(service: ServiceRow, functionCritical: Map<string, boolean | null>): boolean {
  return service.criticalOrImportant || (service.functionId !== null && functionCritical.get(service.functionId) === true);
}

/** Every reported template's rows, in their file's column order (see DORA_TEMPLATES). */
export function buildTemplateRows(data: RegisterData, reportingDate: string): TemplateRows {
  const { tenant } = data;
  const lei = tenant.lei ?? '';
  const functionsById = new Map(data.functions.map((row) => [row.id, row]));
  const functionCritical = new Map(data.functions.map((row) => [row.id, row.criticalOrImportant]));
  const codes = new Map<string, ProviderCode | null>();
  const codeFor = (supplierId: string) => {
    if (!codes.has(supplierId)) codes.set(supplierId, providerCode(data.suppliers.get(supplierId)));
    return codes.get(supplierId)!;
  };
  const rows: TemplateRows = Object.fromEntries(DORA_REPORTED_TEMPLATES.map((id) => [id, []])) as unknown as TemplateRows;

  rows['B_01.01'].push([
    lei,
    tenant.name,
    tenant.country ? countryCode(tenant.country) : '',
    lookup(DORA_ENTITY_TYPES, tenant.entityType)?.code ?? '',
    tenant.competentAuthority ?? '',
    reportingDate,
  ]);

  const chainByService = new Map<string, RegisterData['chain']>();
  for (const link of data.chain) {
    const list = chainByService.get(link.serviceId);
    if (list) list.push(link);
    else chainByService.set(link.serviceId, [link]);
  }
  // Two services of one type under one contract give the same supply-chain row: reported once.
  const chainRowsSeen = new Set<string>();
  const pushChainRow = (cells: Cells) => {
    const key = cells.join('\u0000');
    if (chainRowsSeen.has(key)) return;
    chainRowsSeen.add(key);
    rows['B_05.02'].push(cells);
  };

  for (const contract of data.contracts) {
    const arrangement = ARRANGEMENT_TYPES[(contract.arrangementType ?? DEFAULT_ARRANGEMENT_TYPE) as keyof typeof ARRANGEMENT_TYPES] ?? ARRANGEMENT_TYPES.standalone;
    rows['B_02.01'].push([
      contract.reference,
      arrangement.code,
      contract.overarchingReference ?? '',
      contract.annualValueCurrency ? currencyCode(contract.annualValueCurrency) : '',
      contract.annualValueAmount ?? '',
    ]);
    const provider = codeFor(contract.supplierId);
    const supplier = data.suppliers.get(contract.supplierId);
    for (const service of data.servicesByContract.get(contract.id) ?? []) {
      const fn = service.functionId ? functionsById.get(service.functionId) : undefined;
      const stores = service.dataStorageCountries.length > 0;
      const provisionCountry = service.dataProcessingCountries[0] ?? supplier?.country;
      const storage = stores ? service.dataStorageCountries.map(countryCode) : [NOT_APPLICABLE_COUNTRY];
      const processing = service.dataProcessingCountries.length > 0 ? service.dataProcessingCountries.map(countryCode) : [NOT_APPLICABLE_COUNTRY];
      for (const storedIn of storage) {
        for (const processedIn of processing) {
          rows['B_02.02'].push([
            contract.reference,
            lei,
            codeOf(provider),
            typeOf(provider),
            fn?.identifier ?? '',
            serviceTypeCode(service.serviceType),
            contract.startDate ?? '',
            contract.endDate ?? OPEN_ENDED,
            '',
            num(contract.noticePeriodDays),
            num(contract.providerNoticePeriodDays),
            contract.governingLaw ? countryCode(contract.governingLaw) : '',
            provisionCountry ? countryCode(provisionCountry) : '',
            stores ? YES : NO,
            storedIn,
            processedIn,
            lookup(DATA_SENSITIVENESS, service.dataSensitivity) ?? '',
            lookup(RELIANCE_CODES, service.reliance) ?? '',
          ]);
        }
      }
      pushChainRow([contract.reference, serviceTypeCode(service.serviceType), codeOf(provider), typeOf(provider), '1', codeOf(provider), typeOf(provider)]);
      for (const link of chainByService.get(service.id) ?? []) {
        const sub = codeFor(link.providerId);
        const recipient = codeFor(link.recipientId);
        pushChainRow([contract.reference, serviceTypeCode(service.serviceType), codeOf(sub), typeOf(sub), String(link.rank), codeOf(recipient), typeOf(recipient)]);
      }
      if (supportsCif(service, functionCritical)) {
        rows['B_07.01'].push([
          contract.reference,
          codeOf(provider),
          typeOf(provider),
          serviceTypeCode(service.serviceType),
          lookup(SUBSTITUTABILITY_CODES, service.substitutability) ?? '',
          lookup(NON_SUBSTITUTABILITY_REASONS, service.nonSubstitutabilityReason)?.code ?? '',
          data.lastAuditOn.get(contract.supplierId) ?? '',
          yesNo(service.exitPlanExists),
          lookup(REINTEGRATION_POSSIBILITIES, service.reintegrationPossibility)?.code ?? '',
          lookup(DISCONTINUATION_IMPACTS, service.discontinuationImpact)?.code ?? '',
          yesNoAssessed(service.alternativeProvidersIdentified),
          service.alternativeProviders ?? '',
        ]);
      }
    }
  }

  const expenses = providerExpenses(data.contracts);
  for (const supplier of [...data.suppliers.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))) {
    const code = codeFor(supplier.id);
    const expense = expenses.get(supplier.id) ?? null;
    const additional = code?.type === 'lei' && supplier.euid && isValidEuid(supplier.euid) ? supplier.euid : null;
    rows['B_05.01'].push([
      codeOf(code),
      typeOf(code),
      additional ?? '',
      additional ? PROVIDER_CODE_TYPES.euid : '',
      supplier.legalName ?? supplier.name,
      supplier.name,
      PERSON_TYPES.legal,
      countryCode(supplier.country),
      expense ? currencyCode(expense.currency) : '',
      expense?.amount ?? '',
      codeOf(code),
      typeOf(code),
    ]);
  }

  for (const fn of data.functions) {
    rows['B_06.01'].push([
      fn.identifier,
      fn.licensedActivity ? licensedActivityCode(fn.licensedActivity) : '',
      fn.name,
      lei,
      yesNoAssessed(fn.criticalOrImportant),
      fn.criticalityReasons ?? '',
      fn.lastCriticalityAssessmentOn ?? '',
      num(fn.rtoHours),
      num(fn.rpoHours),
      lookup(DISCONTINUATION_IMPACTS, fn.discontinuationImpact)?.code ?? '',
    ]);
  }

  rows['B_99.01'].push(DORA_TEMPLATES['B_99.01'].columns.map((column) => B_99_01_DEFINITIONS[column.code] ?? ''));
  return rows;
}
