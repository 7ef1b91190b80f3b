import { resolveRunId } from '@paperlab/core/runs';
import { openStore } from '../context.js';
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
      description:
        "an interrupted, failed or crashed run: its id, a unique prefix or suffix of one, or 'latest' ('paperlab runs' lists them)",
    },
  ],
  flags: STRICT_FLAGS,
  examples: [
    'paperlab resume latest',
    'paperlab resume 20260101-120000-ntk-jacot2018-a1b2c3',
    'paperlab resume a1b2c3 --strict --json',
  ],
  async run({ args, flags }, ctx) {
    const id = await resolveRunId(openStore(ctx.global), args.run);
    return runAndReport(
      await ctx.lab(),
      ctx.io,
      { ...ctx.global, set: [], strict: flags.strict, 'strict-inconclusive': flags['strict-inconclusive'] },
      { resume: id },
    );
  },
});
