import { allQuestions, checkAnswerValue } from '../features/assessments/answer-rules';
import type { AnswerInput } from '../features/assessments/assessments.queries';
import type { TemplateDocument, TemplateQuestion } from '../features/questionnaire-templates/template-document.schemas';
import type { PageError } from './portal.page';
import type { PortalAnswer } from './portal.queries';
import type { PortalStrings } from './portal.strings';

export type FormBody = Record<string, string | File | (string | File)[]>;

const strings = (field: string | File | (string | File)[] | undefined): string[] =>
  (Array.isArray(field) ? field : field === undefined ? [] : [field]).filter((item): item is string => typeof item === 'string');

const first = (body: FormBody, name: string) => strings(body[name])[0] ?? '';

/** Text typed into a number field, read as people write numbers: "24", "2.5", "2,5", "1 000". */
function parseNumber(text: string): number | undefined {
  const compact = text.replace(/[\s\u00a0]/g, '');
  const normalised = /^-?\d+,\d+$/.test(compact) ? compact.replace(',', '.') : compact;
  if (!/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(normalised)) return undefined;
  return Number(normalised);
}

/** The typed value of a question's form field, or an error message. Empty fields clear the answer. */
function valueOf(question: TemplateQuestion, body: FormBody, text: PortalStrings): { value: unknown } | { error: string; raw: unknown } {
  const name = `a.${question.key}`;
  switch (question.type) {
    case 'multiple_choice': {
      const values = strings(body[name]).filter(Boolean);
      return { value: values.length > 0 ? values : null };
    }
    case 'number': {
      const raw = first(body, name).trim();
      if (raw === '') return { value: null };
      const value = parseNumber(raw);
      return value === undefined ? { error: text.notANumber, raw } : { value };
    }
    default: {
      const raw = first(body, name);
      return { value: raw.trim() === '' ? null : raw };
    }
  }
}

export interface FormReading {
  /** Answers that differ from what is stored, with the version the page showed. */
  changed: AnswerInput[];
  errors: PageError[];
  /** Everything as typed, to show the page again when there are errors. */
  overlay: Map<string, { value: unknown; comment: string | null }>;
}

/**
 * Reads the page's form. Only questions that were on the form count (their version field is
 * there); a question that was not changed is not saved, so an untouched question can never
 * overwrite someone else's newer answer.
 */
export function readAnswerForm(document: TemplateDocument, stored: ReadonlyMap<string, PortalAnswer>, body: FormBody, text: PortalStrings): FormReading {
  const reading: FormReading = { changed: [], errors: [], overlay: new Map() };
  for (const question of allQuestions(document)) {
    const versionText = first(body, `v.${question.key}`);
    if (versionText === '') continue;
    const current = stored.get(question.key);
    const comment = first(body, `c.${question.key}`).trim() || null;
    let value: unknown = current?.value ?? null;
    if (question.type !== 'file') {
      const read = valueOf(question, body, text);
      if ('error' in read) {
        reading.errors.push({ field: question.key, message: read.error });
        reading.overlay.set(question.key, { value: read.raw, comment });
        continue;
      }
      const checked = checkAnswerValue(question, read.value);
      if (!checked.ok) {
        reading.errors.push({ field: question.key, message: checked.message });
        reading.overlay.set(question.key, { value: read.value, comment });
        continue;
      }
      value = checked.value;
    }
    reading.overlay.set(question.key, { value, comment });
    const unchanged = JSON.stringify(current?.value ?? null) === JSON.stringify(value) && (current?.comment ?? null) === comment;
    if (unchanged) continue;
    const expectedVersion = Number(versionText);
    reading.changed.push({
      questionKey: question.key,
      value,
      comment,
      ...(Number.isInteger(expectedVersion) && expectedVersion >= 0 ? { expectedVersion } : {}),
    });
  }
  return reading;
}
