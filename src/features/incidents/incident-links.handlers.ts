import type { RouteHandler } from '@hono/zod-openapi';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { INCIDENT_LINK_DEFAULT_DAYS, SUPPLIER_REPORTED_INCIDENT_DEFAULTS } from '../../catalog/incidents';
import { incidentReportLinks, tenants } from '../../db/schema';
import { recordAudit, auditContextOf, type AuditContext } from '../../lib/audit';
import type { AppContext, AppEnv } from '../../lib/context';
import { problems } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { enqueueMail } from '../../lib/mail/outbox';
import { requireSupplier } from '../suppliers/suppliers.queries';
import { recordIncident } from './incidents.effects';
import { linkOfRequest, type createIncidentLinkRoute, type listIncidentLinksRoute, type reportIncidentRoute, type revokeIncidentLinkRoute } from './incident-links.routes';
import { incidentLinkMail, incidentReportUrl, newLinkToken, presentIncidentLink, spendReport, type IncidentLinkRow } from './incident-links.service';

const DAY_MS = 86_400_000;

export const createIncidentLinkHandler: RouteHandler<typeof createIncidentLinkRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const { supplierId } = c.req.valid('param');
  const { principal, now, deps } = c.var;
  const { token, tokenHash } = await newLinkToken();
  const url = incidentReportUrl(deps.config, token);
  const link = await c.get('db').transaction(async (tx) => {
    const supplier = await requireSupplier(tx, principal.tenantId, supplierId);
    if (supplier.archivedAt) throw problems.conflict('The supplier is archived. Restore it first.', 'supplier_archived');
    const [row] = await tx
      .insert(incidentReportLinks)
      .values({
        tenantId: principal.tenantId,
        id: newId('incidentLink', now),
        supplierId,
        email: input.email ?? null,
        tokenHash,
        expiresAt: new Date(now.getTime() + (input.expiresInDays ?? INCIDENT_LINK_DEFAULT_DAYS) * DAY_MS),
        createdByType: principal.actor.type,
        createdById: principal.actor.id,
        createdAt: now,
      })
      .returning();
    const created = row!;
    await recordAudit(tx, auditContextOf(c), {
      action: 'incident_link.created',
      entityType: 'incident_link',
      entityId: created.id,
      changes: { supplierId, expiresAt: created.expiresAt.toISOString(), ...(created.email ? { email: created.email } : {}) },
    });
    if (created.email) {
      const [tenant] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, principal.tenantId));
      const mail = incidentLinkMail({ supplierName: supplier.name, tenantName: tenant?.name ?? 'Your customer', url, expiresAt: created.expiresAt });
      await enqueueMail(tx, {
        tenantId: principal.tenantId,
        kind: 'incident_report_link',
        to: { address: created.email },
        ...mail,
        entityType: 'incident_link',
        entityId: created.id,
        now,
      });
    }
    return created;
  });
  c.header('Cache-Control', 'no-store');
  return c.json({ ...presentIncidentLink(link), url }, 201);
};

// A supplier has a handful of links; the cap only bounds a runaway integration.
const LINKS_LISTED = 500;

export const listIncidentLinksHandler: RouteHandler<typeof listIncidentLinksRoute, AppEnv> = async (c) => {
  const { supplierId } = c.req.valid('param');
  const tenantId = c.get('principal').tenantId;
  await requireSupplier(c.get('db'), tenantId, supplierId);
  const links = await c.get('db')
    .select()
    .from(incidentReportLinks)
    .where(and(eq(incidentReportLinks.tenantId, tenantId), eq(incidentReportLinks.supplierId, supplierId)))
    .orderBy(desc(incidentReportLinks.createdAt), desc(incidentReportLinks.id))
    .limit(LINKS_LISTED);
  return c.json({ data: links.map(presentIncidentLink), nextCursor: null }, 200);
};

export const revokeIncidentLinkHandler: RouteHandler<typeof revokeIncidentLinkRoute, AppEnv> = async (c) => {
  const { supplierId, incidentLinkId } = c.req.valid('param');
  const { principal, now } = c.var;
  await c.get('db').transaction(async (tx) => {
    const where = and(eq(incidentReportLinks.tenantId, principal.tenantId), eq(incidentReportLinks.id, incidentLinkId), eq(incidentReportLinks.supplierId, supplierId));
    const [link] = await tx.select().from(incidentReportLinks).where(where).for('update');
    if (!link) throw problems.notFound('Incident report link');
    if (link.revokedAt) return;
    await tx.update(incidentReportLinks).set({ revokedAt: now }).where(and(where, isNull(incidentReportLinks.revokedAt)));
    await recordAudit(tx, auditContextOf(c), { action: 'incident_link.revoked', entityType: 'incident_link', entityId: link.id, changes: { supplierId } });
  });
  return c.body(null, 204);
};

export const linkAuditContext = (link: IncidentLinkRow, requestId: string | null, now: Date): AuditContext => ({
  tenantId: link.tenantId,
  actor: { type: 'supplier_contact', id: link.id },
  requestId,
  now,
});

/** A supplier's report through its link: the same incident, with the same effects, as staff record. */
export async function reportThroughLink(c: AppContext, link: IncidentLinkRow, input: { title: string; awareAt: string; description?: string | undefined; severity?: 'low' | 'medium' | 'high' | 'critical' | undefined; significant?: boolean | undefined }) {
  const { now, deps } = c.var;
  spendReport(deps.config, link, now);
  const audit = linkAuditContext(link, c.get('requestId') ?? null, now);
  return c.get('db').transaction((tx) =>
    recordIncident(
      tx,
      audit,
      {
        supplierId: link.supplierId,
        title: input.title,
        awareAt: new Date(input.awareAt),
        severity: input.severity ?? SUPPLIER_REPORTED_INCIDENT_DEFAULTS.severity,
        significant: input.significant ?? SUPPLIER_REPORTED_INCIDENT_DEFAULTS.significant,
        serviceIds: [],
        description: input.description || null,
        status: SUPPLIER_REPORTED_INCIDENT_DEFAULTS.status,
      },
      audit.actor,
    ),
  );
}

export const reportIncidentHandler: RouteHandler<typeof reportIncidentRoute, AppEnv> = async (c) => {
  const incident = await reportThroughLink(c, linkOfRequest(c.req.raw), c.req.valid('json'));
  return c.json({ incidentId: incident.id, receivedAt: incident.createdAt.toISOString() }, 201);
};
