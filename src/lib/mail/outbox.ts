import { sql } from 'drizzle-orm';
import { mailOutbox } from '../../db/schema';
import type { Db } from '../../db/types';
import { newId } from '../ids';

export interface MailRecipient {
  address: string;
  name?: string | undefined;
}

export interface NewMail {
  tenantId: string;
  /** What the mail is, e.g. `assessment_invitation`, `assessment_reminder`, `assessment_overdue`. */
  kind: string;
  to: MailRecipient;
  subject: string;
  text: string;
  html?: string | undefined;
  /** The entity the mail is about, to find a supplier's or an assessment's mails. */
  entityType?: string | undefined;
  entityId?: string | undefined;
  /**
   * At most one mail per tenant and key, ever: a second enqueue with the same key does nothing.
   * Use it for mails a job may try to enqueue more than once (`reminder:asm_…:2025-06-01`).
   */
  dedupeKey?: string | undefined;
  now: Date;
}

export type EnqueueResult = { enqueued: true; id: string } | { enqueued: false };

/** A mail that cannot be sent as given: a caller's bug, or input that skipped validation. */
export class InvalidMailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMailError';
  }
}

// A deliberately plain shape: local@domain.tld, no spaces, quotes, angle brackets or control
// characters, so that the address can go into an SMTP envelope and a header as it is.
const ADDRESS_PATTERN = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export function isValidMailAddress(address: string): boolean {
  if (address.length > 254 || !ADDRESS_PATTERN.test(address)) return false;
  const local = address.slice(0, address.lastIndexOf('@'));
  return local.length <= 64 && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
}

function checkHeaderText(field: string, value: string, maxLength: number) {
  // A line break in a header value would let it add headers of its own.
  if (CONTROL_CHARACTERS.test(value)) throw new InvalidMailError(`${field} must not contain control characters or line breaks`);
  if (value.length > maxLength) throw new InvalidMailError(`${field} is longer than ${maxLength} characters`);
}

function validate(mail: NewMail) {
  if (!isValidMailAddress(mail.to.address)) throw new InvalidMailError('to.address is not a valid e-mail address');
  if (mail.to.name !== undefined) checkHeaderText('to.name', mail.to.name, 200);
  if (mail.subject.trim() === '') throw new InvalidMailError('subject must not be empty');
  checkHeaderText('subject', mail.subject, 998);
  if (mail.text.trim() === '') throw new InvalidMailError('text must not be empty');
  if (!/^[a-z][a-z0-9_.-]{0,63}$/.test(mail.kind)) throw new InvalidMailError('kind must be a short lower-case identifier');
  if (mail.dedupeKey !== undefined) {
    if (mail.dedupeKey === '' || mail.dedupeKey.length > 255) throw new InvalidMailError('dedupeKey must be 1 to 255 characters long');
  }
  if (Number.isNaN(mail.now.getTime())) throw new InvalidMailError('now is not a valid date');
}

/**
 * Puts a mail in the outbox, in the caller's transaction: it is sent only if the change that
 * caused it commits. Delivery is a job (deliverDueMail). With a `dedupeKey` that the tenant
 * already used, nothing is inserted and `{ enqueued: false }` is returned.
 */
export async function enqueueMail(tx: Db, mail: NewMail): Promise<EnqueueResult> {
  validate(mail);
  const id = newId('mail', mail.now);
  const name = mail.to.name?.trim();
  const inserted = await tx
    .insert(mailOutbox)
    .values({
      tenantId: mail.tenantId,
      id,
      kind: mail.kind,
      dedupeKey: mail.dedupeKey ?? null,
      toAddress: mail.to.address,
      toName: name ? name : null,
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html ?? null,
      entityType: mail.entityType ?? null,
      entityId: mail.entityId ?? null,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: mail.now,
      createdAt: mail.now,
    })
    // Only the partial unique index (tenant_id, dedupe_key) is a conflict to ignore; any other
    // (a primary key clash) still raises.
    .onConflictDoNothing({ target: [mailOutbox.tenantId, mailOutbox.dedupeKey], where: sql.raw('dedupe_key is not null') })
    .returning({ id: mailOutbox.id });
  return inserted.length > 0 ? { enqueued: true, id } : { enqueued: false };
}
