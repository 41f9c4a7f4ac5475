import type { RouteHandler } from '@hono/zod-openapi';
import { verifyAuditChain } from '../../lib/audit';
import type { AppContext, AppEnv } from '../../lib/context';
import { dayOf } from '../../lib/dates';
import { problems } from '../../lib/errors';
import type { TemplateDocument } from '../questionnaire-templates/template-document.schemas';
import { documentOf } from '../assessments/assessments.queries';
import { currentRiskModel } from '../risk-model/risk-model.queries';
import { offboardingView } from '../offboarding/offboarding.view';
import { onboardingView } from '../onboarding/onboarding.view';
import { requireSupplier } from '../suppliers/suppliers.queries';
import { concentrationRows, supplyChainRows } from '../supply-chain/supply-chain.queries';
import { MAX_CHAIN_DEPTH } from '../supply-chain/supply-chain.schemas';
import { HOT_SPOT_MIN_SERVICES } from '../dashboard/dashboard.schemas';
import { documentKey, renderDossier } from './reports.dossier';
import { renderNis2Report } from './reports.nis2';
import {
  assessmentCoverage,
  directoryRows,
  dossierData,
  expiringEvidence,
  findingCounts,
  NIS2_LIST_LIMIT,
  nis2ClauseCoverage,
  overdueItems,
  recentIncidents,
  seriousFindings,
  tenantOf,
} from './reports.queries';
import type { nis2ReportRoute, supplierDossierRoute } from './reports.routes';

/** Subcontractors a dossier lists at most (the supply-chain endpoint has the whole tree). */
const DOSSIER_CHAIN_NODES = 300;

/** `Rhein Automation GmbH` -> `rhein-automation-gmbh`, ASCII only, for a file name. */
const slug = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'supplier';

// All data is read before the response starts, so a failed query is still a problem+json answer;
// then the PDF bytes are streamed out as pdfkit writes them.
function pdfResponse(c: AppContext, stream: ReadableStream<Uint8Array>, fileName: string) {
  return c.body(stream, 200, {
    'Content-Type': 'application/pdf',
    'Content-Disposition': `attachment; filename="${fileName}"`,
    'Cache-Control': 'no-store',
  });
}

async function tenantName(c: AppContext) {
  const tenant = await tenantOf(c.get('db'), c.get('principal').tenantId);
  if (!tenant) throw problems.notFound('Tenant');
  return tenant;
}

export const supplierDossierHandler: RouteHandler<typeof supplierDossierRoute, AppEnv> = async (c) => {
  const { supplierId } = c.req.valid('param');
  const { db, now } = c.var;
  const tenantId = c.get('principal').tenantId;
  const supplier = await requireSupplier(db, tenantId, supplierId);
  const chainLimits = { maxDepth: MAX_CHAIN_DEPTH, maxNodes: DOSSIER_CHAIN_NODES };
  const [tenant, data, chainRows, { model }, onboarding, offboarding] = await Promise.all([
    tenantName(c),
    dossierData(db, tenantId, supplier, now),
    supplyChainRows(db, { tenantId, supplierId, ...chainLimits }),
    currentRiskModel(db, tenantId),
    onboardingView(db, supplier, now),
    offboardingView(db, supplier),
  ]);
  // One document per questionnaire version (process-cached), not per answer.
  const documents = new Map<string, TemplateDocument>();
  for (const assessment of data.reported) {
    const key = documentKey(assessment);
    if (!documents.has(key)) {
      documents.set(key, await documentOf(db, { tenantId, id: assessment.id, templateId: assessment.template_id, templateVersion: assessment.template_version }));
    }
  }
  const stream = await renderDossier({ tenantName: tenant.name, supplier, data, chainRows, chainLimits, documents, model, onboarding, offboarding, now });
  return pdfResponse(c, stream, `supplier-${slug(supplier.name)}-${dayOf(now)}.pdf`) as never;
};

export const nis2ReportHandler: RouteHandler<typeof nis2ReportRoute, AppEnv> = async (c) => {
  const { db, now } = c.var;
  const tenantId = c.get('principal').tenantId;
  const [tenant, directory, coverage, overdue, clauses, evidence, counts, serious, concentration, incidents, verification] = await Promise.all([
    tenantName(c),
    directoryRows(db, tenantId),
    assessmentCoverage(db, tenantId, now),
    overdueItems(db, tenantId, now),
    nis2ClauseCoverage(db, tenantId),
    expiringEvidence(db, tenantId, now),
    findingCounts(db, tenantId, now),
    seriousFindings(db, tenantId),
    concentrationRows(db, { tenantId, limit: NIS2_LIST_LIMIT, maxDepth: MAX_CHAIN_DEPTH, serviceIdsShown: 1, minCriticalServices: HOT_SPOT_MIN_SERVICES }),
    recentIncidents(db, tenantId, now),
    verifyAuditChain(db, tenantId),
  ]);
  const stream = await renderNis2Report({
    tenantName: tenant.name,
    regime: tenant.regime,
    now,
    directory,
    coverage,
    overdue,
    clauses,
    evidence,
    findingCounts: counts,
    serious,
    concentration,
    incidents,
    verification,
  });
  return pdfResponse(c, stream, `nis2-supply-chain-${dayOf(now)}.pdf`) as never;
};
