import type { TemplateDocument, TemplateQuestion } from '../questionnaire-templates/template-document.schemas';

/**
 * The rules of answering, shared by the staff API, the portal and scoring: what a valid value is
 * for each question type, which questions are shown (dependsOn), and how far an assessment is.
 * Pure functions, no database.
 */

export interface StoredAnswer {
  value: unknown;
  evidenceIds: readonly string[];
}

export type AnswerCheck = { ok: true; value: unknown } | { ok: false; message: string };

const MAX_TEXT = 10_000;

const isDate = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);

/** Checks and normalises a value for a question. `null` always clears an answer. */
export function checkAnswerValue(question: TemplateQuestion, value: unknown): AnswerCheck {
  if (value === null) return { ok: true, value: null };
  const options = new Set((question.options ?? []).map((option) => option.value));
  switch (question.type) {
    case 'yes_no':
    case 'single_choice':
      if (typeof value !== 'string' || !options.has(value)) {
        return { ok: false, message: `Must be one of: ${[...options].join(', ')}.` };
      }
      return { ok: true, value };
    case 'multiple_choice': {
      if (!Array.isArray(value) || value.length === 0) return { ok: false, message: 'Must be a non-empty list of option values.' };
      const unknown = value.filter((item) => typeof item !== 'string' || !options.has(item));
      if (unknown.length > 0) return { ok: false, message: `Unknown options: ${unknown.map(String).join(', ')}. Allowed: ${[...options].join(', ')}.` };
      if (new Set(value).size !== value.length) return { ok: false, message: 'Options must not repeat.' };
      return { ok: true, value };
    }
    case 'text':
      if (typeof value !== 'string') return { ok: false, message: 'Must be text.' };
      if (value.trim().length === 0) return { ok: true, value: null };
      if (value.length > MAX_TEXT) return { ok: false, message: `At most ${MAX_TEXT} characters.` };
      return { ok: true, value: value.trim() };
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, message: 'Must be a number.' };
      if (question.min !== undefined && value < question.min) return { ok: false, message: `Must be at least ${question.min}.` };
      if (question.max !== undefined && value > question.max) return { ok: false, message: `Must be at most ${question.max}.` };
      return { ok: true, value };
    case 'date':
      if (typeof value !== 'string' || !isDate(value)) return { ok: false, message: 'Must be a date as YYYY-MM-DD.' };
      return { ok: true, value };
    case 'file':
      return { ok: false, message: 'A file question is answered with evidence files, not a value.' };
  }
}

export function isAnswered(question: TemplateQuestion, answer: StoredAnswer | undefined): boolean {
  if (!answer) return false;
  if (question.type === 'file') return answer.evidenceIds.length > 0;
  return answer.value !== null && answer.value !== undefined;
}

export function allQuestions(document: TemplateDocument): TemplateQuestion[] {
  return document.sections.flatMap((section) => section.questions);
}

/**
 * The questions shown for these answers. Conditions point to earlier questions (the template schema
 * enforces it), so one pass in order decides each: shown when its condition's question is shown
 * and answered with one of the listed options.
 */
export function visibleQuestionKeys(document: TemplateDocument, answers: ReadonlyMap<string, StoredAnswer>): Set<string> {
  const visible = new Set<string>();
  for (const question of allQuestions(document)) {
    const condition = question.dependsOn;
    if (!condition) {
      visible.add(question.key);
      continue;
    }
    if (!visible.has(condition.question)) continue;
    const value = answers.get(condition.question)?.value;
    const chosen = Array.isArray(value) ? value : [value];
    if (chosen.some((item) => typeof item === 'string' && condition.anyOf.includes(item))) visible.add(question.key);
  }
  return visible;
}

export interface Progress {
  visible: number;
  answered: number;
  requiredMissing: string[];
  evidenceMissing: string[];
}

/** Counts only shown questions: a hidden required question is not missing. */
export function computeProgress(document: TemplateDocument, answers: ReadonlyMap<string, StoredAnswer>): Progress {
  const visible = visibleQuestionKeys(document, answers);
  const progress: Progress = { visible: visible.size, answered: 0, requiredMissing: [], evidenceMissing: [] };
  for (const question of allQuestions(document)) {
    if (!visible.has(question.key)) continue;
    const answer = answers.get(question.key);
    const answered = isAnswered(question, answer);
    if (answered) progress.answered += 1;
    else if (question.required) progress.requiredMissing.push(question.key);
    if (question.evidenceRequired && (answer?.evidenceIds.length ?? 0) === 0) progress.evidenceMissing.push(question.key);
  }
  return progress;
}
