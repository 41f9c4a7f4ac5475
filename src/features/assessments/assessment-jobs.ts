import { emitAssessmentEvent } from './assessment-events';
import { and, asc, eq, gt, gte, isNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import { assessments, mailOutbox, questionnaireTemplates, supplierContacts, suppliers, tenants } from '../../db/schema';
import type { Db } from '../../db/types';
import { JOBS_ACTOR, jobsAuditContext } from '../../jobs/system-actor';
import { recordAudit } from '../../lib/audit';
import type { Logger } from '../../lib/logger';
import { rescoreSupplier } from '../risk/risk.rescore';
import {
  assertTransition,
  findAssessment,
  revokeInvitations,
  SUPPLIER_OPEN_STATUSES,
  updateAssessment,
  type AssessmentRow,
} from './assessments.queries';
import { mailNewLink } from './assessment-invitations';

/**
 * The scheduled side of assessments: automatic reminders before the due date, one overdue notice
 * after it, and expiry once the grace period has passed. Every job scans across tenants through
 * the partial index on open assessments' due dates, a batch per run, and changes each assessment
 * in a transaction of its own, so one failing assessment does not hold up the rest. Each is safe
 * to run twice, or from two instances at once: the assessment row is locked (or claimed with a
 * conditional update) and the condition checked again before anything is sent, and the outbox's
 * dedupe key refuses a second mail for the same reminder or notice.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const DEFAULT_BATCH_SIZE = 200;

/**
 * A reminder, the invitation or a return sent this long before a reminder threshold (or any time
 * after it) counts as that threshold's reminder: a reminder sent by hand the evening before does
 * not get an automatic one on top. Thresholds are whole days apart, so this never swallows the
 * next threshold's reminder.
 */
export const REMINDER_COVER_MS = 12 * HOUR_MS;

export interface AssessmentJobSettings {
  /** PUBLIC_BASE_URL, for the portal links in the mails. */
  publicBaseUrl: string;
  /** ASSESSMENT_REMINDER_DAYS: days before the due date, in any order. */
  reminderDays: readonly number[];
  /** ASSESSMENT_EXPIRY_GRACE_DAYS: days after the due date until expiry; portal links last as long. */
  expiryGraceDays: number;
}

export interface AssessmentJobOptions {
  /** Assessments each job looks at per run; the rest wait for the next run. */
  batchSize?: number;
  /** Only this tenant's assessments (tests). Default: every tenant's. */
  tenantId?: string;
}

// Constants, not parameters: the planner uses the partial index assessments_open_due_idx only
// when the query repeats its predicate literally.
const SUPPLIER_OPEN = sql.raw(`"assessments"."status" in (${SUPPLIER_OPEN_STATUSES.map((status) => `'${status}'`).join(', ')})`);
const isSupplierOpen = (status: string) => (SUPPLIER_OPEN_STATUSES as readonly string[]).includes(status);

const tenantFilter = (options: AssessmentJobOptions) => (options.tenantId === undefined ? undefined : eq(assessments.tenantId, options.tenantId));

/** The last time the supplier heard from us about this assessment. */
const lastContactSql = sql`coalesce(greatest(${assessments.sentAt}, ${assessments.lastRemindedAt}, ${assessments.returnedAt}), '-infinity'::timestamptz)`;

function lastContactOf(row: Pick<AssessmentRow, 'sentAt' | 'lastRemindedAt' | 'returnedAt'>): number {
  return Math.max(...[row.sentAt, row.lastRemindedAt, row.returnedAt].map((date) => date?.getTime() ?? Number.NEGATIVE_INFINITY));
}

/**
 * The reminder threshold (days before the due date) that is due for the assessment now, or
 * undefined. Only the smallest threshold already reached counts: after a pause of the jobs that
 * skipped several, one reminder goes out, not one per threshold.
 */
export function dueReminderDays(
  row: Pick<AssessmentRow, 'status' | 'dueAt' | 'sentAt' | 'lastRemindedAt' | 'returnedAt'>,
  now: Date,
  reminderDays: readonly number[],
): number | undefined {
  if (!isSupplierOpen(row.status)) return undefined;
  const left = row.dueAt.getTime() - now.getTime();
  if (left <= 0) return undefined;
  const days = [...reminderDays].sort((a, b) => a - b).find((candidate) => left <= candidate * DAY_MS);
  if (days === undefined) return undefined;
  const coveredFrom = row.dueAt.getTime() - days * DAY_MS - REMINDER_COVER_MS;
  return lastContactOf(row) >= coveredFrom ? undefined : days;
}

interface MailContext {
  contactEmail: string;
  contactName: string;
  supplierName: string;
  tenantName: string;
  templateName: string | null;
}

interface Candidate extends MailContext {
  assessment: AssessmentRow;
}

/**
 * Open assessments with what their mail needs, in one query. The inner join on the contact
 * leaves out assessments whose recipient was deleted: nothing can be sent to them, and they
 * must not fill every batch.
 */
function selectCandidates(db: Db, where: SQL | undefined, limit: number): Promise<Candidate[]> {
  return db
    .select({
      assessment: assessments,
      contactEmail: supplierContacts.email,
      contactName: supplierContacts.name,
      supplierName: suppliers.name,
      tenantName: tenants.name,
      templateName: questionnaireTemplates.name,
    })
    .from(assessments)
    .innerJoin(
      supplierContacts,
      and(
        eq(supplierContacts.tenantId, assessments.tenantId),
        eq(supplierContacts.supplierId, assessments.supplierId),
        eq(supplierContacts.id, assessments.contactId),
      ),
    )
    .innerJoin(suppliers, and(eq(suppliers.tenantId, assessments.tenantId), eq(suppliers.id, assessments.supplierId)))
    .innerJoin(tenants, eq(tenants.id, assessments.tenantId))
    .leftJoin(
      questionnaireTemplates,
      and(eq(questionnaireTemplates.tenantId, assessments.tenantId), eq(questionnaireTemplates.id, assessments.templateId)),
    )
    .where(where)
    .orderBy(asc(assessments.dueAt), asc(assessments.id))
    .limit(limit);
}

/** Thrown inside a transaction to roll it back: the outbox already holds this mail. */
class AlreadyQueued extends Error {
  constructor(readonly dedupeKey: string) {
    super(`mail ${dedupeKey} is already queued`);
    this.name = 'AlreadyQueued';
  }
}

async function outboxHas(tx: Db, tenantId: string, dedupeKey: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.tenantId, tenantId), eq(mailOutbox.dedupeKey, dedupeKey)))
    .limit(1);
  return row !== undefined;
}

/** A reminder or overdue notice with a fresh link; throws AlreadyQueued when the outbox has it. */
async function mailWithNewLink(
  tx: Db,
  assessment: AssessmentRow,
  context: MailContext,
  kind: 'reminder' | 'overdue',
  dedupeKey: string,
  now: Date,
  settings: AssessmentJobSettings,
) {
  const { invitation, mailId } = await mailNewLink(tx, {
    assessment,
    recipient: { email: context.contactEmail, name: context.contactName },
    names: { tenant: context.tenantName, supplier: context.supplierName, template: context.templateName ?? '' },
    kind,
    actor: JOBS_ACTOR,
    now,
    publicBaseUrl: settings.publicBaseUrl,
    graceDays: settings.expiryGraceDays,
    dedupeKey,
  });
  if (!mailId) throw new AlreadyQueued(dedupeKey);
  return { invitationId: invitation.id, mailId, to: context.contactEmail };
}

/** Runs `work` for each candidate in its own transaction; a failure is logged and the rest go on. */
async function forEach<T extends { assessment: Pick<AssessmentRow, 'tenantId' | 'id'> }>(
  job: string,
  candidates: readonly T[],
  logger: Logger,
  work: (candidate: T) => Promise<boolean>,
): Promise<number> {
  let processed = 0;
  for (const candidate of candidates) {
    try {
      if (await work(candidate)) processed += 1;
    } catch (error) {
      if (error instanceof AlreadyQueued) continue;
      logger.error('assessment job failed for one assessment', {
        job,
        tenantId: candidate.assessment.tenantId,
        assessmentId: candidate.assessment.id,
        error,
      });
    }
  }
  return processed;
}

// ---------------------------------------------------------------------------------------------

/**
 * Automatic reminders: for an assessment waiting on the supplier, due in the future and within
 * the largest reminder window, one reminder per threshold (see dueReminderDays), with a fresh
 * portal link. Returns the number of reminders queued.
 */
export async function sendDueReminders(
  db: Db,
  now: Date,
  settings: AssessmentJobSettings,
  logger: Logger,
  options: AssessmentJobOptions = {},
): Promise<number> {
  const ascending = [...new Set(settings.reminderDays)].sort((a, b) => a - b);
  const largest = ascending.at(-1);
  if (largest === undefined) return 0;
  // The same rule as dueReminderDays, so that covered assessments do not fill the batch.
  const coveredFrom = sql`case ${sql.join(
    ascending.map(
      (days) =>
        sql`when ${lte(assessments.dueAt, new Date(now.getTime() + days * DAY_MS))} then ${assessments.dueAt} - make_interval(hours => ${days * 24 + REMINDER_COVER_MS / HOUR_MS}::int)`,
    ),
    sql` `,
  )} end`;
  const candidates = await selectCandidates(
    db,
    and(
      SUPPLIER_OPEN,
      gt(assessments.dueAt, now),
      lte(assessments.dueAt, new Date(now.getTime() + largest * DAY_MS)),
      sql`${lastContactSql} < ${coveredFrom}`,
      tenantFilter(options),
    ),
    options.batchSize ?? DEFAULT_BATCH_SIZE,
  );
  return forEach('assessment-reminders', candidates, logger, ({ assessment, ...context }) =>
    db.transaction(async (tx) => {
      const current = await findAssessment(tx, assessment.tenantId, assessment.id, { forUpdate: true });
      // Re-checked under the row lock: another run, or a request, may have got there first.
      const days = current ? dueReminderDays(current, now, settings.reminderDays) : undefined;
      if (!current || days === undefined) return false;
      const dedupeKey = `auto-reminder:${current.id}:${current.dueAt.toISOString()}:${days}`;
      if (await outboxHas(tx, current.tenantId, dedupeKey)) return false;
      const sent = await mailWithNewLink(tx, current, context, 'reminder', dedupeKey, now, settings);
      const row = await updateAssessment(tx, current, { reminderCount: current.reminderCount + 1, lastRemindedAt: now }, now);
      await recordAudit(tx, jobsAuditContext(current.tenantId, now), {
        action: 'assessment.reminder_sent',
        entityType: 'assessment',
        entityId: current.id,
        changes: { ...sent, automatic: true, daysBeforeDue: days, dueAt: current.dueAt.toISOString(), reminderCount: row.reminderCount },
      });
      return true;
    }),
  );
}

/**
 * One overdue notice per due date, for an assessment still waiting on the supplier after its due
 * date (and before it expires). The claim is a conditional update of `overdue_notified_at`, so
 * of two runs only one sends; extending the due date clears it for the next notice. Returns the
 * number of notices queued.
 */
export async function sendOverdueNotices(
  db: Db,
  now: Date,
  settings: AssessmentJobSettings,
  logger: Logger,
  options: AssessmentJobOptions = {},
): Promise<number> {
  const candidates = await selectCandidates(
    db,
    and(
      SUPPLIER_OPEN,
      lt(assessments.dueAt, now),
      // Older ones expire in this run instead: a notice with a dead link helps nobody.
      gte(assessments.dueAt, new Date(now.getTime() - settings.expiryGraceDays * DAY_MS)),
      isNull(assessments.overdueNotifiedAt),
      tenantFilter(options),
    ),
    options.batchSize ?? DEFAULT_BATCH_SIZE,
  );
  return forEach('assessment-overdue-notices', candidates, logger, ({ assessment, ...context }) =>
    db.transaction(async (tx) => {
      // Version and updatedAt stay: nothing the API shows changes, so no client's If-Match breaks.
      const [claimed] = await tx
        .update(assessments)
        .set({ overdueNotifiedAt: now })
        .where(
          and(
            eq(assessments.tenantId, assessment.tenantId),
            eq(assessments.id, assessment.id),
            isNull(assessments.overdueNotifiedAt),
            SUPPLIER_OPEN,
            lt(assessments.dueAt, now),
          ),
        )
        .returning();
      if (!claimed) return false;
      const dedupeKey = `overdue:${claimed.id}:${claimed.dueAt.toISOString()}`;
      // Already sent for this due date (the flag was cleared by hand): keep the claim, send nothing.
      if (await outboxHas(tx, claimed.tenantId, dedupeKey)) return false;
      const sent = await mailWithNewLink(tx, claimed, context, 'overdue', dedupeKey, now, settings);
      await recordAudit(tx, jobsAuditContext(claimed.tenantId, now), {
        action: 'assessment.overdue_notified',
        entityType: 'assessment',
        entityId: claimed.id,
        changes: { ...sent, dueAt: claimed.dueAt.toISOString() },
      });
      await emitAssessmentEvent(tx, claimed, 'overdue', now);
      return true;
    }),
  );
}

/**
 * Expires assessments still waiting on the supplier when the grace period after the due date has
 * passed: status `expired`, closed, portal links revoked. Drafts never expire (nothing was sent;
 * staff extend or cancel them), nor do submitted or under-review ones (the customer has the next
 * move). Returns the number expired.
 */
export async function expireOverdueAssessments(
  db: Db,
  now: Date,
  settings: AssessmentJobSettings,
  logger: Logger,
  options: AssessmentJobOptions = {},
): Promise<number> {
  const graceMs = settings.expiryGraceDays * DAY_MS;
  const candidates = await db
    .select({ tenantId: assessments.tenantId, id: assessments.id })
    .from(assessments)
    .where(and(SUPPLIER_OPEN, lt(assessments.dueAt, new Date(now.getTime() - graceMs)), tenantFilter(options)))
    .orderBy(asc(assessments.dueAt), asc(assessments.id))
    .limit(options.batchSize ?? DEFAULT_BATCH_SIZE);
  return forEach(
    'expire-assessments',
    candidates.map((assessment) => ({ assessment })),
    logger,
    ({ assessment }) =>
      db.transaction(async (tx) => {
        const current = await findAssessment(tx, assessment.tenantId, assessment.id, { forUpdate: true });
        // Under the row lock: a concurrent run that expired it, or an extension, ends here.
        if (!current || !isSupplierOpen(current.status) || current.dueAt.getTime() + graceMs >= now.getTime()) return false;
        const next = assertTransition(current, 'expire');
        const revoked = await revokeInvitations(tx, current, now);
        const row = await updateAssessment(tx, current, { status: next, closedAt: now }, now);
        await recordAudit(tx, jobsAuditContext(current.tenantId, now), {
          action: 'assessment.expired',
          entityType: 'assessment',
          entityId: current.id,
          changes: {
            status: { from: current.status, to: row.status },
            dueAt: current.dueAt.toISOString(),
            graceDays: settings.expiryGraceDays,
            invitationsRevoked: revoked,
          },
        });
        // An expired assessment is no longer overdue: the supplier's penalties change.
        await rescoreSupplier(tx, { tenantId: current.tenantId, supplierId: current.supplierId, now, trigger: 'assessment' });
        return true;
      }),
  );
}
