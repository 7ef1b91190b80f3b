import { formatNumber, resolveRunId } from '@paperlab/core/runs';
import { openStore } from '../context.js';
import { defineCommand } from '../spec.js';
import { textTable } from '../ui/format.js';

/** `paperlab compare <runA> <runB>`: scalars and verdicts side by side. */
export const compareSpec = defineCommand({
  name: 'compare',
  summary: 'scalars and claim verdicts of two runs side by side',
  args: [
    { name: 'runA', required: true, description: "first run (id, unique prefix or suffix, or 'latest')" },
    { name: 'runB', required: true, description: 'second run; Δ is runB − runA' },
  ],
  flags: [],
  examples: ['paperlab compare <runA> <runB>', 'paperlab compare <runA> latest --json'],
  async run({ args }, { io, global: opts }) {
    const store = openStore(opts);
    const [a, b] = await Promise.all([resolveRunId(store, args.runA), resolveRunId(store, args.runB)]);
    const [ra, rb] = await Promise.all([store.readResult(a), store.readResult(b)]);
    const keys = [...new Set([...Object.keys(ra?.scalars ?? {}), ...Object.keys(rb?.scalars ?? {})])];
    const scalarRows = keys.map((k) => {
      const va = ra?.scalars[k];
      const vb = rb?.scalars[k];
      const delta = va !== undefined && vb !== undefined ? formatNumber(vb - va) : '';
      return [k, va === undefined ? '-' : formatNumber(va), vb === undefined ? '-' : formatNumber(vb), delta];
    });
    const claimIds = [
      ...new Set([...(ra?.claims ?? []).map((c) => c.id), ...(rb?.claims ?? []).map((c) => c.id)]),
    ];
    // Paper claims first, then controls (a record without kinds holds paper claims).
    const claimRows = claimIds
      .map((id) => {
        const ca = ra?.claims.find((c) => c.id === id);
        const cb = rb?.claims.find((c) => c.id === id);
        return [id, (cb ?? ca)?.kind ?? 'paper', ca?.verdict ?? '-', cb?.verdict ?? '-'];
      })
      .sort((x, y) => Number(x[1] === 'control') - Number(y[1] === 'control'));
    if (opts.json) {
      io.json({
        a,
        b,
        scalars: Object.fromEntries(keys.map((k) => [k, [ra?.scalars[k] ?? null, rb?.scalars[k] ?? null]])),
        claims: claimRows.map(([id, kind, va, vb]) => ({
          id,
          kind,
          a: va === '-' ? null : va,
          b: vb === '-' ? null : vb,
        })),
      });
      return 0;
    }
    io.out(`A: ${a}`);
    io.out(`B: ${b}`);
    io.out('');
    io.out(textTable(['scalar', 'A', 'B', 'Δ (B − A)'], scalarRows, { priority: [10, 9, 9, 8] }));
    io.out('');
    io.out(textTable(['claim', 'kind', 'A', 'B'], claimRows, { priority: [10, 5, 9, 9] }));
    return 0;
  },
});
