// `npm start`: bundles src/server.ts with esbuild (dependencies stay external) and runs it. Loading
// one bundled file starts several times faster than transpiling every module on load. A restart
// with nothing changed reuses the bundle: building it (esbuild's service process, some 300 files)
// kept a restart waiting 0.3-0.4 s.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const OUTFILE = 'dist/server/server.mjs';
/** What the bundle is made from besides src/: its build options here, and the resolution settings. */
const BUILD_INPUTS = ['scripts/start.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'];

const mtimeOf = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Number.POSITIVE_INFINITY;

/** The newest change under `folder`: files, and the folders themselves (a file added or removed). */
function newestUnder(folder) {
  let newest = mtimeOf(folder);
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : mtimeOf(path));
  }
  return newest;
}

function bundleIsCurrent() {
  const built = statSync(OUTFILE, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return false;
  return Math.max(newestUnder('src'), ...BUILD_INPUTS.map(mtimeOf).filter(Number.isFinite)) < built;
}

async function buildBundle() {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: ['src/server.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    outfile: OUTFILE,
    logLevel: 'warning',
    write: false,
  });
  // Written beside and renamed into place, the map first: a server starting at the same moment
  // (tests start several) loads either the old bundle or the new one, never half of one.
  mkdirSync('dist/server', { recursive: true });
  const files = [...result.outputFiles].sort((a, b) => Number(b.path.endsWith('.map')) - Number(a.path.endsWith('.map')));
  for (const file of files) {
    const target = join('dist/server', basename(file.path));
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, target);
  }
}

if (!bundleIsCurrent()) await buildBundle();
await import('../dist/server/server.mjs');
