import { definePlugin } from '@paperlab/core';

/** The astro plugin (a shell: its papers are listed in README.md and registered here as they land). */
export default definePlugin({
  name: 'astro',
  packageName: '@paperlab/plugin-astro',
  version: '0.1.0',
  core: '^0.1.0',
  description: 'paperlab plugin — Machine learning for astronomy papers',
  setup() {
    // Each paper registers its experiment here: ctx.experiment(...) from src/papers/<slug>/experiment.ts.
  },
});
