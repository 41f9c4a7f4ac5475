import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Config } from '../../config';
import { incidentReportLinks, suppliers } from '../../db/schema';
import type { Db } from '../../db/types';
import type { AppContext } from '../../lib/context';
import { base64url, randomBytes, sha256Hex } from '../../lib/crypto';
import { ApiError } from '../../lib/errors';
import { escapeHtml } from '../assessments/assessment-mail';
import { limitersOf, spend } from '../../lib/rate-limit';
import { PORTAL_TOKEN_PATTERN } from '../../portal/portal.auth';
import { resolveSupplierToken } from '../../portal/portal.session';

export type IncidentLinkRow = typeof incidentReportLinks.$inferSelect;

/** 32 random bytes as base64url (the portal's token shape); only its SHA-256 is stored. */
export async function newLinkToken(): Promise<{ token: string; tokenHash: string }> {
  const token = base64url(randomBytes(32));
  return { token, tokenHash: await sha256Hex(token) };
}

export const incidentReportUrl = (config: Config, token: string) => `${config.publicBaseUrl}/portal/incidents/${token}`;

export function presentIncidentLink(row: IncidentLinkRow) {
  return {
    id: row.id,
    supplierId: row.supplierId,
    email: row.email,
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The mail that carries a link: plain text and HTML, the supplier's name and the URL. */
export function incidentLinkMail(input: { supplierName: string; tenantName: string; url: string; expiresAt: Date }) {
  const until = input.expiresAt.toISOString().slice(0, 10);
  const subject = `${input.tenantName}: your link to report security incidents`;
  const text = [
    `Hello ${input.supplierName},`,
    '',
    `${input.tenantName} asks you to report security incidents that affect the services you provide to them (NIS2 Art. 23) through this link, without an account:`,
    '',
    input.url,
    '',
    `The link works until ${until}. Keep it confidential: anyone with it can report in your name.`,
  ].join('\n');
  const html = [
    `<p>Hello ${escapeHtml(input.supplierName)},</p>`,
    `<p>${escapeHtml(input.tenantName)} asks you to report security incidents that affect the services you provide to them (NIS2 Art. 23) through this link, without an account:</p>`,
    `<p><a href="${escapeHtml(input.url)}">Report an incident</a></p>`,
    `<p>The link works until ${until}. Keep it confidential: anyone with it can report in your name.</p>`,
  ].join('\n');
  return { subject, text, html };
}

const LAST_USED_RESOLUTION_MS = 60_000;

/** A usable link for the token, or undefined for anything else (malformed, unknown, revoked, expired, supplier archived): all answered alike. */
export async function resolveIncidentLink(db: Db, token: string, now: Date): Promise<IncidentLinkRow | undefined> {
  if (!PORTAL_TOKEN_PATTERN.test(token)) return undefined;
  const [found] = await db
    .select({ link: incidentReportLinks, supplierArchivedAt: suppliers.archivedAt })
    .from(incidentReportLinks)
    .innerJoin(suppliers, and(eq(suppliers.tenantId, incidentReportLinks.tenantId), eq(suppliers.id, incidentReportLinks.supplierId)))
    .where(eq(incidentReportLinks.tokenHash, await sha256Hex(token)));
  // An archived supplier's link stops working with it: there is nobody left to record against.
  if (!found || found.supplierArchivedAt) return undefined;
  const { link } = found;
  if (link.revokedAt || link.expiresAt <= now) return undefined;
  if (!link.lastUsedAt || now.getTime() - link.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db
      .update(incidentReportLinks)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(incidentReportLinks.tenantId, link.tenantId),
          eq(incidentReportLinks.id, link.id),
          or(isNull(incidentReportLinks.lastUsedAt), lt(incidentReportLinks.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS))),
        ),
      );
  }
  return link;
}

export const invalidIncidentLink = () =>
  new ApiError({
    status: 401,
    code: 'unauthenticated',
    title: 'Unauthenticated',
    detail: 'The incident report link is not valid: it may have expired or been revoked. Ask your customer for a new one.',
    headers: { 'WWW-Authenticate': 'PortalToken realm="chainproof-portal"' },
  });

/** The link for a token, or undefined, under the portal's shared failure budget (resolveSupplierToken). */
export function incidentLinkOf(c: AppContext, token: string | undefined): Promise<IncidentLinkRow | undefined> {
  return resolveSupplierToken(c, token, (value) => resolveIncidentLink(c.get('db'), value, c.get('now')));
}

/** Reports per link: a supplier reports a few incidents, not a stream of them. */
export function spendReport(config: Config, link: IncidentLinkRow, now: Date): void {
  spend(limitersOf(config).incidentReports, link.id, now.getTime());
}
