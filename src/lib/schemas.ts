import { z } from '@hono/zod-openapi';
import { isCountryCode } from '../catalog/countries';
import { idLength, idPattern, type IdKind } from './ids';

/** ISO 3166-1 alpha-2, upper case. */
export const CountryCodeSchema = z
  .string()
  .length(2, 'Must be an ISO 3166-1 alpha-2 country code.')
  .refine(isCountryCode, 'Unknown ISO 3166-1 alpha-2 country code.')
  .openapi('CountryCode', { example: 'DE' });

export const CountryListSchema = z
  .array(CountryCodeSchema)
  .max(250)
  .refine((codes) => new Set(codes).size === codes.length, 'Countries must not repeat.');

// ISO 8601 allows the year 0000, and an offset can move 0001 or 9999 across the edge; Postgres
// refuses such timestamps (22008), so they are refused here, naming the field, instead.
const FIRST_STORABLE = Date.parse('0001-01-01T00:00:00.000Z');
const LAST_STORABLE = Date.parse('9999-12-31T23:59:59.999Z');
// Only for values in the right format: a malformed one gets the format's message alone.
const STORABLE = { message: 'Must lie between the years 0001 and 9999 (UTC).', when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };
export const isStorableInstant = (value: string) => {
  const time = Date.parse(value);
  return time >= FIRST_STORABLE && time <= LAST_STORABLE;
};

// The format fixes the length; a .max() would add a second error to every malformed date.
export const IsoDateSchema = z.iso.date().refine(isStorableInstant, STORABLE).openapi({ example: '2026-01-01', maxLength: 10 });

/** Any fraction of a second is allowed, so the length needs its own cap. */
export const DateTimeSchema = z.iso.datetime().max(64).refine(isStorableInstant, STORABLE).openapi({ example: '2026-11-20T14:02:11.000Z' });

/** A point in time from a client, in UTC or with its offset (`+01:00`). */
export const OffsetDateTimeSchema = z.iso.datetime({ offset: true }).max(64).refine(isStorableInstant, STORABLE);

/** An id of one kind. Its pattern fixes the length; the spec states it as maxLength too. */
export function idString(kind: IdKind, message = `Not a ${kind} id.`) {
  return z.string().regex(idPattern(kind), message).openapi({ maxLength: idLength(kind) });
}

export function idParam<Name extends string>(name: Name, kind: IdKind, example: string) {
  return idString(kind).openapi({ param: { name, in: 'path' }, example });
}

/** Versions and counters are PostgreSQL integers: a larger number could never match and would fail the query. */
export const PG_INTEGER_MAX = 2_147_483_647;

/**
 * A free-text list filter. Streamed exports take the same filters and send them to Postgres after
 * their headers are out; Postgres refuses NUL in text, which there would break the stream instead of
 * answering 422. So NUL is refused here (found by the fuzz suite on the supplier export).
 */
export const filterText = (max: number, min = 1) =>
  z.string().trim().min(min).max(max).refine((value) => !value.includes('\u0000'), 'Must not contain NUL characters.');

/** Trimmed text with a length cap; empty after trimming is refused. */
export const text = (max: number) => z.string().trim().min(1).max(max);

export const SortOrderSchema = z.enum(['asc', 'desc']);

/**
 * `schema | null` that keeps a named component intact: `.nullable()` on a registered schema would
 * rewrite the component itself to allow null everywhere it is used.
 */
export function orNull<T extends z.ZodType>(schema: T) {
  return z.union([schema, z.null()]);
}
