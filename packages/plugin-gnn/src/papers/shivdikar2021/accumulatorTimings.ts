import type { Rng, SeriesRow, Table } from '@paperlab/core';
import { meanSem } from '@paperlab/core/kit';
import { rmat } from '../../data/rmat.js';
import type { Csr } from '../../graph/graph.js';
import { type Accumulator, rowProducts, spgemm } from '../../sparse/spgemm.js';
import type { Shivdikar2021Config } from './experiment.js';

/** The accumulators compared, in the order of the first repeat. */
const ACCUMULATORS: readonly Accumulator[] = ['hash', 'dense', 'sort'];
/** Row sets timed in every cell. */
export type RowSet = 'random' | 'sparse' | 'dense';

/** One accumulator timed on one row set of a cell. */
export interface Timing {
  [key: string]: number | string;
  set: RowSet;
  accumulator: Accumulator;
  rows: number;
  ms: number;
  density: number;
}

/** One (scale, seed) cell: its timings, whether the accumulators agreed, and its row-set statistics. */
export interface CellResult {
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
export function timeAccumulators(
  cfg: Shivdikar2021Config,
  scale: number,
  seed: number,
  rng: Rng,
): CellResult {
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
export function ratios(
  rows: readonly SeriesRow[],
  set: RowSet,
  num: Accumulator,
  den: Accumulator,
): number[] {
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

/** Per scale, row set and accumulator: mean time per row (± s.e.) and mean density over seeds, for the crossover plot. */
export function timingSummary(rows: readonly SeriesRow[], scales: readonly number[]): SeriesRow[] {
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
  return summary;
}

/** One table row per (scale, row set): its density, then time per row ± s.e. of each accumulator. */
export function perScaleRows(summary: readonly SeriesRow[], scales: readonly number[]): Table['rows'] {
  return scales.flatMap((scale) =>
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
  );
}
