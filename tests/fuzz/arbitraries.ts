import fc from 'fast-check';
import { resolveRef, type OpenApiDocument, type SchemaNode } from '../support/openapi-operations';

/**
 * fast-check arbitraries for values the OpenAPI schemas describe: `valid` ones (within the schema,
 * so requests get past validation into handlers and the database) and `hostile` ones (wrong types,
 * huge and strange strings, extreme numbers and dates, deep nesting, missing and extra fields).
 */

const MIB = 1024 * 1024;
/** Over the default body limit and any maxLength: kept as one shared string, never regenerated. */
export const ONE_MIB_STRING = 'x'.repeat(MIB + 1);

const LONE_SURROGATES = ['\uD800', 'a\uDFFFb', '\uDBFF\uDBFF'];
export const AWKWARD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'Ruhr\u0000Automation',
  '%00',
  '\u202Eevil.exe\u202C',
  '\u200B\u200D\uFEFF',
  'ẞ\u0301Ω🇪🇺👩‍👩‍👧',
  'ＡＢＣ١٢٣',
  '\r\n\t\v\f',
  '"\'; drop table suppliers; --',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '=HYPERLINK("http://x")',
  '${jndi:ldap://x}',
  '{{7*7}}',
  'null',
  'NaN',
  '-0',
  '1e309',
  '99999999999999999999999999',
  '0x7fffffff',
  'true',
  '[]',
  '{"$where":"1"}',
];
export const AWKWARD_DATES = [
  '2026-02-30',
  '2026-13-01',
  '0000-01-01',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00.000Z',
  '1969-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00.000Z',
  '-000001-01-01T00:00:00.000Z',
  '2026-06-01T25:61:61Z',
  '2026-06-01T12:00:00+14:00',
  '2026-06-01T12:00:00.123456789Z',
  '2026-06-01 12:00',
  '1 January 2026',
];
export const AWKWARD_NUMBERS = [0, -1, -0, 0.5, 1e-320, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, -(2 ** 63), 1e21, 1e308, -1e308];
/** Ids that look like ours but name nothing, or are not ids at all. */
export const AWKWARD_IDS = [
  'sup_00000000000000000000000000',
  'sup_ZZZZZZZZZZZZZZZZZZZZZZZZZZ',
  'evd_01JD6S9Q7Y3M8V5R2T4W6X8Z0A',
  'sup_01jd6s9q7y3m8v5r2t4w6x8z0a',
  'sup_',
  '0',
  '-1',
  '99999999999999999999',
  '1.5',
  '..',
  '.',
  '%2F',
  'a/b',
  '\u0000',
  '\uD800',
  'ünïcödé',
  'x'.repeat(5000),
];

const awkwardString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...AWKWARD_STRINGS, ...LONE_SURROGATES, ...AWKWARD_DATES) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map((text) => `${text}\u0000${text}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((length) => 'é'.repeat(length)) },
  { weight: 1, arbitrary: fc.constant(ONE_MIB_STRING) },
);

/** Deep nesting as data (JSON.stringify recurses, so not deeper than a few thousand). */
const deeplyNested: fc.Arbitrary<unknown> = fc.tuple(fc.integer({ min: 50, max: 2000 }), fc.boolean()).map(([depth, asArrays]) => {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level += 1) value = asArrays ? [value] : { a: value };
  return value;
});

/** Anything at all in place of a value: the wrong type, or a strange value of some type. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: awkwardString },
  { weight: 2, arbitrary: fc.constantFrom(...AWKWARD_NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], { '': '' }) },
  { weight: 1, arbitrary: deeplyNested },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** A text for a header: only what fetch's Headers accepts (bytes 0x20–0xFF and tab), but otherwise anything. */
export const headerText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '*', 'W/"1"', '"1"', '"', '"1", "2"', 'null', 'é\u00ff', '\t', 'x'.repeat(8_000), 'application/json; charset=utf-7'),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code)), maxLength: 80 }),
);

export type Mode = 'valid' | 'hostile';

export interface SchemaContext {
  spec: OpenApiDocument;
  /** Ids of real objects of the tenant: offered wherever a schema's pattern accepts them, so valid requests reach deeper. */
  knownIds: readonly string[];
}

const MAX_DEPTH = 8;

/** Merges `allOf` parts into one schema (our spec uses it to add a description to a `$ref`). */
function flatten(ctx: SchemaContext, node: SchemaNode): SchemaNode {
  const resolved = resolveRef(ctx.spec, node);
  if (!Array.isArray(resolved.allOf)) return resolved;
  const merged: SchemaNode = { ...resolved, allOf: undefined };
  for (const part of resolved.allOf as SchemaNode[]) {
    const flat = flatten(ctx, part);
    merged.properties = { ...(merged.properties as object), ...(flat.properties as object) };
    merged.required = [...((merged.required as string[]) ?? []), ...((flat.required as string[]) ?? [])];
    for (const [key, value] of Object.entries(flat)) if (!(key in merged) || merged[key] === undefined) merged[key] = value;
  }
  return merged;
}

function validString(ctx: SchemaContext, schema: SchemaNode): fc.Arbitrary<string> {
  const minLength = (schema.minLength as number | undefined) ?? 0;
  const maxLength = Math.min((schema.maxLength as number | undefined) ?? 40, Math.max(minLength, 40));
  const example = typeof schema.example === 'string' ? [fc.constant(schema.example)] : [];
  switch (schema.format) {
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
    case 'date':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
    case 'email':
      return fc.oneof(...example, fc.emailAddress().filter((email) => email.length <= maxLength));
    case 'uri':
      return fc.oneof(...example, fc.webUrl({ validSchemes: ['https'] }).filter((url) => url.length <= maxLength));
  }
  if (typeof schema.pattern === 'string') {
    // Patterns of ids and codes: the example is a real-looking one; generated ones may not check out (check digits).
    const pattern = new RegExp(schema.pattern);
    const matching = fc.stringMatching(pattern).filter((text) => text.length >= minLength && text.length <= ((schema.maxLength as number | undefined) ?? Infinity));
    const known = ctx.knownIds.filter((id) => pattern.test(id));
    return fc.oneof(
      ...(known.length > 0 ? [{ weight: 4, arbitrary: fc.constantFrom(...known) }] : []),
      ...(example.length > 0 ? [{ weight: 2, arbitrary: example[0]! }] : []),
      { weight: 1, arbitrary: matching },
    );
  }
  const text = fc.string({ unit: 'grapheme', minLength, maxLength }).filter((value) => value.length >= minLength && value.length <= maxLength);
  return example.length > 0 ? fc.oneof(example[0]!, text) : text;
}

/** Values for `schema`: within it (`valid`), or with hostile values and shapes mixed in at any depth. */
export function schemaValue(ctx: SchemaContext, node: SchemaNode, mode: Mode, depth = 0): fc.Arbitrary<unknown> {
  const own = shapeOf(ctx, node, mode, depth);
  if (mode === 'valid') return own;
  return fc.oneof({ weight: 3, arbitrary: own }, { weight: 1, arbitrary: hostileValue });
}

function shapeOf(ctx: SchemaContext, node: SchemaNode, mode: Mode, depth: number): fc.Arbitrary<unknown> {
  const schema = flatten(ctx, node);
  if (depth > MAX_DEPTH) return fc.constant(schema.example ?? null);
  const alternatives = (schema.anyOf ?? schema.oneOf) as SchemaNode[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((alternative) => schemaValue(ctx, alternative, mode, depth + 1)));
  if (Array.isArray(schema.enum)) {
    const values = fc.constantFrom(...(schema.enum as unknown[]));
    return mode === 'valid' ? values : fc.oneof(values, values.map((value) => (typeof value === 'string' ? value.toUpperCase() + ' ' : value)));
  }
  if ('const' in schema) return fc.constant(schema.const);
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined];
  const nonNull = types.filter((type) => type !== 'null');
  const typed = nonNull.map((type) => typedValue(ctx, schema, type, mode, depth));
  if (types.includes('null')) typed.push(fc.constant(null));
  return typed.length === 1 ? typed[0]! : fc.oneof(...typed);
}

function typedValue(ctx: SchemaContext, schema: SchemaNode, type: string | undefined, mode: Mode, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      if (schema.format === 'binary') return fc.uint8Array({ maxLength: 64 });
      return validString(ctx, schema);
    case 'integer':
      return fc.integer({ min: (schema.minimum as number | undefined) ?? -1000, max: (schema.maximum as number | undefined) ?? 100_000 });
    case 'number':
      return fc.double({ min: (schema.minimum as number | undefined) ?? -1000, max: (schema.maximum as number | undefined) ?? 100_000, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const minLength = (schema.minItems as number | undefined) ?? 0;
      const maxLength = Math.max(minLength, Math.min((schema.maxItems as number | undefined) ?? 3, 3));
      return fc.array(schemaValue(ctx, (schema.items as SchemaNode | undefined) ?? {}, mode, depth + 1), { minLength, maxLength });
    }
    case 'object':
      return objectValue(ctx, schema, mode, depth);
    default:
      return mode === 'valid' ? fc.jsonValue({ maxDepth: 2 }) : hostileValue;
  }
}

function objectValue(ctx: SchemaContext, schema: SchemaNode, mode: Mode, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, SchemaNode>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const fields = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, schemaValue(ctx, property, mode, depth + 1)]));
  const extras =
    schema.additionalProperties && typeof schema.additionalProperties === 'object'
      ? fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), schemaValue(ctx, schema.additionalProperties as SchemaNode, mode, depth + 1), { maxKeys: 3 })
      : fc.constant({});
  // Valid: every required field and some optional ones. Hostile: required ones may be missing too.
  const record = fc.record(fields, { requiredKeys: mode === 'valid' ? [...required] : [] });
  const base = fc.tuple(record, extras).map(([value, more]) => ({ ...more, ...value }));
  if (mode === 'valid') return base;
  return fc.tuple(base, fc.option(fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'tenantId', 'id', 'unknownField', ''), hostileValue, { maxKeys: 2 }))).map(
    ([value, unknown]) => {
      const result = value as Record<string, unknown>;
      // defineProperty, so that "__proto__" becomes a plain own key that JSON.stringify sends.
      for (const [key, extra] of Object.entries(unknown ?? {})) Object.defineProperty(result, key, { value: extra, enumerable: true, configurable: true, writable: true });
      return result;
    },
  );
}
