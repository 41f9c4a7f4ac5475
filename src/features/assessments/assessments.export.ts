import type { Db } from '../../db/types';
import { keysetCsvStream, type CsvColumn, type CsvStreamHooks } from '../../lib/csv';
import { isOverdue, listAssessmentsForExport, type AssessmentFilter } from './assessments.queries';

type AssessmentExportRow = Awaited<ReturnType<typeof listAssessmentsForExport>>[number] & { overdue: boolean };

/** Columns of the assessments export, in file order: who, which questionnaire, where it stands, its dates and progress. */
export const ASSESSMENT_EXPORT_COLUMNS = [
  { header: 'id', value: (row) => row.assessment.id },
  { header: 'supplierId', value: (row) => row.assessment.supplierId },
  { header: 'supplierName', value: (row) => row.supplierName },
  { header: 'contactName', value: (row) => row.contactName },
  { header: 'contactEmail', value: (row) => row.contactEmail },
  { header: 'templateKey', value: (row) => row.templateKey },
  { header: 'templateName', value: (row) => row.templateName },
  { header: 'templateVersion', value: (row) => row.assessment.templateVersion },
  { header: 'status', value: (row) => row.assessment.status },
  { header: 'overdue', value: (row) => row.overdue },
  { header: 'dueAt', value: (row) => row.assessment.dueAt },
  { header: 'answered', value: (row) => row.assessment.answeredCount },
  // Every question of the template version; those hidden by earlier answers (dependsOn) included.
  { header: 'questions', value: (row) => row.questionCount },
  { header: 'requiredMissing', value: (row) => row.assessment.requiredMissingCount },
  { header: 'evidenceMissing', value: (row) => row.assessment.evidenceMissingCount },
  { header: 'clarificationsOpen', value: (row) => row.assessment.clarificationCount },
  { header: 'sentAt', value: (row) => row.assessment.sentAt },
  { header: 'submittedAt', value: (row) => row.assessment.submittedAt },
  { header: 'returnedAt', value: (row) => row.assessment.returnedAt },
  { header: 'acceptedAt', value: (row) => row.assessment.acceptedAt },
  { header: 'closedAt', value: (row) => row.assessment.closedAt },
  { header: 'lastRemindedAt', value: (row) => row.assessment.lastRemindedAt },
  { header: 'reminderCount', value: (row) => row.assessment.reminderCount },
  { header: 'createdAt', value: (row) => row.assessment.createdAt },
  { header: 'updatedAt', value: (row) => row.assessment.updatedAt },
] as const satisfies readonly CsvColumn<AssessmentExportRow>[];

/** Every assessment the list's filters match, in the list's order, as CSV: one query per page of 1,000. */
export function assessmentExportStream(db: Db, filter: Omit<AssessmentFilter, 'limit' | 'after'>, hooks: CsvStreamHooks): ReadableStream<Uint8Array> {
  return keysetCsvStream(
    {
      columns: ASSESSMENT_EXPORT_COLUMNS,
      page: (after: AssessmentFilter['after'], limit) => listAssessmentsForExport(db, { ...filter, limit, ...(after ? { after } : {}) }),
      keyOf: (row) => ({ value: row.assessment[filter.sort].toISOString(), id: row.assessment.id }),
      expand: async (rows) => rows.map((row) => ({ ...row, overdue: isOverdue(row.assessment, filter.now) })),
    },
    hooks,
  );
}
