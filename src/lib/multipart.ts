import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

/*
 * multipart/form-data for uploads, parsed over ONE buffer of the body. The runtime's parser (what
 * hono's form validator calls) holds the body several times over: the request buffer, an
 * ArrayBuffer copy, the Response it builds from that, a Blob per file, and the handler's own
 * arrayBuffer() copy; a 25 MiB upload cost 6x its size in RSS. Here the body is read once into a
 * buffer sized from Content-Length and every file is a view into it.
 */

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;

/** A File whose bytes are a view of memory already held: the Blob constructor would copy them. */
export class MemoryFile extends File {
  /** The file's bytes, not a copy: read them, do not change them. */
  readonly content: Uint8Array;

  constructor(content: Uint8Array, name: string, type: string) {
    super([], name, { type });
    this.content = content;
    // Blob's size is a getter over its own (empty) storage.
    Object.defineProperty(this, 'size', { value: content.byteLength });
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.content.slice().buffer);
  }

  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return Promise.resolve(this.content.slice());
  }

  override text(): Promise<string> {
    return Promise.resolve(new TextDecoder().decode(this.content));
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const content = this.content;
    return new ReadableStream({
      start(controller) {
        if (content.byteLength > 0) controller.enqueue(content.slice());
        controller.close();
      },
    });
  }

  override slice(start?: number, end?: number, contentType?: string): Blob {
    return new Blob([this.content.slice(start, end)], { type: contentType ?? '' });
  }
}

/** An uploaded file's bytes: the parsed view itself when it came through parseMultipart, else a copy. */
export async function fileBytes(file: File): Promise<Uint8Array> {
  return file instanceof MemoryFile ? file.content : new Uint8Array(await file.arrayBuffer());
}

// hono's message prefix, so app.onError answers it like any other body that is not multipart.
const malformed = (reason: string) => new HTTPException(400, { message: `Malformed FormData request. ${reason}` });

const ascii = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));

/** First index of `needle` in `haystack` at or after `from`, or -1. */
function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  const last = haystack.byteLength - needle.byteLength;
  for (let at = haystack.indexOf(first, from); at !== -1 && at <= last; at = haystack.indexOf(first, at + 1)) {
    let index = 1;
    while (index < needle.byteLength && haystack[at + index] === needle[index]) index += 1;
    if (index === needle.byteLength) return at;
  }
  return -1;
}

function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary\s*=\s*(?:"([^"]{1,200})"|([^;\s]{1,200}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

const unquote = (value: string) => value.replace(/%0A/gi, '\n').replace(/%0D/gi, '\r').replace(/%22/g, '"');

interface PartHeaders {
  name?: string;
  filename?: string;
  contentType?: string;
  base64: boolean;
}

function contentDisposition(value: string, part: PartHeaders) {
  const semicolon = value.indexOf(';');
  const type = (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  if (type !== 'form-data') throw malformed('A part is not form-data.');
  let extendedName: string | undefined;
  for (const match of value.slice(semicolon + 1).matchAll(/([^\s=;*]+)(\*?)\s*=\s*(?:"([^"\r\n]*)"|([^;\s]*))/g)) {
    const attribute = match[1]!.toLowerCase();
    if (attribute !== 'name' && attribute !== 'filename') continue;
    let text: string;
    if (match[2]) {
      // RFC 5987: utf-8''percent-encoded, and it wins over the plain filename.
      const encoded = match[4] ?? match[3] ?? '';
      if (!/^utf-8''/i.test(encoded)) throw malformed('An extended parameter is not UTF-8.');
      try {
        text = decodeURIComponent(encoded.slice(7));
      } catch {
        throw malformed('An extended parameter is not valid percent-encoding.');
      }
      if (attribute === 'filename') extendedName = text;
      else part.name = text;
    } else {
      text = match[3] !== undefined ? unquote(match[3]) : match[4]!;
      if (attribute === 'name') part.name = text;
      else part.filename = text;
    }
  }
  if (extendedName !== undefined) part.filename = extendedName;
}

const utf8 = new TextDecoder();

/**
 * The entries of a multipart/form-data body (the WHATWG algorithm: preamble and epilogue ignored,
 * CRLF line breaks, a file part without Content-Type is text/plain). Files are MemoryFiles viewing
 * `body`; text fields are decoded as UTF-8. Anything malformed throws a 400.
 */
export function parseMultipart(body: Uint8Array, contentType: string): FormData {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw malformed('The Content-Type has no boundary.');
  const delimiter = ascii(`--${boundary}`);
  const nextDelimiter = ascii(`\r\n--${boundary}`);
  const form = new FormData();
  let position = indexOf(body, delimiter, 0);
  if (position === -1) throw malformed('The body has no boundary.');
  for (;;) {
    position += delimiter.byteLength;
    if (body[position] === DASH && body[position + 1] === DASH) return form;
    if (body[position] !== CR || body[position + 1] !== LF) throw malformed('A boundary is not followed by CRLF.');
    position += 2;

    const part: PartHeaders = { base64: false };
    while (!(body[position] === CR && body[position + 1] === LF)) {
      const lineEnd = indexOf(body, ascii('\r\n'), position);
      if (lineEnd === -1) throw malformed('A part header is not terminated.');
      const line = utf8.decode(body.subarray(position, lineEnd));
      position = lineEnd + 2;
      const colon = line.indexOf(':');
      if (colon <= 0) throw malformed('A part header has no name.');
      const header = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (header === 'content-disposition') contentDisposition(value, part);
      else if (header === 'content-type') part.contentType = value;
      else if (header === 'content-transfer-encoding') part.base64 = value.toLowerCase() === 'base64';
    }
    position += 2;
    if (part.name === undefined) throw malformed('A part has no name.');

    const end = indexOf(body, nextDelimiter, position);
    if (end === -1) throw malformed('A part is not followed by a boundary.');
    let bytes = body.subarray(position, end);
    position = end + 2;
    if (part.base64) {
      try {
        bytes = Uint8Array.from(atob(utf8.decode(bytes).replace(/\s+/g, '')), (char) => char.charCodeAt(0));
      } catch {
        throw malformed('A base64 part is not valid base64.');
      }
    }
    // Without a filename argument FormData keeps this very object (with one, it would copy it).
    if (part.filename !== undefined) form.append(part.name, new MemoryFile(bytes, part.filename, part.contentType ?? 'text/plain'));
    else form.append(part.name, utf8.decode(bytes));
  }
}

/** The whole body in one buffer: sized from Content-Length when there is one, grown by doubling when not. */
export async function readBody(request: Request): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  let buffer = new Uint8Array(Number.isSafeInteger(declared) && declared > 0 ? declared : 64 * 1024);
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > buffer.byteLength) {
      const grown = new Uint8Array(Math.max(size + value.byteLength, buffer.byteLength * 2));
      grown.set(buffer.subarray(0, size));
      buffer = grown;
    }
    buffer.set(value, size);
    size += value.byteLength;
  }
  return buffer.subarray(0, size);
}

/**
 * For routes that take multipart/form-data: parses the body with parseMultipart and leaves the
 * result in hono's body cache, where the form validator (and c.req.formData()) take it from.
 * Other media types pass untouched, so the route's own checks answer them (415).
 */
export const multipartBody: MiddlewareHandler = async (c, next) => {
  const contentType = c.req.header('content-type') ?? '';
  if (/^multipart\/form-data\s*(;|$)/i.test(contentType) && c.req.bodyCache.formData === undefined) {
    let body: Uint8Array;
    try {
      body = await readBody(c.req.raw);
    } catch {
      throw malformed('The body could not be read.');
    }
    (c.req.bodyCache as { formData?: Promise<FormData> }).formData = Promise.resolve(parseMultipart(body, contentType));
  }
  return next();
};
