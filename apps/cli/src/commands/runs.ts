import { formatCounts, summarise } from '@paperlab/core/runs';
import { openStore } from '../context.js';
import { defineCommand } from '../spec.js';
import { shortCounts } from '../ui/claims.js';
import { duration, style, textTable } from '../ui/format.js';

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
      // Each header with its verdict counts (paper claims and controls apart), null for runs without a result.
      const withCounts = [];
      for (const r of runs) {
        const result = await store.readResult(r.id);
        const summary = result ? summarise(result.claims) : null;
        withCounts.push({ ...r, summary, counts: summary ? formatCounts(summary) : null });
      }
      io.json(withCounts);
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
        result ? shortCounts(result.claims) : '-',
      ]);
    }
    io.out(textTable(['run', 'experiment', 'status', 'preset', 'seed', 'backend', 'time', 'claims'], rows));
    io.out(style('claims: paper claims reproduced/total · c controls reproduced/total', 'dim'));
    return 0;
  },
});
