import type { RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import { auditContextOf, recordAudit } from '../../lib/audit';
import type { AppContext, AppEnv } from '../../lib/context';
import { problems } from '../../lib/errors';
import { assertIfMatch, setEtag } from '../../lib/etag';
import { decodeCursor, toPage } from '../../lib/pagination';
import {
  BUILT_IN_KEY_PREFIX,
  findVersion,
  insertTemplate,
  listTemplates,
  listVersionSummaries,
  publishVersion,
  questionCount,
  requireTemplate,
  setDraft,
  setTemplateArchived,
  syncBuiltInTemplates,
  type TemplateRow,
  type TemplateVersionRow,
} from './questionnaire-templates.queries';
import type {
  archiveTemplateRoute,
  createTemplateRoute,
  deleteDraftRoute,
  getTemplateRoute,
  getTemplateVersionRoute,
  listTemplatesRoute,
  publishTemplateRoute,
  putDraftRoute,
} from './questionnaire-templates.routes';
import type { TemplateDocument } from './template-document.schemas';

function presentSummary(row: TemplateRow, latestQuestionCount: number | null) {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    audience: row.audience as 'supplier' | 'internal',
    builtIn: row.builtIn,
    latestVersion: row.latestVersion > 0 ? row.latestVersion : null,
    latestQuestionCount,
    hasDraft: row.draft !== null,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function presentVersion(row: TemplateVersionRow) {
  return {
    templateId: row.templateId,
    version: row.version,
    questionCount: row.questionCount,
    publishedAt: row.publishedAt.toISOString(),
    publishedBy: { type: row.publishedByType, id: row.publishedById },
    document: row.document,
  };
}

async function presentTemplate(c: AppContext, row: TemplateRow) {
  const versions = await listVersionSummaries(c.get('db'), row.tenantId, row.id);
  setEtag(c, row.version);
  return {
    ...presentSummary(row, versions[0]?.questionCount ?? null),
    draft: row.draft,
    versions: versions.map((version) => ({
      version: version.version,
      questionCount: version.questionCount,
      publishedAt: version.publishedAt.toISOString(),
      publishedBy: { type: version.publishedByType, id: version.publishedById },
    })),
  };
}

function assertEditable(row: TemplateRow) {
  if (row.builtIn) {
    throw problems.conflict('Built-in templates are read-only. Export a version and import it under your own key to adapt it.', 'template_read_only');
  }
  if (row.archivedAt) throw problems.conflict('The template is archived.', 'template_archived');
}

function assertOwnKey(key: string) {
  if (key.startsWith(BUILT_IN_KEY_PREFIX)) {
    throw problems.validation([{ location: 'body', path: 'key', message: `Keys starting with "${BUILT_IN_KEY_PREFIX}" are reserved for built-in templates.` }]);
  }
}

const cursorSchema = z.tuple([z.string().max(400), z.string().max(40)]);

export const listTemplatesHandler: RouteHandler<typeof listTemplatesRoute, AppEnv> = async (c) => {
  const { limit, cursor, audience, builtIn, archived } = c.req.valid('query');
  const tenantId = c.get('principal').tenantId;
  // Built-ins are published into the tenant on first sight, and again when the catalog changes.
  await syncBuiltInTemplates(c.get('db'), { tenantId, requestId: c.get('requestId'), now: c.get('now') });
  const after = cursor ? decodeCursor(cursor, cursorSchema) : undefined;
  const rows = await listTemplates(c.get('db'), {
    tenantId,
    limit,
    archived,
    ...(audience ? { audience } : {}),
    ...(builtIn === undefined ? {} : { builtIn }),
    ...(after ? { afterName: { name: after[0], id: after[1] } } : {}),
  });
  return c.json(
    toPage(rows, limit, (row) => presentSummary(row.template, row.questionCount), (row) => [row.template.name, row.template.id]),
    200,
  );
};

export const createTemplateHandler: RouteHandler<typeof createTemplateRoute, AppEnv> = async (c) => {
  const document = c.req.valid('json') as TemplateDocument;
  const { publish } = c.req.valid('query');
  assertOwnKey(document.key);
  const { principal, now } = c.var;
  const row = await c.get('db').transaction(async (tx) => {
    const created = await insertTemplate(tx, { tenantId: principal.tenantId, key: document.key, document, builtIn: false, now });
    const audit = auditContextOf(c);
    await recordAudit(tx, audit, {
      action: 'questionnaire_template.created',
      entityType: 'questionnaire_template',
      entityId: created.id,
      changes: { key: document.key, name: document.name, questionCount: questionCount(document) },
    });
    if (!publish) return created;
    const published = await publishVersion(tx, created, document, principal.actor, now);
    await recordAudit(tx, audit, {
      action: 'questionnaire_template.published',
      entityType: 'questionnaire_template',
      entityId: created.id,
      changes: { version: published.version.version },
    });
    return published.template;
  });
  c.header('Location', `/v1/questionnaire-templates/${row.id}`);
  return c.json(await presentTemplate(c, row), 201);
};

export const getTemplateHandler: RouteHandler<typeof getTemplateRoute, AppEnv> = async (c) => {
  const row = await requireTemplate(c.get('db'), c.get('principal').tenantId, c.req.valid('param').templateId);
  return c.json(await presentTemplate(c, row), 200);
};

export const putDraftHandler: RouteHandler<typeof putDraftRoute, AppEnv> = async (c) => {
  const { templateId } = c.req.valid('param');
  const document = c.req.valid('json') as TemplateDocument;
  const row = await c.get('db').transaction(async (tx) => {
    const current = await requireTemplate(tx, c.get('principal').tenantId, templateId, { forUpdate: true });
    assertIfMatch(c, current.version);
    assertEditable(current);
    if (document.key !== current.key) {
      throw problems.validation([{ location: 'body', path: 'key', message: `Must stay "${current.key}": a template's key does not change.` }]);
    }
    const updated = await setDraft(tx, current, document, c.get('now'));
    await recordAudit(tx, auditContextOf(c), {
      action: 'questionnaire_template.draft_saved',
      entityType: 'questionnaire_template',
      entityId: templateId,
      changes: { name: document.name, questionCount: questionCount(document) },
    });
    return updated;
  });
  return c.json(await presentTemplate(c, row), 200);
};

export const deleteDraftHandler: RouteHandler<typeof deleteDraftRoute, AppEnv> = async (c) => {
  const { templateId } = c.req.valid('param');
  await c.get('db').transaction(async (tx) => {
    const current = await requireTemplate(tx, c.get('principal').tenantId, templateId, { forUpdate: true });
    assertIfMatch(c, current.version);
    if (current.draft === null) return;
    await setDraft(tx, current, null, c.get('now'));
    await recordAudit(tx, auditContextOf(c), {
      action: 'questionnaire_template.draft_discarded',
      entityType: 'questionnaire_template',
      entityId: templateId,
    });
  });
  return c.body(null, 204);
};

export const publishTemplateHandler: RouteHandler<typeof publishTemplateRoute, AppEnv> = async (c) => {
  const { templateId } = c.req.valid('param');
  const version = await c.get('db').transaction(async (tx) => {
    const current = await requireTemplate(tx, c.get('principal').tenantId, templateId, { forUpdate: true });
    assertIfMatch(c, current.version);
    assertEditable(current);
    if (!current.draft) throw problems.conflict('There is no draft to publish.', 'no_draft');
    const published = await publishVersion(tx, current, current.draft, c.get('principal').actor, c.get('now'));
    await recordAudit(tx, auditContextOf(c), {
      action: 'questionnaire_template.published',
      entityType: 'questionnaire_template',
      entityId: templateId,
      changes: { version: published.version.version, questionCount: published.version.questionCount },
    });
    setEtag(c, published.template.version);
    return published.version;
  });
  return c.json(presentVersion(version), 200);
};

export const getTemplateVersionHandler: RouteHandler<typeof getTemplateVersionRoute, AppEnv> = async (c) => {
  const { templateId, version } = c.req.valid('param');
  const tenantId = c.get('principal').tenantId;
  await requireTemplate(c.get('db'), tenantId, templateId);
  const row = await findVersion(c.get('db'), tenantId, templateId, version);
  if (!row) throw problems.notFound('Template version');
  return c.json(presentVersion(row), 200);
};

export const archiveTemplateHandler: RouteHandler<typeof archiveTemplateRoute, AppEnv> = async (c) => {
  const { templateId } = c.req.valid('param');
  const row = await c.get('db').transaction(async (tx) => {
    const current = await requireTemplate(tx, c.get('principal').tenantId, templateId, { forUpdate: true });
    assertIfMatch(c, current.version);
    if (current.builtIn) throw problems.conflict('Built-in templates cannot be archived.', 'template_read_only');
    if (current.archivedAt) return current;
    const archived = await setTemplateArchived(tx, current, c.get('now'), c.get('now'));
    await recordAudit(tx, auditContextOf(c), {
      action: 'questionnaire_template.archived',
      entityType: 'questionnaire_template',
      entityId: templateId,
    });
    return archived;
  });
  return c.json(await presentTemplate(c, row), 200);
};
