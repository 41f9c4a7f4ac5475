import { defineRoute } from '../../lib/router';
import {
  CreateTemplateQuery,
  ListTemplatesQuery,
  TemplateIdParams,
  TemplatePageSchema,
  TemplateSchema,
  TemplateVersionParams,
  TemplateVersionSchema,
} from './questionnaire-templates.schemas';
import { TemplateDocumentSchema } from './template-document.schemas';

const tags = ['Questionnaire templates'];
const templateResponse = (description: string) => ({ description, content: { 'application/json': { schema: TemplateSchema } } });
const documentBody = { required: true, content: { 'application/json': { schema: TemplateDocumentSchema } } };

export const listTemplatesRoute = defineRoute({
  method: 'get',
  path: '/v1/questionnaire-templates',
  operationId: 'listQuestionnaireTemplates',
  summary: 'List questionnaire templates',
  description: 'The tenant\'s own templates and the built-in ones (NIS2 baseline, OT service provider, product secure development, onboarding intake), by name.',
  tags,
  access: 'assessments:read',
  request: { query: ListTemplatesQuery },
  responses: { 200: { description: 'A page of templates.', content: { 'application/json': { schema: TemplatePageSchema } } } },
});

export const createTemplateRoute = defineRoute({
  method: 'post',
  path: '/v1/questionnaire-templates',
  operationId: 'createQuestionnaireTemplate',
  summary: 'Create or import a template',
  description:
    'Creates a template from a document (the import format): as a draft, or published as version 1 with `publish=true`. Conditions must point to earlier questions and their options; keys must be unique. A key already used by another template answers 409.',
  tags,
  access: 'assessments:write',
  request: { query: CreateTemplateQuery, body: documentBody },
  responses: { 201: templateResponse('The new template.') },
});

export const getTemplateRoute = defineRoute({
  method: 'get',
  path: '/v1/questionnaire-templates/{templateId}',
  operationId: 'getQuestionnaireTemplate',
  summary: 'Get a template',
  description: 'With its draft and the list of published versions.',
  tags,
  access: 'assessments:read',
  request: { params: TemplateIdParams },
  responses: { 200: templateResponse('The template.') },
});

export const putDraftRoute = defineRoute({
  method: 'put',
  path: '/v1/questionnaire-templates/{templateId}/draft',
  operationId: 'putQuestionnaireTemplateDraft',
  summary: 'Save the draft',
  description: 'Replaces the draft with this document. Published versions never change. Built-in templates are read-only (409).',
  tags,
  access: 'assessments:write',
  ifMatch: true,
  errors: [409],
  request: { params: TemplateIdParams, body: documentBody },
  responses: { 200: templateResponse('The template with its new draft.') },
});

export const deleteDraftRoute = defineRoute({
  method: 'delete',
  path: '/v1/questionnaire-templates/{templateId}/draft',
  operationId: 'deleteQuestionnaireTemplateDraft',
  summary: 'Discard the draft',
  description: 'Published versions stay. A template without a draft answers 204 too.',
  tags,
  access: 'assessments:write',
  ifMatch: true,
  request: { params: TemplateIdParams },
  responses: { 204: { description: 'Discarded.' } },
});

export const publishTemplateRoute = defineRoute({
  method: 'post',
  path: '/v1/questionnaire-templates/{templateId}/publish',
  operationId: 'publishQuestionnaireTemplate',
  summary: 'Publish the draft',
  description: 'Turns the draft into the next immutable version. Assessments keep pointing at the version they were sent with. No draft: 409.',
  tags,
  access: 'assessments:write',
  ifMatch: true,
  request: { params: TemplateIdParams },
  responses: { 200: { description: 'The new version.', content: { 'application/json': { schema: TemplateVersionSchema } } } },
});

export const getTemplateVersionRoute = defineRoute({
  method: 'get',
  path: '/v1/questionnaire-templates/{templateId}/versions/{version}',
  operationId: 'getQuestionnaireTemplateVersion',
  summary: 'Get (export) a published version',
  description: 'The immutable document of one version, in the import format: export it, adapt it, import it as your own.',
  tags,
  access: 'assessments:read',
  request: { params: TemplateVersionParams },
  responses: { 200: { description: 'The version.', content: { 'application/json': { schema: TemplateVersionSchema } } } },
});

export const archiveTemplateRoute = defineRoute({
  method: 'delete',
  path: '/v1/questionnaire-templates/{templateId}',
  operationId: 'archiveQuestionnaireTemplate',
  summary: 'Archive a template',
  description: 'Hides it from lists and from new assessments; versions already sent stay readable. Built-in templates cannot be archived (409).',
  tags,
  access: 'assessments:write',
  ifMatch: true,
  errors: [409],
  request: { params: TemplateIdParams },
  responses: { 200: templateResponse('The archived template.') },
});
