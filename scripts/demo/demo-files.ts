/**
 * The demo's evidence files, made from the text in evidence.json: small but real PDFs, CycloneDX
 * SBOMs and CSV reports. The same input gives the same bytes (no creation dates, ids or random
 * parts), so a file's SHA-256 depends only on what the demo says, and the upload path's content
 * sniffing and per-tenant dedupe see what they would see from a real upload.
 */

export interface DemoFileSpec {
  /** The upload's file name; its extension picks the format (.pdf, .cdx.json, .csv). */
  name: string;
  /** PDF: the heading. */
  heading?: string;
  /** PDF: the body, one paragraph per entry (wrapped to the page). */
  lines?: string[];
  /** SBOM: the product the SBOM describes and its components. */
  sbom?: { product: { name: string; version: string; supplier: string }; components: { name: string; version: string; purl?: string; licenses?: string[] }[] };
  /** CSV: the rows, the first one the header. */
  rows?: (string | number)[][];
}

export interface DemoFile {
  name: string;
  type: string;
  bytes: Uint8Array<ArrayBuffer>;
}

const latin1Bytes = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0) & 0xff);

// WinAnsiEncoding for the typographic characters the demo's text uses; Latin-1 maps to itself.
const WIN_ANSI: Record<string, number> = { '€': 0x80, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '™': 0x99 };

/** A PDF string literal's content in WinAnsiEncoding: escapes, octal for bytes over 127, `?` for the rest. */
function pdfText(text: string): string {
  let out = '';
  for (const char of text) {
    const code = WIN_ANSI[char] ?? char.codePointAt(0)!;
    if (char === '(' || char === ')' || char === '\\') out += `\\${char}`;
    else if (code >= 0x20 && code < 0x7f) out += char;
    else if (code >= 0x80 && code <= 0xff) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += '?';
  }
  return out;
}

/** Greedy word wrap by characters: Helvetica averages under 5 pt a character at 10 pt, so 90 fit in 451 pt. */
function wrap(text: string, width = 90): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

/**
 * A one-page A4 PDF 1.4 with a heading and wrapped paragraphs in Helvetica: a catalog, a page
 * tree, one page, the standard font, one content stream and an info dictionary, with a correct
 * cross-reference table, so PDF readers open it without repairing it. Text beyond the page is cut.
 */
export function pdfDocument(heading: string, paragraphs: readonly string[]): Uint8Array<ArrayBuffer> {
  const body: string[] = ['BT', '/F1 15 Tf', '72 770 Td'];
  let y = 770;
  for (const line of wrap(heading, 60)) {
    body.push(`(${pdfText(line)}) Tj`, '0 -19 Td');
    y -= 19;
  }
  body.push('/F1 10 Tf', '0 -7 Td');
  y -= 7;
  for (const paragraph of paragraphs) {
    for (const line of wrap(paragraph)) {
      if (y < 72) break;
      body.push(`(${pdfText(line)}) Tj`, '0 -14 Td');
      y -= 14;
    }
    body.push('0 -6 Td');
    y -= 6;
  }
  body.push('ET');
  const stream = body.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    `<< /Title (${pdfText(heading)}) /Producer (Chainproof demo) >>`,
  ];
  // Binary-comment line after the header: tells transfer tools the file is binary.
  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(pdf.length);
    pdf += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return latin1Bytes(pdf);
}

/** A CycloneDX 1.5 SBOM (JSON), without serial number or timestamp so the bytes are stable. */
export function cycloneDxSbom(sbom: NonNullable<DemoFileSpec['sbom']>): Uint8Array<ArrayBuffer> {
  const document = {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    metadata: {
      component: { type: 'firmware', name: sbom.product.name, version: sbom.product.version, supplier: { name: sbom.product.supplier } },
    },
    components: sbom.components.map((component) => ({
      type: 'library',
      name: component.name,
      version: component.version,
      ...(component.purl ? { purl: component.purl } : {}),
      ...(component.licenses ? { licenses: component.licenses.map((id) => ({ license: { id } })) } : {}),
    })),
  };
  return new TextEncoder().encode(`${JSON.stringify(document, null, 2)}\n`);
}

/** RFC 4180 CSV with CRLF line ends. */
export function csvDocument(rows: readonly (readonly (string | number)[])[]): Uint8Array<ArrayBuffer> {
  const cell = (value: string | number) => {
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return new TextEncoder().encode(rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n');
}

/** The bytes and declared type of one demo file; `fill` puts the evidence's dates into its text. */
export function demoFile(spec: DemoFileSpec, fill: (text: string) => string = (text) => text): DemoFile {
  const { name } = spec;
  if (name.endsWith('.pdf')) {
    if (!spec.heading || !spec.lines) throw new Error(`demo: ${name} needs a heading and lines`);
    return { name, type: 'application/pdf', bytes: pdfDocument(fill(spec.heading), spec.lines.map(fill)) };
  }
  if (name.endsWith('.json')) {
    if (!spec.sbom) throw new Error(`demo: ${name} needs an sbom`);
    return { name, type: 'application/vnd.cyclonedx+json', bytes: cycloneDxSbom(spec.sbom) };
  }
  if (name.endsWith('.csv')) {
    if (!spec.rows) throw new Error(`demo: ${name} needs rows`);
    return { name, type: 'text/csv', bytes: csvDocument(spec.rows.map((row) => row.map((value) => (typeof value === 'string' ? fill(value) : value)))) };
  }
  throw new Error(`demo: no generator for ${name} (.pdf, .json or .csv)`);
}
