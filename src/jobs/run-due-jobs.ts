import type { Db } from '../db/types';
import { purgeExpiredIdempotencyKeys } from '../lib/idempotency';
import type { Logger } from '../lib/logger';
import { deliverDueMail, type DeliveryOptions } from '../lib/mail/deliver';
import type { MailTransport } from '../lib/mail/transports';

export interface JobResult {
  job: string;
  processed: number;
}

export interface RunDueJobsOptions {
  /** Delivers the mail outbox; without it the delivery job is skipped and mail stays queued. */
  mailer?: MailTransport | undefined;
  mailDelivery?: DeliveryOptions;
}

interface Job {
  name: string;
  run(db: Db, now: Date): Promise<number>;
}

// Each job is idempotent and safe to run from several instances at once.
const JOBS: Job[] = [{ name: 'purge-expired-idempotency-keys', run: purgeExpiredIdempotencyKeys }];

function jobsFor(logger: Logger, options: RunDueJobsOptions): Job[] {
  const { mailer } = options;
  if (!mailer) return JOBS;
  return [
    ...JOBS,
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
export async function runDueJobs(db: Db, now: Date, logger: Logger, options: RunDueJobsOptions = {}): Promise<JobResult[]> {
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
