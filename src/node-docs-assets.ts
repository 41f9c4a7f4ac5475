import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DocsAsset, DocsAssets } from './lib/context';

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/** Node reads the docs UI from the installed swagger-ui-dist package, once per file. */
export function nodeDocsAssets(): DocsAssets {
  const folder = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Promise<DocsAsset>>();
  return (name) => {
    const extension = name.slice(name.lastIndexOf('.'));
    const contentType = CONTENT_TYPES[extension];
    if (!contentType || name.includes('/') || name.includes('..')) return Promise.resolve(undefined);
    let asset = cache.get(name);
    if (!asset) {
      asset = readFile(join(folder, name), 'utf8').then((body) => ({ body, contentType }));
      cache.set(name, asset);
    }
    return asset;
  };
}
