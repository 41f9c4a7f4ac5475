import { createRouter } from '../../lib/router';
import { nis2ReportHandler, supplierDossierHandler } from './reports.handlers';
import { nis2ReportRoute, supplierDossierRoute } from './reports.routes';

export const reportsRouter = createRouter().openapi(supplierDossierRoute, supplierDossierHandler).openapi(nis2ReportRoute, nis2ReportHandler);
