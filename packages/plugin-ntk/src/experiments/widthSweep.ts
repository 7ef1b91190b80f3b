import type { JsonValue, PlotSpec, RunContext, Table } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { plot } from '../util/plots.js';

/** One network of a width sweep. */
export interface WidthCell {
  width: number;
  seed: number;
}

/** How a width × seed sweep is run (see {@link runWidthSweep}). */
export interface WidthSweepSpec<R extends JsonValue> {
  widths: readonly number[];
  /** Networks per width (seeds 0…n − 1). */
  seeds: number;
  /** Checkpoint key of a cell: `<keyPrefix>w<width>-s<seed>` (default prefix `cell-`). */
  keyPrefix?: string;
  /** Measures one network. */
  run(cell: WidthCell): Promise<R> | R;
  /** Scalars logged after a cell, at step width × `logStride` + seed. */
  log?(result: R): Record<string, number>;
  /** Log steps per width (default 100: room for 100 seeds). */
  logStride?: number;
}

/** A finished width sweep: the widths in increasing order and every cell, width-major, seeds in order. */
export interface WidthSweep<R> {
  widths: number[];
  done: Array<kit.CellResult<WidthCell, R>>;
}

/** Runs every width (sorted) × seed with checkpoint, progress, abort and a log line per cell. */
export async function runWidthSweep<R extends JsonValue>(
  ctx: RunContext,
  spec: WidthSweepSpec<R>,
): Promise<WidthSweep<R>> {
  const { keyPrefix = 'cell-', logStride = 100, log } = spec;
  const widths = [...spec.widths].sort((a, b) => a - b);
  const done = await kit.runCells<WidthCell, R>(ctx, {
    label: 'width × seed',
    cells: kit.grid({ width: widths, seed: kit.seeds(spec.seeds) }),
    key: ({ width, seed }) => `${keyPrefix}w${width}-s${seed}`,
    run: (cell) => spec.run(cell),
    describe: ({ width, seed }) => `width ${width} seed ${seed}`,
    ...(log ? { log: ({ width, seed }, r) => ({ scalars: log(r), step: width * logStride + seed }) } : {}),
  });
  return { widths, done };
}

/** The scalars every width-sweep claim requires: how many widths, and the narrowest and widest. */
export function sweepScalars(
  widths: readonly number[],
): Record<'n_widths' | 'width_min' | 'width_max', number> {
  return { n_widths: widths.length, width_min: widths[0]!, width_max: widths[widths.length - 1]! };
}

/**
 * Log-log slope over `widths` of one value of the cells (those matching `where`), fitted to the seed means,
 * with its error bar from the per-seed slopes.
 */
export function widthSlope<P extends { width: number }, R>(
  cells: ReadonlyArray<kit.CellResult<P, R>>,
  widths: readonly number[],
  value: (result: R) => number,
  where: Partial<Omit<P, 'width'>> = {},
): kit.SlopeFit {
  return kit.logLogSlope(
    widths,
    widths.map((width) => kit.pick(cells, { ...where, width } as Partial<P>).map(value)),
  );
}

/** `<key>_slope` and `<key>_slope_sem` of a fit over widths. */
export function slopeScalars<K extends string>(
  key: K,
  fit: kit.SlopeFit,
): Record<`${K}_slope` | `${K}_slope_sem`, number> {
  return kit.withSem(`${key}_slope`, { mean: fit.slope, sem: fit.sem });
}

/** `<key>_narrowest` and `<key>_widest`: the first and last of per-width values (e.g. a fit's seed means). */
export function endScalars<K extends string>(
  key: K,
  perWidth: readonly number[],
): Record<`${K}_narrowest` | `${K}_widest`, number> {
  return { [`${key}_narrowest`]: perWidth[0]!, [`${key}_widest`]: perWidth[perWidth.length - 1]! } as Record<
    `${K}_narrowest` | `${K}_widest`,
    number
  >;
}

/**
 * The `per-width` table of means over seeds: a width column, then each metric's mean and its standard error
 * (`±`), the cells of a width given by `meanSems(width)` in the order of `metrics`.
 */
export function widthMeansTable(
  title: string,
  metrics: readonly string[],
  widths: readonly number[],
  meanSems: (width: number) => ReadonlyArray<readonly [mean: number, sem: number]>,
): Table {
  const columns = ['width', ...metrics.flatMap((metric) => [metric, '±'])];
  return kit.table(
    'per-width',
    title,
    columns,
    widths.map((width) => [width, ...meanSems(width).flat()]),
  );
}

/**
 * Log-log plot of the per-width means in the `width_means` series (column `y`, standard-error bars in `sem`),
 * one line per `color`: a power law in width reads as a straight line.
 */
export function widthMeansPlot(
  id: string,
  title: string,
  [y, xTitle, yTitle]: readonly [y: string, xTitle: string, yTitle: string],
  color: string,
): PlotSpec {
  return plot(id, title, ['width_means', 'width', y, xTitle, yTitle], {
    color,
    errorBar: 'sem',
    logX: true,
    logY: true,
  });
}
