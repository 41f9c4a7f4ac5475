import type * as PdfKit from 'pdfkit';

/*
 * pdfkit on both runtimes, loaded on the first report rather than at start: importing it costs a
 * Node process about 0.25 s, a quarter of the server's start-up, for something most instances
 * only do now and then. Node resolves `pdfkit` to its Node build, which loads the standard font
 * metrics from its own package on first use. Workers (wrangler's esbuild, `browser`/`workerd`
 * conditions) get the browser build: it has no file system, so the metrics of the fonts we use
 * are bundled as modules and registered here; there `registerStdFonts` exists and is called.
 * The browser build also reads `import.meta.url` when it loads (for the PDF/A colour profile,
 * which we never use): wrangler.toml defines it for the bundle.
 */
export type PDFDocument = PdfKit.PDFDocument;
export type PDFTextOptions = PdfKit.PDFTextOptions;
export type PDFDocumentClass = typeof PdfKit.default;

let loading: Promise<PDFDocumentClass> | undefined;

export function loadPdfKit(): Promise<PDFDocumentClass> {
  loading ??= (async () => {
    const [pdfkit, helvetica, helveticaBold, helveticaOblique] = await Promise.all([
      import('pdfkit'),
      import('pdfkit/standard-fonts/Helvetica'),
      import('pdfkit/standard-fonts/HelveticaBold'),
      import('pdfkit/standard-fonts/HelveticaOblique'),
    ]);
    const register = (pdfkit as { registerStdFonts?: typeof PdfKit.registerStdFonts }).registerStdFonts;
    if (typeof register === 'function') register(helvetica.default, helveticaBold.default, helveticaOblique.default);
    return pdfkit.default;
  })();
  // A failed load is not kept: the next report tries again.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
