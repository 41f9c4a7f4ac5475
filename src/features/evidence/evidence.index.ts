import type { Config } from '../../config';
import { createRouter } from '../../lib/router';
import {
  archiveEvidenceHandler,
  downloadEvidenceHandler,
  getEvidenceHandler,
  listEvidenceHandler,
  updateEvidenceHandler,
  uploadEvidenceHandler,
} from './evidence.handlers';
import {
  archiveEvidenceRoute,
  downloadEvidenceRoute,
  getEvidenceRoute,
  listEvidenceRoute,
  updateEvidenceRoute,
  uploadEvidenceRoute,
} from './evidence.routes';

export const evidenceRouter = createRouter()
  .openapi(listEvidenceRoute, listEvidenceHandler)
  .openapi(uploadEvidenceRoute, uploadEvidenceHandler)
  .openapi(getEvidenceRoute, getEvidenceHandler)
  .openapi(updateEvidenceRoute, updateEvidenceHandler)
  .openapi(archiveEvidenceRoute, archiveEvidenceHandler)
  .openapi(downloadEvidenceRoute, downloadEvidenceHandler);

/** Multipart carries the file plus boundaries and the other fields: allow the file limit and one MiB more. */
export function evidenceBodyLimits(config: Config): Record<string, number> {
  return { 'POST /v1/evidence': config.evidenceMaxBytes + 1024 * 1024 };
}
