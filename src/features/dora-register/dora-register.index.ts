import { createRouter } from '../../lib/router';
import { doraRegisterHandler, doraRegisterValidationHandler } from './dora-register.handlers';
import { doraRegisterRoute, doraRegisterValidationRoute } from './dora-register.routes';

// The validation's fixed path first; neither has a path parameter, so order only documents intent.
export const doraRegisterRouter = createRouter()
  .openapi(doraRegisterValidationRoute, doraRegisterValidationHandler)
  .openapi(doraRegisterRoute, doraRegisterHandler);
