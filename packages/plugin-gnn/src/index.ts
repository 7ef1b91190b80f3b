import { definePlugin } from '@paperlab/core';

/** The gnn plugin (a shell: its papers are listed in README.md and registered here as they land). */
export default definePlugin({
  name: 'gnn',
  packageName: '@paperlab/plugin-gnn',
  version: '0.1.0',
  core: '^0.1.0',
  description: 'paperlab plugin — Graph learning papers and graph kernels',
  setup() {
    // Each paper registers its experiment here: ctx.experiment(...) from src/papers/<slug>/experiment.ts.
  },
});
