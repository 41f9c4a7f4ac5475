import { createRouter } from '../../lib/router';
import { createTenantHandler, getCurrentTenantHandler, updateCurrentTenantHandler } from './tenants.handlers';
import { createTenantRoute, getCurrentTenantRoute, updateCurrentTenantRoute } from './tenants.routes';

export const tenantsRouter = createRouter()
  .openapi(createTenantRoute, createTenantHandler)
  .openapi(getCurrentTenantRoute, getCurrentTenantHandler)
  .openapi(updateCurrentTenantRoute, updateCurrentTenantHandler);
