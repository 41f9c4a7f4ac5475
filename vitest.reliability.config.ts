import { defineConfig } from 'vitest/config';

// The reliability tests that start the real server (kill -9, database outage): once per CI run, not
// in both database suites, since each picks its databases itself (a PGlite folder, a throwaway
// PostgreSQL database). One file at a time: they share the bundle scripts/start.mjs writes and the
// machine's two cores.
export default defineConfig({
  test: {
    include: ['tests/reliability/server/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
