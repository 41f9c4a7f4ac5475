import fc from 'fast-check';
import { AWKWARD_DATES, AWKWARD_IDS, AWKWARD_NUMBERS, AWKWARD_STRINGS, headerText, hostileValue, ONE_MIB_STRING, schemaValue, type Mode, type SchemaContext } from './arbitraries';
import { fillPath, isPlatformOperation, isPortalOperation, percentEncode, resolveRef, type Operation, type SchemaNode } from '../support/openapi-operations';

/** Generated parts of a request; the fixture ids and credentials are filled in when it is sent. */
export interface FuzzCase {
  /** `null`: the operation's own credential; otherwise a garbage one. */
  garbageCredential: string | null;
  /** Per path parameter: `null` for the fixture's real object, or a bad id. */
  pathIds: Record<string, string | null>;
  query: [string, string][];
  headers: Record<string, string>;
  body: FuzzBody | undefined;
}

type FormPart = [name: string, value: string | { bytes: Uint8Array; filename: string; type: string }];

export type FuzzBody = { kind: 'text'; contentType: string | undefined; text: string } | { kind: 'form'; parts: FormPart[] };

export interface Credentials {
  adminKey: string;
  platformToken: string;
  /** The portal token an operation needs (assessment link or incident report link). */
  portalToken(operation: Operation): string;
}

const MALFORMED_JSON = ['{', '{"name":', 'nul', '[1,]', '{"a":1}trailing', "{'name':'x'}", '{"a":"\\ud800"}', '{"a":"\\u0000"}', '\uFEFF{}', '{"a":1,"a":2}', '1e99999', '"just a string"', '[]', 'null'];
const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/problem+json',
  'application/xml',
  'text/csv',
  'application/octet-stream',
];
const deepJsonText = fc.integer({ min: 1_000, max: 200_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth));

const safeStringify = (value: unknown) => {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return '"unserialisable"';
  }
};

/** How a query value travels: strings as they are, arrays as repeated parameters, the rest as JSON. */
const queryEntries = (name: string, value: unknown): [string, string][] =>
  Array.isArray(value) ? value.map((item) => [name, typeof item === 'string' ? item : safeStringify(item)]) : [[name, typeof value === 'string' ? value : safeStringify(value)]];

function queryArbitrary(ctx: SchemaContext, operation: Operation, mode: Mode): fc.Arbitrary<[string, string][]> {
  const parameters = operation.parameters.filter((parameter) => parameter.in === 'query');
  const values = parameters.map((parameter) =>
    (parameter.required ? schemaValue(ctx, parameter.schema, mode).map((value) => [value]) : fc.option(schemaValue(ctx, parameter.schema, mode).map((value) => [value]), { freq: 2 })).map(
      (present) => (present === null ? [] : queryEntries(parameter.name, present[0])),
    ),
  );
  const extra: fc.Arbitrary<[string, string][]> =
    mode === 'valid' ? fc.constant([]) : fc.option(fc.tuple(fc.constantFrom('unknown', 'limit', 'cursor', '__proto__', ''), hostileValue).map(([name, value]) => queryEntries(name, value)), { nil: [] as [string, string][] });
  return fc.tuple(fc.tuple(...values), extra).map(([entries, more]) => [...entries.flat(), ...more]);
}

function headersArbitrary(operation: Operation, mode: Mode): fc.Arbitrary<Record<string, string>> {
  const idempotent = operation.parameters.some((parameter) => parameter.name === 'Idempotency-Key');
  const conditional = operation.parameters.some((parameter) => parameter.name === 'If-Match');
  const idempotencyKey = idempotent ? fc.option(mode === 'valid' ? fc.uuid() : fc.oneof(fc.uuid(), headerText), { nil: undefined }) : fc.constant(undefined);
  const ifMatch = conditional ? fc.option(mode === 'valid' ? fc.constantFrom('"1"', '*') : fc.oneof(fc.constantFrom('"1"', '*', 'W/"1"'), headerText), { nil: undefined }) : fc.constant(undefined);
  const requestId = mode === 'valid' ? fc.constant(undefined) : fc.option(headerText, { nil: undefined });
  return fc.tuple(idempotencyKey, ifMatch, requestId).map(([key, match, id]) => ({
    ...(key !== undefined ? { 'idempotency-key': key } : {}),
    ...(match !== undefined ? { 'if-match': match } : {}),
    ...(id !== undefined ? { 'x-request-id': id } : {}),
  }));
}

const PDF_BYTES = new TextEncoder().encode('%PDF-1.4\n%%EOF\n');
const fileArbitrary = fc.record({
  bytes: fc.oneof(fc.constant(PDF_BYTES), fc.uint8Array({ maxLength: 256 }), fc.constant(new TextEncoder().encode('MZ\u0090\u0000 not a pdf'))),
  filename: fc.oneof(fc.constantFrom('report.pdf', 'evil.exe', '', '../../etc/passwd', 'ünï\u202Ecod.pdf', 'a'.repeat(2000)), fc.string({ maxLength: 20 })),
  type: fc.constantFrom('application/pdf', 'application/octet-stream', 'text/html', '', 'application/x-msdownload'),
});

function formArbitrary(ctx: SchemaContext, schema: SchemaNode, mode: Mode): fc.Arbitrary<FuzzBody> {
  const resolved = schema.$ref ? resolveRef(ctx.spec, schema) : schema;
  const properties = Object.entries((resolved.properties ?? {}) as Record<string, SchemaNode>);
  const required = new Set((resolved.required as string[] | undefined) ?? []);
  const parts = properties.map(([name, property]) => {
    const value =
      property.format === 'binary'
        ? fileArbitrary
        : schemaValue(ctx, property, mode).map((generated) => (typeof generated === 'string' ? generated : safeStringify(generated)));
    const part = value.map((generated): FormPart[] => [[name, generated]]);
    return mode === 'valid' && required.has(name) ? part : fc.option(part, { nil: [] });
  });
  return fc.tuple(...parts).map((entries) => ({ kind: 'form', parts: entries.flat() }) as FuzzBody);
}

function bodyArbitrary(ctx: SchemaContext, operation: Operation, mode: Mode): fc.Arbitrary<FuzzBody | undefined> {
  const json = operation.bodies['application/json'];
  const form = operation.bodies['multipart/form-data'];
  const csv = operation.bodies['text/csv'];
  const asJson = (value: unknown, contentType: string | undefined = 'application/json'): FuzzBody => ({ kind: 'text', contentType, text: safeStringify(value) });
  const choices: fc.WeightedArbitrary<FuzzBody | undefined>[] = [];
  if (json) choices.push({ weight: 6, arbitrary: schemaValue(ctx, json, mode).map((value) => asJson(value)) });
  if (form) choices.push({ weight: 6, arbitrary: formArbitrary(ctx, form, mode) });
  if (csv) {
    const row = fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('"', '""', '\u0000', '=1+1', ONE_MIB_STRING.slice(0, 5000))), { minLength: 1, maxLength: 5 });
    const text = fc.tuple(fc.constantFrom('name,country', 'name,country,status', 'NAME;COUNTRY', '', 'name,name', 'bogus'), fc.array(row, { maxLength: 4 })).map(
      ([header, rows]) => [header, ...rows.map((cells) => cells.join(','))].join(mode === 'valid' ? '\n' : '\r\n'),
    );
    choices.push({ weight: 2, arbitrary: text.map((csvText) => ({ kind: 'text', contentType: 'text/csv', text: csvText }) as FuzzBody) });
  }
  const takesBody = choices.length > 0;
  if (mode === 'valid') return takesBody ? fc.oneof(...choices) : fc.constant(undefined);
  choices.push(
    { weight: takesBody ? 1 : 6, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...MALFORMED_JSON), fc.constantFrom('application/json', undefined)).map(([text, contentType]) => ({ kind: 'text', contentType, text }) as FuzzBody) },
    { weight: 1, arbitrary: deepJsonText.map((text) => ({ kind: 'text', contentType: 'application/json', text }) as FuzzBody) },
    { weight: 1, arbitrary: fc.constant({ kind: 'text', contentType: 'application/json', text: safeStringify({ name: ONE_MIB_STRING }) } as FuzzBody) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(json ? schemaValue(ctx, json, 'valid') : hostileValue, fc.oneof(fc.constantFrom(...WRONG_CONTENT_TYPES), headerText))
        .map(([value, contentType]) => asJson(value, contentType)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { kind: 'text', contentType: 'multipart/form-data; boundary=xyz', text: '--xyz\r\nContent-Disposition: form-data; name="file"\r\n\r\nno end' },
        { kind: 'text', contentType: 'multipart/form-data; boundary=xyz', text: 'not multipart at all' },
        { kind: 'text', contentType: 'multipart/form-data; boundary=' + 'b'.repeat(200), text: '' },
      ) as fc.Arbitrary<FuzzBody>,
    },
  );
  return fc.oneof(...choices);
}

/** Every part of a request to `operation`: mostly valid-looking with hostile parts, sometimes all valid. */
export function fuzzCaseArbitrary(ctx: SchemaContext, operation: Operation): fc.Arbitrary<FuzzCase> {
  const pathNames = operation.parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name);
  const build = (mode: Mode) => {
    const pathIds = fc.record(
      Object.fromEntries(
        pathNames.map((name) => [name, mode === 'valid' ? fc.constant(null) : fc.option(fc.oneof(fc.constantFrom(...AWKWARD_IDS), fc.string({ unit: 'binary', maxLength: 40 })), { freq: 2 })]),
      ) as Record<string, fc.Arbitrary<string | null>>,
    );
    const garbageCredential =
      mode === 'valid' || operation.security.length === 0
        ? fc.constant(null)
        : fc.option(fc.oneof(fc.constantFrom('cp_' + 'A'.repeat(40), 'cp_', 'Bearer', '', 'Basic YWRtaW46YWRtaW4=', 'eyJhbGciOiJub25lIn0.e30.'), headerText), { freq: 8 });
    return fc.record({ garbageCredential, pathIds, query: queryArbitrary(ctx, operation, mode), headers: headersArbitrary(operation, mode), body: bodyArbitrary(ctx, operation, mode) });
  };
  // One bad value in an otherwise valid request: what gets past validation into handlers and the database.
  const oneFault = fc.tuple(build('valid'), fc.nat(), faultArbitrary).map(([fuzzCase, index, fault]) => withOneFault(fuzzCase, index, fault));
  return fc.oneof({ weight: 2, arbitrary: build('valid') }, { weight: 3, arbitrary: oneFault }, { weight: 2, arbitrary: build('hostile') }).map((fuzzCase) =>
    Object.defineProperty(fuzzCase, fc.toStringMethod, { value: () => describeCase(fuzzCase), enumerable: false }),
  );
}

interface Fault {
  text: string;
  date: string;
  number: number;
  any: unknown;
}

const faultArbitrary: fc.Arbitrary<Fault> = fc.record({
  text: fc.oneof(fc.constantFrom(...AWKWARD_STRINGS), fc.string({ unit: 'binary', maxLength: 30 })),
  date: fc.constantFrom(...AWKWARD_DATES),
  number: fc.constantFrom(...AWKWARD_NUMBERS),
  any: hostileValue,
});

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

/** The same value with what is at `path` replaced by something of a kind that fits it badly. */
function replaceAt(value: unknown, path: (string | number)[], fault: Fault, pick: number): unknown {
  if (path.length === 0) {
    if (typeof value === 'string') return pick % 3 === 0 ? fault.any : DATE_LIKE.test(value) ? fault.date : fault.text;
    if (typeof value === 'number') return pick % 3 === 0 ? fault.any : fault.number;
    return fault.any;
  }
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? replaceAt(item, rest, fault, pick) : item));
  const copy = { ...(value as Record<string, unknown>) };
  copy[head!] = replaceAt(copy[head!], rest, fault, pick);
  return copy;
}

function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const children = Array.isArray(value)
    ? value.flatMap((item, index) => pathsOf(item, [...prefix, index]))
    : value && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))
      : [];
  return [prefix, ...children];
}

function withOneFault(fuzzCase: FuzzCase, index: number, fault: Fault): FuzzCase {
  const body = fuzzCase.body?.kind === 'text' && fuzzCase.body.contentType === 'application/json' ? fuzzCase.body : undefined;
  const parsed: unknown = body ? JSON.parse(body.text) : undefined;
  const bodyPaths = body ? pathsOf(parsed) : [];
  const targets = bodyPaths.length + fuzzCase.query.length;
  if (targets === 0) return fuzzCase;
  const target = index % targets;
  if (target < bodyPaths.length) {
    return { ...fuzzCase, body: { ...body!, text: safeStringify(replaceAt(parsed, bodyPaths[target]!, fault, index)) } };
  }
  const queryIndex = target - bodyPaths.length;
  const value = fuzzCase.query[queryIndex]![1];
  const bad = DATE_LIKE.test(value) ? fault.date : /^-?\d+$/.test(value) ? String(fault.number) : fault.text;
  return { ...fuzzCase, query: fuzzCase.query.map((entry, position) => (position === queryIndex ? [entry[0], bad] : entry)) };
}

/** A counterexample as fast-check prints it: long strings cut, so a 1 MiB value does not flood the log. */
export function describeCase(fuzzCase: FuzzCase): string {
  return JSON.stringify(fuzzCase, (_, value: unknown) => {
    if (typeof value === 'string' && value.length > 120) return `${value.slice(0, 60)}…(${value.length} chars)`;
    if (value instanceof Uint8Array) return `<${value.length} bytes>`;
    return value;
  });
}

/** The request a case stands for, with the fixture's ids and the operation's real credential. */
export function buildRequest(operation: Operation, fuzzCase: FuzzCase, fixtureIds: Record<string, string>, credentials: Credentials): Request {
  const ids = Object.fromEntries(Object.entries(fixtureIds).map(([name, id]) => [name, fuzzCase.pathIds[name] ?? id]));
  const query = fuzzCase.query.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');
  const url = new URL(`${fillPath(operation.path, ids)}${query ? `?${query}` : ''}`, 'http://localhost');
  const headers = new Headers(fuzzCase.headers);
  if (isPortalOperation(operation)) {
    headers.set('x-portal-token', fuzzCase.garbageCredential ?? credentials.portalToken(operation));
  } else if (operation.security.length > 0) {
    const token = isPlatformOperation(operation) ? credentials.platformToken : credentials.adminKey;
    headers.set('authorization', fuzzCase.garbageCredential ?? `Bearer ${token}`);
  }
  let body: BodyInit | undefined;
  if (fuzzCase.body?.kind === 'text') {
    body = fuzzCase.body.text;
    if (fuzzCase.body.contentType !== undefined) headers.set('content-type', fuzzCase.body.contentType);
  } else if (fuzzCase.body?.kind === 'form') {
    const form = new FormData();
    for (const [name, value] of fuzzCase.body.parts) {
      if (typeof value === 'string') form.append(name, value);
      else form.append(name, new Blob([value.bytes as Uint8Array<ArrayBuffer>], { type: value.type }), value.filename);
    }
    body = form;
  }
  const method = operation.method;
  return new Request(url, { method, headers, ...(body !== undefined && method !== 'GET' ? { body } : {}) });
}
