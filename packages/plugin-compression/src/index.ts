import { definePlugin } from '@paperlab/core';

/** The compression plugin (a shell: its papers are listed in README.md and registered here as they land). */
export default definePlugin({
  name: 'compression',
  packageName: '@paperlab/plugin-compression',
  version: '0.1.0',
  core: '^0.1.0',
  description: 'paperlab plugin — Pruning, quantisation and distillation papers',
  setup() {
    // Each paper registers its experiment here: ctx.experiment(...) from src/papers/<slug>/experiment.ts.
  },
});
