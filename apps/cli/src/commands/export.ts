import { resolve } from 'node:path';
import { writeFileAtomic } from '@paperlab/core/node';
import { exportRun, resolveRunId, stringifyBundle } from '@paperlab/core/runs';
import { openStore } from '../context.js';
import { RUN_ARG } from '../session.js';
import { defineCommand } from '../spec.js';

/** `paperlab export <run>`: one JSON bundle the web app (or another store) can import. */
export const exportSpec = defineCommand({
  name: 'export',
  summary: 'one JSON bundle of a run (imports into the web app or another store)',
  args: [RUN_ARG],
  flags: [
    {
      name: 'out',
      type: 'string',
      value: 'file',
      description: 'bundle file (default <run>.paperlab.json here)',
    },
  ],
  examples: ['paperlab export latest', 'paperlab export <run> --out run.json'],
  async run({ args, flags }, { io, global: opts }) {
    const store = openStore(opts);
    const id = await resolveRunId(store, args.run);
    const bundle = await exportRun(store, id);
    const out = resolve(flags.out ?? `${id}.paperlab.json`);
    await writeFileAtomic(out, stringifyBundle(bundle));
    if (opts.json) io.json({ bundle: out, run: id });
    else io.out(`Exported ${id} → ${out}`);
    return 0;
  },
});
