import { createRouter } from '../../lib/router';
import { completeOffboardingHandler, getOffboardingHandler, recordOffboardingItemHandler, startOffboardingHandler } from './offboarding.handlers';
import { completeOffboardingRoute, getOffboardingRoute, recordOffboardingItemRoute, startOffboardingRoute } from './offboarding.routes';

export const offboardingRouter = createRouter()
  .openapi(startOffboardingRoute, startOffboardingHandler)
  .openapi(getOffboardingRoute, getOffboardingHandler)
  .openapi(recordOffboardingItemRoute, recordOffboardingItemHandler)
  .openapi(completeOffboardingRoute, completeOffboardingHandler);
