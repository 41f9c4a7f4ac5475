import { z } from '@hono/zod-openapi';
import { OFFBOARDING_ITEM_KEYS, OFFBOARDING_ITEM_STATES } from '../../catalog/offboarding';
import { DateTimeSchema, orNull, text } from '../../lib/schemas';
import { SupplierIdParams } from '../suppliers/suppliers.schemas';

const ActorSchema = z.object({ type: z.string().openapi({ example: 'user' }), id: z.string().openapi({ example: 'u-4711' }) }).openapi('OffboardingActor');

export const OffboardingItemKeySchema = z.enum(OFFBOARDING_ITEM_KEYS).openapi('OffboardingItemKey', { example: 'access_revoked' });

export const OffboardingItemParams = SupplierIdParams.extend({
  itemKey: z.enum(OFFBOARDING_ITEM_KEYS).openapi({ param: { name: 'itemKey', in: 'path' }, example: 'access_revoked' }),
});

export const OffboardingItemSchema = z
  .object({
    key: OffboardingItemKeySchema,
    label: z.string(),
    description: z.string(),
    applies: z.boolean().openapi({ description: 'False when the supplier\'s records make the item irrelevant (no subcontractors; no critical or important function).' }),
    state: z.enum(OFFBOARDING_ITEM_STATES).openapi({ description: 'What was recorded by hand.' }),
    met: z.boolean().openapi({ description: 'Done, justified as not applicable, not applying, or (contracts) met by the contracts themselves.' }),
    detail: z.string(),
    note: z.string().nullable(),
    evidenceIds: z.array(z.string()),
    updatedAt: orNull(DateTimeSchema),
    updatedBy: orNull(ActorSchema),
  })
  .openapi('OffboardingItem');

export const OffboardingCaseSchema = z
  .object({
    id: z.string().nullable().openapi({ description: 'Null before a case is started: the items are then what an exit would ask today.', example: 'cas_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    supplierId: z.string(),
    status: z.enum(['not_started', 'open', 'completed']),
    reason: z.string().nullable(),
    complete: z.boolean().openapi({ description: 'Every item is met: completing needs no override.' }),
    items: z.array(OffboardingItemSchema),
    openItems: z.array(OffboardingItemKeySchema),
    completion: orNull(
      z.object({
        completedAt: DateTimeSchema,
        completedBy: ActorSchema,
        override: z.string().nullable().openapi({ description: 'The justification when items were still open.' }),
        openItemsAtCompletion: z.array(z.string()),
      }),
    ),
    startedBy: orNull(ActorSchema),
    version: z.number().int(),
    createdAt: orNull(DateTimeSchema),
    updatedAt: orNull(DateTimeSchema),
  })
  .openapi('OffboardingCase');

export const StartOffboardingSchema = z
  .object({ reason: text(2000).optional().openapi({ example: 'Maintenance moved to an in-house team.' }) })
  .strict()
  .openapi('StartOffboarding');

export const RecordOffboardingItemSchema = z
  .object({
    state: z.enum(OFFBOARDING_ITEM_STATES),
    note: text(4000).optional().openapi({ description: 'What was done, or why the item does not apply (required for `not_applicable`).' }),
    evidenceIds: z.array(z.string().min(1).max(100)).max(20).optional().openapi({ description: 'Evidence of the supplier that confirms it; required to mark data returned or destroyed as done.' }),
  })
  .strict()
  .openapi('RecordOffboardingItem', { example: { state: 'done', note: 'VPN accounts and the jump-host key revoked on 2026-12-01.' } });

export const CompleteOffboardingSchema = z
  .object({
    override: z
      .object({ justification: text(2000).min(20) })
      .strict()
      .optional()
      .openapi({ description: 'Complete although items are open. Audited and kept on the case.' }),
  })
  .strict()
  .openapi('CompleteOffboarding');

export type RecordOffboardingItem = z.infer<typeof RecordOffboardingItemSchema>;
