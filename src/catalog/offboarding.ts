/**
 * The offboarding checklist (NIS2 2024/2690 point 5.1.4(h), DORA Art. 28(8) exit strategies). Each
 * item applies always or only when the supplier's records say so; `contracts_ended` is met by the
 * contracts themselves once none is draft or active, or by hand when notice has been given.
 */
export const OFFBOARDING_ITEMS = {
  data_returned_or_destroyed: {
    label: 'Data returned and/or destroyed',
    description: 'Our information is returned and the supplier\'s copies destroyed; a confirmation (certificate of destruction, hand-over record) is attached as evidence.',
    appliesWhen: 'always',
    needsEvidence: true,
  },
  access_revoked: {
    label: 'Access and accounts revoked',
    description: 'Accounts, VPN and jump-host access, badges and keys are revoked, including remote access into the OT network.',
    appliesWhen: 'always',
    needsEvidence: false,
  },
  contracts_ended: {
    label: 'Contracts ended or notice given',
    description: 'Every contract with the supplier has ended, or notice has been given (say when in the note).',
    appliesWhen: 'always',
    needsEvidence: false,
  },
  subcontractors_informed: {
    label: 'Subcontractors informed',
    description: 'Subcontractors working for us through this supplier know the relationship ends and have returned data and access.',
    appliesWhen: 'has_subcontractors',
    needsEvidence: false,
  },
  exit_plan_executed: {
    label: 'Exit plan executed',
    description: 'For services supporting a critical or important function: the exit plan was carried out and the service moved or brought back in-house.',
    appliesWhen: 'critical_function',
    needsEvidence: false,
  },
} as const;

export type OffboardingItemKey = keyof typeof OFFBOARDING_ITEMS;
export const OFFBOARDING_ITEM_KEYS = Object.keys(OFFBOARDING_ITEMS) as [OffboardingItemKey, ...OffboardingItemKey[]];

/** What a person can record on an item. `not_applicable` needs a note saying why. */
export const OFFBOARDING_ITEM_STATES = ['open', 'done', 'not_applicable'] as const;
