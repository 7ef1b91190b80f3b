import type { Scalars, SeriesRow } from '@paperlab/core';
import { type CellResult, mean, meanSem, pick, withSem } from '@paperlab/core/kit';
import type { Li2018Scalar } from './experiment.js';
import type { Cell } from './subspaceCells.js';

/**
 * The smallest d at which `acc` reaches `threshold`, interpolated in log d between the grid points around the first
 * crossing (the first grid point itself when it already reaches it); null when no d reaches it.
 */
export function firstCrossing(
  dims: readonly number[],
  acc: readonly number[],
  threshold: number,
): number | null {
  for (let i = 0; i < dims.length; i++) {
    if (acc[i]! < threshold) continue;
    if (i === 0) return dims[0]!;
    const [a, b] = [acc[i - 1]!, acc[i]!];
    const t = b > a ? (threshold - a) / (b - a) : 1;
    return Math.exp(Math.log(dims[i - 1]!) + t * (Math.log(dims[i]!) - Math.log(dims[i - 1]!)));
  }
  return null;
}

/** One (width or labels, seed) curve: the baseline accuracy, the accuracy at each d, and its d_int90 (null: never). */
export type Dint90 = { base: number; acc: number[]; d90: number | null };

/** d_int90 of the cells matching `where`: the first d reaching 90% of their full-parameter accuracy. */
export function dint90Of<P extends { d: number }>(
  cells: ReadonlyArray<CellResult<P, Cell>>,
  dims: readonly number[],
  where: Partial<P>,
): Dint90 {
  const base = pick(cells, { ...where, d: 0 })[0]!.acc;
  const acc = dims.map((d) => pick(cells, { ...where, d })[0]!.acc);
  return { base, acc, d90: firstCrossing(dims, acc, 0.9 * base) };
}

/** d_int90 per width (outer) and seed (inner) on real labels, with the accuracy-vs-d rows of every curve. */
export function dint90PerWidth(
  cells: ReadonlyArray<CellResult<{ width: number; seed: number; d: number }, Cell>>,
  dims: readonly number[],
  widths: readonly number[],
  seedList: readonly number[],
) {
  const rows: SeriesRow[] = [];
  const perWidth = widths.map((width) =>
    seedList.map((seed) => {
      const r = dint90Of(cells, dims, { width, seed });
      for (const [i, d] of dims.entries())
        rows.push({ width: `width ${width}`, seed, d, acc: r.acc[i]!, threshold: 0.9 * r.base });
      return r;
    }),
  );
  return { perWidth, rows };
}

/** What the li2018 scalars are computed from. */
export interface Dint90Inputs {
  perWidth: Dint90[][];
  memoReal: Dint90[];
  memoShuf: Dint90[];
  params: number[];
  regen: number[];
  dmax: number;
  seeds: number;
}

/** The scalars of li2018: d_int90 over all cells, its change with width, the memorisation ratio, the controls. */
export function dint90Scalars(m: Dint90Inputs): Scalars<Li2018Scalar> {
  const { perWidth, memoReal, memoShuf, params, dmax } = m;
  const all = perWidth.flat();
  const reached = all.filter((r) => r.d90 !== null);
  const d90 = all.map((r) => r.d90 ?? dmax);
  const narrow = perWidth[0]!.map((r) => r.d90 ?? dmax);
  const wide = perWidth[perWidth.length - 1]!.map((r) => r.d90 ?? dmax);
  const logRatio = narrow.map((v, i) => Math.log(wide[i]! / v));
  const realD = mean(memoReal.map((r) => r.d90 ?? dmax));
  const shufD = mean(memoShuf.map((r) => r.d90 ?? dmax));
  return {
    ...withSem('dint90', meanSem(d90)),
    dint90_reached: reached.length / all.length,
    dint90_narrow: mean(narrow),
    dint90_wide: mean(wide),
    ...withSem('log_width_ratio', meanSem(logRatio)),
    param_ratio: params[params.length - 1]! / params[0]!,
    params_narrow: params[0]!,
    params_wide: params[params.length - 1]!,
    n_widths: perWidth.length,
    seeds: m.seeds,
    dmax,
    baseline_acc: mean(all.map((r) => r.base)),
    baseline_acc_min: Math.min(...all.map((r) => r.base)),
    compression_ratio: (4 * params[0]!) / (4 * mean(narrow) + 8),
    regen_max_diff: Math.max(...m.regen),
    real_train_dint90: realD,
    shuffled_dint90: shufD,
    shuffled_reached: memoShuf.filter((r) => r.d90 !== null).length / memoShuf.length,
    shuffled_ratio: shufD / realD,
    shuffled_baseline_train_acc: Math.min(...memoShuf.map((r) => r.base)),
  };
}
