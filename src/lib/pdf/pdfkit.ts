import * as pdfkit from 'pdfkit';
import Helvetica from 'pdfkit/standard-fonts/Helvetica';
import HelveticaBold from 'pdfkit/standard-fonts/HelveticaBold';
import HelveticaOblique from 'pdfkit/standard-fonts/HelveticaOblique';

/*
 * pdfkit on both runtimes. Node resolves `pdfkit` to its Node build, which loads the standard
 * font metrics from its own package on first use. Workers (wrangler's esbuild, `browser`/`workerd`
 * conditions) get the browser build: it has no file system, so the metrics of the fonts we use
 * are bundled as modules and registered here; there `registerStdFonts` exists and is called.
 * The browser build also reads `import.meta.url` when it loads (for the PDF/A colour profile,
 * which we never use): wrangler.toml defines it for the bundle.
 */
const register = (pdfkit as { registerStdFonts?: typeof pdfkit.registerStdFonts }).registerStdFonts;
if (typeof register === 'function') register(Helvetica, HelveticaBold, HelveticaOblique);

export const PDFDocument = pdfkit.default;
export type PDFDocument = pdfkit.PDFDocument;
export type PDFTextOptions = pdfkit.PDFTextOptions;
