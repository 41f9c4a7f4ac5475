import { parse } from 'csv-parse/sync';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problemOf, type TestContext, type TestTenant } from './support/context';

let t: TestContext;

beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const REFERENCE_DATE = '2025-12-31';

/** An LEI with valid ISO 17442 check digits from an 18-character base. */
function lei(base: string): string {
  let remainder = 0;
  for (const char of `${base}00`) {
    const value = char >= 'A' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return `${base}${String(98 - remainder).padStart(2, '0')}`;
}

const TENANT_LEI = lei('529900CHAINPROOF01');
const CORE_LEI = lei('5299000COREHOSTAG1');
const DC_LEI = lei('5493000DATACENTER1');
const ADVISORY_LEI = lei('5493000ADVISORYLT1');
const CLOUD_EUID = 'NLNHR.12345678';

async function json<T>(response: Response, status: number): Promise<T> {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

interface Problem {
  code: string;
  severity: string;
  template: string;
  column: string;
  record: { type: string; id: string; href: string };
}
interface Validation {
  referenceDate: string;
  ready: boolean;
  counts: { errors: number; warnings: number; contracts: number; providers: number; functions: number; rows: Record<string, number> };
  problems: Problem[];
}

async function post<T = { id: string; version: number }>(tenant: TestTenant, path: string, body: unknown): Promise<T> {
  return json<T>(await t.request(path, { method: 'POST', key: tenant.adminKey, json: body }), 201);
}
async function patch(tenant: TestTenant, path: string, body: unknown) {
  return json<{ id: string }>(await t.request(path, { method: 'PATCH', key: tenant.adminKey, json: body }), 200);
}

/** The package's files, by path below its top folder, and that folder's name. */
async function download(tenant: TestTenant, query = `?referenceDate=${REFERENCE_DATE}`) {
  const response = await t.request(`/v1/exports/dora-register-of-information${query}`, { key: tenant.adminKey });
  expect(response.status).toBe(200);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const entries = unzipSync(bytes);
  const paths = Object.keys(entries);
  const top = paths[0]!.split('/')[0]!;
  const files = Object.fromEntries(paths.map((path) => [path.slice(top.length + 1), strFromU8(entries[path]!)]));
  for (const path of paths) expect(path.startsWith(`${top}/`)).toBe(true);
  return { response, top, files };
}

const csv = (text: string) => parse(text, { relaxColumnCount: false }) as string[][];

describe('DORA Register of Information', () => {
  let tenant: TestTenant;
  let other: TestTenant;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    tenant = await t.createTenant('Rhein Privatbank AG');
    other = await t.createTenant('Other bank');

    ids.f1 = (await post(tenant, '/v1/functions', {
      identifier: 'F1',
      name: 'Payment processing',
      licensedActivity: 'x222',
      criticalOrImportant: true,
      criticalityReasons: 'Stops client payments.',
      lastCriticalityAssessmentOn: '2025-03-31',
      rtoHours: 4,
      rpoHours: 1,
      discontinuationImpact: 'high',
    })).id;
    ids.f2 = (await post(tenant, '/v1/functions', {
      identifier: 'F2',
      name: 'Regulatory reporting',
      licensedActivity: 'x250',
      criticalOrImportant: false,
      lastCriticalityAssessmentOn: '2025-03-31',
      rtoHours: 48,
      rpoHours: 24,
      discontinuationImpact: 'low',
    })).id;
    ids.f3 = (await post(tenant, '/v1/functions', {
      identifier: 'F3',
      name: 'Lending',
      licensedActivity: 'x163',
      criticalOrImportant: true,
      lastCriticalityAssessmentOn: '2025-03-31',
      discontinuationImpact: 'medium',
    })).id;

    ids.core = (await post(tenant, '/v1/suppliers', { name: 'CoreHost', legalName: 'CoreHost AG', country: 'DE', identifiers: { lei: CORE_LEI } })).id;
    ids.cloud = (await post(tenant, '/v1/suppliers', { name: 'Cloud Infra', legalName: 'Cloud Infra B.V.', country: 'NL', identifiers: { euid: CLOUD_EUID } })).id;
    ids.dc = (await post(tenant, '/v1/suppliers', { name: 'Datacenter Inc', country: 'US', identifiers: { lei: DC_LEI } })).id;
    ids.advisory = (await post(tenant, '/v1/suppliers', { name: 'Advisory Ltd', country: 'US' })).id;

    ids.hosting = (await post(tenant, `/v1/suppliers/${ids.core}/services`, {
      name: 'Core banking hosting',
      serviceType: 'S17',
      criticalOrImportant: true,
      functionId: ids.f1,
      dataStorageCountries: ['DE'],
      dataProcessingCountries: ['DE'],
      dataSensitivity: 'confidential',
      reliance: 'full',
      substitutability: 'difficult',
      nonSubstitutabilityReason: 'difficult_migration',
      exitPlanExists: true,
      reintegrationPossibility: 'highly_complex',
      discontinuationImpact: 'high',
      alternativeProvidersIdentified: true,
      alternativeProviders: 'Other Host GmbH',
    })).id;
    ids.monitoring = (await post(tenant, `/v1/suppliers/${ids.core}/services`, {
      name: 'Monitoring',
      serviceType: 'S14',
      criticalOrImportant: true,
      functionId: ids.f1,
      reliance: 'material',
    })).id;
    ids.consulting = (await post(tenant, `/v1/suppliers/${ids.advisory}/services`, { name: 'Consulting', serviceType: 'S15' })).id;

    // Chain of the hosting service: CoreHost (1) → Cloud Infra (2) → Datacenter (3).
    const link = (supplierId: string, subcontractorId: string, body: unknown) =>
      t.request(`/v1/suppliers/${supplierId}/subcontractors/${subcontractorId}`, { method: 'PUT', key: tenant.adminKey, json: body });
    await json(await link(ids.core!, ids.cloud!, { serviceId: ids.hosting }), 201);
    await json(await link(ids.cloud!, ids.dc!, {}), 201);

    ids.ca1 = (await post(tenant, '/v1/contracts', {
      supplierId: ids.core,
      reference: 'CA-001',
      title: 'Hosting and monitoring',
      status: 'active',
      startDate: '2024-01-01',
      noticePeriodDays: 90,
      providerNoticePeriodDays: 180,
      governingLaw: 'DE',
      annualValueAmount: '120000.00',
      annualValueCurrency: 'EUR',
      serviceIds: [ids.hosting, ids.monitoring],
    })).id;
    ids.ca2 = (await post(tenant, '/v1/contracts', {
      supplierId: ids.advisory,
      reference: 'CA-002',
      title: 'Advisory',
      status: 'active',
      startDate: '2025-06-01',
      endDate: '2026-05-31',
      arrangementType: 'standalone',
      annualValueAmount: '5000.50',
      annualValueCurrency: 'EUR',
      serviceIds: [ids.consulting],
    })).id;
    ids.ca3 = (await post(tenant, '/v1/contracts', { supplierId: ids.core, reference: 'CA-003', title: 'Unfinished', status: 'active' })).id;
    await post(tenant, '/v1/contracts', { supplierId: ids.core, reference: 'CA-DRAFT', title: 'Draft', status: 'draft', startDate: '2025-01-01' });
    await post(tenant, '/v1/contracts', {
      supplierId: ids.core,
      reference: 'CA-EXPIRED',
      title: 'Expired',
      status: 'expired',
      startDate: '2020-01-01',
      endDate: '2024-12-31',
    });

    const otherSupplier = (await post(other, '/v1/suppliers', { name: 'Other supplier', country: 'DE' })).id;
    await post(other, '/v1/contracts', { supplierId: otherSupplier, reference: 'CA-OTHER', title: 'Other', status: 'active', startDate: '2025-01-01' });
  });

  it('manages functions: unique identifier, in-use delete refused, services must name one of the tenant', async () => {
    const duplicate = await t.request('/v1/functions', { method: 'POST', key: tenant.adminKey, json: { identifier: 'F1', name: 'Again' } });
    expect((await problemOf(duplicate)).code).toBe('duplicate_identifier');
    const inUse = await t.request(`/v1/functions/${ids.f1}`, { method: 'DELETE', key: tenant.adminKey });
    expect(inUse.status).toBe(409);
    expect((await problemOf(inUse)).code).toBe('function_in_use');
    const f1 = await json<{ serviceCount: number; rtoHours: number }>(await t.request(`/v1/functions/${ids.f1}`, { key: tenant.adminKey }), 200);
    expect(f1).toMatchObject({ serviceCount: 2, rtoHours: 4 });
    const list = await json<{ data: { identifier: string }[] }>(await t.request('/v1/functions?criticalOrImportant=true', { key: tenant.adminKey }), 200);
    expect(list.data.map((row) => row.identifier)).toEqual(['F1', 'F3']);

    const foreign = (await post(other, '/v1/functions', { identifier: 'F9', name: 'Other tenant function' })).id;
    const wrong = await t.request(`/v1/suppliers/${ids.advisory}/services/${ids.consulting}`, { method: 'PATCH', key: tenant.adminKey, json: { functionId: foreign } });
    expect(wrong.status).toBe(422);
    expect((await problemOf(wrong)).errors?.[0]?.path).toBe('functionId');

    const spare = (await post(tenant, '/v1/functions', { identifier: 'F99', name: 'Spare' })).id;
    expect((await t.request(`/v1/functions/${spare}`, { method: 'DELETE', key: tenant.adminKey })).status).toBe(204);
    expect((await t.request(`/v1/functions/${spare}`, { key: tenant.adminKey })).status).toBe(404);
  });

  it('validates tenant settings: LEI check digits and closed lists', async () => {
    const badLei = await t.request('/v1/tenant', { method: 'PATCH', key: tenant.adminKey, json: { lei: '529900T8BM49AURSDO54' } });
    expect(badLei.status).toBe(422);
    const badType = await t.request('/v1/tenant', { method: 'PATCH', key: tenant.adminKey, json: { entityType: 'bank' } });
    expect(badType.status).toBe(422);
  });

  it('lists every problem with the record to fix, and refuses a bad reference date', async () => {
    const bad = await t.request('/v1/exports/dora-register-of-information/validation?referenceDate=2025-13-40', { key: tenant.adminKey });
    expect(bad.status).toBe(422);
    expect((await problemOf(bad)).errors?.[0]?.path).toBe('referenceDate');
    expect((await t.request('/v1/exports/dora-register-of-information?referenceDate=yesterday', { key: tenant.adminKey })).status).toBe(422);

    const result = await json<Validation>(
      await t.request(`/v1/exports/dora-register-of-information/validation?referenceDate=${REFERENCE_DATE}`, { key: tenant.adminKey }),
      200,
    );
    expect(result.referenceDate).toBe(REFERENCE_DATE);
    expect(result.ready).toBe(false);
    expect(result.counts).toMatchObject({ contracts: 3, providers: 4, functions: 3 });
    const errors = result.problems.filter((problem) => problem.severity === 'error');
    const found = errors.map((problem) => `${problem.code} ${problem.record.href}`).sort();
    expect(found).toEqual(
      [
        `contract_annual_value_missing /v1/contracts/${ids.ca3}`,
        `contract_start_date_missing /v1/contracts/${ids.ca3}`,
        `contract_without_services /v1/contracts/${ids.ca3}`,
        `function_rto_rpo_missing /v1/functions/${ids.f3}`,
        `provider_identifier_missing /v1/suppliers/${ids.advisory}`,
        `service_assessment_missing /v1/suppliers/${ids.core}/services/${ids.monitoring}`,
        `service_function_missing /v1/suppliers/${ids.advisory}/services/${ids.consulting}`,
        'tenant_country_missing /v1/tenant',
        'tenant_entity_type_missing /v1/tenant',
        'tenant_lei_missing /v1/tenant',
      ].sort(),
    );
    expect(result.counts.errors).toBe(errors.length);
    const assessment = errors.find((problem) => problem.code === 'service_assessment_missing')!;
    expect(assessment).toMatchObject({ template: 'B_07.01', column: 'c0050', record: { type: 'service', id: ids.monitoring } });
    expect(result.problems.find((problem) => problem.code === 'tenant_competent_authority_missing')?.severity).toBe('warning');

    // A draft package is still produced, named after the tenant, with the error count in a header.
    const draft = await download(tenant);
    expect(draft.response.headers.get('chainproof-register-problems')).toBe(String(errors.length));
    expect(draft.response.headers.get('content-disposition')).toBe(`attachment; filename="dora-register-of-information-${tenant.id}-${REFERENCE_DATE}.zip"`);
    expect(draft.top).toBe(`dora-register-of-information-${tenant.id}-${REFERENCE_DATE}`);
  });

  it('is ready once the problems are fixed, and the package holds the known rows', async () => {
    await patch(tenant, '/v1/tenant', { lei: TENANT_LEI.toLowerCase(), country: 'DE', entityType: 'credit_institution', competentAuthority: 'BaFin' });
    await patch(tenant, `/v1/suppliers/${ids.advisory}`, { identifiers: { lei: ADVISORY_LEI } });
    await patch(tenant, `/v1/suppliers/${ids.core}/services/${ids.monitoring}`, {
      substitutability: 'easy',
      exitPlanExists: false,
      reintegrationPossibility: 'easy',
      discontinuationImpact: 'low',
      alternativeProvidersIdentified: null,
    });
    await patch(tenant, `/v1/suppliers/${ids.advisory}/services/${ids.consulting}`, { functionId: ids.f2 });
    await patch(tenant, `/v1/functions/${ids.f3}`, { rtoHours: 8, rpoHours: 2 });
    await patch(tenant, `/v1/contracts/${ids.ca3}`, {
      startDate: '2025-01-01',
      annualValueAmount: '1000.00',
      annualValueCurrency: 'CHF',
      serviceIds: [ids.monitoring],
      noticePeriodDays: 30,
      providerNoticePeriodDays: 30,
      governingLaw: 'CH',
    });

    const result = await json<Validation>(
      await t.request(`/v1/exports/dora-register-of-information/validation?referenceDate=${REFERENCE_DATE}`, { key: tenant.adminKey }),
      200,
    );
    expect(result.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(result.ready).toBe(true);
    // CoreHost's contracts are in EUR and CHF: its total is left empty, with a warning.
    expect(result.problems.map((problem) => problem.code)).toContain('provider_expense_mixed_currencies');

    const { response, top, files } = await download(tenant);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('chainproof-register-problems')).toBe('0');
    expect(top).toMatch(new RegExp(`^${TENANT_LEI}\\.IND_DE_DORA010100_DORA_${REFERENCE_DATE}_\\d{17}$`));
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${top}.zip"`);
    expect(Object.keys(files).sort()).toEqual([
      'META-INF/reportPackage.json',
      'reports/FilingIndicators.csv',
      'reports/b_01.01.csv',
      'reports/b_02.01.csv',
      'reports/b_02.02.csv',
      'reports/b_05.01.csv',
      'reports/b_05.02.csv',
      'reports/b_06.01.csv',
      'reports/b_07.01.csv',
      'reports/b_99.01.csv',
      'reports/parameters.csv',
      'reports/report.json',
    ]);
    expect(JSON.parse(files['META-INF/reportPackage.json']!)).toEqual({ documentInfo: { documentType: 'https://xbrl.org/report-package/2023' } });
    expect(JSON.parse(files['reports/report.json']!)).toEqual({
      documentInfo: { documentType: 'https://xbrl.org/2021/xbrl-csv', extends: ['http://www.eba.europa.eu/eu/fr/xbrl/crr/fws/dora/4.0/mod/dora.json'] },
    });
    expect(csv(files['reports/parameters.csv']!)).toEqual([
      ['name', 'value'],
      ['entityID', `rs:${TENANT_LEI}.IND`],
      ['refPeriod', REFERENCE_DATE],
      ['baseCurrency', 'iso4217:EUR'],
      ['decimalsInteger', '0'],
      ['decimalsMonetary', '-3'],
    ]);
    const indicators = csv(files['reports/FilingIndicators.csv']!);
    expect(indicators[0]).toEqual(['templateID', 'reported']);
    expect(indicators).toHaveLength(16);
    expect(indicators.filter((row) => row[1] === 'true').map((row) => row[0])).toEqual(['B_01.01', 'B_02.01', 'B_02.02', 'B_05.01', 'B_05.02', 'B_06.01', 'B_07.01', 'B_99.01']);

    const table = (name: string) => csv(files[`reports/${name}.csv`]!);
    const header = (count: number) => Array.from({ length: count }, (_, index) => `c${String((index + 1) * 10).padStart(4, '0')}`);

    const b0101 = table('b_01.01');
    expect(b0101[0]).toEqual(header(6));
    expect(b0101.slice(1)).toEqual([[TENANT_LEI, 'Rhein Privatbank AG', 'eba_GA:DE', 'eba_CT:x12', 'BaFin', new Date().toISOString().slice(0, 10)]]);

    const b0201 = table('b_02.01');
    expect(b0201[0]).toEqual(header(5));
    expect(b0201.slice(1)).toEqual([
      ['CA-001', 'eba_CO:x1', '', 'eba_CU:EUR', '120000.00'],
      ['CA-002', 'eba_CO:x1', '', 'eba_CU:EUR', '5000.50'],
      ['CA-003', 'eba_CO:x1', '', 'eba_CU:CHF', '1000.00'],
    ]);

    const b0202 = table('b_02.02');
    expect(b0202[0]).toEqual(header(18));
    expect(b0202.find((row) => row[0] === 'CA-001' && row[5] === 'eba_TA:S17')).toEqual([
      'CA-001', TENANT_LEI, CORE_LEI, 'eba_qCO:qx2000', 'F1', 'eba_TA:S17', '2024-01-01', '9999-12-31', '', '90', '180', 'eba_GA:DE', 'eba_GA:DE', 'eba_BT:x28', 'eba_GA:DE', 'eba_GA:DE', 'eba_ZZ:x792', 'eba_ZZ:x797',
    ]);
    expect(b0202.find((row) => row[0] === 'CA-002')).toEqual([
      'CA-002', TENANT_LEI, ADVISORY_LEI, 'eba_qCO:qx2000', 'F2', 'eba_TA:S15', '2025-06-01', '2026-05-31', '', '', '', '', 'eba_GA:US', 'eba_BT:x29', 'eba_GA:qx2007', 'eba_GA:qx2007', '', '',
    ]);

    const b0501 = table('b_05.01');
    expect(b0501[0]).toEqual(header(12));
    const providers = new Map(b0501.slice(1).map((row) => [row[0], row]));
    expect([...providers.keys()].sort()).toEqual([ADVISORY_LEI, CLOUD_EUID, CORE_LEI, DC_LEI].sort());
    expect(providers.get(CLOUD_EUID)).toEqual([CLOUD_EUID, 'eba_qCO:qx2002', '', '', 'Cloud Infra B.V.', 'Cloud Infra', 'eba_CT:x212', 'eba_GA:NL', '', '', CLOUD_EUID, 'eba_qCO:qx2002']);
    expect(providers.get(ADVISORY_LEI)!.slice(8, 10)).toEqual(['eba_CU:EUR', '5000.50']);
    expect(providers.get(CORE_LEI)!.slice(8, 10)).toEqual(['', '']);

    const b0502 = table('b_05.02');
    expect(b0502[0]).toEqual(header(7));
    expect(b0502.filter((row) => row[0] === 'CA-001' && row[1] === 'eba_TA:S17')).toEqual([
      ['CA-001', 'eba_TA:S17', CORE_LEI, 'eba_qCO:qx2000', '1', CORE_LEI, 'eba_qCO:qx2000'],
      ['CA-001', 'eba_TA:S17', CLOUD_EUID, 'eba_qCO:qx2002', '2', CORE_LEI, 'eba_qCO:qx2000'],
      ['CA-001', 'eba_TA:S17', DC_LEI, 'eba_qCO:qx2000', '3', CLOUD_EUID, 'eba_qCO:qx2002'],
    ]);
    // The link CoreHost → Cloud Infra is for the hosting service only: monitoring has rank 1 alone.
    expect(b0502.filter((row) => row[0] === 'CA-001' && row[1] === 'eba_TA:S14').map((row) => row[4])).toEqual(['1']);

    const b0601 = table('b_06.01');
    expect(b0601[0]).toEqual(header(10));
    expect(b0601.slice(1).map((row) => row[0])).toEqual(['F1', 'F2', 'F3']);
    expect(b0601[1]).toEqual(['F1', 'eba_TA:x222', 'Payment processing', TENANT_LEI, 'eba_BT:x28', 'Stops client payments.', '2025-03-31', '4', '1', 'eba_ZZ:x793']);

    const b0701 = table('b_07.01');
    expect(b0701[0]).toEqual(header(12));
    expect(b0701.slice(1).map((row) => `${row[0]} ${row[3]}`).sort()).toEqual(['CA-001 eba_TA:S14', 'CA-001 eba_TA:S17', 'CA-003 eba_TA:S14']);
    expect(b0701.find((row) => row[0] === 'CA-001' && row[3] === 'eba_TA:S17')).toEqual([
      'CA-001', CORE_LEI, 'eba_qCO:qx2000', 'eba_TA:S17', 'eba_ZZ:x960', 'eba_ZZ:x964', '', 'eba_BT:x28', 'eba_ZZ:x967', 'eba_ZZ:x793', 'eba_BT:x28', 'Other Host GmbH',
    ]);
    expect(b0701.find((row) => row[0] === 'CA-001' && row[3] === 'eba_TA:S14')![10]).toBe('eba_BT:x21');

    const b9901 = table('b_99.01');
    expect(b9901[0]).toEqual(header(19));
    expect(b9901).toHaveLength(2);
    expect(b9901[1]!.every((cell) => cell.length > 0)).toBe(true);

    // Drafts, contracts ended before the reference date and other tenants' contracts are absent.
    const all = Object.values(files).join('\n');
    for (const reference of ['CA-DRAFT', 'CA-EXPIRED', 'CA-OTHER']) expect(all).not.toContain(reference);
  });

  it('reports the last completed audit in B_07.01 and follows the reference date', async () => {
    await post(tenant, '/v1/audits', { supplierId: ids.core, type: 'on_site', status: 'completed', performedDate: '2025-09-15' });
    const { files } = await download(tenant);
    const b0701 = csv(files['reports/b_07.01.csv']!);
    expect(b0701.find((row) => row[0] === 'CA-001' && row[3] === 'eba_TA:S17')![6]).toBe('2025-09-15');

    // On 2024-12-31 CA-002 and CA-003 had not started, CA-EXPIRED was still in force, and the audit had not happened.
    const early = await download(tenant, '?referenceDate=2024-12-31');
    expect(csv(early.files['reports/b_02.01.csv']!).slice(1).map((row) => row[0])).toEqual(['CA-001', 'CA-EXPIRED']);
    expect(csv(early.files['reports/b_07.01.csv']!).find((row) => row[3] === 'eba_TA:S17')![6]).toBe('');
  });

  it('defaults the reference date to 31 December of last year', async () => {
    const result = await json<Validation>(await t.request('/v1/exports/dora-register-of-information/validation', { key: tenant.adminKey }), 200);
    expect(result.referenceDate).toBe(`${new Date().getUTCFullYear() - 1}-12-31`);
  });
});
