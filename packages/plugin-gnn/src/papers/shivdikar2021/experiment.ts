import type { ClaimKind, ClaimSource, Rng, Scalars, SeriesRow } from '@paperlab/core';
import { defineExperiment, scalarKeys, z } from '@paperlab/core';
import { barVerdict, claimsFor, fmt, grid, meanSem, runCells, seeds, table } from '@paperlab/core/kit';
import { linePlot } from '@paperlab/core/plots';
import { rmat } from '../../data/rmat.js';
import type { Csr } from '../../graph/graph.js';
import { type Accumulator, rowProducts, spgemm } from '../../sparse/spgemm.js';

const config = z.strictObject({
  scales: z
    .array(z.number().int().min(6).max(20))
    .min(1)
    .default([14, 15, 16, 17])
    .describe('R-MAT scales (2^scale nodes)'),
  edgeFactor: z.number().int().min(1).max(64).default(8).describe('R-MAT edges drawn per node'),
  seeds: z.number().int().min(2).max(16).default(3).describe('R-MAT instances per scale'),
  randomRows: z.number().int().min(16).max(65536).default(512).describe('rows of A² timed, drawn uniformly'),
  denseRows: z
    .number()
    .int()
    .min(1)
    .max(4096)
    .default(32)
    .describe('rows of A² with output density ≥ denseAt timed'),
  sparseBelow: z
    .number()
    .positive()
    .max(1)
    .default(0.01)
    .describe('output density below which a row counts as sparse'),
  denseAt: z
    .number()
    .positive()
    .max(1)
    .default(0.1)
    .describe('output density from which a row counts as dense'),
  repeats: z.number().int().min(1).max(15).default(3).describe('timings per accumulator (median kept)'),
  minMs: z
    .number()
    .positive()
    .max(5000)
    .default(20)
    .describe('each timing repeats the product until this many milliseconds have passed'),
});

/** Config of gnn/shivdikar2021. */
export type Shivdikar2021Config = z.infer<typeof config>;

type Scalar =
  | 'scale_min'
  | 'scale_max'
  | 'n_scales'
  | 'seeds'
  | 'identical'
  | 'sparse_rows_min'
  | 'dense_rows_min'
  | 'density_random_mean'
  | 'products_per_row_mean';

const claim = claimsFor<Shivdikar2021Config, Scalar>();
const ACCUMULATORS: readonly Accumulator[] = ['hash', 'dense', 'sort'];
/** Row sets timed in every cell. */
type RowSet = 'random' | 'sparse' | 'dense';
/** Timing below this scale says more about the JIT and the timer than about the accumulators. */
const MIN_SCALE = 14;

interface Timing {
  [key: string]: number | string;
  set: RowSet;
  accumulator: Accumulator;
  rows: number;
  ms: number;
  density: number;
}

interface CellResult {
  [key: string]: number | boolean | Timing[];
  timings: Timing[];
  identical: boolean;
  sparseRows: number;
  denseRows: number;
  densityRandom: number;
  productsPerRow: number;
}

function sameCsr(a: Csr, b: Csr): boolean {
  if (a.colIdx.length !== b.colIdx.length) return false;
  for (let i = 0; i < a.rowPtr.length; i++) if (a.rowPtr[i] !== b.rowPtr[i]) return false;
  for (let k = 0; k < a.colIdx.length; k++)
    if (a.colIdx[k] !== b.colIdx[k] || a.values[k] !== b.values[k]) return false;
  return true;
}

/** Output density of each listed row (from one hash product). */
function densities(a: Csr, rows: Int32Array): Float64Array {
  const c = spgemm(a, a, 'hash', { rows });
  return Float64Array.from({ length: rows.length }, (_, i) => (c.rowPtr[i + 1]! - c.rowPtr[i]!) / a.cols);
}

/**
 * The row sets of one A²: a uniform sample, its rows sparser than `sparseBelow`, and dense rows — among the
 * rows with the most products, the cheapest ones whose output density reaches `denseAt`.
 */
function rowSets(a: Csr, cfg: Shivdikar2021Config, rng: Rng) {
  const n = a.rows;
  const random = Int32Array.from(rng.permutation(n).subarray(0, Math.min(n, cfg.randomRows))).sort();
  const dRandom = densities(a, random);
  const sparseAt = Array.from(random.keys()).filter((i) => dRandom[i]! < cfg.sparseBelow);
  const products = rowProducts(a, a);
  const top = Array.from(products.keys())
    .sort((x, y) => products[y]! - products[x]! || x - y)
    .slice(0, 4 * cfg.denseRows);
  const dTop = densities(a, Int32Array.from(top));
  const denseAt = Array.from(top.keys())
    .filter((i) => dTop[i]! >= cfg.denseAt)
    .sort((x, y) => products[top[x]!]! - products[top[y]!]! || top[x]! - top[y]!)
    .slice(0, cfg.denseRows)
    .sort((x, y) => top[x]! - top[y]!);
  const mean = (d: number[]) => (d.length ? d.reduce((s, v) => s + v, 0) / d.length : 0);
  return {
    sets: {
      random,
      sparse: Int32Array.from(sparseAt, (i) => random[i]!),
      dense: Int32Array.from(denseAt, (i) => top[i]!),
    } as Record<RowSet, Int32Array>,
    density: {
      random: mean(Array.from(dRandom)),
      sparse: mean(sparseAt.map((i) => dRandom[i]!)),
      dense: mean(denseAt.map((i) => dTop[i]!)),
    } as Record<RowSet, number>,
    productsPerRow: mean(Array.from(random, (r) => products[r]!)),
  };
}

/** Mean time of one call, repeating it until `minMs` have passed (short calls drown in timer and GC noise). */
function timePerCall(f: () => unknown, minMs: number): number {
  let calls = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    f();
    calls++;
    elapsed = performance.now() - t0;
  } while (elapsed < minMs);
  return elapsed / calls;
}

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Times every accumulator on every row set (rotating the order each repeat) and checks their outputs agree. */
function runCell(cfg: Shivdikar2021Config, scale: number, seed: number, rng: Rng): CellResult {
  const a = rmat(rng.split(`rmat-${scale}-${seed}`), { scale, edgeFactor: cfg.edgeFactor });
  const { sets, density, productsPerRow } = rowSets(a, cfg, rng.split(`rows-${scale}-${seed}`));
  const timings: Timing[] = [];
  let identical = true;
  for (const set of ['random', 'sparse', 'dense'] as const) {
    const rows = sets[set];
    if (!rows.length) continue;
    // Warm-up (JIT) and the agreement check on the same products.
    const outs = ACCUMULATORS.map((acc) => spgemm(a, a, acc, { rows }));
    identical &&= sameCsr(outs[0]!, outs[1]!) && sameCsr(outs[0]!, outs[2]!);
    const times: Record<Accumulator, number[]> = { hash: [], dense: [], sort: [] };
    for (let r = 0; r < cfg.repeats; r++)
      for (let k = 0; k < ACCUMULATORS.length; k++) {
        const acc = ACCUMULATORS[(k + r) % ACCUMULATORS.length]!;
        times[acc].push(timePerCall(() => spgemm(a, a, acc, { rows }), cfg.minMs));
      }
    for (const acc of ACCUMULATORS)
      timings.push({
        set,
        accumulator: acc,
        rows: rows.length,
        ms: median(times[acc]),
        density: density[set],
      });
  }
  return {
    timings,
    identical,
    sparseRows: sets.sparse.length,
    denseRows: sets.dense.length,
    densityRandom: density.random,
    productsPerRow,
  };
}

/**
 * The ratio t(slow)/t(fast) of two accumulators on a row set, one value per (scale, seed) cell, from the
 * `timings` series (wall-clock times are not deterministic, so they are series, not scalars).
 */
function ratios(rows: readonly SeriesRow[], set: RowSet, num: Accumulator, den: Accumulator): number[] {
  const cells = new Map<string, Partial<Record<Accumulator, number>>>();
  for (const r of rows) {
    if (r.set !== set) continue;
    const key = `${r.scale}/${r.seed}`;
    const c = cells.get(key) ?? {};
    c[r.accumulator as Accumulator] = r.ms as number;
    cells.set(key, c);
  }
  return [...cells.values()].filter((c) => c[num] && c[den]).map((c) => c[num]! / c[den]!);
}

/** "`fast` beats `slow` on `set`": the mean per-cell time ratio exceeds 1 by 2 standard errors. */
function fasterClaim(
  base: { id: string; statement: string; kind: ClaimKind; source?: ClaimSource },
  set: RowSet,
  fast: Accumulator,
  slow: Accumulator,
  minRows: Scalar | null,
) {
  return claim.custom({
    ...base,
    requires: [
      claim.atLeast('scale_min', MIN_SCALE, 'as smallest R-MAT scale'),
      claim.atLeast('seeds', 2, 'seeds'),
      ...(minRows ? [claim.atLeast(minRows, 8, `${set} rows in some cell`)] : []),
    ],
    rule: {
      text: `t(${slow}) / t(${fast}) on ${set} rows, mean over (scale, seed) cells, > 1 by 2 s.e.; < 1 by 2 s.e. fails`,
      params: { margin: 1, k: 2, set, fast, slow, minScale: MIN_SCALE },
    },
    check: (_s, _c, out) => {
      const r = ratios(out.series.timings ?? [], set, slow, fast);
      const m = meanSem(r);
      return {
        verdict: barVerdict(m.mean, m.sem, 1, { side: 'above' }),
        measured: `t(${slow}) / t(${fast}) = ${fmt(m.mean, 2)} ± ${fmt(m.sem, 2)} over ${m.n} cells`,
      };
    },
  });
}

/** gnn/shivdikar2021: SMASH — row-wise SpGEMM with hash accumulation (Shivdikar 2021). */
export const shivdikar2021 = defineExperiment({
  id: 'gnn/shivdikar2021',
  paper: {
    title: 'SMASH: Sparse Matrix Atomic Scratchpad Hashing',
    authors: 'Kaustubh Shivdikar',
    year: 2021,
    url: 'https://arxiv.org/abs/2105.14156',
    venue: 'MS thesis, Northeastern University',
  },
  summary:
    'C = A² (two-hop paths) of generated R-MAT graphs at 2^14–2^17 nodes with a row-wise (Gustavson) ' +
    'product in three accumulators of this plugin: a hash table per row (SMASH), a dense accumulator as ' +
    'wide as the matrix, and expand–sort–compress. Each accumulator is timed on the same rows: a uniform ' +
    'sample, its rows whose output is sparser than 1 %, and rows whose output is at least 10 % dense; the ' +
    'three results are checked bit for bit. Claims: hashing wins on sparse output rows and beats ' +
    'sort-merge of partial products; the dense accumulator wins on dense rows (the timing can go either way).',
  config,
  presets: {
    smoke: { scales: [8, 9], seeds: 2, randomRows: 64, denseRows: 4, repeats: 1, minMs: 1 },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    fasterClaim(
      {
        id: 'hash-wins-sparse-rows',
        kind: 'paper',
        statement: 'Hash accumulation beats the dense accumulator on rows whose output is sparse',
        source: {
          quote:
            'a novel SpGEMM kernel implementation based on the row-wise product approach … merge intermediate partial products as they are generated [in a hash table] … 9.4x speedup as compared to competing approaches',
          where: 'abstract; thesis ch. 4–5 (SMASH versions, PIUMA)',
          value: '9.4× on PIUMA',
          restated:
            'the speedup is PIUMA-specific; tested is its algorithmic basis on a CPU: per-row hashing costs ∝ products, a dense accumulator also pays for the matrix width, so hashing must win on rows with output density < 1 %',
        },
      },
      'sparse',
      'hash',
      'dense',
      'sparse_rows_min',
    ),
    fasterClaim(
      {
        id: 'hash-beats-sort-merge',
        kind: 'paper',
        statement:
          'Merging partial products as they are generated (hash) beats creating and sorting them (ESC)',
        source: {
          quote:
            'an outer product-based SpGEMM kernel can reduce redundant fetches, but at the cost of increased overhead … for producing/managing partial products … The use of atomic instructions eliminates the need to create partial product matrices',
          where: 'abstract',
          restated: 'row-wise hash vs row-wise expand–sort–compress on the same uniform row sample of A²',
        },
      },
      'random',
      'hash',
      'sort',
      null,
    ),
    fasterClaim(
      {
        id: 'dense-wins-dense-rows',
        kind: 'control',
        statement:
          'Control: the timing can go the other way — on rows whose output is ≥ 10 % dense the dense accumulator beats hashing',
      },
      'dense',
      'dense',
      'hash',
      'dense_rows_min',
    ),
    claim.inRange({
      id: 'results-identical',
      kind: 'control',
      statement: 'Control: the three accumulators give bit-identical products on every timed row',
      value: 'identical',
      range: [1, 1],
      label: 'all outputs identical (1 = yes)',
      digits: 0,
    }),
  ],
  async run(ctx, cfg) {
    const scales = [...cfg.scales].sort((a, b) => a - b);
    const done = await runCells(ctx, {
      label: 'scale × seed',
      cells: grid({ scale: scales, seed: seeds(cfg.seeds) }),
      key: ({ scale, seed }) => `cell-s${scale}-r${seed}`,
      run: ({ scale, seed }) => runCell(cfg, scale, seed, ctx.rng),
      describe: ({ scale, seed }) => `scale ${scale} seed ${seed}`,
    });
    const rows: SeriesRow[] = done.flatMap(({ cell, result }) =>
      result.timings.map((t) => ({
        scale: cell.scale,
        seed: cell.seed,
        ...t,
        us_per_row: (1000 * t.ms) / t.rows,
      })),
    );
    const results = done.map((d) => d.result);
    const scalars: Scalars<Scalar> = {
      scale_min: scales[0]!,
      scale_max: scales[scales.length - 1]!,
      n_scales: scales.length,
      seeds: cfg.seeds,
      identical: results.every((r) => r.identical) ? 1 : 0,
      sparse_rows_min: Math.min(...results.map((r) => r.sparseRows)),
      dense_rows_min: Math.min(...results.map((r) => r.denseRows)),
      density_random_mean: meanSem(results.map((r) => r.densityRandom)).mean,
      products_per_row_mean: meanSem(results.map((r) => r.productsPerRow)).mean,
    };
    // Per scale and row set: mean time per row and density over seeds, for the crossover plot.
    const summary: SeriesRow[] = [];
    for (const scale of scales)
      for (const set of ['random', 'sparse', 'dense'] as const)
        for (const acc of ACCUMULATORS) {
          const sel = rows.filter((r) => r.scale === scale && r.set === set && r.accumulator === acc);
          if (!sel.length) continue;
          const us = meanSem(sel.map((r) => r.us_per_row as number));
          summary.push({
            scale,
            set,
            accumulator: acc,
            density: meanSem(sel.map((r) => r.density as number)).mean,
            us_per_row: us.mean,
            sem: us.sem,
          });
        }
    return {
      scalars,
      series: { timings: rows, summary },
      plots: [
        linePlot({
          id: 'time-vs-density',
          title: 'Time per output row vs output-row density (R-MAT A²)',
          series: 'summary',
          x: 'density',
          y: 'us_per_row',
          color: 'accumulator',
          errorBar: 'sem',
          logX: true,
          logY: true,
          xTitle: 'mean output-row density (nnz / n)',
          yTitle: 'µs per row',
        }),
      ],
      tables: [
        table(
          'per-scale',
          'Median wall time per row (µs, mean ± s.e. over seeds) and mean output density of each row set',
          ['scale', 'rows', 'density', 'hash', '±', 'dense', '±', 'sort-merge', '±'],
          scales.flatMap((scale) =>
            (['random', 'sparse', 'dense'] as const).flatMap((set) => {
              const sel = summary.filter((r) => r.scale === scale && r.set === set);
              if (!sel.length) return [];
              const at = (acc: Accumulator) => sel.find((r) => r.accumulator === acc)!;
              return [
                [
                  scale,
                  set,
                  sel[0]!.density as number,
                  ...ACCUMULATORS.flatMap((acc) => [at(acc).us_per_row as number, at(acc).sem as number]),
                ],
              ];
            }),
          ),
        ),
      ],
    };
  },
});
