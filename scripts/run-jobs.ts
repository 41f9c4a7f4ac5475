// `npm run worker`: runs due jobs on a timer, separately from the API process (or once with --once).
import { loadConfigOrExit } from '../src/config';
import { openNodeDatabase } from '../src/db/node';
import { runDueJobs } from '../src/jobs/run-due-jobs';
import { createLogger } from '../src/lib/logger';
import { createMailTransport } from '../src/lib/mail/transports';

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);
const smtp = config.mail.transport === 'smtp' ? (await import('../src/lib/mail/smtp-transport')).smtpTransport : undefined;
const mailer = createMailTransport(config, logger, { smtp });
const database = await openNodeDatabase(config);
const once = process.argv.includes('--once');
const intervalMs = Math.max(config.jobsIntervalSeconds, 1) * 1000;

let stopping = false;
process.on('SIGINT', () => (stopping = true));
process.on('SIGTERM', () => (stopping = true));

do {
  const results = await runDueJobs((await database.open()).db, new Date(), logger, { config, mailer });
  logger.info('jobs run', { results });
  if (once) break;
  for (let waited = 0; waited < intervalMs && !stopping; waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
} while (!stopping);
await database.close();
