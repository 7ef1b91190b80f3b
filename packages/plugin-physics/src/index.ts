import { definePlugin } from '@paperlab/core';

/** The physics plugin (a shell: its papers are listed in README.md and registered here as they land). */
export default definePlugin({
  name: 'physics',
  packageName: '@paperlab/plugin-physics',
  version: '0.1.0',
  core: '^0.1.0',
  description: 'paperlab plugin — Scientific ML papers: PINNs, neural operators, equivariance',
  setup() {
    // Each paper registers its experiment here: ctx.experiment(...) from src/papers/<slug>/experiment.ts.
  },
});
