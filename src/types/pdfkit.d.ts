// pdfkit 0.20 ships no types; this is the part of its API that src/lib/pdf uses. The default
// export condition (Workers, browsers) is the browser build, which exports registerStdFonts; the
// Node build loads the standard fonts itself and does not.

declare module 'pdfkit' {
  export interface PDFTextOptions {
    width?: number;
    height?: number;
    align?: 'left' | 'center' | 'right' | 'justify';
    lineBreak?: boolean;
    ellipsis?: boolean | string;
    lineGap?: number;
    continued?: boolean;
    characterSpacing?: number;
    underline?: boolean;
    link?: string | null;
  }

  export interface PDFDocumentOptions {
    size?: string | [number, number];
    margins?: { top: number; bottom: number; left: number; right: number };
    bufferPages?: boolean;
    autoFirstPage?: boolean;
    compress?: boolean;
    font?: string;
    info?: { Title?: string; Author?: string; Subject?: string; Keywords?: string; Creator?: string; Producer?: string; CreationDate?: Date };
    lang?: string;
    displayTitle?: boolean;
  }

  export interface PDFPage {
    width: number;
    height: number;
    margins: { top: number; bottom: number; left: number; right: number };
  }

  export class PDFDocument {
    constructor(options?: PDFDocumentOptions);
    x: number;
    y: number;
    page: PDFPage;
    addPage(options?: PDFDocumentOptions): this;
    switchToPage(index: number): PDFPage;
    bufferedPageRange(): { start: number; count: number };
    flushPages(): void;
    end(): void;
    on(event: 'data', listener: (chunk: Uint8Array) => void): this;
    on(event: 'end', listener: () => void): this;
    on(event: 'error', listener: (error: unknown) => void): this;
    font(name: string, size?: number): this;
    fontSize(size: number): this;
    fillColor(color: string, opacity?: number): this;
    strokeColor(color: string, opacity?: number): this;
    fillOpacity(opacity: number): this;
    lineWidth(width: number): this;
    text(text: string, options?: PDFTextOptions): this;
    text(text: string, x?: number, y?: number, options?: PDFTextOptions): this;
    heightOfString(text: string, options?: PDFTextOptions): number;
    widthOfString(text: string, options?: PDFTextOptions): number;
    currentLineHeight(includeGap?: boolean): number;
    moveDown(lines?: number): this;
    rect(x: number, y: number, width: number, height: number): this;
    roundedRect(x: number, y: number, width: number, height: number, radius: number): this;
    circle(x: number, y: number, radius: number): this;
    moveTo(x: number, y: number): this;
    lineTo(x: number, y: number): this;
    fill(color?: string): this;
    stroke(color?: string): this;
    fillAndStroke(fill?: string, stroke?: string): this;
    save(): this;
    restore(): this;
  }
  export default PDFDocument;

  export interface StandardFontData {
    name: string;
  }
  /** Browser build only. */
  export function registerStdFonts(...fonts: StandardFontData[]): void;
}

declare module 'pdfkit/standard-fonts/Helvetica' {
  import type { StandardFontData } from 'pdfkit';
  const font: StandardFontData;
  export default font;
}
declare module 'pdfkit/standard-fonts/HelveticaBold' {
  import type { StandardFontData } from 'pdfkit';
  const font: StandardFontData;
  export default font;
}
declare module 'pdfkit/standard-fonts/HelveticaOblique' {
  import type { StandardFontData } from 'pdfkit';
  const font: StandardFontData;
  export default font;
}
