import { defineRoute } from '../../lib/router';
import { pdfHeaders, PdfSchema, ReportSupplierParams } from './reports.schemas';

const tags = ['Reports'];

export const supplierDossierRoute = defineRoute({
  method: 'get',
  path: '/v1/suppliers/{supplierId}/report.pdf',
  operationId: 'getSupplierDossierPdf',
  summary: 'Supplier dossier (PDF)',
  description: [
    'Everything recorded about one supplier, as a PDF for an auditor, a supervisor or a supplier review meeting: identity, identifiers and contact points; ICT services with the critical ones first; the subcontracting chain with DORA ranks; tier, risk score and every factor of its explanation; questionnaire results by domain (the latest accepted, in-review or submitted assessment of each questionnaire); open findings and accepted risks; contracts with their clause coverage and open gaps; evidence with its validity today; audits; and supplier incidents with their NIS2 Art. 23 milestones.',
    'An archived supplier can still be reported (the dossier says it is archived). Another tenant\'s supplier answers 404. Long lists are cut at 500 rows with a note.',
  ].join('\n\n'),
  tags,
  access: 'reports:read',
  request: { params: ReportSupplierParams },
  responses: {
    200: {
      description: 'The dossier as a PDF attachment named `supplier-<name>-YYYY-MM-DD.pdf` (the date in UTC).',
      headers: pdfHeaders,
      content: { 'application/pdf': { schema: PdfSchema } },
    },
  },
});

export const nis2ReportRoute = defineRoute({
  method: 'get',
  path: '/v1/reports/nis2-supply-chain.pdf',
  operationId: 'getSupplyChainReportPdf',
  summary: 'NIS2 supply-chain report (PDF)',
  description: [
    'The tenant\'s supply-chain security for the management body (NIS2 Art. 20) and the supervisory authority, following Implementing Regulation (EU) 2024/2690, Annex, point 5: a summary; suppliers by tier and rating; assessment coverage per tier and every overdue assessment and review; clause coverage of active contracts against point 5.1.4 (a) to (h); evidence expired in the last or expiring in the next 90 days; open findings by severity and the open critical and high ones; concentration (providers two or more critical or important services depend on, directly or through subcontracting); supplier incidents of the last year and all open ones, with their milestones; the supplier directory of point 5.2; and the result of verifying the audit log\'s hash chain.',
    'Every page carries the tenant\'s name, the date and "Page n of m". Archived suppliers are left out. Lists are cut at 300 rows (the directory at 5,000) with a note.',
  ].join('\n\n'),
  tags,
  access: 'reports:read',
  responses: {
    200: {
      description: 'The report as a PDF attachment named `nis2-supply-chain-YYYY-MM-DD.pdf` (the date in UTC).',
      headers: pdfHeaders,
      content: { 'application/pdf': { schema: PdfSchema } },
    },
  },
});
