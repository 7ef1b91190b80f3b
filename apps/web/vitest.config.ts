import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // Unit tests (src/) and the browser end-to-end test (test/), which builds the app and drives Chromium.
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    },
  }),
);
