// `npm run seed:demo`: a demo tenant with about 25 realistic suppliers (OT integrators, PLC and
// SCADA vendors, cloud, MSP/MSSP, SaaS, telecom, data centre…), their contacts, ICT services and
// subcontracting chains, assessments in every state, contracts with clause states, evidence files,
// audits and supplier incidents, and one API key per role (data: the JSON files in scripts/demo/,
// dates relative to the day it runs). `npm start` loads the same demo on an empty
// database. With the default PGlite folder, stop `npm start` first: only one process can open it.
import { loadConfigOrExit } from '../src/config';
import { openNodeDatabase } from '../src/db/node';
import { formatDemoSummary, loadDemo } from './demo/load-demo';

const config = loadConfigOrExit();
const database = await openNodeDatabase(config);

try {
  const { db } = await database.open();
  const demo = await loadDemo({ config, db });
  process.stdout.write(formatDemoSummary(demo, config));
} finally {
  await database.close();
}
