import { z } from '@hono/zod-openapi';
import { SEVERITIES } from '../../scoring/types';

/**
 * The questionnaire template document: the JSON customers import and export (their licensed SIG,
 * CAIQ or VSA copies, or their own), and the format of the built-in templates in
 * src/catalog/questionnaires/. Keys are stable identifiers; answers refer to questions by key.
 */

export const QUESTION_TYPES = ['yes_no', 'single_choice', 'multiple_choice', 'text', 'number', 'date', 'file'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

const KEY_PATTERN = /^[a-z0-9][a-z0-9._-]{0,79}$/;
const key = (what: string) =>
  z.string().regex(KEY_PATTERN, `A ${what} key is 1-80 lower-case letters, digits, ".", "_" or "-".`).openapi({ maxLength: 80 });

/** A control reference: a framework id, a colon, and the control, e.g. `ISO27001:A.5.20`, `IEC62443-2-4:SP.07`. */
export const ControlRefSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*:[A-Za-z0-9][A-Za-z0-9.()/&-]*$/, 'A control reference looks like FRAMEWORK:CONTROL, e.g. ISO27001:A.5.20.')
  .max(80)
  .openapi({ example: 'NIS2-IR:5.1.4(d)' });

/**
 * The expectation an option fails: choosing it in an accepted assessment raises a finding (source
 * `answer`) at the supplier. Optional; templates without it raise none.
 */
export const FindingExpectationSchema = z
  .object({
    severity: z.enum(SEVERITIES).openapi({ description: 'Severity of the finding this answer raises.' }),
    title: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'Title of the finding; without it the question text is used.' }),
  })
  .strict()
  .openapi('AnswerFindingExpectation', {
    description:
      'Declares that this option fails the question\'s expectation. When an assessment is accepted, each shown answer that chose such an option raises a finding with this severity, linked to the assessment and question; the same answer at the same supplier never raises a second one (an open finding is kept, a resolved one reopens). With several such options chosen (multiple choice), the most severe one counts.',
    example: { severity: 'high', title: 'No multi-factor authentication on remote access into OT' },
  });

export const AnswerOptionSchema = z
  .object({
    value: key('option'),
    label: z.string().trim().min(1).max(300),
    /** 0 (worst) to 100 (best); null: does not count (e.g. "not applicable"). */
    score: z.number().min(0).max(100).nullable(),
    finding: FindingExpectationSchema.optional(),
  })
  .strict()
  .openapi('AnswerOption', { example: { value: 'yes', label: 'Yes', score: 100 } });

export const DependsOnSchema = z
  .object({
    question: key('question'),
    /** The condition holds when the other question's answer equals one of these option values. */
    anyOf: z.array(z.string().min(1).max(80)).min(1).max(50),
  })
  .strict()
  .openapi('QuestionCondition', { example: { question: 'remote-access-used', anyOf: ['yes'] } });

/** Supplier profile fields an internal intake question can set (option values are the profile's values). */
export const PROFILE_FIELDS = ['dataSensitivity', 'accessLevel', 'supportsCriticalFunction', 'substitutability', 'outsideEea'] as const;

export const QuestionSchema = z
  .object({
    key: key('question'),
    text: z.string().trim().min(1).max(2000),
    help: z.string().trim().max(4000).optional(),
    type: z.enum(QUESTION_TYPES),
    required: z.boolean().default(true),
    /** Relative importance inside its domain, 0-10. 0: asked but not scored. */
    weight: z.number().min(0).max(10).default(1),
    evidenceRequired: z.boolean().default(false),
    /** Scoring domain, e.g. `access-control`, `incident-management`, `sp.07-remote-access`. */
    domain: key('domain'),
    controls: z.array(ControlRefSchema).max(30).default([]),
    options: z.array(AnswerOptionSchema).max(100).optional(),
    dependsOn: DependsOnSchema.optional(),
    /** For `number`: bounds and unit shown to the supplier. */
    min: z.number().optional(),
    max: z.number().optional(),
    unit: z.string().max(30).optional(),
    /** Internal intake templates only: the supplier profile field this answer sets. */
    profileField: z.enum(PROFILE_FIELDS).optional(),
  })
  .strict()
  .superRefine((question, ctx) => {
    const choice = question.type === 'yes_no' || question.type === 'single_choice' || question.type === 'multiple_choice';
    if (choice && (!question.options || question.options.length < 2)) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: `A ${question.type} question needs at least two options.` });
    }
    if (!choice && question.options) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: `A ${question.type} question has no options.` });
    }
    if (question.options) {
      const values = question.options.map((option) => option.value);
      if (new Set(values).size !== values.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Option values must be unique.' });
    }
    if (question.min !== undefined && question.max !== undefined && question.min > question.max) {
      ctx.addIssue({ code: 'custom', path: ['min'], message: 'min must not be above max.' });
    }
  })
  .openapi('TemplateQuestion');

export const SectionSchema = z
  .object({
    key: key('section'),
    title: z.string().trim().min(1).max(300),
    description: z.string().trim().max(4000).optional(),
    questions: z.array(QuestionSchema).min(1).max(500),
  })
  .strict()
  .openapi('TemplateSection');

export const TemplateDocumentSchema = z
  .object({
    key: key('template'),
    name: z.string().trim().min(1).max(200),
    description: z.string().trim().max(4000).optional(),
    /** `supplier`: answered by the supplier in the portal. `internal`: answered by our own team. */
    audience: z.enum(['supplier', 'internal']),
    language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/).openapi({ maxLength: 5 }).default('en'),
    /** Where the questions come from, and the licence they are used under (for imported copies). */
    source: z.string().trim().max(500).optional(),
    sections: z.array(SectionSchema).min(1).max(100),
  })
  .strict()
  .superRefine((template, ctx) => {
    const questions = template.sections.flatMap((section) => section.questions);
    if (questions.length > 2000) ctx.addIssue({ code: 'custom', path: ['sections'], message: 'At most 2,000 questions.' });
    const seen = new Map<string, (typeof questions)[number]>();
    const sectionKeys = new Set<string>();
    template.sections.forEach((section, sectionIndex) => {
      if (sectionKeys.has(section.key)) ctx.addIssue({ code: 'custom', path: ['sections', sectionIndex, 'key'], message: `Duplicate section key "${section.key}".` });
      sectionKeys.add(section.key);
      section.questions.forEach((question, questionIndex) => {
        const path = ['sections', sectionIndex, 'questions', questionIndex];
        if (seen.has(question.key)) ctx.addIssue({ code: 'custom', path: [...path, 'key'], message: `Duplicate question key "${question.key}".` });
        if (question.dependsOn) {
          // Conditions point backwards, so the portal can evaluate them in order and cycles are impossible.
          const target = seen.get(question.dependsOn.question);
          if (!target) {
            ctx.addIssue({ code: 'custom', path: [...path, 'dependsOn', 'question'], message: `Must name an earlier question; "${question.dependsOn.question}" is not one.` });
          } else if (target.options) {
            const values = new Set(target.options.map((option) => option.value));
            for (const value of question.dependsOn.anyOf) {
              if (!values.has(value)) ctx.addIssue({ code: 'custom', path: [...path, 'dependsOn', 'anyOf'], message: `"${value}" is not an option of "${target.key}".` });
            }
          }
        }
        if (question.profileField && template.audience !== 'internal') {
          ctx.addIssue({ code: 'custom', path: [...path, 'profileField'], message: 'Only internal (intake) templates can set profile fields.' });
        }
        seen.set(question.key, question);
      });
    });
  })
  .openapi('QuestionnaireTemplateDocument', {
    description: 'A questionnaire template: the import/export format. Import your licensed SIG, CAIQ or VSA copies in it.',
    example: {
      key: 'cloud-vendor-short',
      name: 'Cloud vendor short assessment',
      audience: 'supplier',
      language: 'en',
      sections: [
        {
          key: 'access',
          title: 'Access control',
          questions: [
            {
              key: 'mfa',
              text: 'Do your administrators use multi-factor authentication for every access to our environment?',
              type: 'yes_no',
              required: true,
              weight: 3,
              evidenceRequired: false,
              domain: 'access-control',
              controls: ['ISO27001:A.8.5'],
              options: [
                { value: 'yes', label: 'Yes', score: 100 },
                { value: 'no', label: 'No', score: 0 },
              ],
            },
          ],
        },
      ],
    },
  });

export type TemplateDocument = z.infer<typeof TemplateDocumentSchema>;
export type TemplateQuestion = z.infer<typeof QuestionSchema>;
