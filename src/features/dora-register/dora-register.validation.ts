import { isCountryCode, isEeaCountry } from '../../catalog/countries';
import { FUNCTION_IDENTIFIER_PATTERN, isDoraServiceType, type ReportedTemplateId } from '../../catalog/dora-register';
import { isValidEuid, isValidLei } from '../../lib/identifiers';
import type { RegisterData, ServiceRow, SupplierRow } from './dora-register.queries';
import { providerExpenses, supportsCif } from './dora-register.rows';

export type ProblemSeverity = 'error' | 'warning';
export type RecordType = 'tenant' | 'supplier' | 'contract' | 'service' | 'function';

export interface RegisterProblem {
  code: string;
  severity: ProblemSeverity;
  template: ReportedTemplateId;
  column: string;
  message: string;
  record: { type: RecordType; id: string; href: string };
}

const tenantRecord = (id: string) => ({ type: 'tenant' as const, id, href: '/v1/tenant' });
const supplierRecord = (row: SupplierRow) => ({ type: 'supplier' as const, id: row.id, href: `/v1/suppliers/${row.id}` });
const contractRecord = (id: string) => ({ type: 'contract' as const, id, href: `/v1/contracts/${id}` });
const serviceRecord = (row: ServiceRow) => ({ type: 'service' as const, id: row.id, href: `/v1/suppliers/${row.supplierId}/services/${row.id}` });
const functionRecord = (id: string) => ({ type: 'function' as const, id, href: `/v1/functions/${id}` });

/**
 * The B_07.01 fields a service supporting a critical or important function must have.
 * alternativeProvidersIdentified is not among them: null is reported as "assessment not performed".
 */
const ASSESSMENT_FIELDS = [
  ['substitutability', 'c0050'],
  ['exitPlanExists', 'c0080'],
  ['reintegrationPossibility', 'c0090'],
  ['discontinuationImpact', 'c0100'],
] as const satisfies readonly (readonly [keyof ServiceRow, string])[];

/**
 * Every problem that would make the filing fail (`error`) or that a supervisor would query
 * (`warning`), each naming the record to fix. Checks only what the register reports: the tenant,
 * contracts in force, their services and providers (direct and subcontractors), and functions.
 */
export function validateRegister(data: RegisterData): RegisterProblem[] {
  const problems: RegisterProblem[] = [];
  const add = (problem: RegisterProblem) => problems.push(problem);
  const { tenant } = data;

  if (!tenant.lei) {
    add({ code: 'tenant_lei_missing', severity: 'error', template: 'B_01.01', column: 'c0010', message: 'The entity has no LEI. Set `lei` with PATCH /v1/tenant.', record: tenantRecord(tenant.id) });
  } else if (!isValidLei(tenant.lei)) {
    add({ code: 'tenant_lei_invalid', severity: 'error', template: 'B_01.01', column: 'c0010', message: `The entity's LEI "${tenant.lei}" fails the ISO 17442 check digits.`, record: tenantRecord(tenant.id) });
  }
  if (!tenant.country) {
    add({ code: 'tenant_country_missing', severity: 'error', template: 'B_01.01', column: 'c0030', message: 'The entity has no country. Set `country` with PATCH /v1/tenant.', record: tenantRecord(tenant.id) });
  } else if (!isEeaCountry(tenant.country)) {
    add({ code: 'tenant_country_not_eea', severity: 'error', template: 'B_01.01', column: 'c0030', message: `The entity's country ${tenant.country} is not in the EU/EEA.`, record: tenantRecord(tenant.id) });
  }
  if (!tenant.entityType) {
    add({ code: 'tenant_entity_type_missing', severity: 'error', template: 'B_01.01', column: 'c0040', message: 'The entity has no type of entity. Set `entityType` with PATCH /v1/tenant.', record: tenantRecord(tenant.id) });
  }
  if (tenant.entityType === 'ict_intra_group_provider' || tenant.entityType === 'other_non_financial_entity') {
    add({ code: 'tenant_entity_type_not_financial', severity: 'warning', template: 'B_01.01', column: 'c0040', message: 'The entity maintaining the register is expected to be a financial entity; its type is a non-financial one.', record: tenantRecord(tenant.id) });
  }
  if (!tenant.competentAuthority) {
    add({ code: 'tenant_competent_authority_missing', severity: 'warning', template: 'B_01.01', column: 'c0050', message: 'The entity has no competent authority (mandatory when the register is reported). Set `competentAuthority` with PATCH /v1/tenant.', record: tenantRecord(tenant.id) });
  }

  for (const supplier of data.suppliers.values()) {
    const record = supplierRecord(supplier);
    if (supplier.lei && !isValidLei(supplier.lei)) {
      add({ code: 'provider_lei_invalid', severity: 'error', template: 'B_05.01', column: 'c0010', message: `${supplier.name}: the LEI "${supplier.lei}" fails the ISO 17442 check digits.`, record });
    }
    if (supplier.euid && !isValidEuid(supplier.euid)) {
      add({ code: 'provider_euid_invalid', severity: 'error', template: 'B_05.01', column: 'c0010', message: `${supplier.name}: the EUID "${supplier.euid}" is not a valid European Unique Identifier.`, record });
    }
    if (!isCountryCode(supplier.country)) {
      add({ code: 'provider_country_invalid', severity: 'error', template: 'B_05.01', column: 'c0080', message: `${supplier.name}: "${supplier.country}" is not an ISO 3166-1 country code.`, record });
    }
    const hasLei = supplier.lei !== null && isValidLei(supplier.lei);
    const hasEuid = supplier.euid !== null && isValidEuid(supplier.euid);
    if (isEeaCountry(supplier.country) ? !hasLei && !hasEuid : !hasLei) {
      const needs = isEeaCountry(supplier.country) ? 'an LEI or an EUID (EU/EEA provider)' : 'an LEI (provider outside the EU/EEA)';
      const fallback = supplier.vat ? ` The draft uses its VAT number ${supplier.vat}.` : '';
      add({ code: 'provider_identifier_missing', severity: 'error', template: 'B_05.01', column: 'c0010', message: `${supplier.name} has no valid identifier: it needs ${needs}.${fallback}`, record });
    }
  }

  const references = new Set(data.contracts.map((row) => row.reference));
  const functionCritical = new Map(data.functions.map((row) => [row.id, row.criticalOrImportant]));
  const functionIds = new Set(data.functions.map((row) => row.id));
  const checkedServices = new Set<string>();
  for (const [supplierId, expense] of providerExpenses(data.contracts)) {
    const supplier = data.suppliers.get(supplierId);
    if (expense === null && supplier && data.contracts.some((row) => row.supplierId === supplierId && row.annualValueCurrency !== null)) {
      add({ code: 'provider_expense_mixed_currencies', severity: 'warning', template: 'B_05.01', column: 'c0100', message: `${supplier.name}: its contracts are in different currencies, so its total annual expense is left empty.`, record: supplierRecord(supplier) });
    }
  }
  for (const contract of data.contracts) {
    const record = contractRecord(contract.id);
    const label = `Contract ${contract.reference}`;
    if (contract.reference.trim() === '') {
      add({ code: 'contract_reference_missing', severity: 'error', template: 'B_02.01', column: 'c0010', message: 'A contract has no reference.', record });
    }
    if (!contract.startDate) {
      add({ code: 'contract_start_date_missing', severity: 'error', template: 'B_02.02', column: 'c0070', message: `${label} has no start date.`, record });
    }
    if (contract.annualValueAmount === null) {
      add({ code: 'contract_annual_value_missing', severity: 'error', template: 'B_02.01', column: 'c0050', message: `${label} has no annual expense or estimated cost (annualValueAmount).`, record });
    } else if (!contract.annualValueCurrency) {
      add({ code: 'contract_currency_missing', severity: 'error', template: 'B_02.01', column: 'c0040', message: `${label} has an annual value but no currency.`, record });
    }
    if (contract.arrangementType === 'subsequent' && !contract.overarchingReference) {
      add({ code: 'contract_overarching_reference_missing', severity: 'error', template: 'B_02.01', column: 'c0030', message: `${label} is a subsequent arrangement but names no overarching arrangement.`, record });
    } else if (contract.overarchingReference && !references.has(contract.overarchingReference)) {
      add({ code: 'contract_overarching_reference_unknown', severity: 'warning', template: 'B_02.01', column: 'c0030', message: `${label} names the overarching arrangement "${contract.overarchingReference}", which is not in the register.`, record });
    }
    const services = data.servicesByContract.get(contract.id) ?? [];
    if (services.length === 0) {
      add({ code: 'contract_without_services', severity: 'error', template: 'B_02.02', column: 'c0060', message: `${label} covers no ICT service. Set its serviceIds.`, record });
    }
    const cif = services.some((service) => supportsCif(service, functionCritical));
    if (cif) {
      const missing = [
        contract.noticePeriodDays === null ? 'noticePeriodDays (c0100)' : null,
        contract.providerNoticePeriodDays === null ? 'providerNoticePeriodDays (c0110)' : null,
        contract.governingLaw === null ? 'governingLaw (c0120)' : null,
      ].filter((value): value is string => value !== null);
      if (missing.length > 0) {
        add({ code: 'contract_cif_terms_missing', severity: 'error', template: 'B_02.02', column: 'c0100', message: `${label} covers a service supporting a critical or important function but lacks ${missing.join(', ')}.`, record });
      }
    }
    for (const service of services) {
      if (checkedServices.has(service.id)) continue;
      checkedServices.add(service.id);
      validateService(service, add, functionIds, functionCritical);
    }
  }

  for (const fn of data.functions) {
    const record = functionRecord(fn.id);
    const label = `Function ${fn.identifier}`;
    if (!FUNCTION_IDENTIFIER_PATTERN.test(fn.identifier)) {
      add({ code: 'function_identifier_format', severity: 'warning', template: 'B_06.01', column: 'c0010', message: `${label}: the ITS numbers functions F1, F2, …`, record });
    }
    if (!fn.licensedActivity) {
      add({ code: 'function_licensed_activity_missing', severity: 'error', template: 'B_06.01', column: 'c0020', message: `${label} has no licensed activity.`, record });
    }
    if (fn.criticalOrImportant !== null && !fn.lastCriticalityAssessmentOn) {
      add({ code: 'function_assessment_date_missing', severity: 'error', template: 'B_06.01', column: 'c0070', message: `${label} has a criticality assessment but no date of it (lastCriticalityAssessmentOn).`, record });
    }
    if (fn.rtoHours === null || fn.rpoHours === null) {
      const which = [fn.rtoHours === null ? 'RTO' : null, fn.rpoHours === null ? 'RPO' : null].filter(Boolean).join(' and ');
      add({
        code: 'function_rto_rpo_missing',
        severity: fn.criticalOrImportant ? 'error' : 'warning',
        template: 'B_06.01',
        column: fn.rtoHours === null ? 'c0080' : 'c0090',
        message: `${label} has no ${which}${fn.criticalOrImportant ? ' although it is critical or important' : ''}.`,
        record,
      });
    }
    if (!fn.discontinuationImpact) {
      add({ code: 'function_discontinuation_impact_missing', severity: 'error', template: 'B_06.01', column: 'c0100', message: `${label} has no impact of discontinuing.`, record });
    }
  }
  return problems;
}

function validateService(
  service: ServiceRow,
  add: (problem: RegisterProblem) => void,
  functionIds: Set<string>,
  functionCritical: Map<string, boolean | null>,
) {
  const record = serviceRecord(service);
  const label = `Service "${service.name}"`;
  if (!isDoraServiceType(service.serviceType)) {
    add({ code: 'service_type_invalid', severity: 'error', template: 'B_02.02', column: 'c0060', message: `${label}: "${service.serviceType}" is not an ICT service type S01 to S19.`, record });
  }
  if (!service.functionId || !functionIds.has(service.functionId)) {
    add({ code: 'service_function_missing', severity: 'error', template: 'B_02.02', column: 'c0050', message: `${label} names no function. Set its functionId (GET /v1/functions).`, record });
  } else if (service.criticalOrImportant && functionCritical.get(service.functionId) === false) {
    add({ code: 'service_function_criticality_mismatch', severity: 'warning', template: 'B_06.01', column: 'c0050', message: `${label} is marked critical or important but its function is assessed as not critical.`, record });
  }
  for (const [column, countries] of [
    ['c0150', service.dataStorageCountries],
    ['c0160', service.dataProcessingCountries],
  ] as const) {
    const invalid = countries.filter((code) => !isCountryCode(code));
    if (invalid.length > 0) {
      add({ code: 'service_country_invalid', severity: 'error', template: 'B_02.02', column, message: `${label}: ${invalid.join(', ')} ${invalid.length === 1 ? 'is not an ISO 3166-1 country code' : 'are not ISO 3166-1 country codes'}.`, record });
    }
  }
  if (!supportsCif(service, functionCritical)) return;
  if (service.dataStorageCountries.length > 0 && !service.dataSensitivity) {
    add({ code: 'service_data_sensitivity_missing', severity: 'error', template: 'B_02.02', column: 'c0170', message: `${label} stores data for a critical or important function but has no data sensitivity.`, record });
  }
  if (!service.reliance) {
    add({ code: 'service_reliance_missing', severity: 'error', template: 'B_02.02', column: 'c0180', message: `${label} supports a critical or important function but has no level of reliance.`, record });
  }
  const missing = ASSESSMENT_FIELDS.filter(([field]) => service[field] === null);
  if (missing.length > 0) {
    add({
      code: 'service_assessment_missing',
      severity: 'error',
      template: 'B_07.01',
      column: missing[0]![1],
      message: `${label} supports a critical or important function but its B_07.01 assessment lacks ${missing.map(([field, column]) => `${field} (${column})`).join(', ')}.`,
      record,
    });
  }
  if ((service.substitutability === 'not_substitutable' || service.substitutability === 'difficult') && !service.nonSubstitutabilityReason) {
    add({ code: 'service_non_substitutability_reason_missing', severity: 'error', template: 'B_07.01', column: 'c0060', message: `${label} is hardly or not substitutable but gives no reason (nonSubstitutabilityReason).`, record });
  }
}
