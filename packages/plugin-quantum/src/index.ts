import { definePlugin } from '@paperlab/core';

/** The quantum plugin (a shell: its papers are listed in README.md and registered here as they land). */
export default definePlugin({
  name: 'quantum',
  packageName: '@paperlab/plugin-quantum',
  version: '0.1.0',
  core: '^0.1.0',
  description:
    'paperlab plugin — Batched, differentiable quantum-circuit simulation and hybrid quantum-classical ML papers',
  setup() {
    // Each paper registers its experiment here: ctx.experiment(...) from src/papers/<slug>/experiment.ts.
  },
});
