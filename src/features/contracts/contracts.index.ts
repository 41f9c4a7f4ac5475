import { createRouter } from '../../lib/router';
import {
  createClauseHandler,
  createContractHandler,
  exportClauseGapsHandler,
  getContractHandler,
  listClauseGapsHandler,
  listClauseLibraryHandler,
  listContractClausesHandler,
  listContractGapsHandler,
  listContractsHandler,
  setContractClauseHandler,
  updateContractHandler,
} from './contracts.handlers';
import {
  createClauseRoute,
  createContractRoute,
  exportClauseGapsRoute,
  getContractRoute,
  listClauseGapsRoute,
  listClauseLibraryRoute,
  listContractClausesRoute,
  listContractGapsRoute,
  listContractsRoute,
  setContractClauseRoute,
  updateContractRoute,
} from './contracts.routes';

export const contractsRouter = createRouter()
  .openapi(listClauseLibraryRoute, listClauseLibraryHandler)
  .openapi(createClauseRoute, createClauseHandler)
  .openapi(listContractsRoute, listContractsHandler)
  .openapi(createContractRoute, createContractHandler)
  .openapi(getContractRoute, getContractHandler)
  .openapi(updateContractRoute, updateContractHandler)
  .openapi(listContractClausesRoute, listContractClausesHandler)
  .openapi(setContractClauseRoute, setContractClauseHandler)
  .openapi(listContractGapsRoute, listContractGapsHandler)
  .openapi(listClauseGapsRoute, listClauseGapsHandler)
  .openapi(exportClauseGapsRoute, exportClauseGapsHandler);
