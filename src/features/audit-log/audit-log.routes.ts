import { defineRoute } from '../../lib/router';
import { AuditEntryPageSchema, ChainVerificationSchema, ListAuditLogQuery } from './audit-log.schemas';

const tags = ['Audit log'];

export const listAuditLogRoute = defineRoute({
  method: 'get',
  path: '/v1/audit-log',
  operationId: 'listAuditLog',
  summary: 'List audit log entries',
  description: 'Every change, by whom, when and in which request. Append-only and hash-chained per tenant.',
  tags,
  access: 'audit_log:read',
  request: { query: ListAuditLogQuery },
  responses: {
    200: { description: 'A page of entries.', content: { 'application/json': { schema: AuditEntryPageSchema } } },
  },
});

export const verifyAuditLogRoute = defineRoute({
  method: 'get',
  path: '/v1/audit-log/verify',
  operationId: 'verifyAuditLog',
  summary: 'Verify the audit log chain',
  description: 'Recomputes every entry\'s hash and link to its predecessor, from the first entry to the chain head.',
  tags,
  access: 'audit_log:read',
  responses: {
    200: { description: 'The result of the check.', content: { 'application/json': { schema: ChainVerificationSchema } } },
  },
});
