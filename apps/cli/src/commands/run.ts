import { deepMerge, parseOverrides, resolveConfig } from '@paperlab/core/runs';
import { CONFIG_FLAG, PRINT_CONFIG_FLAG, readConfigFile } from '../configFile.js';
import { RUN_FLAGS, runAndReport } from '../session.js';
import { defineCommand } from '../spec.js';

/** `paperlab run <experiment>`: run an experiment, record it and check its claims. */
export const runSpec = defineCommand({
  name: 'run',
  summary: 'run an experiment and check its claims',
  description:
    'The run is recorded in the store (run.json, metrics.jsonl, result.json, plots/, checkpoints/). ' +
    'Config values come from the preset, then --config <file> (JSON or YAML), then each --set. ' +
    "Ctrl-C once marks it interrupted, keeping what it has ('paperlab resume <run>' goes on); twice quits at once.",
  args: [
    {
      name: 'experiment',
      required: true,
      description: "experiment id, e.g. ntk/jacot2018 ('paperlab list')",
    },
  ],
  flags: [...RUN_FLAGS, CONFIG_FLAG, PRINT_CONFIG_FLAG],
  examples: [
    'paperlab run ntk/jacot2018 --preset smoke',
    'paperlab run ntk/jacot2018 --seed 1 --set widths=[32,128,512] --set steps=400',
    'paperlab run ntk/jacot2018 --preset smoke --print-config > my-run.json',
    'paperlab run ntk/jacot2018 --config my-run.json --set steps=200',
    'paperlab run ntk/jacot2018 --backend wasm --strict --json',
  ],
  async run({ args, flags }, ctx) {
    const file = flags.config === undefined ? undefined : await readConfigFile(flags.config);
    const overrides = file ? deepMerge(file, parseOverrides(flags.set)) : undefined;
    const lab = await ctx.lab();
    if (flags['print-config']) {
      const experiment = lab.experiment(args.experiment);
      const resolved = resolveConfig(experiment, { preset: flags.preset, overrides: overrides ?? flags.set });
      if (ctx.global.json)
        ctx.io.json({
          experiment: experiment.id,
          preset: resolved.preset,
          seed: flags.seed,
          config: resolved.config,
        });
      else ctx.io.out(JSON.stringify(resolved.config, null, 2));
      return 0;
    }
    return runAndReport(
      lab,
      ctx.io,
      { ...ctx.global, ...flags, ...(overrides ? { overrides } : {}) },
      { experiment: args.experiment },
    );
  },
});
