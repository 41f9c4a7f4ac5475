import { z } from '@hono/zod-openapi';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { DateTimeSchema, idParam, orNull } from '../../lib/schemas';
import { TemplateDocumentSchema } from './template-document.schemas';

export const TemplateIdParams = z.object({ templateId: idParam('templateId', 'template', 'tpl_01JD6S9Q7Y3M8V5R2T4W6X8Z0A') });

export const TemplateVersionParams = TemplateIdParams.extend({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .openapi({ param: { name: 'version', in: 'path' }, example: 1 }),
});

const VersionSummarySchema = z
  .object({
    version: z.number().int().openapi({ example: 1 }),
    questionCount: z.number().int().openapi({ example: 90 }),
    publishedAt: DateTimeSchema,
    publishedBy: z.object({ type: z.string(), id: z.string() }),
  })
  .openapi('TemplateVersionSummary');

export const TemplateSummarySchema = z
  .object({
    id: z.string().openapi({ example: 'tpl_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    key: z.string().openapi({ example: 'builtin.ot-service-provider' }),
    name: z.string().openapi({ example: 'OT service provider security assessment' }),
    audience: z.enum(['supplier', 'internal']),
    builtIn: z.boolean().openapi({ description: 'Ships with the product; read-only. Export it and import a copy to adapt it.' }),
    latestVersion: z.number().int().nullable().openapi({ description: 'The newest published version; null until the first publish.', example: 1 }),
    latestQuestionCount: z.number().int().nullable().openapi({ example: 70 }),
    hasDraft: z.boolean(),
    archivedAt: DateTimeSchema.nullable(),
    version: z.number().int().openapi({ description: 'Row version, for If-Match.', example: 2 }),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  })
  .openapi('QuestionnaireTemplateSummary');

export const TemplateSchema = TemplateSummarySchema.extend({
  draft: orNull(TemplateDocumentSchema).openapi({ description: 'The editable draft, if any.' }),
  versions: z.array(VersionSummarySchema).openapi({ description: 'Published versions, newest first.' }),
}).openapi('QuestionnaireTemplate');

export const TemplatePageSchema = pageSchema(TemplateSummarySchema, 'QuestionnaireTemplatePage');

export const TemplateVersionSchema = z
  .object({
    templateId: z.string(),
    version: z.number().int(),
    questionCount: z.number().int(),
    publishedAt: DateTimeSchema,
    publishedBy: z.object({ type: z.string(), id: z.string() }),
    document: TemplateDocumentSchema,
  })
  .openapi('QuestionnaireTemplateVersion');

export const CreateTemplateQuery = z.object({
  publish: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .openapi({ description: 'Publish version 1 at once instead of keeping a draft.', example: 'true' }),
});

export const ListTemplatesQuery = z.object({
  ...paginationQuery,
  audience: z.enum(['supplier', 'internal']).optional().openapi({ description: 'Who answers it.', example: 'supplier' }),
  builtIn: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .openapi({ description: 'Only built-in (true) or only the tenant\'s own (false).', example: 'false' }),
  archived: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .openapi({ description: 'Include archived templates.', example: 'false' }),
});
