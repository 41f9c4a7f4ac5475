import { createRouter } from '../../lib/router';
import { createTenantHandler, getCurrentTenantHandler } from './tenants.handlers';
import { createTenantRoute, getCurrentTenantRoute } from './tenants.routes';

export const tenantsRouter = createRouter()
  .openapi(createTenantRoute, createTenantHandler)
  .openapi(getCurrentTenantRoute, getCurrentTenantHandler);
