import { text, timestamp } from 'drizzle-orm/pg-core';
import { tenants } from './tenants';

export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** The owning tenant of a row; deleting the tenant deletes its rows. */
export const tenantId = () =>
  text('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' });
