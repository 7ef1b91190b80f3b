import { runAndReport, STRICT_FLAGS } from '../session.js';
import { defineCommand } from '../spec.js';

/** `paperlab resume <run>`: continue an interrupted run from its checkpoints. */
export const resumeSpec = defineCommand({
  name: 'resume',
  summary: 'continue an interrupted run from its checkpoints',
  description: 'The run goes on with its recorded config, seed and backend, so those cannot be changed here.',
  args: [
    {
      name: 'run',
      required: true,
      description: "id of an interrupted or failed run ('paperlab runs' lists them)",
    },
  ],
  flags: STRICT_FLAGS,
  examples: ['paperlab resume 20260101-120000-ntk-jacot2018-a1b2c3', 'paperlab resume <run> --strict --json'],
  async run({ args, flags }, ctx) {
    return runAndReport(
      await ctx.lab(),
      ctx.io,
      { ...ctx.global, set: [], strict: flags.strict, 'strict-inconclusive': flags['strict-inconclusive'] },
      { resume: args.run },
    );
  },
});
