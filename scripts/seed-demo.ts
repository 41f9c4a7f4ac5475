// `npm run seed:demo`: a demo tenant with about 25 realistic suppliers (OT integrators, PLC and
// SCADA vendors, cloud, MSP/MSSP, SaaS, telecom, data centre…), their contacts, ICT services and
// subcontracting chains, plus one API key per role (data: scripts/demo/suppliers.json).
// With the default PGlite folder, stop `npm start` first: only one process can open it.
import { buildApp } from '../src/app';
import { loadConfigOrExit } from '../src/config';
import { openNodeDatabase } from '../src/db/node';
import { randomBase62 } from '../src/lib/crypto';
import { createLogger } from '../src/lib/logger';
import { loadDemo } from './demo/load-demo';

// A one-off platform token lets the seed create its tenant through the API like an operator would.
const platformToken = `seed-${randomBase62(40)}`;
const config = { ...loadConfigOrExit(), platformAdminToken: platformToken };
const database = await openNodeDatabase(config);
const app = buildApp({ config, database, logger: createLogger('warn'), docsAssets: async () => undefined });

try {
  const { tenant, keys, counts } = await loadDemo(app, platformToken);
  console.log(`\nDemo tenant ${tenant.name} (${tenant.id}):`);
  console.log(`  ${counts.suppliers} suppliers, ${counts.contacts} contacts, ${counts.services} ICT services, ${counts.links} subcontracting links`);
  console.log('\nAPI keys, shown once:');
  for (const [role, key] of keys) console.log(`  ${role.padEnd(13)} ${key}`);
  console.log(`\nDocs: ${config.publicBaseUrl}/docs\n`);
} finally {
  await database.close();
}
