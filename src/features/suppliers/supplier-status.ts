import { problems } from '../../lib/errors';

/**
 * Statuses a supplier reaches only through a workflow: `active` through an onboarding approval,
 * `terminated` through a completed offboarding. Registering a relationship that already exists
 * (create, ERP upsert, import) may set them with a documented override instead.
 */
const GUARDED = {
  active: { code: 'approval_required', how: 'an onboarding approval (POST /v1/suppliers/{supplierId}/onboarding/decision)' },
  terminated: { code: 'offboarding_required', how: 'a completed offboarding (POST /v1/suppliers/{supplierId}/offboarding/complete)' },
} as const;

const guardOf = (status: string) => (Object.hasOwn(GUARDED, status) ? GUARDED[status as keyof typeof GUARDED] : undefined);

/** Why a registration may not set `after` without a justification; null when it may. */
export function registrationStatusProblem(before: string | undefined, after: string, justification: string | undefined): string | null {
  const guard = guardOf(after);
  if (!guard || before === after || justification) return null;
  return `A supplier becomes ${after} through ${guard.how}. To register a relationship that already exists as ${after}, document why with a status override justification.`;
}

/** A PATCH never moves a supplier into a guarded status: that is what the workflows are for. */
export function assertPatchStatusMove(before: string, after: string): void {
  const guard = guardOf(after);
  if (!guard || before === after) return;
  throw problems.conflict(`A supplier becomes ${after} through ${guard.how}, not by PATCH.`, guard.code);
}

/** The create and ERP-upsert form of the registration check: 422 naming `statusOverride`. */
export function assertRegistrationStatus(before: string | undefined, after: string, justification: string | undefined): void {
  const problem = registrationStatusProblem(before, after, justification);
  if (problem) throw problems.validation([{ location: 'body', path: 'statusOverride', message: problem }]);
}
