import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../lib/context';
import { problems } from '../../lib/errors';
import { setEtag } from '../../lib/etag';
import { presentApiKey } from '../api-keys/api-keys.handlers';
import { createTenantWithAdminKey, findTenant, type TenantRow } from './tenants.queries';
import type { createTenantRoute, getCurrentTenantRoute, updateCurrentTenantRoute } from './tenants.routes';
import type { TenantRegime } from '../../catalog/clauses';
import { tenants } from '../../db/schema';
import { auditContextOf, recordAudit } from '../../lib/audit';
import { assertIfMatch } from '../../lib/etag';
import { queueRecalculation } from '../risk/risk.recalculate';
import { and, eq } from 'drizzle-orm';

export function presentTenant(row: TenantRow) {
  return {
    id: row.id,
    name: row.name,
    regime: row.regime as TenantRegime,
    notificationEmail: row.notificationEmail,
    contractAlertDays: row.contractAlertDays,
    evidenceAlertDays: row.evidenceAlertDays,
    lei: row.lei,
    country: row.country,
    entityType: row.entityType,
    competentAuthority: row.competentAuthority,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const createTenantHandler: RouteHandler<typeof createTenantRoute, AppEnv> = async (c) => {
  const { name } = c.req.valid('json');
  const now = c.get('now');
  const { tenant, apiKey } = await createTenantWithAdminKey(c.get('db'), {
    name,
    actor: { type: 'platform', id: 'platform' },
    requestId: c.get('requestId'),
    now,
  });
  c.header('Location', '/v1/tenant');
  return c.json({ tenant: presentTenant(tenant), apiKey: { ...presentApiKey(apiKey.row, now), key: apiKey.key } }, 201);
};

export const getCurrentTenantHandler: RouteHandler<typeof getCurrentTenantRoute, AppEnv> = async (c) => {
  const tenant = await findTenant(c.get('db'), c.get('principal').tenantId);
  if (!tenant) throw problems.notFound('Tenant');
  setEtag(c, tenant.version);
  return c.json(presentTenant(tenant), 200);
};

const SETTINGS = ['regime', 'notificationEmail', 'contractAlertDays', 'evidenceAlertDays', 'lei', 'country', 'entityType', 'competentAuthority'] as const;

export const updateCurrentTenantHandler: RouteHandler<typeof updateCurrentTenantRoute, AppEnv> = async (c) => {
  const input = c.req.valid('json');
  const { principal, now } = c.var;
  const row = await c.get('db').transaction(async (tx) => {
    const [current] = await tx.select().from(tenants).where(eq(tenants.id, principal.tenantId)).for('update');
    if (!current) throw problems.notFound('Tenant');
    assertIfMatch(c, current.version);
    const changes: Partial<Pick<TenantRow, (typeof SETTINGS)[number]>> = {};
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of SETTINGS) {
      const next = key.endsWith('AlertDays') && Array.isArray(input[key]) ? [...(input[key] as number[])].sort((a, b) => b - a) : input[key];
      if (next === undefined || JSON.stringify(next) === JSON.stringify(current[key])) continue;
      Object.assign(changes, { [key]: next });
      diff[key] = { from: current[key], to: next };
    }
    if (Object.keys(changes).length === 0) return current;
    const [updated] = await tx
      .update(tenants)
      .set({ ...changes, version: current.version + 1, updatedAt: now })
      .where(and(eq(tenants.id, current.id), eq(tenants.version, current.version)))
      .returning();
    await recordAudit(tx, auditContextOf(c), { action: 'tenant.updated', entityType: 'tenant', entityId: current.id, changes: diff });
    // Every supplier's clause coverage may change: re-score them in the background, not in this request.
    if (changes.regime !== undefined) await queueRecalculation(tx, { tenantId: current.id, actor: principal.actor, now });
    return updated!;
  });
  setEtag(c, row.version);
  return c.json(presentTenant(row), 200);
};
