import { createRouter } from '../../lib/router';
import {
  acceptAssessmentHandler,
  cancelAssessmentHandler,
  createAssessmentHandler,
  extendAssessmentHandler,
  getAssessmentHandler,
  listAnswersHandler,
  listAssessmentsHandler,
  remindAssessmentHandler,
  returnAssessmentHandler,
  reviewAnswersHandler,
  saveAnswersHandler,
  sendAssessmentHandler,
  submitAssessmentHandler,
} from './assessments.handlers';
import {
  acceptAssessmentRoute,
  cancelAssessmentRoute,
  createAssessmentRoute,
  extendAssessmentRoute,
  getAssessmentRoute,
  listAnswersRoute,
  listAssessmentsRoute,
  remindAssessmentRoute,
  returnAssessmentRoute,
  reviewAnswersRoute,
  saveAnswersRoute,
  sendAssessmentRoute,
  submitAssessmentRoute,
} from './assessments.routes';

export const assessmentsRouter = createRouter()
  .openapi(listAssessmentsRoute, listAssessmentsHandler)
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
  .openapi(acceptAssessmentRoute, acceptAssessmentHandler);
