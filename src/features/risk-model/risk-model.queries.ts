import { and, desc, eq } from 'drizzle-orm';
import { DEFAULT_RISK_MODEL } from '../../catalog/risk-model';
import { riskModels } from '../../db/schema';
import type { Db } from '../../db/types';
import { RiskModelSchema, type RiskModel } from '../../scoring/risk-model';

export type RiskModelRow = typeof riskModels.$inferSelect;

/** The tenant's latest stored model row, if it ever stored one. */
export async function latestRiskModelRow(db: Db, tenantId: string): Promise<RiskModelRow | undefined> {
  const [row] = await db.select().from(riskModels).where(eq(riskModels.tenantId, tenantId)).orderBy(desc(riskModels.version)).limit(1);
  return row;
}

/**
 * The model scores are computed with: the tenant's latest version, or the built-in default as
 * version 0. Stored documents passed the schema when written; parsing again fills nothing in but
 * keeps a hand-edited row from feeding the scorer something it cannot read.
 */
export async function currentRiskModel(db: Db, tenantId: string): Promise<{ version: number; model: RiskModel }> {
  const row = await latestRiskModelRow(db, tenantId);
  if (!row) return { version: 0, model: DEFAULT_RISK_MODEL };
  return { version: row.version, model: RiskModelSchema.parse(row.document) };
}

/** A given version (for explaining an old score); version 0 is the built-in default. */
export async function riskModelVersion(db: Db, tenantId: string, version: number): Promise<RiskModel | undefined> {
  if (version === 0) return DEFAULT_RISK_MODEL;
  const [row] = await db.select().from(riskModels).where(and(eq(riskModels.tenantId, tenantId), eq(riskModels.version, version)));
  return row ? RiskModelSchema.parse(row.document) : undefined;
}

export async function insertRiskModel(db: Db, values: typeof riskModels.$inferInsert): Promise<RiskModelRow> {
  const [row] = await db.insert(riskModels).values(values).returning();
  return row!;
}
