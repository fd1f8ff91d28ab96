import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One moto server for the whole run; every test uses its own secret names and idempotency keys.
    globalSetup: ['test/support/local-stack.global-setup.ts'],
    setupFiles: ['test/support/node20-polyfills.ts', 'test/support/local-stack.env-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
