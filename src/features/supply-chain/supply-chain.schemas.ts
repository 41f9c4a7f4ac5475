import { z } from '@hono/zod-openapi';
import { SUPPLIER_TIERS, SUBSTITUTABILITY_LEVELS } from '../../catalog/supplier-profile';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { DateTimeSchema, idParam, idString } from '../../lib/schemas';

/** Deepest rank the tree and the concentration analysis follow (the supplier itself is rank 1). */
export const MAX_CHAIN_DEPTH = 10;
/** Most nodes one tree answer holds; a DAG with many shared subcontractors is cut here. */
export const MAX_TREE_NODES = 2000;
/** How many service ids a concentration entry lists. */
export const CONCENTRATION_SERVICE_IDS = 20;

const SUPPLIER_EXAMPLE = 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A';
const SUBCONTRACTOR_EXAMPLE = 'sup_01JD6SB2M4P6R8T0V2X4Z6B8D0';
const SERVICE_EXAMPLE = 'svc_01JD6SC3N5Q7S9V1W3Y5A7C9E1';

const supplierIdParam = idParam('supplierId', 'supplier', SUPPLIER_EXAMPLE);

export const ChainSupplierParams = z.object({ supplierId: supplierIdParam });

export const SubcontractingLinkParams = z.object({
  supplierId: supplierIdParam,
  subcontractorId: idParam('subcontractorId', 'supplier', SUBCONTRACTOR_EXAMPLE),
});

export const PutSubcontractingLinkSchema = z
  .object({
    serviceId: idString('service', 'Not a service id.')
      .nullable()
      .optional()
      .openapi({
        description:
          'The service of `supplierId` that this subcontracting is for. Left out or null: the subcontractor supports all of the supplier\'s services.',
        example: SERVICE_EXAMPLE,
      }),
    description: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .nullable()
      .optional()
      .openapi({ description: 'What the subcontractor does in this chain.', example: 'Hosts the SCADA historian (IaaS, eu-central-1).' }),
  })
  .strict()
  .openapi('PutSubcontractingLink', {
    description: 'The whole link: fields left out are stored as null (PUT replaces).',
    example: { serviceId: null, description: 'Hosts the SCADA historian (IaaS, eu-central-1).' },
  });

export type PutSubcontractingLink = z.infer<typeof PutSubcontractingLinkSchema>;

export const SubcontractingLinkSchema = z
  .object({
    supplierId: z.string().openapi({ description: 'The supplier that subcontracts.', example: SUPPLIER_EXAMPLE }),
    subcontractorId: z.string().openapi({ description: 'The supplier it subcontracts to.', example: SUBCONTRACTOR_EXAMPLE }),
    serviceId: z
      .string()
      .nullable()
      .openapi({ description: 'The supplier\'s service this link is for; null for all its services.', example: SERVICE_EXAMPLE }),
    description: z.string().nullable().openapi({ example: 'Hosts the SCADA historian (IaaS, eu-central-1).' }),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  })
  .openapi('SubcontractingLink', {
    example: {
      supplierId: SUPPLIER_EXAMPLE,
      subcontractorId: SUBCONTRACTOR_EXAMPLE,
      serviceId: SERVICE_EXAMPLE,
      description: 'Hosts the SCADA historian (IaaS, eu-central-1).',
      createdAt: '2026-11-02T09:30:00.000Z',
      updatedAt: '2026-11-02T09:30:00.000Z',
    },
  });

export const SubcontractingLinkPageSchema = pageSchema(SubcontractingLinkSchema, 'SubcontractingLinkPage');

export const ListSubcontractorsQuery = z.object({ ...paginationQuery });

export const SupplyChainQuery = z.object({
  maxDepth: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_CHAIN_DEPTH)
    .default(MAX_CHAIN_DEPTH)
    .openapi({ description: `Deepest rank to follow, 1 (the supplier alone) to ${MAX_CHAIN_DEPTH}.`, example: MAX_CHAIN_DEPTH }),
});

const TierSchema = z.enum(SUPPLIER_TIERS).openapi({ example: 'critical' });
const SubstitutabilitySchema = z.enum(SUBSTITUTABILITY_LEVELS).nullable().openapi({ example: 'difficult' });

export interface SupplyChainNode {
  supplierId: string;
  name: string;
  country: string;
  tier: (typeof SUPPLIER_TIERS)[number];
  rank: number;
  serviceId: string | null;
  description: string | null;
  substitutability: (typeof SUBSTITUTABILITY_LEVELS)[number] | null;
  outsideEea: boolean;
  archived: boolean;
  childrenTruncated: boolean;
  children: SupplyChainNode[];
}

const NODE_EXAMPLE_LEAF = {
  supplierId: 'sup_01JD6SD4P6R8T0V2X4Z6B8D0F2',
  name: 'Nordcloud Hosting AB',
  country: 'SE',
  tier: 'strategic',
  rank: 3,
  serviceId: null,
  description: 'Virtual machines and object storage.',
  substitutability: 'medium',
  outsideEea: false,
  archived: false,
  childrenTruncated: false,
  children: [],
};

const NODE_EXAMPLE = {
  supplierId: SUPPLIER_EXAMPLE,
  name: 'Rhein Automation GmbH',
  country: 'DE',
  tier: 'critical',
  rank: 1,
  serviceId: null,
  description: null,
  substitutability: 'difficult',
  outsideEea: false,
  archived: false,
  childrenTruncated: false,
  children: [
    {
      supplierId: SUBCONTRACTOR_EXAMPLE,
      name: 'Ostsee Managed Services GmbH',
      country: 'DE',
      tier: 'strategic',
      rank: 2,
      serviceId: SERVICE_EXAMPLE,
      description: 'Operates the remote-maintenance gateway.',
      substitutability: 'medium',
      outsideEea: false,
      archived: false,
      childrenTruncated: false,
      children: [NODE_EXAMPLE_LEAF],
    },
  ],
};

export const SupplyChainNodeSchema: z.ZodType<SupplyChainNode> = z
  .object({
    supplierId: z.string().openapi({ example: SUPPLIER_EXAMPLE }),
    name: z.string().openapi({ example: 'Rhein Automation GmbH' }),
    country: z.string().openapi({ example: 'DE' }),
    tier: TierSchema,
    rank: z.number().int().min(1).openapi({ description: 'Position in the chain as in DORA RoI B_05.02: the supplier itself is 1, its subcontractors 2, theirs 3…', example: 2 }),
    serviceId: z
      .string()
      .nullable()
      .openapi({ description: 'The parent\'s service the link to this node is for; null for all services (and on the root).', example: SERVICE_EXAMPLE }),
    description: z.string().nullable().openapi({ description: 'The description of the link to this node; null on the root.', example: 'Operates the remote-maintenance gateway.' }),
    substitutability: SubstitutabilitySchema,
    outsideEea: z.boolean().openapi({ example: false }),
    archived: z.boolean().openapi({ description: 'The supplier is archived in the register (its links still count).', example: false }),
    childrenTruncated: z
      .boolean()
      .openapi({ description: 'This node has subcontractors deeper than maxDepth, left out of the answer.', example: false }),
    get children(): z.ZodArray<z.ZodType<SupplyChainNode>> {
      return z.array(SupplyChainNodeSchema).openapi({ description: 'Its subcontractors, by name. A subcontractor reached by several paths appears under each parent.' });
    },
  })
  .openapi('SupplyChainNode', { example: NODE_EXAMPLE }) as z.ZodType<SupplyChainNode>;

export const SupplyChainSummarySchema = z
  .object({
    depth: z.number().int().openapi({ description: 'The deepest rank in the answer (1: no subcontractors).', example: 3 }),
    suppliers: z.number().int().openapi({ description: 'Distinct suppliers in the chain, the root included.', example: 3 }),
    subcontractors: z.number().int().openapi({ description: 'Distinct suppliers below the root (ranks 2 and deeper).', example: 2 }),
    outsideEea: z.number().int().openapi({ description: 'Distinct suppliers in the chain that are outside the EU/EEA.', example: 0 }),
    nodes: z.number().int().openapi({ description: 'Nodes in the tree; more than `suppliers` when a subcontractor is reached by several paths.', example: 3 }),
    maxDepth: z.number().int().openapi({ description: 'The depth limit that applied.', example: MAX_CHAIN_DEPTH }),
    truncated: z
      .boolean()
      .openapi({ description: `Part of the chain was left out: deeper than maxDepth, or more than ${MAX_TREE_NODES} nodes.`, example: false }),
  })
  .openapi('SupplyChainSummary');

export const SupplyChainSchema = z
  .object({
    supplierId: z.string().openapi({ example: SUPPLIER_EXAMPLE }),
    tree: SupplyChainNodeSchema,
    summary: SupplyChainSummarySchema,
  })
  .openapi('SupplyChain', {
    example: {
      supplierId: SUPPLIER_EXAMPLE,
      tree: NODE_EXAMPLE,
      summary: { depth: 3, suppliers: 3, subcontractors: 2, outsideEea: 0, nodes: 3, maxDepth: MAX_CHAIN_DEPTH, truncated: false },
    },
  });

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

export const ConcentrationQuery = z.object({
  ...paginationQuery,
  minCriticalServices: z.coerce
    .number()
    .int()
    .min(1)
    .max(100000)
    .default(1)
    .openapi({ description: 'Only providers that at least this many critical or important services depend on.', example: 2 }),
  noAlternative: booleanQuery.optional().openapi({
    description: 'true: only providers marked not substitutable; false: only the others.',
    example: 'true',
  }),
});

export const ConcentrationEntrySchema = z
  .object({
    supplierId: z.string().openapi({ example: 'sup_01JD6SD4P6R8T0V2X4Z6B8D0F2' }),
    name: z.string().openapi({ example: 'Nordcloud Hosting AB' }),
    country: z.string().openapi({ example: 'SE' }),
    tier: TierSchema,
    substitutability: SubstitutabilitySchema,
    noAlternative: z.boolean().openapi({ description: 'Substitutability is `not_substitutable` (DORA Art. 29(1)(a)).', example: true }),
    outsideEea: z.boolean().openapi({ example: false }),
    criticalServices: z
      .number()
      .int()
      .openapi({ description: 'Critical or important services that depend on this provider, directly or through subcontracting.', example: 3 }),
    direct: z.number().int().openapi({ description: 'Of those, services this provider supplies itself (rank 1).', example: 2 }),
    indirect: z.number().int().openapi({ description: 'Of those, services that reach it only through subcontracting (rank 2 and deeper).', example: 1 }),
    minRank: z.number().int().openapi({ description: 'Its highest position in any of those chains (1: a direct provider).', example: 1 }),
    serviceIds: z
      .array(z.string())
      .openapi({ description: `The first ${CONCENTRATION_SERVICE_IDS} of those services, by id.`, example: [SERVICE_EXAMPLE] }),
  })
  .openapi('ConcentrationEntry', {
    example: {
      supplierId: 'sup_01JD6SD4P6R8T0V2X4Z6B8D0F2',
      name: 'Nordcloud Hosting AB',
      country: 'SE',
      tier: 'critical',
      substitutability: 'not_substitutable',
      noAlternative: true,
      outsideEea: false,
      criticalServices: 3,
      direct: 2,
      indirect: 1,
      minRank: 1,
      serviceIds: [SERVICE_EXAMPLE, 'svc_01JD6SE5Q7S9V1W3Y5A7C9E1G3', 'svc_01JD6SF6R8T0V2X4Z6B8D0F2H4'],
    },
  });

export const ConcentrationPageSchema = pageSchema(ConcentrationEntrySchema, 'ConcentrationPage');
