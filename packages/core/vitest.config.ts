import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@paperlab/source'] },
  ssr: { resolve: { conditions: ['@paperlab/source'] } },
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000, pool: 'forks' },
});
