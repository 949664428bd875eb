// Browser tests: the real `netlens serve` and Debian's chromium (npm run test:e2e).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // A browser test that fails is run once more before it fails the suite: on a loaded 2-core
    // machine a page can miss a deadline once. Both failures are printed.
    retry: 1,
  },
});
