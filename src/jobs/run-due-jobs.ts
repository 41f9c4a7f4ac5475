import type { Db } from '../db/types';
import { purgeExpiredIdempotencyKeys } from '../lib/idempotency';
import type { Logger } from '../lib/logger';

export interface JobResult {
  job: string;
  processed: number;
}

interface Job {
  name: string;
  run(db: Db, now: Date): Promise<number>;
}

// Each job is idempotent and safe to run from several instances at once.
const JOBS: Job[] = [{ name: 'purge-expired-idempotency-keys', run: purgeExpiredIdempotencyKeys }];

/** Runs every job that is due. Workers call it from cron, Node from a timer or `npm run worker`. */
export async function runDueJobs(db: Db, now: Date, logger: Logger): Promise<JobResult[]> {
  const results: JobResult[] = [];
  for (const job of JOBS) {
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
