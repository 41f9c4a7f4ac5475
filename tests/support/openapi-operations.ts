import type { TestContext, TestTenant } from './context';
import { objectFactories } from './fixtures';

/** A JSON Schema node of the spec, as far as the tests read it. */
export type SchemaNode = Record<string, unknown> & { $ref?: string };

export interface OperationParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: SchemaNode;
}

export interface Operation {
  method: string;
  path: string;
  operationId: string;
  security: Record<string, string[]>[];
  requiredScope: string | undefined;
  /** The example of the JSON request body, if the spec has one. */
  exampleBody: unknown;
  parameters: OperationParameter[];
  /** Request body schemas by media type; empty when the operation takes no body. */
  bodies: Record<string, SchemaNode>;
  bodyRequired: boolean;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, SchemaNode>; parameters: Record<string, OperationParameter> };
}

interface OpenApiOperation {
  operationId: string;
  security?: Record<string, string[]>[];
  'x-required-scope'?: string;
  parameters?: (OperationParameter | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: SchemaNode }> };
}

/** The live spec of the app under test, and every operation in it. */
export async function loadOperations(t: TestContext): Promise<{ spec: OpenApiDocument; operations: Operation[] }> {
  const spec = (await (await t.request('/openapi.json')).json()) as OpenApiDocument;
  return { spec, operations: operationsOf(spec) };
}

export function operationsOf(spec: OpenApiDocument): Operation[] {
  return Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]): Operation => {
      const bodies: Record<string, SchemaNode> = {};
      for (const [mediaType, content] of Object.entries(operation.requestBody?.content ?? {})) bodies[mediaType] = content.schema ?? {};
      const json = bodies['application/json'];
      return {
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId,
        security: operation.security ?? [],
        requiredScope: operation['x-required-scope'],
        exampleBody: json?.example ?? (json?.$ref ? resolveRef(spec, json).example : undefined),
        parameters: (operation.parameters ?? []).map((parameter) =>
          '$ref' in parameter ? spec.components.parameters[parameter.$ref.split('/').pop()!]! : parameter,
        ),
        bodies,
        bodyRequired: operation.requestBody?.required ?? false,
      };
    }),
  );
}

/** The schema a `$ref` points to (or the node itself). */
export function resolveRef(spec: OpenApiDocument, node: SchemaNode): SchemaNode {
  let current = node;
  for (let depth = 0; current.$ref && depth < 10; depth += 1) current = spec.components.schemas[current.$ref.split('/').pop()!] ?? {};
  return current;
}

export const isPortalOperation = (operation: Operation) => operation.security.some((requirement) => 'portalToken' in requirement);
export const isPlatformOperation = (operation: Operation) => operation.security.some((requirement) => 'platformAdmin' in requirement);

export const pathParameterNames = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name!);

export function fillPath(path: string, values: Record<string, string>) {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => percentEncode(values[name] ?? `missing-${name}`));
}

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) is sent as the three bytes
 * UTF-8 would give it: the server gets a percent-encoding that is not valid UTF-8.
 */
export function percentEncode(text: string): string {
  return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g, (unit) => {
    const code = unit.charCodeAt(0);
    if (unit.length === 2 || code < 0xd800 || code > 0xdfff) return encodeURIComponent(unit);
    return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
  });
}

/**
 * Real objects of `tenant` for each path parameter of `path`, made by the fixtures' factories
 * (a parameter without a factory gets `fallback`, or `undefined` when there is none).
 */
export async function fixturePathValues(t: TestContext, tenant: TestTenant, path: string, fallback?: string) {
  const values: Record<string, string> = {};
  for (const name of pathParameterNames(path)) {
    const factory = objectFactories[name];
    if (factory) values[name] = await factory(t, tenant, values);
    else if (fallback !== undefined) values[name] = fallback;
  }
  return values;
}
