import { createRouter } from '../../lib/router';
import {
  acceptFindingRiskHandler,
  createFindingCommentHandler,
  createFindingHandler,
  exportFindingsHandler,
  getFindingHandler,
  listFindingCommentsHandler,
  listFindingsHandler,
  updateFindingHandler,
} from './findings.handlers';
import {
  acceptFindingRiskRoute,
  createFindingCommentRoute,
  createFindingRoute,
  exportFindingsRoute,
  getFindingRoute,
  listFindingCommentsRoute,
  listFindingsRoute,
  updateFindingRoute,
} from './findings.routes';

export const findingsRouter = createRouter()
  .openapi(listFindingsRoute, listFindingsHandler)
  // Before /v1/findings/{findingId}, which would otherwise take "export" for an id.
  .openapi(exportFindingsRoute, exportFindingsHandler)
  .openapi(createFindingRoute, createFindingHandler)
  .openapi(getFindingRoute, getFindingHandler)
  .openapi(updateFindingRoute, updateFindingHandler)
  .openapi(acceptFindingRiskRoute, acceptFindingRiskHandler)
  .openapi(listFindingCommentsRoute, listFindingCommentsHandler)
  .openapi(createFindingCommentRoute, createFindingCommentHandler);
