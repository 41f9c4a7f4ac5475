// Fails when src/db/schema has changes that no migration in drizzle/ covers (forgot `npm run db:generate`).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';

// drizzle-kit resolves --out relative to the project, so the scratch copy lives under dist/.
const scratch = `dist/migration-check-${process.pid}`;
mkdirSync(scratch, { recursive: true });
try {
  cpSync('drizzle', scratch, { recursive: true });
  const before = readdirSync(scratch).length;
  execFileSync(
    'npx',
    ['drizzle-kit', 'generate', '--dialect', 'postgresql', '--schema', './src/db/schema/index.ts', '--out', scratch],
    { stdio: 'pipe' },
  );
  const added = readdirSync(scratch).length - before;
  if (added > 0) {
    console.error('The schema in src/db/schema differs from the migrations in drizzle/. Run `npm run db:generate` and commit the result.');
    process.exitCode = 1;
  } else {
    console.log('Migrations match the schema.');
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
