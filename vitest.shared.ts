import { defineConfig } from 'vitest/config';

/** Shared vitest settings: workspace packages resolve to their TypeScript sources (no build needed). */
export default defineConfig({
  resolve: { conditions: ['@paperlab/source'] },
  ssr: { resolve: { conditions: ['@paperlab/source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores in CI: one worker per package keeps wasm (single-threaded) runs from fighting.
    maxWorkers: 1,
    // The JSON report lets scripts/task.mjs print one 'N passed, N failed' line for the whole repo.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
  },
});
