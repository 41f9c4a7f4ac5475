import { z } from '@hono/zod-openapi';
import { pageSchema, paginationQuery } from '../../lib/pagination';
import { DateTimeSchema, idParam, text } from '../../lib/schemas';

const EmailSchema = z
  .email('Not a valid e-mail address.')
  .max(254)
  .toLowerCase()
  .openapi({ description: 'Stored in lower case.', example: 'security@rheinautomation.example' });

const PhoneSchema = z
  .string()
  .trim()
  .max(30)
  .regex(/^\+?[0-9][0-9 ]*$/, 'A phone number is an optional "+" followed by digits and spaces, e.g. +49 211 555 0100.')
  .openapi({ description: 'E.164-style: an optional "+", digits and spaces, at most 30 characters.', example: '+49 211 555 0100' });

const RoleSchema = text(100).openapi({ description: 'Their function towards you.', example: 'Information Security Officer' });

const IsPrimarySchema = z.boolean().openapi({
  description:
    'The primary contact receives questionnaires. A supplier has at most one: making a contact primary takes the flag from the previous one.',
  example: true,
});

export const CreateContactSchema = z
  .object({
    name: text(200).openapi({ example: 'Katrin Vogel' }),
    email: EmailSchema,
    role: RoleSchema.nullable().optional(),
    phone: PhoneSchema.nullable().optional(),
    isPrimary: IsPrimarySchema.optional().openapi({
      description:
        'Default: true for the supplier\'s first contact, false otherwise. true takes the primary flag from the current primary contact.',
    }),
  })
  .strict()
  .openapi('CreateContact', {
    example: {
      name: 'Katrin Vogel',
      email: 'k.vogel@rheinautomation.example',
      role: 'Information Security Officer',
      phone: '+49 211 555 0100',
      isPrimary: true,
    },
  });

export const UpdateContactSchema = z
  .object({
    name: text(200).optional().openapi({ example: 'Katrin Vogel' }),
    email: EmailSchema.optional(),
    role: RoleSchema.nullable().optional(),
    phone: PhoneSchema.nullable().optional(),
    isPrimary: IsPrimarySchema.optional().openapi({
      description: 'true makes this the primary contact (the previous one loses the flag); false leaves the supplier without a primary contact.',
    }),
  })
  .strict()
  .openapi('UpdateContact', { example: { role: 'CISO', phone: '+49 211 555 0199' } });

export type ContactInput = z.infer<typeof CreateContactSchema>;
export type ContactPatch = z.infer<typeof UpdateContactSchema>;

export const ContactSchema = z
  .object({
    id: z.string().openapi({ example: 'con_01JD6SB2K4M6P8R0T2V4X6Z8A0' }),
    supplierId: z.string().openapi({ example: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A' }),
    name: z.string(),
    email: z.string(),
    role: z.string().nullable(),
    phone: z.string().nullable(),
    isPrimary: z.boolean(),
    version: z.number().int().openapi({ example: 1 }),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  })
  .openapi('Contact', {
    example: {
      id: 'con_01JD6SB2K4M6P8R0T2V4X6Z8A0',
      supplierId: 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A',
      name: 'Katrin Vogel',
      email: 'k.vogel@rheinautomation.example',
      role: 'Information Security Officer',
      phone: '+49 211 555 0100',
      isPrimary: true,
      version: 1,
      createdAt: '2026-11-02T09:31:00.000Z',
      updatedAt: '2026-11-02T09:31:00.000Z',
    },
  });

export const ContactPageSchema = pageSchema(ContactSchema, 'ContactPage');

const supplierId = idParam('supplierId', 'supplier', 'sup_01JD6S9Q7Y3M8V5R2T4W6X8Z0A');

export const ContactSupplierParams = z.object({ supplierId });

export const ContactParams = z.object({
  supplierId,
  contactId: idParam('contactId', 'contact', 'con_01JD6SB2K4M6P8R0T2V4X6Z8A0'),
});

export const ListContactsQuery = z.object({
  ...paginationQuery,
  primary: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .openapi({ description: 'true: only the primary contact; false: all but the primary contact.', example: 'true' }),
});
