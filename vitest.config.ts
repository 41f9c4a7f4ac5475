import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // tests/reliability/server/ starts real servers: vitest.reliability.config.ts runs it once.
    exclude: ['tests/browser/**', 'tests/reliability/server/**', 'node_modules/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own app and database clone; tests inside a file share them with fresh tenants.
    sequence: { concurrent: false },
  },
});
