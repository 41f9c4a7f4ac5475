import { createRouter } from '../../lib/router';
import {
  getConcentrationHandler,
  getSupplyChainHandler,
  listSubcontractorsHandler,
  putSubcontractorHandler,
  removeSubcontractorHandler,
} from './supply-chain.handlers';
import {
  getConcentrationRoute,
  getSupplyChainRoute,
  listSubcontractorsRoute,
  putSubcontractorRoute,
  removeSubcontractorRoute,
} from './supply-chain.routes';

export const supplyChainRouter = createRouter()
  .openapi(listSubcontractorsRoute, listSubcontractorsHandler)
  .openapi(putSubcontractorRoute, putSubcontractorHandler)
  .openapi(removeSubcontractorRoute, removeSubcontractorHandler)
  .openapi(getSupplyChainRoute, getSupplyChainHandler)
  .openapi(getConcentrationRoute, getConcentrationHandler);
