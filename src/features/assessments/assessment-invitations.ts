import { eq } from 'drizzle-orm';
import { tenants } from '../../db/schema';
import type { Db } from '../../db/types';
import type { Actor } from '../../lib/context';
import { enqueueMail } from '../../lib/mail/outbox';
import { requireSupplier } from '../suppliers/suppliers.queries';
import { renderAssessmentMail, type AssessmentMailKind } from './assessment-mail';
import { createInvitation, templateRefOf, type AssessmentRow, type InvitationRow } from './assessments.queries';

export interface InviteByMailInput {
  assessment: AssessmentRow;
  recipient: { email: string; name: string | null };
  kind: AssessmentMailKind;
  actor: Actor;
  now: Date;
  publicBaseUrl: string;
  graceDays: number;
  /** A forwarded link: the invitation it came from, and who forwarded it (named in the mail). */
  forwardedFrom?: { invitationId: string; sender: string };
  /** Shown in the mail; the assessment's own message unless given (a forwarder's note). */
  message?: string | null;
}

/** The names a mail shows; the jobs have them already from their batch query. */
export interface MailNames {
  tenant: string;
  supplier: string;
  template: string;
}

/**
 * A new portal invitation and its e-mail, in the caller's transaction. Only the token's hash is
 * stored, so every mail with a link (invitation, reminder, overdue notice, forward) needs its own
 * invitation. `enqueued` is false when the outbox already holds a mail with this dedupe key.
 */
export async function mailNewLink(
  tx: Db,
  input: InviteByMailInput & { names: MailNames; dedupeKey?: string },
): Promise<{ invitation: InvitationRow; mailId: string | null }> {
  const { assessment, recipient, names } = input;
  const { invitation, token } = await createInvitation(tx, {
    assessment,
    email: recipient.email,
    name: recipient.name,
    actor: input.actor,
    now: input.now,
    graceDays: input.graceDays,
    ...(input.forwardedFrom ? { forwardedFromId: input.forwardedFrom.invitationId } : {}),
  });
  const mail = renderAssessmentMail({
    kind: input.kind,
    organisation: names.tenant,
    supplier: names.supplier,
    template: names.template,
    recipientName: recipient.name ?? recipient.email,
    dueAt: assessment.dueAt,
    expiresAt: invitation.expiresAt,
    link: `${input.publicBaseUrl}/portal/a/${token}`,
    message: input.message === undefined ? assessment.message : input.message,
    ...(input.forwardedFrom ? { sender: input.forwardedFrom.sender } : {}),
  });
  const queued = await enqueueMail(tx, {
    tenantId: assessment.tenantId,
    kind: `assessment_${input.kind}`,
    to: { address: recipient.email, ...(recipient.name ? { name: recipient.name } : {}) },
    ...mail,
    entityType: 'assessment',
    entityId: assessment.id,
    dedupeKey: input.dedupeKey ?? `${input.kind}:${invitation.id}`,
    now: input.now,
  });
  return { invitation, mailId: queued.enqueued ? queued.id : null };
}

/** mailNewLink for a request: looks up the names the mail shows. */
export async function inviteByMail(tx: Db, input: InviteByMailInput): Promise<{ invitation: InvitationRow; mailId: string | null }> {
  const tenantId = input.assessment.tenantId;
  const supplier = await requireSupplier(tx, tenantId, input.assessment.supplierId);
  const template = await templateRefOf(tx, tenantId, input.assessment.templateId);
  const [tenant] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
  return mailNewLink(tx, { ...input, names: { tenant: tenant?.name ?? 'Your customer', supplier: supplier.name, template: template.name } });
}
