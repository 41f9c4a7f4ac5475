/**
 * Scopes a credential can hold, and the roles that bundle them. Routes name the one scope they
 * need; OIDC tokens carry roles, API keys carry scopes.
 */
export const SCOPES = {
  'tenant:read': 'Read the tenant itself.',
  'api_keys:read': 'List API keys (never their secrets).',
  'api_keys:write': 'Create and revoke API keys.',
  'audit_log:read': 'Read and verify the audit log.',
  'suppliers:read': 'Read suppliers, contacts, services and supply chains.',
  'suppliers:write': 'Create, change and archive suppliers and what belongs to them.',
  'suppliers:approve': 'Decide a supplier\'s onboarding (approve or reject), within the roles the onboarding policy allows per tier.',
  'assessments:read': 'Read questionnaire templates, assessments and answers.',
  'assessments:write': 'Manage templates; create, send and cancel assessments.',
  'assessments:review': 'Review submitted answers, accept or return assessments.',
  'contracts:read': 'Read contracts and their clauses.',
  'contracts:write': 'Manage contracts and clause status.',
  'evidence:read': 'Read and download evidence, audits and incidents.',
  'evidence:write': 'Upload evidence; record audits and incidents.',
  'findings:read': 'Read findings, risk acceptances and risk scores.',
  'findings:write': 'Manage findings and their comments; re-score.',
  'findings:accept_risk': 'Accept the risk of a finding (admins and risk managers).',
  'reports:read': 'Produce reports and exports.',
  'webhooks:read': 'Read webhook endpoints and deliveries.',
  'webhooks:write': 'Manage webhook endpoints.',
  'settings:write': 'Change tenant settings such as the risk model and policies.',
} as const;

export type Scope = keyof typeof SCOPES;
export const ALL_SCOPES = Object.keys(SCOPES) as Scope[];

const READ_SCOPES = ALL_SCOPES.filter((scope) => scope.endsWith(':read'));

export const ROLES = {
  admin: ALL_SCOPES,
  risk_manager: ALL_SCOPES.filter((scope) => !scope.startsWith('api_keys:') && scope !== 'webhooks:write'),
  reviewer: [
    ...READ_SCOPES.filter((scope) => scope !== 'api_keys:read' && scope !== 'audit_log:read'),
    'assessments:review',
    'findings:write',
    'suppliers:approve',
  ],
  auditor: READ_SCOPES,
  integration: [
    'tenant:read',
    'suppliers:read',
    'suppliers:write',
    'assessments:read',
    'assessments:write',
    'contracts:read',
    'contracts:write',
    'evidence:read',
    'evidence:write',
    'findings:read',
    'webhooks:read',
  ],
} as const satisfies Record<string, readonly Scope[]>;

export type Role = keyof typeof ROLES;
export const ALL_ROLES = Object.keys(ROLES) as Role[];

/**
 * The roles a set of scopes amounts to: a credential holds a role when it has every scope of it.
 * API keys carry scopes, not roles; this lets a role-based rule (who may approve a supplier) apply
 * to them too, without giving a narrow key more weight than its scopes.
 */
export function rolesHeldByScopes(scopes: ReadonlySet<Scope>): Set<Role> {
  return new Set(ALL_ROLES.filter((role) => ROLES[role].every((scope) => scopes.has(scope))));
}

export function scopesForRoles(roles: readonly string[]): Set<Scope> {
  const scopes = new Set<Scope>();
  for (const role of roles) {
    const granted = (ROLES as Record<string, readonly Scope[]>)[role];
    if (granted) for (const scope of granted) scopes.add(scope);
  }
  return scopes;
}
