import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { portalInvitations } from '../db/schema';
import type { Db } from '../db/types';
import { sha256Hex } from '../lib/crypto';
import { findInvitationByTokenHash } from './portal.queries';

/** 32 random bytes, base64url without padding. */
export const PORTAL_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Assessment states in which the portal opens at all (read-only after submit). */
const OPEN_TO_SUPPLIER = new Set(['sent', 'in_progress', 'returned', 'submitted', 'under_review', 'accepted']);
const LAST_USED_RESOLUTION_MS = 60_000;

export interface PortalSession {
  tenantId: string;
  assessmentId: string;
  invitationId: string;
  email: string;
  status: string;
}

/**
 * Resolves a portal token to its one assessment, or undefined for anything unusable (malformed,
 * unknown, revoked, expired, or an assessment that was cancelled or expired). Callers answer all of
 * these the same way, so a token's state is not revealed.
 */
export async function resolvePortalToken(db: Db, token: string, now: Date): Promise<PortalSession | undefined> {
  if (!PORTAL_TOKEN_PATTERN.test(token)) return undefined;
  const found = await findInvitationByTokenHash(db, await sha256Hex(token));
  if (!found) return undefined;
  const { invitation, status } = found;
  if (invitation.revokedAt || invitation.expiresAt <= now || !OPEN_TO_SUPPLIER.has(status)) return undefined;
  if (!invitation.lastUsedAt || now.getTime() - invitation.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db
      .update(portalInvitations)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(portalInvitations.tenantId, invitation.tenantId),
          eq(portalInvitations.id, invitation.id),
          or(isNull(portalInvitations.lastUsedAt), lt(portalInvitations.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS))),
        ),
      );
  }
  return {
    tenantId: invitation.tenantId,
    assessmentId: invitation.assessmentId,
    invitationId: invitation.id,
    email: invitation.email,
    status,
  };
}
