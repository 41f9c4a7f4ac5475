import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { BUILT_IN_TEMPLATES } from '../../catalog/questionnaires';
import { questionnaireTemplates, questionnaireTemplateVersions } from '../../db/schema';
import type { Db } from '../../db/types';
import { recordAudit, type AuditContext } from '../../lib/audit';
import type { Actor } from '../../lib/context';
import { canonicalJson, sha256Hex } from '../../lib/crypto';
import { problems } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { TemplateDocument } from './template-document.schemas';

export type TemplateRow = typeof questionnaireTemplates.$inferSelect;
export type TemplateVersionRow = typeof questionnaireTemplateVersions.$inferSelect;

/** Built-in templates live under their catalog key with this prefix, so tenant keys never clash. */
export const BUILT_IN_KEY_PREFIX = 'builtin.';

export const questionCount = (document: TemplateDocument) =>
  document.sections.reduce((sum, section) => sum + section.questions.length, 0);

export async function findTemplate(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}) {
  const query = db
    .select()
    .from(questionnaireTemplates)
    .where(and(eq(questionnaireTemplates.tenantId, tenantId), eq(questionnaireTemplates.id, id)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function requireTemplate(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}) {
  const row = await findTemplate(db, tenantId, id, options);
  if (!row) throw problems.notFound('Questionnaire template');
  return row;
}

export async function insertTemplate(
  db: Db,
  input: { tenantId: string; key: string; document: TemplateDocument; builtIn: boolean; now: Date },
): Promise<TemplateRow> {
  const [row] = await db
    .insert(questionnaireTemplates)
    .values({
      tenantId: input.tenantId,
      id: newId('template', input.now),
      key: input.key,
      name: input.document.name,
      audience: input.document.audience,
      builtIn: input.builtIn,
      draft: input.builtIn ? null : input.document,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .returning();
  return row!;
}

export async function setDraft(db: Db, current: TemplateRow, draft: TemplateDocument | null, now: Date): Promise<TemplateRow> {
  const [row] = await db
    .update(questionnaireTemplates)
    .set({
      draft,
      ...(draft ? { name: draft.name, audience: draft.audience } : {}),
      version: current.version + 1,
      updatedAt: now,
    })
    .where(and(eq(questionnaireTemplates.tenantId, current.tenantId), eq(questionnaireTemplates.id, current.id)))
    .returning();
  return row!;
}

/** Appends an immutable version and points the template at it. The caller holds the row lock. */
export async function publishVersion(
  db: Db,
  current: TemplateRow,
  document: TemplateDocument,
  publishedBy: Actor,
  now: Date,
): Promise<{ template: TemplateRow; version: TemplateVersionRow }> {
  const versionNumber = current.latestVersion + 1;
  const [version] = await db
    .insert(questionnaireTemplateVersions)
    .values({
      tenantId: current.tenantId,
      templateId: current.id,
      version: versionNumber,
      document,
      documentHash: await sha256Hex(canonicalJson(document)),
      questionCount: questionCount(document),
      publishedAt: now,
      publishedByType: publishedBy.type,
      publishedById: publishedBy.id,
    })
    .returning();
  const [template] = await db
    .update(questionnaireTemplates)
    .set({
      latestVersion: versionNumber,
      draft: null,
      name: document.name,
      audience: document.audience,
      version: current.version + 1,
      updatedAt: now,
    })
    .where(and(eq(questionnaireTemplates.tenantId, current.tenantId), eq(questionnaireTemplates.id, current.id)))
    .returning();
  return { template: template!, version: version! };
}

export async function findVersion(db: Db, tenantId: string, templateId: string, version: number) {
  const [row] = await db
    .select()
    .from(questionnaireTemplateVersions)
    .where(
      and(
        eq(questionnaireTemplateVersions.tenantId, tenantId),
        eq(questionnaireTemplateVersions.templateId, templateId),
        eq(questionnaireTemplateVersions.version, version),
      ),
    );
  return row;
}

export function listVersionSummaries(db: Db, tenantId: string, templateId: string) {
  return db
    .select({
      version: questionnaireTemplateVersions.version,
      questionCount: questionnaireTemplateVersions.questionCount,
      publishedAt: questionnaireTemplateVersions.publishedAt,
      publishedByType: questionnaireTemplateVersions.publishedByType,
      publishedById: questionnaireTemplateVersions.publishedById,
    })
    .from(questionnaireTemplateVersions)
    .where(and(eq(questionnaireTemplateVersions.tenantId, tenantId), eq(questionnaireTemplateVersions.templateId, templateId)))
    .orderBy(desc(questionnaireTemplateVersions.version));
}

export interface TemplateListFilter {
  tenantId: string;
  limit: number;
  afterName?: { name: string; id: string };
  audience?: string;
  builtIn?: boolean;
  archived: boolean;
}

export function listTemplates(db: Db, filter: TemplateListFilter) {
  const keyset = filter.afterName
    ? sql`(${questionnaireTemplates.name}, ${questionnaireTemplates.id}) > (${filter.afterName.name}, ${filter.afterName.id})`
    : undefined;
  return db
    .select({
      template: questionnaireTemplates,
      questionCount: questionnaireTemplateVersions.questionCount,
    })
    .from(questionnaireTemplates)
    .leftJoin(
      questionnaireTemplateVersions,
      and(
        eq(questionnaireTemplateVersions.tenantId, questionnaireTemplates.tenantId),
        eq(questionnaireTemplateVersions.templateId, questionnaireTemplates.id),
        eq(questionnaireTemplateVersions.version, questionnaireTemplates.latestVersion),
      ),
    )
    .where(
      and(
        eq(questionnaireTemplates.tenantId, filter.tenantId),
        filter.archived ? undefined : isNull(questionnaireTemplates.archivedAt),
        filter.audience ? eq(questionnaireTemplates.audience, filter.audience) : undefined,
        filter.builtIn === undefined ? undefined : eq(questionnaireTemplates.builtIn, filter.builtIn),
        keyset,
      ),
    )
    .orderBy(asc(questionnaireTemplates.name), asc(questionnaireTemplates.id))
    .limit(filter.limit + 1);
}

export async function setTemplateArchived(db: Db, current: TemplateRow, archivedAt: Date | null, now: Date) {
  const [row] = await db
    .update(questionnaireTemplates)
    .set({ archivedAt, version: current.version + 1, updatedAt: now })
    .where(and(eq(questionnaireTemplates.tenantId, current.tenantId), eq(questionnaireTemplates.id, current.id)))
    .returning();
  return row!;
}

export interface BuiltInSync {
  template: TemplateRow;
  publishedVersion: number | null;
}

/**
 * Brings the tenant's copies of the built-in templates up to the catalog: creates missing ones and
 * publishes a new version when the catalog text changed. Versions already sent stay as they were.
 * Cheap when nothing changed: one query for the templates and their latest hashes.
 */
export async function syncBuiltInTemplates(db: Db, context: Omit<AuditContext, 'actor'>): Promise<BuiltInSync[]> {
  const { tenantId, now } = context;
  const existing = await db
    .select({ template: questionnaireTemplates, hash: questionnaireTemplateVersions.documentHash })
    .from(questionnaireTemplates)
    .leftJoin(
      questionnaireTemplateVersions,
      and(
        eq(questionnaireTemplateVersions.tenantId, questionnaireTemplates.tenantId),
        eq(questionnaireTemplateVersions.templateId, questionnaireTemplates.id),
        eq(questionnaireTemplateVersions.version, questionnaireTemplates.latestVersion),
      ),
    )
    .where(and(eq(questionnaireTemplates.tenantId, tenantId), eq(questionnaireTemplates.builtIn, true)));
  const byKey = new Map(existing.map((row) => [row.template.key, row]));
  const changes: BuiltInSync[] = [];
  for (const document of BUILT_IN_TEMPLATES) {
    const key = `${BUILT_IN_KEY_PREFIX}${document.key}`;
    const hash = await sha256Hex(canonicalJson(document));
    const current = byKey.get(key);
    if (current && current.hash === hash) continue;
    await db.transaction(async (tx) => {
      let template = current?.template;
      if (!template) {
        const [inserted] = await tx
          .insert(questionnaireTemplates)
          .values({
            tenantId,
            id: newId('template', now),
            key,
            name: document.name,
            audience: document.audience,
            builtIn: true,
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoNothing()
          .returning();
        // Another request synced it first.
        if (!inserted) return;
        template = inserted;
      }
      const locked = await requireTemplate(tx, tenantId, template.id, { forUpdate: true });
      const latest = locked.latestVersion > 0 ? await findVersion(tx, tenantId, locked.id, locked.latestVersion) : undefined;
      if (latest?.documentHash === hash) return;
      const actor = { type: 'system', id: 'catalog' } as const;
      const published = await publishVersion(tx, locked, document, actor, now);
      await recordAudit(tx, { ...context, actor }, {
        action: 'questionnaire_template.published',
        entityType: 'questionnaire_template',
        entityId: locked.id,
        changes: { key, version: published.version.version, builtIn: true },
      });
      changes.push({ template: published.template, publishedVersion: published.version.version });
    });
  }
  return changes;
}
