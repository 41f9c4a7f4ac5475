import type { Context } from 'hono';
import { problems } from './errors';

export function etagFor(version: number): string {
  return `"${version}"`;
}

export function setEtag(c: Context, version: number): void {
  c.header('ETag', etagFor(version));
}

/** `If-Match` is optional; when sent it must name the current version (or be `*`). */
export function assertIfMatch(c: Context, currentVersion: number): void {
  const header = c.req.header('if-match');
  if (header === undefined) return;
  const candidates = header.split(',').map((tag) => tag.trim());
  if (candidates.includes('*') || candidates.includes(etagFor(currentVersion))) return;
  throw problems.preconditionFailed();
}
