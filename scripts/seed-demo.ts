// `npm run seed:demo`: a demo tenant with one API key per role, in the configured database.
// With the default PGlite folder, stop `npm start` first: only one process can open it.
import { ROLES, type Role } from '../src/catalog/access';
import { loadConfigOrExit } from '../src/config';
import { openNodeDatabase } from '../src/db/node';
import { insertApiKey } from '../src/features/api-keys/api-keys.queries';
import { createTenantWithAdminKey } from '../src/features/tenants/tenants.queries';
import { recordAudit } from '../src/lib/audit';

const config = loadConfigOrExit();
const database = await openNodeDatabase(config);
const { db } = await database.open();
const now = new Date();
const actor = { type: 'system' as const, id: 'seed-demo' };

const { tenant, apiKey } = await createTenantWithAdminKey(db, {
  name: 'Rhein-Ruhr Energienetz GmbH (demo)',
  actor,
  requestId: null,
  now,
  keyName: 'Demo admin',
});
const keys: [string, string][] = [['admin', apiKey.key]];
await db.transaction(async (tx) => {
  for (const role of Object.keys(ROLES).filter((name) => name !== 'admin') as Role[]) {
    const created = await insertApiKey(tx, {
      tenantId: tenant.id,
      name: `Demo ${role}`,
      scopes: [...ROLES[role]],
      createdBy: actor,
      expiresAt: null,
      now,
    });
    await recordAudit(tx, { tenantId: tenant.id, actor, requestId: null, now }, {
      action: 'api_key.created',
      entityType: 'api_key',
      entityId: created.row.id,
      changes: { name: created.row.name, scopes: created.row.scopes },
    });
    keys.push([role, created.key]);
  }
});
await database.close();

console.log(`\nDemo tenant ${tenant.name} (${tenant.id}). API keys, shown once:`);
for (const [role, key] of keys) console.log(`  ${role.padEnd(13)} ${key}`);
console.log(`\nDocs: ${config.publicBaseUrl}/docs\n`);
