import type { TestContext, TestTenant } from './context';

/**
 * How to make an object of each kind that a path parameter names, inside a given tenant. The
 * security matrix uses these to prove that another tenant's object answers 404. A route whose
 * path parameter has no factory here fails the matrix: add one with every new resource.
 */
export const objectFactories: Record<string, (t: TestContext, tenant: TestTenant) => Promise<string>> = {
  apiKeyId: async (t, tenant) => (await t.createKey(tenant, ['suppliers:read'], 'matrix fixture')).id,
};
