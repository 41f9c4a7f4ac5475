/**
 * What a file is, decided by its bytes. The name and the declared type are only claims: they pick
 * between text formats (CSV is text that says it is CSV) and they are checked against the bytes,
 * so a `.pdf` that is really a Windows executable is refused rather than stored as a PDF.
 */

export type FileFormat = 'pdf' | 'png' | 'jpeg' | 'zip' | 'docx' | 'xlsx' | 'text' | 'csv' | 'json' | 'cyclonedx' | 'spdx';

export const FORMAT_CONTENT_TYPES: Record<FileFormat, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  zip: 'application/zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  text: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  cyclonedx: 'application/vnd.cyclonedx+json',
  spdx: 'application/spdx+json',
};

const FORMAT_LABELS: Record<FileFormat, string> = {
  pdf: 'a PDF document',
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  zip: 'a ZIP archive',
  docx: 'a Word document (DOCX)',
  xlsx: 'an Excel workbook (XLSX)',
  text: 'plain text',
  csv: 'CSV text',
  json: 'JSON',
  cyclonedx: 'a CycloneDX SBOM (JSON)',
  spdx: 'an SPDX SBOM (JSON)',
};

export const ALLOWED_FORMATS_TEXT = 'PDF, PNG, JPEG, ZIP, DOCX, XLSX, plain text (UTF-8), CSV and JSON (including CycloneDX and SPDX SBOMs)';

/** What a name or a declared type says the file is; families, since a claim of JSON covers an SBOM. */
type Claim = 'pdf' | 'png' | 'jpeg' | 'zip' | 'docx' | 'xlsx' | 'text' | 'csv' | 'json';

const CLAIMS_BY_EXTENSION: Record<string, Claim> = {
  pdf: 'pdf',
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  zip: 'zip',
  docx: 'docx',
  xlsx: 'xlsx',
  txt: 'text',
  text: 'text',
  log: 'text',
  md: 'text',
  csv: 'csv',
  json: 'json',
};

const CLAIMS_BY_TYPE: Record<string, Claim> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/pjpeg': 'jpeg',
  'application/zip': 'zip',
  'application/x-zip-compressed': 'zip',
  [FORMAT_CONTENT_TYPES.docx]: 'docx',
  [FORMAT_CONTENT_TYPES.xlsx]: 'xlsx',
  'text/plain': 'text',
  'text/markdown': 'text',
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/json': 'json',
  'text/json': 'json',
};

/** Formats that satisfy each claim. Office files are ZIP archives, and text of any kind is text. */
const SATISFIES: Record<Claim, readonly FileFormat[]> = {
  pdf: ['pdf'],
  png: ['png'],
  jpeg: ['jpeg'],
  zip: ['zip', 'docx', 'xlsx'],
  docx: ['docx'],
  xlsx: ['xlsx'],
  text: ['text', 'csv', 'json', 'cyclonedx', 'spdx'],
  csv: ['csv'],
  json: ['json', 'cyclonedx', 'spdx'],
};

function claimOfType(type: string): Claim | undefined {
  const essence = type.split(';')[0]!.trim().toLowerCase();
  if (CLAIMS_BY_TYPE[essence]) return CLAIMS_BY_TYPE[essence];
  if (essence.endsWith('+json')) return 'json';
  return undefined;
}

function claimOfName(name: string): Claim | undefined {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : CLAIMS_BY_EXTENSION[name.slice(dot + 1).toLowerCase()];
}

export type SniffResult =
  | { ok: true; format: FileFormat; contentType: string; label: string }
  | { ok: false; detected: string; message: string };

const startsWith = (bytes: Uint8Array, prefix: readonly number[], offset = 0) =>
  bytes.length >= offset + prefix.length && prefix.every((byte, index) => bytes[offset + index] === byte);

const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0));

/** Things people upload by mistake (or on purpose), named so the refusal says what was seen. */
const KNOWN_REFUSED: { magic: number[]; label: string }[] = [
  { magic: ascii('MZ'), label: 'a Windows executable' },
  { magic: [0x7f, ...ascii('ELF')], label: 'an ELF executable' },
  { magic: [0xcf, 0xfa, 0xed, 0xfe], label: 'a Mach-O executable' },
  { magic: [0xca, 0xfe, 0xba, 0xbe], label: 'a Mach-O or Java class file' },
  { magic: ascii('#!'), label: 'a script' },
  { magic: ascii('GIF8'), label: 'a GIF image' },
  { magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], label: 'a legacy Office (OLE) file' },
  { magic: ascii('Rar!'), label: 'a RAR archive' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], label: 'a 7-Zip archive' },
  { magic: [0x1f, 0x8b], label: 'a gzip file' },
  { magic: ascii('{\\rtf'), label: 'an RTF document' },
];

// ---------------------------------------------------------------------------------------------
// ZIP: the entry names tell DOCX and XLSX apart from other archives.

const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;
const MAX_ZIP_ENTRIES = 100_000;

/** Entry names from the central directory, or from the local headers when that cannot be read. */
function zipEntryNames(bytes: Uint8Array): string[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder();
  const nameAt = (offset: number, length: number) => decoder.decode(bytes.subarray(offset, offset + length));
  // The end record sits in the last 22 bytes plus a comment of at most 65,535.
  for (let end = bytes.length - 22; end >= 0 && end >= bytes.length - 22 - 65_535; end -= 1) {
    if (view.getUint32(end, true) !== ZIP_END) continue;
    const count = view.getUint16(end + 10, true);
    let offset = view.getUint32(end + 16, true);
    const names: string[] = [];
    for (let index = 0; index < count; index += 1) {
      if (offset + 46 > bytes.length || view.getUint32(offset, true) !== ZIP_CENTRAL) break;
      const nameLength = view.getUint16(offset + 28, true);
      const extraLength = view.getUint16(offset + 30, true);
      const commentLength = view.getUint16(offset + 32, true);
      names.push(nameAt(offset + 46, nameLength));
      offset += 46 + nameLength + extraLength + commentLength;
    }
    if (names.length === count) return names;
    break;
  }
  // No usable central directory (a ZIP64 archive, or one cut short): walk the local headers.
  const names: string[] = [];
  let offset = 0;
  while (offset + 30 <= bytes.length && view.getUint32(offset, true) === ZIP_LOCAL && names.length < MAX_ZIP_ENTRIES) {
    const flags = view.getUint16(offset + 6, true);
    const compressedSize = view.getUint32(offset + 18, true);
    const nameLength = view.getUint16(offset + 26, true);
    const extraLength = view.getUint16(offset + 28, true);
    names.push(nameAt(offset + 30, nameLength));
    // With a data descriptor the size is only known after the data; the first names must do.
    if (flags & 0x08) break;
    offset += 30 + nameLength + extraLength + compressedSize;
  }
  return names.length > 0 ? names : undefined;
}

function sniffZip(bytes: Uint8Array): FileFormat | undefined {
  const names = zipEntryNames(bytes);
  if (!names) return undefined;
  const has = (prefix: string) => names.some((name) => name.startsWith(prefix));
  if (names.includes('[Content_Types].xml') || has('_rels/')) {
    if (has('word/')) return 'docx';
    if (has('xl/')) return 'xlsx';
  }
  return 'zip';
}

// ---------------------------------------------------------------------------------------------
// Text

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
// Markup would be rendered by whatever opens it; it is not an evidence format.
const MARKUP = /^\s*<(?:!doctype|!--|\?xml|[a-z][a-z0-9-]*[\s/>])/i;

function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function jsonFormat(text: string): FileFormat | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (record.bomFormat === 'CycloneDX') return 'cyclonedx';
    if (typeof record.spdxVersion === 'string') return 'spdx';
  }
  return 'json';
}

// ---------------------------------------------------------------------------------------------

function binaryFormat(bytes: Uint8Array): FileFormat | 'damaged-zip' | undefined {
  if (startsWith(bytes, ascii('%PDF-'))) return 'pdf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return sniffZip(bytes) ?? 'damaged-zip';
  return undefined;
}

/**
 * The file's format and canonical content type, or why it is refused. `name` and `declaredType`
 * (the multipart part's filename and Content-Type) are checked against what the bytes are.
 */
export function sniffFile(bytes: Uint8Array, name: string, declaredType: string): SniffResult {
  const claims = [claimOfName(name), claimOfType(declaredType)].filter((claim): claim is Claim => claim !== undefined);
  const refuse = (detected: string): SniffResult => {
    const said = [
      claimOfName(name) ? `is named "${name}"` : undefined,
      claimOfType(declaredType) ? `was sent as ${declaredType.split(';')[0]!.trim()}` : undefined,
    ].filter(Boolean);
    const message =
      said.length > 0
        ? `The file ${said.join(' and ')}, but its content is ${detected}. Allowed: ${ALLOWED_FORMATS_TEXT}.`
        : `The file's content is ${detected}, which is not allowed. Allowed: ${ALLOWED_FORMATS_TEXT}.`;
    return { ok: false, detected, message };
  };
  const accept = (format: FileFormat): SniffResult => {
    const conflicting = claims.find((claim) => !SATISFIES[claim].includes(format));
    if (conflicting) return refuse(FORMAT_LABELS[format]);
    return { ok: true, format, contentType: FORMAT_CONTENT_TYPES[format], label: FORMAT_LABELS[format] };
  };

  const binary = binaryFormat(bytes);
  if (binary === 'damaged-zip') return refuse('a damaged ZIP archive');
  if (binary) return accept(binary);
  const known = KNOWN_REFUSED.find((candidate) => startsWith(bytes, candidate.magic));
  if (known) return refuse(known.label);

  const text = decodeText(bytes);
  if (text === undefined) return refuse('binary data of an unknown type');
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (MARKUP.test(body.slice(0, 1024))) return refuse('HTML or XML markup');
  if (claims.includes('csv')) return accept('csv');
  // Text that says it is text stays text, even when it happens to parse as JSON.
  if (claims.includes('text') && !claims.includes('json')) return accept('text');
  const json = jsonFormat(body);
  if (json) return accept(json);
  if (claims.includes('json')) return refuse('text that is not valid JSON');
  return accept('text');
}
