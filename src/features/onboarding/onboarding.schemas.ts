import { z } from '@hono/zod-openapi';
import { ALL_ROLES, type Role } from '../../catalog/access';
import { EVIDENCE_KIND_CODES } from '../../catalog/evidence-kinds';
import { ONBOARDING_GATE_KINDS, type OnboardingGateKind, type OnboardingPolicy } from '../../catalog/onboarding-policy';
import { ACCESS_LEVELS, SUPPLIER_CATEGORY_CODES, SUPPLIER_TIERS } from '../../catalog/supplier-profile';
import { DateTimeSchema, IsoDateSchema, orNull, text } from '../../lib/schemas';
import { SEVERITIES } from '../../scoring/types';

const ruleId = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,49}$/, 'Lower-case letters, digits and hyphens, at most 50 characters.')
  .openapi({ maxLength: 50 });
const keyList = z.array(z.string().trim().min(1).max(100)).max(30);

const RequirementRuleSchema = z
  .object({
    id: ruleId.openapi({ example: 'ot-integrator' }),
    description: text(500),
    when: z
      .object({
        tiers: z.array(z.enum(SUPPLIER_TIERS)).min(1).max(SUPPLIER_TIERS.length).optional(),
        categories: z.array(z.enum(SUPPLIER_CATEGORY_CODES)).min(1).max(SUPPLIER_CATEGORY_CODES.length).optional(),
        accessLevels: z.array(z.enum(ACCESS_LEVELS)).min(1).max(ACCESS_LEVELS.length).optional(),
      })
      .strict()
      .optional()
      .openapi({ description: 'When the rule applies: each list means any of its values, the lists together all of them. Left out: every supplier.' }),
    templates: keyList.optional().openapi({ description: 'Questionnaire template keys; an accepted assessment of each is required.', example: ['ot-service-provider'] }),
    evidence: z
      .array(z.object({ anyOf: z.array(z.enum(EVIDENCE_KIND_CODES)).min(1).max(10) }).strict())
      .max(20)
      .optional()
      .openapi({ description: 'Each entry is satisfied by evidence of any one of its kinds that is valid today.' }),
    clauses: keyList.optional().openapi({ description: 'Clause keys a current (draft or active) contract must have as `present`.', example: ['nis2-ir-5.1.4-e'] }),
  })
  .strict();

const ApprovalRuleSchema = z
  .object({
    roles: z
      .array(z.enum(ALL_ROLES as [Role, ...Role[]]))
      .min(1)
      .max(ALL_ROLES.length)
      .openapi({ description: 'Who may decide. A person holds the roles of their token; an API key holds each role whose every scope it has.' }),
    approvers: z.union([z.literal(1), z.literal(2)]).openapi({ description: 'Distinct people who must approve; one rejection decides at once.' }),
  })
  .strict();

export const OnboardingPolicySchema = z
  .object({
    assessmentMaxAgeMonths: z.number().int().min(1).max(60),
    rules: z.array(RequirementRuleSchema).max(50),
    approval: z.object({ critical: ApprovalRuleSchema, strategic: ApprovalRuleSchema, routine: ApprovalRuleSchema }).strict(),
  })
  .strict()
  .openapi('OnboardingPolicyDocument') satisfies z.ZodType<OnboardingPolicy>;

const ActorSchema = z.object({ type: z.string().openapi({ example: 'user' }), id: z.string().openapi({ example: 'u-4711' }) }).openapi('OnboardingActor');

export const OnboardingPolicyResponseSchema = z
  .object({
    version: z.number().int().openapi({ description: 'Increments with every PUT; 0 is the built-in policy. Also the ETag.', example: 1 }),
    policy: OnboardingPolicySchema,
    builtIn: z.boolean(),
    updatedAt: orNull(DateTimeSchema),
    updatedBy: orNull(ActorSchema),
  })
  .openapi('OnboardingPolicy');

const GATE_KIND_CODES = Object.keys(ONBOARDING_GATE_KINDS) as [OnboardingGateKind, ...OnboardingGateKind[]];

const RecordRefSchema = z
  .object({ type: z.string().openapi({ example: 'assessment' }), id: z.string(), href: z.string().openapi({ example: '/v1/assessments/asm_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }) })
  .openapi('OnboardingRecordRef');

export const GateSchema = z
  .object({
    key: z.string().openapi({ description: 'Stable key of the gate, e.g. `assessment:ot-service-provider` or `evidence:iso27001_certificate|iec62443_certificate`.', example: 'assessment:ot-service-provider' }),
    kind: z.enum(GATE_KIND_CODES),
    label: z.string().openapi({ example: 'Accepted "OT service provider (IEC 62443-2-4)" assessment' }),
    met: z.boolean(),
    detail: z.string().openapi({ description: 'What satisfies the gate, or what is still missing, in words.' }),
    missing: z.array(z.string()).openapi({ description: 'For intake and tier: the fields still missing.' }),
    satisfiedBy: z.array(RecordRefSchema).openapi({ description: 'The records that satisfy the gate.' }),
    requiredBy: z.array(z.string()).openapi({ description: 'Policy rules that asked for it; empty for the gates every case has.' }),
  })
  .openapi('OnboardingGate');

const ApprovalSchema = z.object({ actor: ActorSchema, decision: z.enum(['approved', 'approved_with_conditions']), at: DateTimeSchema, note: z.string().nullable() }).openapi('OnboardingApproval');

export const OnboardingCaseSchema = z
  .object({
    id: z.string().nullable().openapi({ description: 'Null before a case is started: the gates are then what onboarding would ask today.', example: 'cas_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    supplierId: z.string(),
    status: z.enum(['not_started', 'open', 'approved', 'approved_with_conditions', 'rejected']),
    policyVersion: z.number().int(),
    ready: z.boolean().openapi({ description: 'Every gate is met: a decision needs no override.' }),
    gates: z.array(GateSchema),
    unmetGates: z.array(z.string()).openapi({ description: 'Keys of the gates still unmet.' }),
    approval: z.object({
      roles: z.array(z.string()),
      approversRequired: z.number().int(),
      approvals: z.array(ApprovalSchema).openapi({ description: 'Approvals given so far (while a second approver is awaited, and after).' }),
    }),
    decision: orNull(
      z.object({
        decision: z.enum(['approved', 'approved_with_conditions', 'rejected']),
        decidedAt: DateTimeSchema,
        decidedBy: ActorSchema,
        note: z.string().nullable(),
        override: z.string().nullable().openapi({ description: 'The justification when gates were unmet at the decision.' }),
        unmetGatesAtDecision: z.array(z.string()),
        conditionFindingIds: z.array(z.string()),
      }),
    ),
    startedBy: orNull(ActorSchema),
    version: z.number().int(),
    createdAt: orNull(DateTimeSchema),
    updatedAt: orNull(DateTimeSchema),
  })
  .openapi('OnboardingCase');

export const StartOnboardingSchema = z
  .object({ note: text(2000).optional() })
  .strict()
  .openapi('StartOnboarding');

const ConditionSchema = z
  .object({
    title: text(300).openapi({ example: 'Provide the IEC 62443-2-4 certificate of the remote-access service' }),
    description: text(4000).optional(),
    dueDate: IsoDateSchema,
    owner: text(200).openapi({ example: 'j.weber@stadtwerke.example' }),
    severity: z.enum(SEVERITIES).default('medium'),
  })
  .strict()
  .openapi('OnboardingCondition');

export const OnboardingDecisionSchema = z
  .object({
    decision: z.enum(['approved', 'approved_with_conditions', 'rejected']),
    note: text(2000).optional(),
    conditions: z.array(ConditionSchema).min(1).max(20).optional().openapi({ description: 'Required for `approved_with_conditions`; each becomes a finding with its due date and owner.' }),
    override: z
      .object({ justification: text(2000).min(20) })
      .strict()
      .optional()
      .openapi({ description: 'Decide although gates are unmet. The justification is audited and shown on the supplier.' }),
  })
  .strict()
  .openapi('OnboardingDecision', {
    example: {
      decision: 'approved_with_conditions',
      conditions: [{ title: 'Sign the NIS2 audit clause addendum', dueDate: '2027-03-31', owner: 'j.weber@stadtwerke.example', severity: 'medium' }],
    },
  });

export type OnboardingDecisionInput = z.infer<typeof OnboardingDecisionSchema>;
export type Gate = z.infer<typeof GateSchema>;
