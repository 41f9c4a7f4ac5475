import type { WebhookEventType } from '../../catalog/webhook-events';
import type { Db } from '../../db/types';
import { emitEvent } from '../../lib/events';
import type { AssessmentRow } from './assessments.queries';

/** Lifecycle actions that are webhook events, by the action that causes them. */
const EVENT_OF_ACTION: Partial<Record<string, WebhookEventType>> = {
  send: 'assessment.sent',
  submit: 'assessment.submitted',
  accept: 'assessment.accepted',
  overdue: 'assessment.overdue',
};

/** Emits the assessment's event for `action`, if that action is one receivers hear about. */
export async function emitAssessmentEvent(tx: Db, row: AssessmentRow, action: string, now: Date): Promise<void> {
  const type = EVENT_OF_ACTION[action];
  if (!type) return;
  await emitEvent(tx, row.tenantId, now, {
    type,
    data: { assessmentId: row.id, supplierId: row.supplierId, templateId: row.templateId, status: row.status, dueAt: row.dueAt.toISOString() },
  });
}
