import { compareRuns, formatNumber, resolveRunId } from '@paperlab/core/runs';
import { openStore } from '../context.js';
import { defineCommand } from '../spec.js';
import { textTable } from '../ui/format.js';

/** `paperlab compare <runA> <runB>`: scalars and verdicts side by side. */
export const compareSpec = defineCommand({
  name: 'compare',
  summary: 'two runs side by side: what differs in their setup, scalars with Δ, claim verdicts',
  args: [
    { name: 'runA', required: true, description: "first run (id, unique prefix or suffix, or 'latest')" },
    { name: 'runB', required: true, description: 'second run; Δ is runB − runA' },
  ],
  flags: [],
  examples: ['paperlab compare <runA> <runB>', 'paperlab compare <runA> latest --json'],
  async run({ args }, { io, global: opts }) {
    const store = openStore(opts);
    const [a, b] = await Promise.all([resolveRunId(store, args.runA), resolveRunId(store, args.runB)]);
    const [ha, hb, ra, rb] = await Promise.all([
      store.readHeader(a),
      store.readHeader(b),
      store.readResult(a),
      store.readResult(b),
    ]);
    // The same comparison the web app's history shows (core's compareRuns).
    const cmp = compareRuns({ header: ha, result: ra }, { header: hb, result: rb });
    if (opts.json) {
      io.json({
        a,
        b,
        setup: cmp.setup.map((d) => ({ path: d.path, a: d.a ?? null, b: d.b ?? null })),
        scalars: Object.fromEntries(cmp.scalars.map((s) => [s.key, [s.a ?? null, s.b ?? null]])),
        claims: cmp.claims.map((c) => ({ id: c.id, kind: c.kind, a: c.a ?? null, b: c.b ?? null })),
      });
      return 0;
    }
    const shown = (v: unknown) => (v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v));
    const num = (v: number | undefined) => (v === undefined ? '-' : formatNumber(v));
    io.out(`A: ${a}`);
    io.out(`B: ${b}`);
    io.out('');
    if (cmp.setup.length)
      io.out(
        textTable(
          ['setup (only what differs)', 'A', 'B'],
          cmp.setup.map((d) => [d.path, shown(d.a), shown(d.b)]),
          { priority: [10, 8, 8] },
        ),
      );
    else io.out('Same setup: experiment, preset, seed, backend, plugin version and config.');
    io.out('');
    io.out(
      textTable(
        ['scalar', 'A', 'B', 'Δ (B − A)'],
        cmp.scalars.map((s) => [
          s.key,
          num(s.a),
          num(s.b),
          s.delta === undefined ? '' : formatNumber(s.delta),
        ]),
        { priority: [10, 9, 9, 8] },
      ),
    );
    io.out('');
    io.out(
      textTable(
        ['claim', 'kind', 'A', 'B'],
        cmp.claims.map((c) => [c.id, c.kind, c.a ?? '-', c.b ?? '-']),
        { priority: [10, 5, 9, 9] },
      ),
    );
    return 0;
  },
});
