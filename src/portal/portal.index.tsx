import type { Context, MiddlewareHandler } from 'hono';
import type { EvidenceKind } from '../catalog/evidence-kinds';
import { EVIDENCE_KIND_CODES } from '../catalog/evidence-kinds';
import type { Config } from '../config';
import type { AppContext } from '../lib/context';
import { ApiError } from '../lib/errors';
import { isValidMailAddress } from '../lib/mail/outbox';
import { createRouter } from '../lib/router';
import type { PortalSession } from './portal.auth';
import { PORTAL_CSS, PORTAL_JS } from './portal.assets';
import { readAnswerForm, type FormBody } from './portal.form';
import {
  detachPortalEvidenceHandler,
  forwardPortalAssessmentHandler,
  getPortalAssessmentHandler,
  portalCallOf,
  savePortalAnswersHandler,
  submitPortalAssessmentHandler,
  uploadPortalEvidenceHandler,
} from './portal.handlers';
import { InvalidLinkPage, MessagePage, PortalPage, type Overlay, type PageError } from './portal.page';
import { loadPortalView, type PortalView } from './portal.queries';
import {
  detachPortalEvidenceRoute,
  forwardPortalAssessmentRoute,
  getPortalAssessmentRoute,
  savePortalAnswersRoute,
  submitPortalAssessmentRoute,
  uploadPortalEvidenceRoute,
} from './portal.routes';
import { attachPortalEvidence, detachPortalEvidence, EDITABLE_STATUSES, evidenceMaxBytes, forwardPortal, savePortalAnswers, submitPortal } from './portal.service';
import { portalSessionOf } from './portal.session';
import { portalStrings } from './portal.strings';

const PORTAL_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Room for the multipart envelope around the largest accepted file. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export function pageHeaders(c: Context) {
  c.header('Content-Security-Policy', PORTAL_CSP);
  // The URL carries a secret: keep the page out of caches and search engines.
  c.header('Cache-Control', 'no-store');
  c.header('X-Robots-Tag', 'noindex, nofollow');
}

/**
 * Body limits under /portal: uploads (the JSON API's and the page's) may carry one evidence file,
 * everything else the configured limit.
 */
export function portalBodyLimit(config: Config, limitBody: (maxSize: number) => MiddlewareHandler): MiddlewareHandler {
  const standard = limitBody(config.bodyLimitBytes);
  const upload = limitBody(Math.max(config.bodyLimitBytes, evidenceMaxBytes(config) + MULTIPART_OVERHEAD_BYTES));
  return (c, next) => (c.req.method === 'POST' && c.req.path.endsWith('/evidence') ? upload : standard)(c, next);
}

/**
 * A browser sends Sec-Fetch-Site and, on POST, Origin: a form posted from another site is refused,
 * so a page elsewhere cannot make a supplier's browser save, submit or forward. (The JSON API needs
 * no such check: its token travels in a header that another site cannot set.)
 */
export function isCrossSite(c: AppContext): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return true;
  // Our pages send `Referrer-Policy: no-referrer`, under which a browser posts `Origin: null` even
  // from the page itself; Sec-Fetch-Site, where sent, is the reliable answer.
  if (site === 'same-origin' || site === 'none') return false;
  const origin = c.req.header('origin');
  if (origin === undefined) return false;
  const allowed = new Set([new URL(c.req.url).origin, new URL(c.get('deps').config.publicBaseUrl).origin]);
  return !allowed.has(origin);
}

const NOTICES = ['saved', 'submitted', 'uploaded', 'removed', 'forwarded'] as const;

/** The supplier portal: the page (works without JavaScript) and the JSON API its script uses. */
export function createPortalRouter(_config: Config) {
  const strings = portalStrings('en');

  /** Resolves the link in the path, or answers with the page every unusable link gets. */
  async function withSession(c: AppContext, run: (session: PortalSession, token: string) => Promise<Response>): Promise<Response> {
    pageHeaders(c);
    const token = c.req.param('token') ?? '';
    let session: PortalSession | undefined;
    try {
      session = await portalSessionOf(c, token);
    } catch (error) {
      if (error instanceof ApiError && error.status === 429) {
        c.header('Retry-After', error.headers?.['Retry-After'] ?? '60');
        return c.html(<MessagePage title={strings.tooManyTitle} body={strings.tooManyBody} />, 429);
      }
      throw error;
    }
    if (!session) return c.html(<InvalidLinkPage strings={strings} />, 404);
    return run(session, token);
  }

  /** Form posts: refused from other sites, and on a link that no longer resolves. */
  function formPost(run: (c: AppContext, session: PortalSession, token: string) => Promise<Response>) {
    return (c: AppContext) => {
      if (isCrossSite(c)) {
        pageHeaders(c);
        return c.html(<MessagePage title={strings.errorTitle} body={strings.crossSite} />, 403);
      }
      return withSession(c, (session, token) => run(c, session, token));
    };
  }

  async function viewOf(c: AppContext, session: PortalSession): Promise<PortalView> {
    const view = await loadPortalView(c.get('db'), session.tenantId, session.assessmentId);
    if (!view) throw new Error(`portal view missing for ${session.assessmentId}`);
    return view;
  }

  async function render(c: AppContext, session: PortalSession, token: string, status: 200 | 403 | 409 | 413 | 422 | 429, extra: { notice?: string; errors?: PageError[]; overlay?: Overlay } = {}) {
    const view = await viewOf(c, session);
    return c.html(<PortalPage view={view} token={token} strings={strings} {...extra} />, status);
  }

  const back = (c: AppContext, token: string, notice: (typeof NOTICES)[number], anchor = '') => c.redirect(`/portal/a/${token}?${notice}=1${anchor}`, 303);

  /** A problem from a portal action, as errors on the page. */
  async function renderProblem(c: AppContext, session: PortalSession, token: string, error: unknown, field: string) {
    if (!(error instanceof ApiError) || ![409, 413, 422].includes(error.status)) throw error;
    const errors = error.errors?.length
      ? error.errors.map((item) => ({ field, message: item.message }))
      : [{ field, message: error.detail ?? error.title }];
    return render(c, session, token, error.status as 409 | 413 | 422, { errors });
  }

  const router = createRouter()
    .openapi(getPortalAssessmentRoute, getPortalAssessmentHandler)
    .openapi(savePortalAnswersRoute, savePortalAnswersHandler)
    .openapi(submitPortalAssessmentRoute, submitPortalAssessmentHandler)
    .openapi(forwardPortalAssessmentRoute, forwardPortalAssessmentHandler)
    .openapi(uploadPortalEvidenceRoute, uploadPortalEvidenceHandler)
    .openapi(detachPortalEvidenceRoute, detachPortalEvidenceHandler);
  router
    .get('/portal/assets/portal.css', (c) => {
      c.header('Cache-Control', 'public, max-age=3600');
      return c.body(PORTAL_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' });
    })
    .get('/portal/assets/portal.js', (c) => {
      c.header('Cache-Control', 'public, max-age=3600');
      return c.body(PORTAL_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
    })
    .get('/portal/a/:token', (c) =>
      withSession(c, async (session, token) => {
        const view = await viewOf(c, session);
        const query = c.req.query();
        // The query outlives the moment (a reload days later): say only what still holds.
        const editable = EDITABLE_STATUSES.has(view.assessment.status);
        const shown = NOTICES.find((notice) => query[notice] !== undefined && (notice === 'submitted') !== editable);
        const notice = shown === 'forwarded' ? strings.forwarded(query.forwarded ?? '') : shown ? strings[shown] : undefined;
        return c.html(<PortalPage view={view} token={token} strings={strings} notice={notice} />);
      }),
    )
    .post(
      '/portal/a/:token',
      formPost(async (c, session, token) => {
        const view = await viewOf(c, session);
        if (!EDITABLE_STATUSES.has(view.assessment.status)) return render(c, session, token, 409);
        const body = (await c.req.parseBody({ all: true })) as FormBody;
        const action = body.action === 'submit' ? 'submit' : 'save';
        const reading = readAnswerForm(view.document, view.answers, body, strings);
        if (reading.errors.length > 0) return render(c, session, token, 422, { errors: reading.errors, overlay: reading.overlay });
        const call = portalCallOf(c, session);
        if (reading.changed.length > 0) {
          const saved = await savePortalAnswers(call, reading.changed, { skipStale: true });
          if (saved.stale.length > 0) {
            return render(c, session, token, 409, { errors: saved.stale.map((key) => ({ field: key, message: strings.staleMessage })) });
          }
        }
        if (action === 'save') return back(c, token, 'saved');
        try {
          await submitPortal(call);
        } catch (error) {
          if (error instanceof ApiError && error.code === 'required_answers_missing') {
            const errors = (error.errors ?? []).map((item) => ({ field: item.path, message: strings.requiredMessage }));
            return render(c, session, token, 422, { errors });
          }
          throw error;
        }
        return back(c, token, 'submitted');
      }),
    )
    .post(
      '/portal/a/:token/questions/:questionKey/evidence',
      formPost(async (c, session, token) => {
        const questionKey = c.req.param('questionKey') ?? '';
        const body = (await c.req.parseBody()) as FormBody;
        const file = body.file;
        if (!(file instanceof File) || file.size === 0) {
          return render(c, session, token, 422, { errors: [{ field: questionKey, message: strings.attachLabel }] });
        }
        const kind = typeof body.kind === 'string' && (EVIDENCE_KIND_CODES as readonly string[]).includes(body.kind) ? (body.kind as EvidenceKind) : 'other';
        try {
          await attachPortalEvidence(portalCallOf(c, session), questionKey, { name: file.name, type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) }, kind);
        } catch (error) {
          return renderProblem(c, session, token, error, questionKey);
        }
        return back(c, token, 'uploaded', `#q-${questionKey}-b`);
      }),
    )
    .post(
      '/portal/a/:token/questions/:questionKey/evidence/remove',
      formPost(async (c, session, token) => {
        const questionKey = c.req.param('questionKey') ?? '';
        const body = (await c.req.parseBody()) as FormBody;
        try {
          await detachPortalEvidence(portalCallOf(c, session), questionKey, typeof body.evidenceId === 'string' ? body.evidenceId : '');
        } catch (error) {
          return renderProblem(c, session, token, error, questionKey);
        }
        return back(c, token, 'removed', `#q-${questionKey}-b`);
      }),
    )
    .post(
      '/portal/a/:token/forward',
      formPost(async (c, session, token) => {
        const body = (await c.req.parseBody()) as FormBody;
        const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
        const email = text('email');
        // eslint-disable-next-line no-control-regex -- the name goes into a mail header
        const name = text('name').replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200);
        if (!isValidMailAddress(email)) return render(c, session, token, 422, { errors: [{ field: 'fwd-email', message: strings.forwardInvalidEmail }] });
        try {
          await forwardPortal(portalCallOf(c, session), { email, ...(name ? { name } : {}), ...(text('note') ? { note: text('note').slice(0, 2000) } : {}) });
        } catch (error) {
          if (error instanceof ApiError && error.status === 429) return render(c, session, token, 429, { errors: [{ field: 'fwd-email', message: error.detail ?? error.title }] });
          return renderProblem(c, session, token, error, 'fwd-email');
        }
        return c.redirect(`/portal/a/${token}?forwarded=${encodeURIComponent(email)}`, 303);
      }),
    );
  return router;
}
