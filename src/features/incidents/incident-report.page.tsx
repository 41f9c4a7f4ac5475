import type { FC } from 'hono/jsx';
import { SEVERITIES } from '../../scoring/types';
import { Layout, MessagePage } from '../../portal/portal.page';
import { createRouter } from '../../lib/router';
import type { AppContext } from '../../lib/context';
import { ApiError } from '../../lib/errors';
import { isCrossSite, pageHeaders } from '../../portal/portal.index';
import { reportThroughLink } from './incident-links.handlers';
import { ReportIncidentSchema } from './incident-links.schemas';
import { incidentLinkOf, type IncidentLinkRow } from './incident-links.service';

/**
 * The supplier's incident report page: one server-rendered form that works without JavaScript,
 * with the assessment portal's layout, headers (CSP, no-store, noindex), cross-site refusal and
 * failure limiter. The JSON twin is POST /portal/api/incident-reports.
 */

const TEXT = {
  title: 'Report a security incident',
  intro: 'Tell us about an incident at your company that affects, or may affect, the services you provide to us. We will contact you about it.',
  invalidTitle: 'This link does not work',
  invalidBody: 'The incident report link may have expired or been revoked. Ask your contact at our company for a new one.',
  tooManyTitle: 'Too many attempts',
  tooManyBody: 'Please wait a minute and try again.',
  crossSite: 'This form can only be sent from the incident report page itself.',
  errorTitle: 'There is a problem',
  errors: 'Please correct the fields marked below.',
  received: (id: string) => `Thank you: your report was received as ${id}. You can report another incident below.`,
  fields: {
    title: 'Short title',
    awareAt: 'When did you become aware of it? (UTC)',
    severity: 'How severe is it, in your estimate?',
    significant: 'We consider it significant (NIS2 Art. 23(3))',
    description: 'What happened, what is affected, and what are you doing about it?',
    submit: 'Send the report',
  },
} as const;

type Values = Record<'title' | 'awareAt' | 'severity' | 'description', string> & { significant: boolean };
const EMPTY: Values = { title: '', awareAt: '', severity: 'medium', description: '', significant: false };

const ReportPage: FC<{ values: Values; errors: Record<string, string>; notice?: string | undefined }> = ({ values, errors, notice }) => {
  const error = (field: string) => (errors[field] ? <p class="err" id={`${field}-e`}>{errors[field]}</p> : null);
  return (
    <Layout title={TEXT.title}>
      <main>
        <h1>{TEXT.title}</h1>
        <p>{TEXT.intro}</p>
        {notice ? <p class="notice" role="status">{notice}</p> : null}
        {Object.keys(errors).length > 0 ? (
          <div class="errs" role="alert">
            <p>{TEXT.errors}</p>
          </div>
        ) : null}
        <form method="post">
          <p>
            <label for="title">{TEXT.fields.title}</label>
            <br />
            <input id="title" name="title" maxlength={200} required value={values.title} />
          </p>
          {error('title')}
          <p>
            <label for="awareAt">{TEXT.fields.awareAt}</label>
            <br />
            <input id="awareAt" name="awareAt" type="datetime-local" required value={values.awareAt} />
          </p>
          {error('awareAt')}
          <p>
            <label for="severity">{TEXT.fields.severity}</label>
            <br />
            <select id="severity" name="severity">
              {SEVERITIES.map((severity) => (
                <option value={severity} selected={values.severity === severity}>
                  {severity}
                </option>
              ))}
            </select>
          </p>
          {error('severity')}
          <p>
            <label>
              <input type="checkbox" name="significant" value="true" checked={values.significant} /> {TEXT.fields.significant}
            </label>
          </p>
          <p>
            <label for="description">{TEXT.fields.description}</label>
            <br />
            <textarea id="description" name="description" rows={8} maxlength={10000}>
              {values.description}
            </textarea>
          </p>
          {error('description')}
          <p>
            <button type="submit">{TEXT.fields.submit}</button>
          </p>
        </form>
      </main>
    </Layout>
  );
};

/** datetime-local has no zone and often no seconds; the label says UTC. */
function awareAtOf(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00.000Z` : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(value) ? `${value}.000Z` : value;
}

async function withLink(c: AppContext, run: (link: IncidentLinkRow) => Promise<Response>): Promise<Response> {
  pageHeaders(c);
  let link: IncidentLinkRow | undefined;
  try {
    link = await incidentLinkOf(c, c.req.param('token') ?? '');
  } catch (error) {
    if (error instanceof ApiError && error.status === 429) {
      c.header('Retry-After', error.headers?.['Retry-After'] ?? '60');
      return c.html(<MessagePage title={TEXT.tooManyTitle} body={TEXT.tooManyBody} />, 429);
    }
    throw error;
  }
  if (!link) return c.html(<MessagePage title={TEXT.invalidTitle} body={TEXT.invalidBody} />, 404);
  return run(link);
}

export const incidentReportPageRouter = createRouter();
incidentReportPageRouter
  .get('/portal/incidents/:token', (c) =>
    withLink(c, async () => {
      const reported = c.req.query('reported');
      const notice = reported && /^inc_[0-9A-Z]{26}$/.test(reported) ? TEXT.received(reported) : undefined;
      return c.html(<ReportPage values={EMPTY} errors={{}} notice={notice} />);
    }),
  )
  .post('/portal/incidents/:token', async (c) => {
    if (isCrossSite(c)) {
      pageHeaders(c);
      return c.html(<MessagePage title={TEXT.errorTitle} body={TEXT.crossSite} />, 403);
    }
    return withLink(c, async (link) => {
      const body = await c.req.parseBody();
      const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
      const values: Values = { title: field('title'), awareAt: field('awareAt'), severity: field('severity') || 'medium', description: field('description'), significant: field('significant') === 'true' };
      const parsed = ReportIncidentSchema.safeParse({
        title: values.title,
        awareAt: awareAtOf(values.awareAt),
        severity: values.severity,
        significant: values.significant,
        ...(values.description.trim() ? { description: values.description } : {}),
      });
      if (!parsed.success) {
        const errors = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? 'title'), issue.message]));
        return c.html(<ReportPage values={values} errors={errors} />, 422);
      }
      try {
        const incident = await reportThroughLink(c, link, parsed.data);
        return c.redirect(`/portal/incidents/${c.req.param('token')}?reported=${incident.id}`, 303);
      } catch (error) {
        if (error instanceof ApiError && (error.status === 422 || error.status === 429)) {
          const errors = error.errors?.length
            ? Object.fromEntries(error.errors.map((item) => [item.path, item.message]))
            : { title: error.detail ?? error.title };
          return c.html(<ReportPage values={values} errors={errors} />, error.status as 422 | 429);
        }
        throw error;
      }
    });
  });
