import { buildApp, openApiDocumentConfig } from './app';
import { loadConfig } from './config';
import type { DatabaseProvider } from './db/types';
import { createLogger } from './lib/logger';

const NO_DATABASE: DatabaseProvider = {
  open: () => {
    throw new Error('generating the OpenAPI document needs no database');
  },
  close: async () => {},
};

/** The spec as the code defines it, for the committed copy and the drift check. Needs no database. */
export function generateOpenApiDocument(publicBaseUrl = 'http://localhost:3000') {
  const config = loadConfig({ PUBLIC_BASE_URL: publicBaseUrl });
  const app = buildApp({
    config,
    database: NO_DATABASE,
    logger: createLogger('silent'),
    docsAssets: async () => undefined,
  });
  return app.getOpenAPI31Document(openApiDocumentConfig(config.publicBaseUrl));
}

export function serializeOpenApiDocument(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
