import { loadPdfKit, type PDFDocument, type PDFDocumentClass, type PDFTextOptions } from './pdfkit';
import { pdfText, formatTime } from './text';
import { COLOR, FONT, PAGE, SIZE } from './theme';

/*
 * A report document: title page, sections, key/value blocks, tables that break across pages with
 * their header repeated, horizontal bar charts, and a running header and footer ("Page n of m",
 * the tenant and the date) stamped on every page at the end. Pages are buffered (pdfkit
 * bufferPages) because the page count is only known then; the bytes go out through a
 * ReadableStream as pdfkit writes them.
 */

export interface ReportMeta {
  /** Short title for the running header, e.g. "Supplier dossier: Rhein Automation GmbH". */
  title: string;
  tenantName: string;
  generatedAt: Date;
  /** Document properties. */
  subject?: string;
  /** e.g. "Page {n} of {m}"; the labels of the footer are data. */
  labels?: Partial<ReportLabels>;
}

export interface ReportLabels {
  page: string;
  generated: string;
  none: string;
  continued: string;
}

const DEFAULT_LABELS: ReportLabels = {
  page: 'Page {n} of {m}',
  generated: 'Generated {date} for {tenant}',
  none: 'None.',
  continued: '(continued)',
};

export type Tone = 'ok' | 'warn' | 'bad' | 'neutral';

export interface Cell {
  text: string;
  color?: string;
  bold?: boolean;
}

export interface Column {
  header: string;
  /** Relative width; columns share the content width in proportion. */
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface Bar {
  label: string;
  value: number;
  color?: string;
  /** Text after the bar; the value by default. */
  note?: string;
}

const CELL_PAD_X = 5;
const CELL_PAD_Y = 3.5;
/** A single cell never grows beyond this, so one long text cannot overflow a page. */
const MAX_CELL_HEIGHT = 200;

export class Report {
  readonly doc: PDFDocument;
  readonly stream: ReadableStream<Uint8Array>;
  private readonly labels: ReportLabels;
  private titlePages = new Set<number>();
  private pageIndex = 0;
  /** The cover stands alone: what follows it starts on a new page. */
  private onCover = false;

  /** A report, once pdfkit is loaded (on the first one; see pdfkit.ts). */
  static async open(meta: ReportMeta): Promise<Report> {
    return new Report(meta, await loadPdfKit());
  }

  private constructor(
    private readonly meta: ReportMeta,
    PDFDocumentOf: PDFDocumentClass,
  ) {
    this.labels = { ...DEFAULT_LABELS, ...meta.labels };
    this.doc = new PDFDocumentOf({
      size: PAGE.size,
      margins: PAGE.margins,
      bufferPages: true,
      autoFirstPage: false,
      info: {
        Title: pdfText(meta.title),
        Author: pdfText(meta.tenantName),
        Subject: pdfText(meta.subject ?? meta.title),
        Creator: 'Chainproof',
        Producer: 'Chainproof (pdfkit)',
        CreationDate: meta.generatedAt,
      },
      lang: 'en',
      displayTitle: true,
    });
    const doc = this.doc;
    // Listening from the start: every chunk pdfkit writes is queued in the stream right away.
    // Once the reader cancels (the client hung up, which the Node adapter turns into a cancel),
    // pdfkit may still emit chunks; enqueueing them would throw out of its event handler and end
    // the process, so they are dropped.
    let cancelled = false;
    this.stream = new ReadableStream<Uint8Array>({
      start(controller) {
        doc.on('data', (chunk) => {
          if (!cancelled) controller.enqueue(chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk));
        });
        doc.on('end', () => {
          if (!cancelled) controller.close();
        });
        doc.on('error', (error) => {
          if (!cancelled) controller.error(error);
        });
      },
      cancel() {
        cancelled = true;
      },
    });
  }

  private get left() {
    return this.doc.page.margins.left;
  }

  get width() {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get bottom() {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  newPage() {
    this.onCover = false;
    this.doc.addPage();
    this.pageIndex += 1;
    this.doc.x = this.left;
    this.doc.y = this.doc.page.margins.top;
  }

  /** Starts a new page unless `height` points still fit on this one. */
  ensureSpace(height: number) {
    if (this.pageIndex === 0 || this.onCover || this.doc.y + height > this.bottom) this.newPage();
  }

  private style(font: string, size: number, color: string = COLOR.ink) {
    this.doc.font(font).fontSize(size).fillColor(color);
    return this.doc;
  }

  /** The cover: the report's name, who it is for, and a few facts. */
  titlePage(input: { kicker: string; title: string; subtitle?: string; facts: [string, string][]; note?: string }) {
    this.newPage();
    this.titlePages.add(this.pageIndex - 1);
    const doc = this.doc;
    const top = 170;
    doc.rect(0, 0, doc.page.width, 8).fill(COLOR.accent);
    this.style(FONT.bold, SIZE.small + 1.5, COLOR.accent).text(pdfText(input.kicker.toUpperCase()), this.left, top, { width: this.width });
    doc.moveDown(0.6);
    this.style(FONT.bold, SIZE.title).text(pdfText(input.title), this.left, doc.y, { width: this.width });
    if (input.subtitle) {
      doc.moveDown(0.3);
      this.style(FONT.regular, SIZE.subtitle, COLOR.muted).text(pdfText(input.subtitle), { width: this.width });
    }
    doc.moveDown(1.2);
    const ruleY = doc.y;
    doc.moveTo(this.left, ruleY).lineTo(this.left + 80, ruleY).lineWidth(2).strokeColor(COLOR.accent).stroke();
    doc.y = ruleY + 18;
    for (const [label, value] of input.facts) {
      const y = doc.y;
      this.style(FONT.regular, SIZE.body, COLOR.muted).text(pdfText(label), this.left, y, { width: 150 });
      this.style(FONT.bold, SIZE.body).text(pdfText(value), this.left + 160, y, { width: this.width - 160 });
      doc.y = Math.max(doc.y, y + 14) + 4;
    }
    if (input.note) {
      doc.y += 24;
      this.style(FONT.regular, SIZE.small + 0.5, COLOR.muted).text(pdfText(input.note), this.left, doc.y, { width: this.width * 0.8, lineGap: 2 });
    }
    this.onCover = true;
  }

  /** A numbered or plain section heading with an optional intro; keeps `keep` points of what follows with it. */
  section(title: string, intro?: string, keep = 110) {
    this.ensureSpace(keep + 40);
    const doc = this.doc;
    if (doc.y > doc.page.margins.top + 1) doc.y += 14;
    this.style(FONT.bold, SIZE.section, COLOR.accent).text(pdfText(title), this.left, doc.y, { width: this.width });
    const ruleY = doc.y + 3;
    doc.moveTo(this.left, ruleY).lineTo(this.left + this.width, ruleY).lineWidth(0.6).strokeColor(COLOR.rule).stroke();
    doc.y = ruleY + 8;
    if (intro) this.paragraph(intro, { muted: true });
  }

  subsection(title: string, keep = 70) {
    this.ensureSpace(keep + 20);
    const doc = this.doc;
    doc.y += 6;
    this.style(FONT.bold, SIZE.subsection).text(pdfText(title), this.left, doc.y, { width: this.width });
    doc.y += 4;
  }

  paragraph(text: string, options: { muted?: boolean; italic?: boolean; size?: number } = {}) {
    const doc = this.doc;
    const font = options.italic ? FONT.italic : FONT.regular;
    const size = options.size ?? SIZE.body;
    const safe = pdfText(text);
    doc.font(font).fontSize(size);
    const height = doc.heightOfString(safe, { width: this.width, lineGap: 1.5 });
    this.ensureSpace(Math.min(height, 120));
    this.style(font, size, options.muted ? COLOR.muted : COLOR.ink).text(safe, this.left, doc.y, { width: this.width, lineGap: 1.5 });
    doc.y += 6;
  }

  /** A tinted box with one message: a result or a warning the reader must not miss. */
  callout(text: string, tone: Tone) {
    const doc = this.doc;
    const safe = pdfText(text);
    const [fill, edge] =
      tone === 'ok' ? [COLOR.okFill, COLOR.ok] : tone === 'warn' ? [COLOR.warnFill, COLOR.warn] : tone === 'bad' ? [COLOR.badFill, COLOR.bad] : [COLOR.zebra, COLOR.faint];
    doc.font(FONT.bold).fontSize(SIZE.body);
    const height = doc.heightOfString(safe, { width: this.width - 24 }) + 14;
    this.ensureSpace(height + 6);
    const y = doc.y;
    doc.rect(this.left, y, this.width, height).fill(fill);
    doc.rect(this.left, y, 3, height).fill(edge);
    this.style(FONT.bold, SIZE.body, COLOR.ink).text(safe, this.left + 14, y + 7, { width: this.width - 24 });
    doc.y = y + height + 8;
  }

  /** Label/value pairs in `columns` columns. */
  keyValues(pairs: [string, string][], columns = 2) {
    const doc = this.doc;
    const gap = 16;
    const colWidth = (this.width - gap * (columns - 1)) / columns;
    const labelWidth = Math.min(120, colWidth * 0.42);
    for (let i = 0; i < pairs.length; i += columns) {
      const row = pairs.slice(i, i + columns);
      doc.font(FONT.regular).fontSize(SIZE.body);
      const height = Math.max(
        ...row.map(([label, value]) =>
          Math.max(doc.heightOfString(pdfText(label), { width: labelWidth - 6 }), doc.heightOfString(pdfText(value) || '-', { width: colWidth - labelWidth })),
        ),
      );
      this.ensureSpace(height + 6);
      const y = doc.y;
      row.forEach(([label, value], index) => {
        const x = this.left + index * (colWidth + gap);
        this.style(FONT.regular, SIZE.body, COLOR.muted).text(pdfText(label), x, y, { width: labelWidth - 6 });
        this.style(FONT.regular, SIZE.body, value ? COLOR.ink : COLOR.faint).text(pdfText(value) || '-', x + labelWidth, y, { width: colWidth - labelWidth });
      });
      doc.y = y + height + 5;
    }
    doc.y += 4;
  }

  /** A table that breaks across pages, repeating its header on each. */
  table(columns: Column[], rows: (string | Cell)[][], options: { empty?: string; fontSize?: number } = {}) {
    const doc = this.doc;
    const size = options.fontSize ?? SIZE.table;
    const total = columns.reduce((sum, column) => sum + column.width, 0);
    const widths = columns.map((column) => (column.width / total) * this.width);
    const xs = widths.map((_, index) => this.left + widths.slice(0, index).reduce((sum, width) => sum + width, 0));

    const headerHeight = () => {
      doc.font(FONT.bold).fontSize(size - 0.5);
      return Math.max(...columns.map((column, index) => doc.heightOfString(pdfText(column.header), { width: widths[index]! - 2 * CELL_PAD_X }))) + 2 * CELL_PAD_Y;
    };
    const drawHeader = () => {
      const height = headerHeight();
      const y = doc.y;
      doc.rect(this.left, y, this.width, height).fill(COLOR.headerFill);
      columns.forEach((column, index) => {
        this.style(FONT.bold, size - 0.5, COLOR.ink).text(pdfText(column.header), xs[index]! + CELL_PAD_X, y + CELL_PAD_Y, {
          width: widths[index]! - 2 * CELL_PAD_X,
          align: column.align ?? 'left',
        });
      });
      doc.y = y + height;
    };

    if (rows.length === 0) {
      this.ensureSpace(headerHeight() + 20);
      drawHeader();
      this.style(FONT.italic, size, COLOR.muted).text(pdfText(options.empty ?? this.labels.none), this.left + CELL_PAD_X, doc.y + CELL_PAD_Y + 1, { width: this.width });
      doc.y += 8;
      return;
    }

    const cellOptions = (index: number): PDFTextOptions => ({ width: widths[index]! - 2 * CELL_PAD_X, align: columns[index]!.align ?? 'left' });
    const rowHeight = (row: (string | Cell)[]) =>
      Math.min(
        MAX_CELL_HEIGHT,
        Math.max(
          ...row.map((cell, index) => {
            const { text, bold } = typeof cell === 'string' ? { text: cell, bold: false } : cell;
            doc.font(bold ? FONT.bold : FONT.regular).fontSize(size);
            return doc.heightOfString(pdfText(text) || ' ', cellOptions(index));
          }),
        ),
      ) + 2 * CELL_PAD_Y;

    let first = true;
    rows.forEach((row, rowIndex) => {
      const height = rowHeight(row);
      if (first) {
        this.ensureSpace(headerHeight() + height * Math.min(rows.length, 3));
        drawHeader();
        first = false;
      } else if (doc.y + height > this.bottom) {
        this.newPage();
        drawHeader();
      }
      const y = doc.y;
      if (rowIndex % 2 === 1) doc.rect(this.left, y, this.width, height).fill(COLOR.zebra);
      row.forEach((cell, index) => {
        const { text, color, bold } = typeof cell === 'string' ? { text: cell, color: undefined, bold: false } : cell;
        this.style(bold ? FONT.bold : FONT.regular, size, color ?? COLOR.ink).text(pdfText(text), xs[index]! + CELL_PAD_X, y + CELL_PAD_Y, {
          ...cellOptions(index),
          // pdfkit compares rounded positions: without a point of slack the last line can be cut.
          height: height - 2 * CELL_PAD_Y + 1,
          ellipsis: true,
        });
      });
      doc.y = y + height;
    });
    doc.moveTo(this.left, doc.y).lineTo(this.left + this.width, doc.y).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
    doc.y += 10;
  }

  /** Horizontal bars against a common scale, labels on the left, values on the right. */
  barChart(bars: Bar[], options: { max?: number; labelWidth?: number; barHeight?: number } = {}) {
    const doc = this.doc;
    const barHeight = options.barHeight ?? 11;
    const gap = 6;
    const labelWidth = options.labelWidth ?? 150;
    const noteWidth = 70;
    const area = this.width - labelWidth - noteWidth - 8;
    const max = Math.max(options.max ?? 0, ...bars.map((bar) => bar.value), 1);
    this.ensureSpace(bars.length * (barHeight + gap) + 12);
    doc.y += 2;
    for (const bar of bars) {
      const y = doc.y;
      this.style(FONT.regular, SIZE.table, COLOR.ink).text(pdfText(bar.label), this.left, y + 1.5, { width: labelWidth - 8, height: barHeight + 2, ellipsis: true, lineBreak: false });
      const x = this.left + labelWidth;
      doc.rect(x, y, area, barHeight).fill(COLOR.zebra);
      const length = bar.value > 0 ? Math.max(1.5, (bar.value / max) * area) : 0;
      if (length > 0) doc.rect(x, y, length, barHeight).fill(bar.color ?? COLOR.accent);
      this.style(FONT.bold, SIZE.table, COLOR.ink).text(pdfText(bar.note ?? String(bar.value)), x + area + 8, y + 1.5, { width: noteWidth, lineBreak: false });
      doc.y = y + barHeight + gap;
    }
    doc.y += 6;
  }

  /** Small figures side by side: a number and what it counts. */
  figures(items: { value: string; label: string; tone?: Tone }[]) {
    const doc = this.doc;
    const gap = 10;
    const width = (this.width - gap * (items.length - 1)) / items.length;
    const height = 52;
    this.ensureSpace(height + 10);
    const y = doc.y;
    items.forEach((item, index) => {
      const x = this.left + index * (width + gap);
      const color = item.tone === 'bad' ? COLOR.bad : item.tone === 'warn' ? COLOR.warn : item.tone === 'ok' ? COLOR.ok : item.tone === 'neutral' ? COLOR.muted : COLOR.accent;
      doc.rect(x, y, width, height).fill(COLOR.zebra);
      doc.rect(x, y, width, 2).fill(color);
      this.style(FONT.bold, 16, color).text(pdfText(item.value), x + 8, y + 8, { width: width - 16, lineBreak: false });
      this.style(FONT.regular, SIZE.small, COLOR.muted).text(pdfText(item.label), x + 8, y + 29, { width: width - 16, height: 19, ellipsis: true });
    });
    doc.y = y + height + 12;
  }

  /** Stamps the running header and footer on every page and ends the document. */
  finish(): ReadableStream<Uint8Array> {
    const doc = this.doc;
    if (this.pageIndex === 0) this.newPage();
    const range = doc.bufferedPageRange();
    const pageLabel = (n: number) => this.labels.page.replace('{n}', String(n)).replace('{m}', String(range.count));
    const generated = pdfText(this.labels.generated.replace('{date}', formatTime(this.meta.generatedAt)).replace('{tenant}', this.meta.tenantName));
    for (let i = range.start; i < range.start + range.count; i += 1) {
      doc.switchToPage(i);
      const { margins, width, height } = doc.page;
      // Writing into the margins must not make pdfkit start a new page.
      const saved = { ...margins };
      doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
      const contentWidth = width - saved.left - saved.right;
      if (!this.titlePages.has(i)) {
        const headerY = saved.top - 28;
        this.style(FONT.bold, SIZE.small, COLOR.accent).text(pdfText(this.meta.title), saved.left, headerY, { width: contentWidth * 0.7, lineBreak: false, ellipsis: true, height: 10 });
        this.style(FONT.regular, SIZE.small, COLOR.muted).text(pdfText(this.meta.tenantName), saved.left + contentWidth * 0.5, headerY, {
          width: contentWidth * 0.5,
          align: 'right',
          lineBreak: false,
        });
        doc.moveTo(saved.left, headerY + 13).lineTo(saved.left + contentWidth, headerY + 13).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
      }
      const footerY = height - saved.bottom + 22;
      doc.moveTo(saved.left, footerY - 7).lineTo(saved.left + contentWidth, footerY - 7).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
      this.style(FONT.regular, SIZE.small, COLOR.muted).text(generated, saved.left, footerY, { width: contentWidth * 0.75, lineBreak: false });
      this.style(FONT.regular, SIZE.small, COLOR.muted).text(pageLabel(i - range.start + 1), saved.left + contentWidth * 0.75, footerY, {
        width: contentWidth * 0.25,
        align: 'right',
        lineBreak: false,
      });
      doc.page.margins = saved;
    }
    doc.flushPages();
    doc.end();
    return this.stream;
  }
}
