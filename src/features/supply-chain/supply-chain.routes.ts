import { defineRoute } from '../../lib/router';
import {
  ChainSupplierParams,
  ConcentrationPageSchema,
  ConcentrationQuery,
  ListSubcontractorsQuery,
  MAX_CHAIN_DEPTH,
  MAX_TREE_NODES,
  PutSubcontractingLinkSchema,
  SubcontractingLinkPageSchema,
  SubcontractingLinkParams,
  SubcontractingLinkSchema,
  SupplyChainQuery,
  SupplyChainSchema,
} from './supply-chain.schemas';

const tags = ['Supply chain'];
const linkResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: SubcontractingLinkSchema } },
});

export const putSubcontractorRoute = defineRoute({
  method: 'put',
  path: '/v1/suppliers/{supplierId}/subcontractors/{subcontractorId}',
  operationId: 'putSubcontractor',
  summary: 'Link a subcontractor to a supplier',
  description:
    'Records that `supplierId` subcontracts to `subcontractorId` (both suppliers in the register), for one of the supplier\'s services (`serviceId`) or for all of them (null). Creates the link (201) or replaces it (200); the same body again changes nothing. The body is optional. ' +
    'A `serviceId` that is not a service of `supplierId` answers 422. The chain stays acyclic: a supplier cannot subcontract to itself, and a link that would close a cycle answers 422 `subcontracting_cycle` naming the cycle. ' +
    'An archived supplier on either side answers 409 `supplier_archived`. Feeds the supply chain (DORA RoI B_05.02) and the concentration analysis.',
  tags,
  access: 'suppliers:write',
  errors: [409],
  request: {
    params: SubcontractingLinkParams,
    body: { required: false, content: { 'application/json': { schema: PutSubcontractingLinkSchema } } },
  },
  responses: { 200: linkResponse('The replaced link.'), 201: linkResponse('The new link.') },
});

export const removeSubcontractorRoute = defineRoute({
  method: 'delete',
  path: '/v1/suppliers/{supplierId}/subcontractors/{subcontractorId}',
  operationId: 'removeSubcontractor',
  summary: 'Remove a subcontractor from a supplier',
  description: 'Deletes the link; both suppliers stay in the register. 404 when there is no such link.',
  tags,
  access: 'suppliers:write',
  request: { params: SubcontractingLinkParams },
  responses: { 204: { description: 'Removed.' } },
});

export const listSubcontractorsRoute = defineRoute({
  method: 'get',
  path: '/v1/suppliers/{supplierId}/subcontractors',
  operationId: 'listSubcontractors',
  summary: 'List a supplier\'s direct subcontractors',
  description: 'The supplier\'s own links (rank 2 seen from it), keyset-paginated by subcontractor id. `GET …/supply-chain` gives the whole chain.',
  tags,
  access: 'suppliers:read',
  request: { params: ChainSupplierParams, query: ListSubcontractorsQuery },
  responses: { 200: { description: 'A page of links.', content: { 'application/json': { schema: SubcontractingLinkPageSchema } } } },
});

export const getSupplyChainRoute = defineRoute({
  method: 'get',
  path: '/v1/suppliers/{supplierId}/supply-chain',
  operationId: 'getSupplyChain',
  summary: 'Get a supplier\'s supply chain',
  description:
    `The tree of subcontractors below the supplier, each node with its rank as in DORA RoI B_05.02 (the supplier itself is 1, its subcontractors 2, and so on). ` +
    `A subcontractor reached by several paths appears under each parent. At most ${MAX_CHAIN_DEPTH} ranks (\`maxDepth\`) and ${MAX_TREE_NODES} nodes; ` +
    '`summary.truncated` says when part of the chain was left out, and `childrenTruncated` marks the nodes cut at the depth limit.',
  tags,
  access: 'suppliers:read',
  request: { params: ChainSupplierParams, query: SupplyChainQuery },
  responses: { 200: { description: 'The supply chain.', content: { 'application/json': { schema: SupplyChainSchema } } } },
});

export const getConcentrationRoute = defineRoute({
  method: 'get',
  path: '/v1/concentration',
  operationId: 'getConcentration',
  summary: 'Concentration risk across critical services',
  description:
    'For DORA Art. 29 and NIS2 IR 5.1.2(d): the providers that the tenant\'s critical or important services depend on, directly (rank 1, the service\'s own supplier) or through subcontracting (fourth parties and beyond). ' +
    'A link with a `serviceId` carries only that service of its supplier; a link without one carries all of them; links deeper in the chain are all followed. ' +
    `Services of archived suppliers are not counted; chains are followed to rank ${MAX_CHAIN_DEPTH}. ` +
    'Sorted by the number of critical services, most first, then by name; keyset-paginated.',
  tags,
  access: 'suppliers:read',
  request: { query: ConcentrationQuery },
  responses: { 200: { description: 'A page of providers.', content: { 'application/json': { schema: ConcentrationPageSchema } } } },
});
