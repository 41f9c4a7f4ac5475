import { createRouter } from '../../lib/router';
import { incidentReportPageRouter } from './incident-report.page';
import { createIncidentLinkHandler, listIncidentLinksHandler, reportIncidentHandler, revokeIncidentLinkHandler } from './incident-links.handlers';
import { createIncidentLinkRoute, listIncidentLinksRoute, reportIncidentRoute, revokeIncidentLinkRoute } from './incident-links.routes';
import { createIncidentHandler, getIncidentHandler, listIncidentsHandler, updateIncidentHandler } from './incidents.handlers';
import { createIncidentRoute, getIncidentRoute, listIncidentsRoute, updateIncidentRoute } from './incidents.routes';

export const incidentsRouter = createRouter()
  .openapi(listIncidentsRoute, listIncidentsHandler)
  .openapi(createIncidentRoute, createIncidentHandler)
  .openapi(getIncidentRoute, getIncidentHandler)
  .openapi(updateIncidentRoute, updateIncidentHandler)
  .openapi(createIncidentLinkRoute, createIncidentLinkHandler)
  .openapi(listIncidentLinksRoute, listIncidentLinksHandler)
  .openapi(revokeIncidentLinkRoute, revokeIncidentLinkHandler)
  .openapi(reportIncidentRoute, reportIncidentHandler);

/** The supplier's report page: not an API operation, so outside the OpenAPI document. */
incidentsRouter.route('/', incidentReportPageRouter);
