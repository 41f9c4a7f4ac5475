import type { DeadlineAlertKind } from '../../catalog/deadline-alerts';
import type { WebhookEventType } from '../../catalog/webhook-events';
import { emitEvent } from '../../lib/events';
import { jobsAuditContext } from '../../jobs/system-actor';
import { recordAudit } from '../../lib/audit';
import { dayOf } from '../../lib/dates';
import { newId } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import { enqueueMail, isValidMailAddress } from '../../lib/mail/outbox';
import type { Db } from '../../db/types';
import { alertSummary, renderAlertMail } from './deadline-alerts.mail';
import { dueContractDeadlines, dueEvidenceDeadlines, insertAlertOnce, setMailedTo, type DueDeadline } from './deadline-alerts.queries';

export interface DeadlineAlertJobOptions {
  /** Deadlines looked at per run and kind of subject; the rest wait for the next run. */
  batchSize?: number;
  /** Only this tenant's deadlines (tests). Default: every tenant's. */
  tenantId?: string;
}

/** The supplier's owner when it is an address (it is free text), else the tenant's address. */
export function alertRecipient(due: Pick<DueDeadline, 'supplier_owner' | 'notification_email'>): string | null {
  const owner = due.supplier_owner?.trim();
  if (owner && isValidMailAddress(owner)) return owner;
  return due.notification_email;
}

/** The webhook event an alert is, where the event list has one (a contract's end is not an event). */
const EVENT_OF_KIND: Partial<Record<DeadlineAlertKind, WebhookEventType>> = {
  evidence_expiry: 'evidence.expiring',
  contract_notice: 'contract.notice_deadline',
};

async function raiseAlert(db: Db, due: DueDeadline, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const summary = alertSummary(due);
    const alert = await insertAlertOnce(tx, {
      tenantId: due.tenant_id,
      id: newId('deadlineAlert', now),
      kind: due.kind,
      subjectId: due.subject_id,
      supplierId: due.supplier_id,
      deadline: due.deadline,
      leadDays: Number(due.lead_days),
      daysLeft: Number(due.days_left),
      summary,
      createdAt: now,
    });
    if (!alert) return false;
    const recipient = alertRecipient(due);
    if (recipient) {
      const mail = renderAlertMail(due, alert.id);
      await enqueueMail(tx, {
        tenantId: due.tenant_id,
        kind: `deadline_alert.${due.kind}`,
        to: { address: recipient },
        subject: mail.subject,
        text: mail.text,
        entityType: due.kind === 'evidence_expiry' ? 'evidence' : 'contract',
        entityId: due.subject_id,
        dedupeKey: `deadline-alert:${alert.id}`,
        now,
      });
      await setMailedTo(tx, due.tenant_id, alert.id, recipient);
    }
    const event = EVENT_OF_KIND[due.kind];
    if (event) {
      await emitEvent(tx, due.tenant_id, now, {
        type: event,
        data: { alertId: alert.id, kind: due.kind, subjectId: due.subject_id, supplierId: due.supplier_id, deadline: due.deadline, daysLeft: alert.daysLeft, summary },
      });
    }
    await recordAudit(tx, jobsAuditContext(due.tenant_id, now), {
      action: 'deadline_alert.raised',
      entityType: due.kind === 'evidence_expiry' ? 'evidence' : 'contract',
      entityId: due.subject_id,
      changes: { alertId: alert.id, kind: due.kind, deadline: due.deadline, leadDays: Number(due.lead_days), mailed: recipient !== null },
    });
    return true;
  });
}

/**
 * Raises the deadline alerts that are due: contract ends and notice deadlines (NIS2 IR 2024/2690
 * 5.1.4, DORA Art. 28(7) exit planning) and evidence validity ends, each at the tenant's lead
 * times. Idempotent and safe on several instances: the unique index on (subject, deadline, lead
 * time) lets one insert win, and only the winner mails.
 */
export async function raiseDeadlineAlerts(db: Db, now: Date, logger: Logger, options: DeadlineAlertJobOptions = {}): Promise<number> {
  const today = dayOf(now);
  const query = { tenantId: options.tenantId, limit: options.batchSize ?? 200 };
  const due = [...(await dueContractDeadlines(db, today, query)), ...(await dueEvidenceDeadlines(db, today, query))];
  let raised = 0;
  for (const deadline of due) {
    try {
      if (await raiseAlert(db, deadline, now)) raised += 1;
    } catch (error) {
      logger.error('raising a deadline alert failed', { tenantId: deadline.tenant_id, kind: deadline.kind, subjectId: deadline.subject_id, error });
    }
  }
  return raised;
}
