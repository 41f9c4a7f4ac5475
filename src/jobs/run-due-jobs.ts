import type { Config } from '../config';
import type { Db } from '../db/types';
import {
  expireOverdueAssessments,
  sendDueReminders,
  sendOverdueNotices,
  type AssessmentJobOptions,
  type AssessmentJobSettings,
} from '../features/assessments/assessment-jobs';
import { reopenExpiredRiskAcceptances, type FindingJobOptions } from '../features/findings/findings.jobs';
import { rescoreDateDependent } from '../features/risk/risk.jobs';
import { raiseExpiredEvidenceFindings } from '../features/evidence/evidence.jobs';
import { syncClauseGapFindings } from '../features/contracts/contracts.jobs';
import { raiseDeadlineAlerts, type DeadlineAlertJobOptions } from '../features/deadline-alerts/deadline-alerts.jobs';
import { deliverDueWebhooks, type WebhookDispatchOptions } from '../features/webhooks/webhooks.dispatch';
import { runRecalculations, type RecalculationJobOptions } from '../features/risk/risk.recalculate';
import { purgeExpiredIdempotencyKeys } from '../lib/idempotency';
import type { Logger } from '../lib/logger';
import { deliverDueMail, type DeliveryOptions } from '../lib/mail/deliver';
import type { MailTransport } from '../lib/mail/transports';

export interface JobResult {
  job: string;
  processed: number;
}

export interface RunDueJobsOptions {
  /** PUBLIC_BASE_URL for the links in mails, and the assessment reminder and expiry settings. */
  config: Pick<Config, 'publicBaseUrl' | 'assessments' | 'webhooks' | 'secretsEncryptionKey'>;
  /** Batch size of the assessment jobs, and in tests one tenant only. */
  assessmentJobs?: AssessmentJobOptions;
  /** Delivers the mail outbox; without it the delivery job is skipped and mail stays queued. */
  mailer?: MailTransport | undefined;
  mailDelivery?: DeliveryOptions;
  /** Batch size of the findings jobs, and in tests one tenant only. */
  findingJobs?: FindingJobOptions;
  /** Batch size, time budget and (tests) one tenant for risk recalculations and date re-scores. */
  riskJobs?: RecalculationJobOptions;
  /** Batch size of the deadline alert job, and in tests one tenant only. */
  alertJobs?: DeadlineAlertJobOptions;
  /** Batch size and concurrency of webhook delivery, and in tests one tenant only. */
  webhookDelivery?: WebhookDispatchOptions;
}

interface Job {
  name: string;
  run(db: Db, now: Date): Promise<number>;
}

// Each job is idempotent and safe to run from several instances at once.
const JOBS: Job[] = [{ name: 'purge-expired-idempotency-keys', run: purgeExpiredIdempotencyKeys }];

function jobsFor(logger: Logger, options: RunDueJobsOptions): Job[] {
  const { mailer, config } = options;
  const settings: AssessmentJobSettings = {
    publicBaseUrl: config.publicBaseUrl,
    reminderDays: config.assessments.reminderDays,
    expiryGraceDays: config.assessments.expiryGraceDays,
  };
  // Expiry first, so that an assessment past its grace period gets no overdue notice with a
  // link that no longer works; the mail jobs before delivery, so that one run queues and sends.
  const assessmentJobs: Job[] = [
    { name: 'expire-assessments', run: (db, now) => expireOverdueAssessments(db, now, settings, logger, options.assessmentJobs) },
    { name: 'assessment-overdue-notices', run: (db, now) => sendOverdueNotices(db, now, settings, logger, options.assessmentJobs) },
    { name: 'assessment-reminders', run: (db, now) => sendDueReminders(db, now, settings, logger, options.assessmentJobs) },
  ];
  const findingJobs: Job[] = [
    { name: 'reopen-expired-risk-acceptances', run: (db, now) => reopenExpiredRiskAcceptances(db, now, logger, options.findingJobs) },
    { name: 'expired-evidence-findings', run: (db, now) => raiseExpiredEvidenceFindings(db, now, logger, options.findingJobs) },
  ];
  // After the assessment and finding jobs: what they change this run is re-scored this run.
  const riskJobs: Job[] = [
    { name: 'risk-recalculations', run: (db, now) => runRecalculations(db, now, logger, options.riskJobs) },
    { name: 'risk-date-rescore', run: (db, now) => rescoreDateDependent(db, now, { tenantId: options.riskJobs?.tenantId }) },
  ];
  // After the re-scores: a tier they moved is what the clause-gap rule looks at.
  const followUpJobs: Job[] = [
    { name: 'clause-gap-findings', run: (db, now) => syncClauseGapFindings(db, now, logger, options.findingJobs) },
    { name: 'deadline-alerts', run: (db, now) => raiseDeadlineAlerts(db, now, logger, options.alertJobs) },
    // Last: the events every job above emitted go out in the same run.
    { name: 'deliver-webhooks', run: (db, now) => deliverDueWebhooks(db, now, logger, config, options.webhookDelivery) },
  ];
  if (!mailer) return [...JOBS, ...assessmentJobs, ...findingJobs, ...riskJobs, ...followUpJobs];
  return [
    ...JOBS,
    ...assessmentJobs,
    ...findingJobs,
    ...riskJobs,
    ...followUpJobs,
    {
      name: 'deliver-mail',
      run: async (db, now) => {
        const result = await deliverDueMail(db, now, mailer, logger, options.mailDelivery);
        if (result.claimed > 0) logger.info('mail delivered', { transport: mailer.name, ...result });
        return result.claimed - result.released;
      },
    },
  ];
}

/** Runs every job that is due. Workers call it from cron, Node from a timer or `npm run worker`. */
export async function runDueJobs(db: Db, now: Date, logger: Logger, options: RunDueJobsOptions): Promise<JobResult[]> {
  const results: JobResult[] = [];
  for (const job of jobsFor(logger, options)) {
    try {
      const processed = await job.run(db, now);
      results.push({ job: job.name, processed });
      if (processed > 0) logger.info('job ran', { job: job.name, processed });
    } catch (error) {
      logger.error('job failed', { job: job.name, error });
    }
  }
  return results;
}
