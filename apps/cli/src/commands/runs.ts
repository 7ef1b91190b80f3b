import { openStore } from '../context.js';
import { defineCommand } from '../spec.js';
import { duration, textTable } from '../ui/format.js';

/** `paperlab runs`: the run history. */
export const runsSpec = defineCommand({
  name: 'runs',
  summary: 'run history, newest first',
  args: [],
  flags: [
    {
      name: 'experiment',
      type: 'string',
      value: 'id',
      description: 'only the runs of this experiment',
      examples: ['ntk/jacot2018'],
    },
  ],
  examples: ['paperlab runs', 'paperlab runs --experiment ntk/jacot2018 --json'],
  async run({ flags }, { io, global: opts }) {
    const store = openStore(opts);
    const runs = (await store.list()).filter((r) => !flags.experiment || r.experiment === flags.experiment);
    if (opts.json) {
      io.json(runs);
      return 0;
    }
    if (runs.length === 0) {
      io.out(`No runs in ${store.location}.`);
      return 0;
    }
    const rows = [];
    for (const r of runs) {
      const result = await store.readResult(r.id);
      rows.push([
        r.id,
        r.experiment,
        r.status,
        r.preset ?? '-',
        r.seed,
        r.backend.name,
        r.durationMs !== undefined ? duration(r.durationMs) : '-',
        result ? `${result.summary.reproduced}/${result.summary.total}` : '-',
      ]);
    }
    io.out(textTable(['run', 'experiment', 'status', 'preset', 'seed', 'backend', 'time', 'claims'], rows));
    return 0;
  },
});
