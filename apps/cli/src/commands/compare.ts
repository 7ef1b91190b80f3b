import {
  changeColumn,
  compareRunSet,
  formatNumber,
  MAX_COMPARED_RUNS,
  type RunSetComparison,
  resolveRunId,
  runLabel,
} from '@paperlab/core/runs';
import { openStore } from '../context.js';
import { defineCommand } from '../spec.js';
import { textTable } from '../ui/format.js';

const shown = (v: unknown) => (v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v));
const num = (v: number | undefined, absent = '-') => (v === undefined ? absent : formatNumber(v));

/** The comparison as text: setup, scalars (Δ B − A for two runs, max − min for more), verdicts. */
function comparisonText(cmp: RunSetComparison): string[] {
  const labels = cmp.runs.map((_, i) => runLabel(i));
  const change = changeColumn(cmp);
  const runCols = (first: number) => labels.map(() => first);
  const lines = cmp.runs.map((id, i) => `${labels[i]}: ${id}`);
  lines.push('');
  if (cmp.setup.length)
    lines.push(
      textTable(
        ['setup (only what differs)', ...labels],
        cmp.setup.map((d) => [d.path, ...d.values.map(shown)]),
        { priority: [10, ...runCols(8)] },
      ),
    );
  else lines.push('Same setup: experiment, preset, seed, backend, plugin version and config.');
  lines.push('');
  lines.push(
    textTable(
      ['scalar', ...labels, change.title],
      cmp.scalars.map((s) => [s.key, ...s.values.map((v) => num(v)), num(change.value(s), '')]),
      { priority: [10, ...runCols(9), 8] },
    ),
  );
  lines.push('');
  lines.push(
    textTable(
      ['claim', 'kind', ...labels],
      cmp.claims.map((c) => [c.id, c.kind, ...c.verdicts.map((v) => v ?? '-')]),
      { priority: [10, 5, ...runCols(9)] },
    ),
  );
  return lines;
}

/** `paperlab compare <runA> <runB> [more...]`: setups, scalars and verdicts side by side. */
export const compareSpec = defineCommand({
  name: 'compare',
  summary: 'runs side by side (2 to 8): setup differences, scalars with Δ, claim verdicts',
  description:
    'With two runs the scalar table shows Δ = B − A; with more, max − min across them (--json gives Δ against A for each run).',
  args: [
    { name: 'runA', required: true, description: "first run (id, unique prefix or suffix, or 'latest')" },
    { name: 'runB', required: true, description: 'second run; Δ is runB − runA' },
    {
      name: 'more',
      required: false,
      variadic: MAX_COMPARED_RUNS - 2,
      description: 'further runs, shown as columns C, D, …',
    },
  ],
  flags: [],
  examples: [
    'paperlab compare <runA> <runB>',
    'paperlab compare <runA> latest --json',
    'paperlab compare <runA> <runB> <runC>',
  ],
  async run({ args }, { io, global: opts }) {
    const store = openStore(opts);
    const ids = await Promise.all([args.runA, args.runB, ...args.more].map((r) => resolveRunId(store, r)));
    const runs = await Promise.all(
      ids.map(async (id) => ({ header: await store.readHeader(id), result: await store.readResult(id) })),
    );
    // The same comparison the web app's history shows (core's compareRunSet).
    const cmp = compareRunSet(runs);
    if (opts.json) {
      const orNull = <T>(v: T | undefined) => v ?? null;
      io.json({
        a: ids[0],
        b: ids[1],
        runs: ids,
        setup: cmp.setup.map((d) => ({
          path: d.path,
          a: orNull(d.values[0]),
          b: orNull(d.values[1]),
          values: d.values.map(orNull),
        })),
        scalars: Object.fromEntries(cmp.scalars.map((s) => [s.key, s.values.map(orNull)])),
        deltas: Object.fromEntries(cmp.scalars.map((s) => [s.key, s.deltas.map(orNull)])),
        claims: cmp.claims.map((c) => ({
          id: c.id,
          kind: c.kind,
          a: orNull(c.verdicts[0]),
          b: orNull(c.verdicts[1]),
          verdicts: c.verdicts.map(orNull),
        })),
      });
      return 0;
    }
    for (const line of comparisonText(cmp)) io.out(line);
    return 0;
  },
});
