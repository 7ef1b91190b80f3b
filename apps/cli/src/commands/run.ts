import { RUN_FLAGS, runAndReport } from '../session.js';
import { defineCommand } from '../spec.js';

/** `paperlab run <experiment>`: run an experiment, record it and check its claims. */
export const runSpec = defineCommand({
  name: 'run',
  summary: 'run an experiment and check its claims',
  description:
    'The run is recorded in the store (run.json, metrics.jsonl, result.json, plots/, checkpoints/). ' +
    "Ctrl-C once marks it interrupted, keeping what it has ('paperlab resume <run>' goes on); twice quits at once.",
  args: [
    {
      name: 'experiment',
      required: true,
      description: "experiment id, e.g. ntk/jacot2018 ('paperlab list')",
    },
  ],
  flags: RUN_FLAGS,
  examples: [
    'paperlab run ntk/jacot2018 --preset smoke',
    'paperlab run ntk/jacot2018 --seed 1 --set widths=[32,128,512] --set steps=400',
    'paperlab run ntk/jacot2018 --backend wasm --strict --json',
  ],
  async run({ args, flags }, ctx) {
    return runAndReport(
      await ctx.lab(),
      ctx.io,
      { ...ctx.global, ...flags },
      { experiment: args.experiment },
    );
  },
});
