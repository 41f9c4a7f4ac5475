import { createRouter } from '../../lib/router';
import { createFunctionHandler, deleteFunctionHandler, getFunctionHandler, listFunctionsHandler, updateFunctionHandler } from './functions.handlers';
import { createFunctionRoute, deleteFunctionRoute, getFunctionRoute, listFunctionsRoute, updateFunctionRoute } from './functions.routes';

export const functionsRouter = createRouter()
  .openapi(listFunctionsRoute, listFunctionsHandler)
  .openapi(createFunctionRoute, createFunctionHandler)
  .openapi(getFunctionRoute, getFunctionHandler)
  .openapi(updateFunctionRoute, updateFunctionHandler)
  .openapi(deleteFunctionRoute, deleteFunctionHandler);
