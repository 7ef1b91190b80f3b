import { formatCounts, scanStore, summarise } from '@paperlab/core/runs';
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
    const scan = await scanStore(store);
    const runs = scan.runs.filter((r) => !flags.experiment || r.experiment === flags.experiment);
    // A corrupt record is listed as such (with its file and problem); it never hides the other runs.
    const corrupt = scan.corrupt.filter(
      (c) => !flags.experiment || c.header?.experiment === flags.experiment,
    );
    if (opts.json) {
      // Each header with its verdict counts (paper claims and controls apart), null for runs without a result;
      // a corrupt record is listed as such, with its file and problem.
      const withCounts = [];
      for (const r of runs) {
        const result = await store.readResult(r.id);
        const summary = result ? summarise(result.claims) : null;
        withCounts.push({ ...r, summary, counts: summary ? formatCounts(summary) : null });
      }
      io.json([
        ...withCounts,
        ...corrupt.map((c) => ({
          ...(c.header ?? {}),
          id: c.id,
          status: 'corrupt',
          file: c.file,
          problem: c.problem,
        })),
      ]);
      return 0;
    }
    if (runs.length === 0 && corrupt.length === 0) {
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
    for (const c of corrupt)
      rows.push([
        c.id,
        c.header?.experiment ?? '?',
        'corrupt',
        c.header?.preset ?? '-',
        c.header?.seed ?? '-',
        '-',
        '-',
        '-',
      ]);
    io.out(
      textTable(['run', 'experiment', 'status', 'preset', 'seed', 'backend', 'time', 'claims'], rows, {
        priority: [10, 8, 9, 5, 3, 2, 4, 7],
      }),
    );
    io.out(style('claims: paper claims reproduced/total · c controls reproduced/total', 'dim'));
    for (const c of corrupt) io.err(`corrupt: ${c.id}: ${c.file}: ${c.problem}`);
    if (corrupt.length) io.err(`'paperlab doctor --fix' moves corrupt records aside (nothing is deleted).`);
    return 0;
  },
});
