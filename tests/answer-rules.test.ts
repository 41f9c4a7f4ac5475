import { describe, expect, it } from 'vitest';
import { checkAnswerValue, computeProgress, visibleQuestionKeys, type StoredAnswer } from '../src/features/assessments/answer-rules';
import { TemplateDocumentSchema, type TemplateDocument } from '../src/features/questionnaire-templates/template-document.schemas';
import { sampleTemplate } from './support/fixtures';

const document = TemplateDocumentSchema.parse(
  sampleTemplate('rules', {
    sections: [
      {
        key: 's',
        title: 'S',
        questions: [
          { key: 'cert', text: 'Certified?', type: 'yes_no', domain: 'a', options: [{ value: 'yes', label: 'Yes', score: 100 }, { value: 'no', label: 'No', score: 0 }] },
          { key: 'which', text: 'Which?', type: 'multiple_choice', domain: 'a', dependsOn: { question: 'cert', anyOf: ['yes'] }, options: [{ value: 'iso', label: 'ISO', score: 100 }, { value: 'soc2', label: 'SOC 2', score: 100 }] },
          { key: 'iso-file', text: 'Upload', type: 'file', domain: 'a', evidenceRequired: true, dependsOn: { question: 'which', anyOf: ['iso'] } },
          { key: 'expiry', text: 'Expiry', type: 'date', domain: 'a', required: false },
          { key: 'hours', text: 'Hours', type: 'number', domain: 'a', min: 0, max: 72 },
          { key: 'notes', text: 'Notes', type: 'text', domain: 'a', required: false },
        ],
      },
    ],
  }),
) as TemplateDocument;

const question = (key: string) => document.sections[0]!.questions.find((item) => item.key === key)!;
const answers = (entries: Record<string, unknown>) =>
  new Map<string, StoredAnswer>(Object.entries(entries).map(([key, value]) => [key, Array.isArray(value) && key.endsWith('file') ? { value: null, evidenceIds: value as string[] } : { value, evidenceIds: [] }]));

describe('answer rules', () => {
  it('checks values by question type', () => {
    expect(checkAnswerValue(question('cert'), 'yes')).toEqual({ ok: true, value: 'yes' });
    expect(checkAnswerValue(question('cert'), 'maybe').ok).toBe(false);
    expect(checkAnswerValue(question('which'), ['iso', 'soc2']).ok).toBe(true);
    expect(checkAnswerValue(question('which'), ['iso', 'iso']).ok).toBe(false);
    expect(checkAnswerValue(question('which'), []).ok).toBe(false);
    expect(checkAnswerValue(question('hours'), 24).ok).toBe(true);
    expect(checkAnswerValue(question('hours'), '24').ok).toBe(false);
    expect(checkAnswerValue(question('hours'), 100)).toEqual({ ok: false, message: 'Must be at most 72.' });
    expect(checkAnswerValue(question('expiry'), '2027-02-30').ok).toBe(false);
    expect(checkAnswerValue(question('expiry'), '2027-02-28').ok).toBe(true);
    expect(checkAnswerValue(question('notes'), '  trimmed  ')).toEqual({ ok: true, value: 'trimmed' });
    expect(checkAnswerValue(question('notes'), 'x'.repeat(10_001)).ok).toBe(false);
    expect(checkAnswerValue(question('iso-file'), 'x').ok).toBe(false);
    expect(checkAnswerValue(question('cert'), null)).toEqual({ ok: true, value: null });
  });

  it('shows conditional questions only when their condition holds, transitively', () => {
    expect([...visibleQuestionKeys(document, answers({}))]).toEqual(['cert', 'expiry', 'hours', 'notes']);
    expect(visibleQuestionKeys(document, answers({ cert: 'yes' })).has('which')).toBe(true);
    expect(visibleQuestionKeys(document, answers({ cert: 'yes', which: ['soc2'] })).has('iso-file')).toBe(false);
    expect(visibleQuestionKeys(document, answers({ cert: 'yes', which: ['soc2', 'iso'] })).has('iso-file')).toBe(true);
    // The answer to "which" stays stored, but once "cert" is no, its follow-ups are hidden.
    expect(visibleQuestionKeys(document, answers({ cert: 'no', which: ['iso'] })).has('iso-file')).toBe(false);
  });

  it('counts progress over shown questions only', () => {
    expect(computeProgress(document, answers({}))).toEqual({ visible: 4, answered: 0, requiredMissing: ['cert', 'hours'], evidenceMissing: [] });
    expect(computeProgress(document, answers({ cert: 'yes', which: ['iso'], hours: 24 }))).toEqual({
      visible: 6,
      answered: 3,
      requiredMissing: ['iso-file'],
      evidenceMissing: ['iso-file'],
    });
    expect(computeProgress(document, answers({ cert: 'yes', which: ['iso'], hours: 24, 'iso-file': ['evd_1'] })).requiredMissing).toEqual([]);
  });
});
