import { z } from '@hono/zod-openapi';
import { problems } from './errors';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export const paginationQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .openapi({ description: `Page size, 1 to ${MAX_PAGE_SIZE}.`, example: DEFAULT_PAGE_SIZE }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .openapi({ description: 'Opaque cursor from the previous page\'s `nextCursor`.', example: 'WyIyMDI2LTAxLTAxIiwia2V5XzAxIl0' }),
};

/** A cursor is the sort key of the last row of a page, as base64url JSON. */
export function encodeCursor(values: readonly (string | number)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(values));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCursor<T extends readonly unknown[]>(cursor: string, schema: z.ZodType<T>): T {
  try {
    const base64 = cursor.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64);
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    const parsed = schema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the problem below
  }
  throw problems.validation([{ location: 'query', path: 'cursor', message: 'Not a cursor from this list.' }]);
}

/** Rows were fetched with `limit + 1`; the extra row only says that another page exists. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  present: (row: Row) => Item,
  cursorOf: (row: Row) => readonly (string | number)[],
): { data: Item[]; nextCursor: string | null } {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(present),
    nextCursor: hasMore && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}

/** toPage for items that are already JSON text: the page is written around them, not re-serialised. */
export function toPageJsonText<Row>(rows: Row[], limit: number, jsonOf: (row: Row) => string, cursorOf: (row: Row) => readonly (string | number)[]): string {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  const nextCursor = hasMore && last !== undefined ? encodeCursor(cursorOf(last)) : null;
  return `{"data":[${pageRows.map(jsonOf).join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;
}

export function pageSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      data: z.array(item),
      nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
    })
    .openapi(name);
}
