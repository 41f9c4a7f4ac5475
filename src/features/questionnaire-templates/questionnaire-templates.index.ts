import { createRouter } from '../../lib/router';
import {
  archiveTemplateHandler,
  createTemplateHandler,
  deleteDraftHandler,
  getTemplateHandler,
  getTemplateVersionHandler,
  listTemplatesHandler,
  publishTemplateHandler,
  putDraftHandler,
} from './questionnaire-templates.handlers';
import {
  archiveTemplateRoute,
  createTemplateRoute,
  deleteDraftRoute,
  getTemplateRoute,
  getTemplateVersionRoute,
  listTemplatesRoute,
  publishTemplateRoute,
  putDraftRoute,
} from './questionnaire-templates.routes';

export const questionnaireTemplatesRouter = createRouter()
  .openapi(listTemplatesRoute, listTemplatesHandler)
  .openapi(createTemplateRoute, createTemplateHandler)
  .openapi(getTemplateRoute, getTemplateHandler)
  .openapi(putDraftRoute, putDraftHandler)
  .openapi(deleteDraftRoute, deleteDraftHandler)
  .openapi(publishTemplateRoute, publishTemplateHandler)
  .openapi(getTemplateVersionRoute, getTemplateVersionHandler)
  .openapi(archiveTemplateRoute, archiveTemplateHandler);
