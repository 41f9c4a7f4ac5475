import { createRouter } from '../../lib/router';
import {
  acceptAssessmentHandler,
  cancelAssessmentHandler,
  createAssessmentHandler,
  exportAssessmentsHandler,
  extendAssessmentHandler,
  getAssessmentHandler,
  listAnswersHandler,
  listInvitationsHandler,
  listAssessmentsHandler,
  remindAssessmentHandler,
  returnAssessmentHandler,
  reviewAnswersHandler,
  revokeInvitationHandler,
  saveAnswersHandler,
  sendAssessmentHandler,
  submitAssessmentHandler,
} from './assessments.handlers';
import {
  acceptAssessmentRoute,
  cancelAssessmentRoute,
  createAssessmentRoute,
  exportAssessmentsRoute,
  extendAssessmentRoute,
  getAssessmentRoute,
  listAnswersRoute,
  listInvitationsRoute,
  listAssessmentsRoute,
  remindAssessmentRoute,
  returnAssessmentRoute,
  reviewAnswersRoute,
  revokeInvitationRoute,
  saveAnswersRoute,
  sendAssessmentRoute,
  submitAssessmentRoute,
} from './assessments.routes';

export const assessmentsRouter = createRouter()
  .openapi(listAssessmentsRoute, listAssessmentsHandler)
  // Before /v1/assessments/{assessmentId}, which would otherwise take "export" for an id.
  .openapi(exportAssessmentsRoute, exportAssessmentsHandler)
  .openapi(createAssessmentRoute, createAssessmentHandler)
  .openapi(getAssessmentRoute, getAssessmentHandler)
  .openapi(listAnswersRoute, listAnswersHandler)
  .openapi(saveAnswersRoute, saveAnswersHandler)
  .openapi(submitAssessmentRoute, submitAssessmentHandler)
  .openapi(sendAssessmentRoute, sendAssessmentHandler)
  .openapi(remindAssessmentRoute, remindAssessmentHandler)
  .openapi(cancelAssessmentRoute, cancelAssessmentHandler)
  .openapi(extendAssessmentRoute, extendAssessmentHandler)
  .openapi(reviewAnswersRoute, reviewAnswersHandler)
  .openapi(returnAssessmentRoute, returnAssessmentHandler)
  .openapi(acceptAssessmentRoute, acceptAssessmentHandler)
  .openapi(listInvitationsRoute, listInvitationsHandler)
  .openapi(revokeInvitationRoute, revokeInvitationHandler);
