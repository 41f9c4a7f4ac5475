import { createRouter } from '../../lib/router';
import {
  acceptFindingRiskHandler,
  createFindingCommentHandler,
  createFindingHandler,
  getFindingHandler,
  listFindingCommentsHandler,
  listFindingsHandler,
  updateFindingHandler,
} from './findings.handlers';
import {
  acceptFindingRiskRoute,
  createFindingCommentRoute,
  createFindingRoute,
  getFindingRoute,
  listFindingCommentsRoute,
  listFindingsRoute,
  updateFindingRoute,
} from './findings.routes';

export const findingsRouter = createRouter()
  .openapi(listFindingsRoute, listFindingsHandler)
  .openapi(createFindingRoute, createFindingHandler)
  .openapi(getFindingRoute, getFindingHandler)
  .openapi(updateFindingRoute, updateFindingHandler)
  .openapi(acceptFindingRiskRoute, acceptFindingRiskHandler)
  .openapi(listFindingCommentsRoute, listFindingCommentsHandler)
  .openapi(createFindingCommentRoute, createFindingCommentHandler);
