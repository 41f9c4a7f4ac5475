/**
 * A local S3-compatible server for tests: s3rver (a fake S3 on the file system) behind a front
 * that does what s3rver does not: it checks every request's SigV4 signature (the AWS algorithm,
 * written here independently of aws4fetch and checked against AWS's published example), the
 * signed payload hash and `x-amz-checksum-sha256` against the body, and it can inject faults.
 * Both listen on random loopback ports; objects go to a temporary folder.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface S3Request {
  method: string;
  path: string;
  status: number;
}

export interface S3Fault {
  method: 'PUT' | 'GET' | 'DELETE';
  status: number;
  /** Pass the request on first (the object is stored or deleted), then answer `status`. */
  forward: boolean;
}

export interface TestS3 {
  bucket: string;
  prefix: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Environment for createTestContext: BLOB_STORE=s3 and the S3_* settings of this server. */
  env: Record<string, string>;
  /** Every request the front answered, in order. */
  requests: S3Request[];
  /** While set, requests of that method answer `status` with an S3 error body. */
  fault: S3Fault | undefined;
  /** Keys in the bucket under `prefix`, read from s3rver directly. */
  keys(prefix?: string): Promise<string[]>;
  /** Removes an object behind the application's back. */
  removeObject(key: string): Promise<void>;
  close(): Promise<void>;
}

const encodeRfc3986 = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

export interface SignatureInput {
  method: string;
  /** The request path as sent (percent-encoded). */
  path: string;
  /** The query string as sent, without `?`. */
  query: string;
  /** Lowercase header names to their values. */
  headers: Record<string, string>;
  signedHeaders: string[];
  payloadHash: string;
  amzDate: string;
  region: string;
  secretAccessKey: string;
}

/** SigV4 for S3 (path not double-encoded), from AWS's description of the algorithm. */
export function sigV4Signature(input: SignatureInput): string {
  const canonicalUri = input.path
    .split('/')
    .map((segment) => encodeRfc3986(decodeURIComponent(segment)))
    .join('/');
  const canonicalQuery = input.query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const [key = '', value = ''] = pair.split('=');
      return [encodeRfc3986(decodeURIComponent(key)), encodeRfc3986(decodeURIComponent(value))] as const;
    })
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonicalHeaders = input.signedHeaders.map((name) => `${name}:${(input.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [input.method, canonicalUri, canonicalQuery, canonicalHeaders, input.signedHeaders.join(';'), input.payloadHash].join('\n');
  const date = input.amzDate.slice(0, 8);
  const scope = `${date}/${input.region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', input.amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${input.secretAccessKey}`, date), input.region), 's3'), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** Why a request must be refused, as S3 would say it, or undefined when it is sound. */
function verify(request: IncomingMessage, body: Buffer, expected: { accessKeyId: string; secretAccessKey: string; region: string }): { status: number; code: string } | undefined {
  const match = AUTHORIZATION.exec(request.headers.authorization ?? '');
  if (!match) return { status: 403, code: 'AccessDenied' };
  const [, accessKeyId, date, region, signedList, signature] = match as unknown as [string, string, string, string, string, string];
  if (accessKeyId !== expected.accessKeyId) return { status: 403, code: 'InvalidAccessKeyId' };
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const payloadHash = String(request.headers['x-amz-content-sha256'] ?? '');
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== date || region !== expected.region) return { status: 403, code: 'AuthorizationHeaderMalformed' };
  const at = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
  if (Math.abs(Date.now() - at) > 15 * 60_000) return { status: 403, code: 'RequestTimeTooSkewed' };
  if (!payloadHash) return { status: 400, code: 'MissingContentSHA256' };
  const signedHeaders = signedList.split(';');
  // S3 wants host and every x-amz-* header signed.
  const unsigned = ['host', ...Object.keys(request.headers).filter((name) => name.startsWith('x-amz-'))].filter((name) => !signedHeaders.includes(name));
  if (unsigned.length > 0) return { status: 403, code: 'AccessDenied' };
  const [path = '/', query = ''] = (request.url ?? '/').split('?');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name];
    headers[name] = Array.isArray(value) ? value.join(',') : (value ?? '');
  }
  const computed = sigV4Signature({ method: request.method ?? 'GET', path, query, headers, signedHeaders, payloadHash, amzDate, region, secretAccessKey: expected.secretAccessKey });
  if (!timingSafeEqual(Buffer.from(computed), Buffer.from(signature))) return { status: 403, code: 'SignatureDoesNotMatch' };
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256Hex(body)) return { status: 400, code: 'XAmzContentSHA256Mismatch' };
  const checksum = request.headers['x-amz-checksum-sha256'];
  if (checksum !== undefined && checksum !== createHash('sha256').update(body).digest('base64')) return { status: 400, code: 'BadDigest' };
  return undefined;
}

function sendError(response: ServerResponse, status: number, code: string) {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code}</Message></Error>`;
  response.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

export async function startTestS3(): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'chainproof-s3-'));
  const bucket = 'chainproof-test';
  const prefix = 'evidence';
  const expected = { accessKeyId: 'chainproof-test-key', secretAccessKey: `test-secret-${crypto.randomUUID()}`, region: 'eu-central-1' };
  const backend = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port: backendPort } = (await backend.run()) as AddressInfo;
  const backendUrl = `http://127.0.0.1:${backendPort}`;

  const state: { fault: S3Fault | undefined; requests: S3Request[] } = { fault: undefined, requests: [] };

  // s3rver checks no SigV4 signature, so it is sent nothing to check: the front has done it.
  const forward = async (request: IncomingMessage, body: Buffer) => {
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'range']) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    return fetch(`${backendUrl}${request.url}`, {
      method: request.method ?? 'GET',
      headers,
      ...(request.method === 'PUT' ? { body: new Uint8Array(body) } : {}),
    });
  };

  const front = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const record = (status: number) => state.requests.push({ method: request.method ?? 'GET', path: (request.url ?? '').split('?')[0]!, status });
      const refusal = verify(request, body, expected);
      if (refusal) {
        record(refusal.status);
        sendError(response, refusal.status, refusal.code);
        return;
      }
      const fault = state.fault?.method === request.method ? state.fault : undefined;
      if (fault) {
        if (fault.forward) await (await forward(request, body)).arrayBuffer();
        record(fault.status);
        sendError(response, fault.status, fault.status >= 500 ? 'InternalError' : 'AccessDenied');
        return;
      }
      const answer = await forward(request, body);
      record(answer.status);
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'content-length', 'etag', 'last-modified']) {
        const value = answer.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      response.writeHead(answer.status, headers);
      if (!answer.body) {
        response.end();
        return;
      }
      // Streamed through, so a download is not held here whole either.
      const reader = answer.body.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) response.write(next.value);
      response.end();
    })().catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, 'InternalError');
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  const frontPort = await listen(front);

  return {
    bucket,
    prefix,
    accessKeyId: expected.accessKeyId,
    secretAccessKey: expected.secretAccessKey,
    env: {
      BLOB_STORE: 's3',
      S3_ENDPOINT: `http://127.0.0.1:${frontPort}`,
      S3_REGION: expected.region,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: expected.accessKeyId,
      S3_SECRET_ACCESS_KEY: expected.secretAccessKey,
      S3_PREFIX: prefix,
      S3_FORCE_PATH_STYLE: 'true',
    },
    requests: state.requests,
    get fault() {
      return state.fault;
    },
    set fault(value) {
      state.fault = value;
    },
    async keys(under = prefix) {
      const response = await fetch(`${backendUrl}/${bucket}?list-type=2&prefix=${encodeURIComponent(under)}&max-keys=1000`);
      const xml = await response.text();
      if (!response.ok) throw new Error(`listing failed: ${response.status} ${xml}`);
      return [...xml.matchAll(/<Key>([^<]+)<\/Key>/g)].map((match) => match[1]!).sort();
    },
    async removeObject(key) {
      const response = await fetch(`${backendUrl}/${bucket}/${key}`, { method: 'DELETE' });
      if (!response.ok) throw new Error(`delete failed: ${response.status}`);
    },
    async close() {
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await backend.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
