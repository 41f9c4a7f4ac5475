import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context';
import { problems } from '../../lib/errors';

// Everything the page needs is served from here: OT and regulated sites often run air-gapped.
const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chainproof API reference</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/docs-init.js"></script>
</body>
</html>`;

// validatorUrl null: the default sends the spec to an online validator.
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: true,
  persistAuthorization: false,
  displayRequestDuration: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0
});
`;

export const DOCS_ASSET_NAMES = ['swagger-ui.css', 'swagger-ui-bundle.js'] as const;

export const docsRouter = new Hono<AppEnv>()
  .get('/docs', (c) => {
    c.header('Content-Security-Policy', DOCS_CSP);
    return c.html(PAGE);
  })
  .get('/docs/assets/:name', async (c) => {
    const name = c.req.param('name');
    c.header('Content-Security-Policy', DOCS_CSP);
    c.header('Cache-Control', 'public, max-age=86400');
    if (name === 'docs-init.js') {
      return c.body(INIT_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
    }
    const asset = (DOCS_ASSET_NAMES as readonly string[]).includes(name) ? await c.get('deps').docsAssets(name) : undefined;
    if (!asset) throw problems.notFound('Docs asset');
    return c.body(asset.body as string, 200, { 'Content-Type': asset.contentType });
  });
