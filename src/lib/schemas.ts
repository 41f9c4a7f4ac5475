import { z } from '@hono/zod-openapi';
import { isCountryCode } from '../catalog/countries';
import { idPattern, type IdKind } from './ids';

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

export const IsoDateSchema = z.iso.date().openapi({ example: '2026-01-01' });

export const DateTimeSchema = z.iso.datetime().openapi({ example: '2026-11-20T14:02:11.000Z' });

export function idParam<Name extends string>(name: Name, kind: IdKind, example: string) {
  return z
    .string()
    .regex(idPattern(kind), `Not a ${kind} id.`)
    .openapi({ param: { name, in: 'path' }, example });
}

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
