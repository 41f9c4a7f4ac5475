import { describe, expect, it } from 'vitest';
import { BUILT_IN_TEMPLATES, findBuiltInTemplate } from '../src/catalog/questionnaires';
import { ACCESS_LEVELS, DATA_SENSITIVITY_LEVELS, SUBSTITUTABILITY_LEVELS } from '../src/catalog/supplier-profile';
import {
  PROFILE_FIELDS,
  TemplateDocumentSchema,
  type TemplateDocument,
  type TemplateQuestion,
} from '../src/features/questionnaire-templates/template-document.schemas';

const questionsOf = (template: TemplateDocument) => template.sections.flatMap((section) => section.questions);

function template(key: string): TemplateDocument {
  const found = findBuiltInTemplate(key);
  if (!found) throw new Error(`built-in template ${key} is missing`);
  return found;
}

const CHOICE_TYPES = new Set(['yes_no', 'single_choice', 'multiple_choice']);
const isChoice = (question: TemplateQuestion) => CHOICE_TYPES.has(question.type);
const cites = (question: TemplateQuestion, pattern: RegExp) => question.controls.some((control) => pattern.test(control));

const SP_AREAS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];
const PRACTICES = ['SM', 'SR', 'SD', 'SI', 'SVV', 'DM', 'SUM', 'SG'];

/** What each framework's control part may look like, so a typo in a reference fails the test. */
const CONTROL_FORMATS: Record<string, (control: string) => boolean> = {
  NIS2: (control) => /^(21|22|23)(\.\d+)?(\([a-j]\))?$/.test(control),
  'NIS2-IR': (control) => /^([1-9]|1[0-3])\.\d+(\.\d+)?(\([a-h]\))?$/.test(control),
  DORA: (control) => /^(2[6-9]|30)(\.\d+)?(\([a-i]\))?$/.test(control),
  GDPR: (control) => /^\d+$/.test(control),
  ISO27001: (control) => {
    const match = /^A\.([5-8])\.(\d+)$/.exec(control);
    if (!match) return false;
    const limits: Record<string, number> = { '5': 37, '6': 8, '7': 14, '8': 34 };
    const number = Number(match[2]);
    return number >= 1 && number <= (limits[match[1] ?? ''] ?? 0);
  },
  'IEC62443-2-4': (control) => SP_AREAS.some((area) => control === `SP.${area}`),
  'IEC62443-4-1': (control) => PRACTICES.includes(control),
};

describe('built-in questionnaire catalog', () => {
  it('ships the four templates with unique keys', () => {
    expect(BUILT_IN_TEMPLATES.map((t) => t.key)).toEqual([
      'nis2-supplier-baseline',
      'ot-service-provider',
      'product-secure-development',
      'onboarding-intake',
    ]);
  });

  it.each(BUILT_IN_TEMPLATES.map((t) => [t.key, t] as const))('%s parses with TemplateDocumentSchema unchanged', (_key, document) => {
    const result = TemplateDocumentSchema.safeParse(document);
    expect(result.error?.issues ?? []).toEqual([]);
    // Every defaultable field is written out, so the file already has the parsed shape and the
    // `as TemplateDocument` in the catalog index hides nothing.
    expect(result.data).toEqual(document);
  });

  it('has the required number of questions', () => {
    expect(questionsOf(template('nis2-supplier-baseline')).length).toBeGreaterThanOrEqual(40);
    expect(questionsOf(template('ot-service-provider')).length).toBeGreaterThanOrEqual(30);
    expect(questionsOf(template('product-secure-development')).length).toBeGreaterThanOrEqual(25);
    const intake = questionsOf(template('onboarding-intake')).length;
    expect(intake).toBeGreaterThanOrEqual(10);
    expect(intake).toBeLessThanOrEqual(15);
  });

  it.each(BUILT_IN_TEMPLATES.map((t) => [t.key, t] as const))('%s: unique keys, known control references, backward conditions', (_key, document) => {
    const sectionKeys = document.sections.map((section) => section.key);
    expect(new Set(sectionKeys).size).toBe(sectionKeys.length);

    const seen = new Map<string, TemplateQuestion>();
    for (const question of questionsOf(document)) {
      expect(seen.has(question.key), `duplicate key ${question.key}`).toBe(false);

      expect(question.controls.length, `${question.key} has no control reference`).toBeGreaterThan(0);
      for (const reference of question.controls) {
        const [framework = '', control = ''] = reference.split(':');
        const valid = CONTROL_FORMATS[framework];
        expect(valid, `${question.key}: unknown framework in ${reference}`).toBeDefined();
        expect(valid?.(control), `${question.key}: malformed control ${reference}`).toBe(true);
      }

      if (question.dependsOn) {
        const target = seen.get(question.dependsOn.question);
        expect(target, `${question.key} depends on ${question.dependsOn.question}, which is not an earlier question`).toBeDefined();
        expect(target && isChoice(target), `${question.key} depends on a question without options`).toBe(true);
        const values = new Set(target?.options?.map((option) => option.value));
        for (const value of question.dependsOn.anyOf) expect(values.has(value), `${question.key}: "${value}" is not an option of ${target?.key}`).toBe(true);
      }

      // Scoring: only answers with option scores can be scored; a scored question must be able to score.
      if (!isChoice(question)) expect(question.weight, `${question.key} has no options but a weight`).toBe(0);
      if (question.weight > 0) {
        const scores = (question.options ?? []).map((option) => option.score).filter((score) => score !== null);
        expect(Math.max(...scores), `${question.key}: best answer should score 100`).toBe(100);
      }
      if (question.type === 'yes_no') {
        for (const option of question.options ?? []) {
          const expected = { yes: 100, partial: 50, no: 0, not_applicable: null }[option.value];
          if (question.weight > 0) expect(option.score, `${question.key}: ${option.value}`).toBe(expected);
        }
      }
      if (question.type === 'number') {
        expect(question.min, `${question.key} min`).toBeDefined();
        expect(question.max, `${question.key} max`).toBeDefined();
        expect(question.unit, `${question.key} unit`).toBeDefined();
      }
      if (document.audience === 'supplier') expect(question.profileField).toBeUndefined();
      seen.set(question.key, question);
    }
  });

  it('NIS2 baseline: sections, regulatory mapping, evidence, conditions and all question types', () => {
    const baseline = template('nis2-supplier-baseline');
    expect(baseline.audience).toBe('supplier');
    expect(baseline.sections.map((section) => section.key)).toEqual([
      'governance',
      'people',
      'access-control',
      'asset-configuration',
      'vulnerability-patch',
      'secure-development',
      'incident-management',
      'business-continuity',
      'supply-chain',
      'data-protection',
      'termination-exit',
      'assurance',
    ]);
    const questions = questionsOf(baseline);
    for (const question of questions) {
      expect(cites(question, /^(NIS2-IR:(5\.|6\.1\.2)|DORA:30)/), `${question.key} cites neither 2024/2690 point 5 / 6.1.2 nor DORA Art. 30`).toBe(true);
      expect(cites(question, /^ISO27001:/), `${question.key} cites no ISO/IEC 27001 control`).toBe(true);
    }
    // Every contract clause of point 5.1.4 and every acquisition requirement of 6.1.2 that a supplier can answer for.
    for (const point of ['5.1.4(a)', '5.1.4(b)', '5.1.4(c)', '5.1.4(d)', '5.1.4(e)', '5.1.4(f)', '5.1.4(g)', '5.1.4(h)', '6.1.2(a)', '6.1.2(b)', '6.1.2(c)', '6.1.2(d)', '6.1.2(e)']) {
      expect(questions.some((question) => question.controls.includes(`NIS2-IR:${point}`)), `NIS2-IR:${point}`).toBe(true);
    }
    for (const control of ['A.5.19', 'A.5.20', 'A.5.21', 'A.5.22', 'A.5.23', 'A.8.30']) {
      expect(questions.some((question) => question.controls.includes(`ISO27001:${control}`)), control).toBe(true);
    }
    expect(new Set(questions.map((question) => question.type))).toEqual(new Set(['yes_no', 'single_choice', 'multiple_choice', 'text', 'number', 'date', 'file']));
    expect(questions.filter((question) => question.evidenceRequired).length).toBeGreaterThanOrEqual(4);
    expect(questions.filter((question) => question.dependsOn).length).toBeGreaterThanOrEqual(10);

    const byKey = new Map(questions.map((question) => [question.key, question]));
    expect(byKey.get('asr.certifications')?.dependsOn).toEqual({ question: 'asr.certified', anyOf: ['yes'] });
    expect(byKey.get('asr.iso27001-expiry')?.type).toBe('date');
    expect(byKey.get('inc.notify-hours')).toMatchObject({ type: 'number', unit: 'hours', min: 0 });
  });

  it('OT service provider: every IEC 62443-2-4 area SP.01-SP.12, with a maturity self-rating', () => {
    const ot = template('ot-service-provider');
    expect(ot.audience).toBe('supplier');
    const questions = questionsOf(ot);
    for (const area of SP_AREAS) {
      const inArea = questions.filter((question) => question.domain.startsWith(`sp${area}-`) && question.controls.includes(`IEC62443-2-4:SP.${area}`));
      expect(inArea.length, `SP.${area}`).toBeGreaterThanOrEqual(3);
      expect(inArea.some((question) => question.key === `sp${area}.maturity`), `SP.${area} maturity`).toBe(true);
    }
    // The OT risk factors of REFERENCE.md each have a question.
    for (const key of ['sp07.path', 'sp07.mfa', 'sp07.session-approval', 'sp07.recording', 'sp09.personal-accounts', 'sp09.default-credentials', 'sp11.production-windows', 'sp11.end-of-support-current', 'sp05.change-control', 'sp10.removable-media', 'sp12.coverage']) {
      expect(questions.some((question) => question.key === key), key).toBe(true);
    }
  });

  it('product secure development: every IEC 62443-4-1 practice, SBOM, support period and guidance', () => {
    const product = template('product-secure-development');
    expect(product.audience).toBe('supplier');
    const questions = questionsOf(product);
    for (const practice of PRACTICES) {
      const inPractice = questions.filter((question) => question.domain === `4-1-${practice.toLowerCase()}` && question.controls.includes(`IEC62443-4-1:${practice}`));
      expect(inPractice.length, practice).toBeGreaterThanOrEqual(3);
    }
    for (const point of ['6.1.2(b)', '6.1.2(c)', '6.1.2(d)']) {
      expect(questions.filter((question) => question.controls.includes(`NIS2-IR:${point}`)).length, point).toBeGreaterThanOrEqual(3);
    }
  });

  it('onboarding intake: internal, and sets all five profile fields with valid profile values', () => {
    const intake = template('onboarding-intake');
    expect(intake.audience).toBe('internal');
    const questions = questionsOf(intake);
    const expectedValues: Record<(typeof PROFILE_FIELDS)[number], readonly string[]> = {
      dataSensitivity: DATA_SENSITIVITY_LEVELS,
      accessLevel: ACCESS_LEVELS,
      supportsCriticalFunction: ['true', 'false'],
      substitutability: SUBSTITUTABILITY_LEVELS,
      outsideEea: ['true', 'false'],
    };
    for (const field of PROFILE_FIELDS) {
      const setting = questions.filter((question) => question.profileField === field);
      expect(setting.length, field).toBe(1);
      const [question] = setting;
      expect(question && isChoice(question) && question.type !== 'multiple_choice', `${field} takes one answer`).toBe(true);
      expect(question?.options?.map((option) => option.value).sort()).toEqual([...expectedValues[field]].sort());
      // The profile feeds the inherent-risk model; the intake answer itself is not scored.
      expect(question?.weight).toBe(0);
    }
    const dueDiligence = questions.filter((question) => !question.profileField);
    for (const control of ['DORA:28.4(b)', 'DORA:28.4(c)', 'DORA:28.4(e)', 'DORA:28.8', 'NIS2-IR:5.1.2(a)', 'NIS2-IR:5.1.2(b)', 'NIS2-IR:5.1.2(c)', 'NIS2-IR:5.1.2(d)']) {
      expect(dueDiligence.some((question) => question.controls.includes(control)), control).toBe(true);
    }
  });

  it('uses original wording, not text from proprietary questionnaires', () => {
    const texts = BUILT_IN_TEMPLATES.flatMap((document) =>
      questionsOf(document).flatMap((question) => [question.text, question.help ?? '', ...(question.options ?? []).map((option) => option.label)]),
    );
    const questionTexts = BUILT_IN_TEMPLATES.flatMap((document) => questionsOf(document).map((question) => question.text));
    expect(new Set(questionTexts).size, 'question texts repeat').toBe(questionTexts.length);
    const markers = [
      // Questionnaire names or their question identifiers (CAIQ/CCM domain codes with numbers, e.g. "IAM-02.1").
      /\b(SIG|CAIQ|CCM|HECVAT|VSA)\b/,
      /\b(A&A|AIS|BCR|CCC|CEK|DCS|DSP|GRC|HRS|IAM|IPY|IVS|LOG|SEF|STA|TVM|UEM)-\d{2}/,
      // The stock phrasing that the CAIQ repeats across its policy questions.
      /established, documented, approved, communicated/i,
      /applied, evaluated,? and maintained/i,
    ];
    for (const text of texts) {
      for (const marker of markers) expect(marker.test(text), `"${text}" matches ${marker}`).toBe(false);
    }
    for (const document of BUILT_IN_TEMPLATES) expect(document.source).toMatch(/original wording/i);
  });
});
