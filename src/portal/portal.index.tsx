import { Hono, type Context } from 'hono';
import type { Config } from '../config';
import type { AppEnv } from '../lib/context';
import { FixedWindowLimiter } from '../lib/rate-limit';
import { resolvePortalToken } from './portal.auth';
import { PORTAL_CSS, PORTAL_JS } from './portal.assets';
import { InvalidLinkPage, PortalPage } from './portal.page';
import { loadPortalView } from './portal.queries';
import { portalStrings } from './portal.strings';

const PORTAL_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function pageHeaders(c: Context) {
  c.header('Content-Security-Policy', PORTAL_CSP);
  // The URL carries a secret: keep the page out of caches and search engines.
  c.header('Cache-Control', 'no-store');
  c.header('X-Robots-Tag', 'noindex, nofollow');
}

/** The supplier portal pages. Suppliers have no account: the token in the link is the credential. */
export function createPortalRouter(config: Config) {
  const failures = new FixedWindowLimiter(config.authFailureLimitPerMinute, 60_000);
  const strings = portalStrings('en');

  return new Hono<AppEnv>()
    .get('/portal/assets/portal.css', (c) => {
      c.header('Cache-Control', 'public, max-age=3600');
      return c.body(PORTAL_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' });
    })
    .get('/portal/assets/portal.js', (c) => {
      c.header('Cache-Control', 'public, max-age=3600');
      return c.body(PORTAL_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
    })
    .get('/portal/a/:token', async (c) => {
      pageHeaders(c);
      const address = c.var.deps.clientAddress?.(c) ?? 'unknown';
      const now = c.var.now;
      const wait = failures.retryAfter(address, now.getTime());
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        return c.html(<InvalidLinkPage strings={strings} />, 429);
      }
      const session = await resolvePortalToken(c.var.db, c.req.param('token'), now);
      const view = session ? await loadPortalView(c.var.db, session.tenantId, session.assessmentId) : undefined;
      if (!session || !view) {
        failures.hit(address, now.getTime());
        return c.html(<InvalidLinkPage strings={strings} />, 404);
      }
      return c.html(<PortalPage view={view} token={c.req.param('token')} strings={strings} />);
    });
}
