import { defineConfig } from 'vitest/config';

// Real-browser checks (Chromium from Debian, driven by playwright-core). Kept out of `npm run test:unit`
// because they need /usr/bin/chromium; run with `npm run test:browser`.
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    exclude: ['node_modules/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    sequence: { concurrent: false },
  },
});
