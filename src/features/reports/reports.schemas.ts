import { z } from '@hono/zod-openapi';
import { SupplierIdParams } from '../suppliers/suppliers.schemas';

export const ReportSupplierParams = SupplierIdParams;

/** A PDF document; the bytes are streamed. */
export const PdfSchema = z.string().openapi({ format: 'binary', description: 'A PDF document (application/pdf), A4, with a title page and "Page n of m" on every page.' });

export const pdfHeaders = z.object({
  'Content-Disposition': z.string().openapi({ example: 'attachment; filename="nis2-supply-chain-2026-11-20.pdf"' }),
});
