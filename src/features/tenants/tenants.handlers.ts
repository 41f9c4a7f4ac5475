import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../lib/context';
import { problems } from '../../lib/errors';
import { setEtag } from '../../lib/etag';
import { presentApiKey } from '../api-keys/api-keys.handlers';
import { createTenantWithAdminKey, findTenant, type TenantRow } from './tenants.queries';
import type { createTenantRoute, getCurrentTenantRoute } from './tenants.routes';

export function presentTenant(row: TenantRow) {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const createTenantHandler: RouteHandler<typeof createTenantRoute, AppEnv> = async (c) => {
  const { name } = c.req.valid('json');
  const now = c.var.now;
  const { tenant, apiKey } = await createTenantWithAdminKey(c.var.db, {
    name,
    actor: { type: 'platform', id: 'platform' },
    requestId: c.var.requestId,
    now,
  });
  c.header('Location', '/v1/tenant');
  return c.json({ tenant: presentTenant(tenant), apiKey: { ...presentApiKey(apiKey.row, now), key: apiKey.key } }, 201);
};

export const getCurrentTenantHandler: RouteHandler<typeof getCurrentTenantRoute, AppEnv> = async (c) => {
  const tenant = await findTenant(c.var.db, c.var.principal.tenantId);
  if (!tenant) throw problems.notFound('Tenant');
  setEtag(c, tenant.version);
  return c.json(presentTenant(tenant), 200);
};
