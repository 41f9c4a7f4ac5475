import { createRouter } from '../../lib/router';
import { decideOnboardingHandler, getOnboardingHandler, getOnboardingPolicyHandler, putOnboardingPolicyHandler, startOnboardingHandler } from './onboarding.handlers';
import { decideOnboardingRoute, getOnboardingPolicyRoute, getOnboardingRoute, putOnboardingPolicyRoute, startOnboardingRoute } from './onboarding.routes';

export const onboardingRouter = createRouter()
  .openapi(getOnboardingPolicyRoute, getOnboardingPolicyHandler)
  .openapi(putOnboardingPolicyRoute, putOnboardingPolicyHandler)
  .openapi(startOnboardingRoute, startOnboardingHandler)
  .openapi(getOnboardingRoute, getOnboardingHandler)
  .openapi(decideOnboardingRoute, decideOnboardingHandler);
