import { defineRoute } from '../../lib/router';
import { RegisterQuery, RegisterValidationSchema, ZipSchema, zipHeaders } from './dora-register.schemas';

const tags = ['DORA Register of Information'];

const REFERENCE =
  'Contracts in the register are those in force at `referenceDate`: not drafts, started on or before it (a missing start date is reported as a problem) and not ended before it; an expired or terminated contract without an end date is left out. Their services, the providers of those services and every subcontractor in their chains (B_05.02 ranks: the direct provider is 1), and all of the tenant\'s functions are reported.';

export const doraRegisterRoute = defineRoute({
  method: 'get',
  path: '/v1/exports/dora-register-of-information',
  operationId: 'exportDoraRegisterOfInformation',
  summary: 'DORA Register of Information (xBRL-CSV ZIP)',
  description: [
    'The Register of Information of DORA Art. 28(3) in the templates of Implementing Regulation (EU) 2024/2956, as an xBRL-CSV report package for the EBA DORA taxonomy 4.0: `META-INF/reportPackage.json`, `reports/report.json`, `reports/parameters.csv`, `reports/FilingIndicators.csv` and one CSV per template with the taxonomy\'s column codes (b_01.01, b_02.01, b_02.02, b_05.01, b_05.02, b_06.01, b_07.01, b_99.01), all under one top folder named like the file.',
    REFERENCE,
    'The package is produced even when the data has problems (it is then a draft): the `Chainproof-Register-Problems` header says how many errors the validation endpoint lists. The file is named `{LEI}.IND_{country}_DORA010100_DORA_{referenceDate}_{timestamp}.zip` as the EBA names packages, or `dora-register-of-information-{tenantId}-{referenceDate}.zip` while the tenant has no LEI or country.',
  ].join('\n\n'),
  tags,
  access: 'reports:read',
  request: { query: RegisterQuery },
  responses: {
    200: {
      description: 'The report package as a ZIP attachment.',
      headers: zipHeaders,
      content: { 'application/zip': { schema: ZipSchema } },
    },
  },
});

export const doraRegisterValidationRoute = defineRoute({
  method: 'get',
  path: '/v1/exports/dora-register-of-information/validation',
  operationId: 'validateDoraRegisterOfInformation',
  summary: 'Check the DORA Register of Information',
  description: [
    'Every problem that would make the filing fail (`error`) or that the supervisor would likely query (`warning`), not only the first: each names the template and column and points to the record to fix (`record.href`). `ready` is true when there are no errors.',
    'Checked: the entity\'s LEI (check digits), country and type of entity; each provider\'s identifier (LEI or EUID in the EU/EEA, LEI outside) and country; each contract\'s reference, start date, services, annual value and currency, arrangement type, and for critical or important services its notice periods and governing law; each service\'s type (S01 to S19), countries, function, and for critical or important functions its data sensitivity, reliance and B_07.01 assessment (substitutability and its reason, exit plan, reintegration, impact, alternatives); each function\'s licensed activity, assessment date, RTO and RPO and impact.',
    REFERENCE,
  ].join('\n\n'),
  tags,
  access: 'reports:read',
  request: { query: RegisterQuery },
  responses: { 200: { description: 'The problems.', content: { 'application/json': { schema: RegisterValidationSchema } } } },
});
