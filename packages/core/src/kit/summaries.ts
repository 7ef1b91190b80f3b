import type { SeriesRow } from '../contracts/output.js';
import { logLogFit, mean, sem } from '../util/stats.js';

/** A mean over seeds with its standard error and the number of values. */
export interface MeanSem {
  mean: number;
  sem: number;
  n: number;
}

/** Mean and standard error of the mean (sem 0 for one value). */
export function meanSem(values: ArrayLike<number>): MeanSem {
  return { mean: mean(values), sem: sem(values), n: values.length };
}

/** Paired difference a − b over seeds (same seeds, same order): mean and its standard error. */
export function pairedGap(a: ArrayLike<number>, b: ArrayLike<number>): MeanSem {
  if (a.length !== b.length)
    throw new Error(`pairedGap needs paired values, got ${a.length} and ${b.length}`);
  return meanSem(Array.from(a, (v, i) => v - b[i]!));
}

/** A power-law exponent: the log-log slope of the per-x means, with the spread of per-seed slopes. */
export interface SlopeFit {
  /** Slope of log(mean over seeds) on log(x). */
  slope: number;
  /** Standard error of the per-seed slopes. */
  sem: number;
  /** The per-seed slopes. */
  perSeed: number[];
  /** The mean over seeds at each x. */
  means: number[];
}

/**
 * Log-log slope of y over x with a per-seed error bar: `ys[i][s]` is seed s at `xs[i]` (every x has the same
 * seeds). The slope is fitted to the seed means; its error is the standard error of the slopes fitted per seed.
 */
export function logLogSlope(xs: readonly number[], ys: ReadonlyArray<ArrayLike<number>>): SlopeFit {
  if (xs.length !== ys.length)
    throw new Error(`logLogSlope: ${xs.length} x values but ${ys.length} y groups`);
  const means = ys.map((y) => mean(y));
  const nSeeds = ys[0]?.length ?? 0;
  const perSeed = Array.from(
    { length: nSeeds },
    (_, s) =>
      logLogFit(
        xs,
        ys.map((y) => y[s]!),
      ).slope,
  );
  return { slope: logLogFit(xs, means).slope, sem: sem(perSeed), perSeed, means };
}

/**
 * Tidy mean ± sem rows for plots: one row per group (by `by`) and metric, `{ [by]: g, metric: label, mean, sem, n }`,
 * groups in first-seen order, metrics in the order given.
 */
export function groupMeans(
  rows: readonly SeriesRow[],
  by: string,
  metrics: Readonly<Record<string, string>>,
): SeriesRow[] {
  const groups = [...new Set(rows.map((r) => r[by]))];
  const out: SeriesRow[] = [];
  for (const g of groups) {
    const members = rows.filter((r) => r[by] === g);
    for (const [key, label] of Object.entries(metrics)) {
      const m = meanSem(members.map((r) => r[key] as number));
      out.push({ [by]: g ?? null, metric: label, mean: m.mean, sem: m.sem, n: m.n });
    }
  }
  return out;
}
