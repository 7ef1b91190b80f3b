import type { PlotSpec, SeriesRow, Table } from '@paperlab/core';
import { type CellResult, fmt, mean, sem, table } from '@paperlab/core/kit';
import { linePlot } from '@paperlab/core/plots';
import type { Dint90 } from './dint90.js';
import type { Cell } from './subspaceCells.js';

/** Training accuracy of every subspace cell of the memorisation grid (real vs permuted labels). */
export const memorisationRows = (
  memo: ReadonlyArray<CellResult<{ labels: string; seed: number; d: number }, Cell>>,
): SeriesRow[] =>
  memo
    .filter((c) => c.cell.d > 0)
    .map(({ cell, result }) => ({
      labels: cell.labels,
      seed: cell.seed,
      d: cell.d,
      train_acc: result.acc,
    }));

/** The plots of li2018: test accuracy vs d per width, and training accuracy vs d on real vs permuted labels. */
export function dint90Plots(): PlotSpec[] {
  return [
    linePlot({
      id: 'accuracy-vs-d',
      title: 'Test accuracy of subspace training vs d (dashed: 90% of the full net)',
      series: 'accuracy_vs_d',
      x: 'd',
      y: 'acc',
      color: 'width',
      logX: true,
      xTitle: 'subspace dimension d',
      yTitle: 'test accuracy',
    }),
    linePlot({
      id: 'memorisation-vs-d',
      title: 'Training accuracy vs d: real vs permuted labels (1k images)',
      series: 'memorisation',
      x: 'd',
      y: 'train_acc',
      color: 'labels',
      logX: true,
      xTitle: 'subspace dimension d',
      yTitle: 'training accuracy',
    }),
  ];
}

/** d_int90 per width: parameters, baseline accuracy, mean ± s.e. over seeds (never reached counts as dmax). */
export function dint90Table(
  widths: readonly number[],
  params: readonly number[],
  perWidth: readonly Dint90[][],
  dmax: number,
): Table {
  return table(
    'dint90',
    'd_int90 per width (mean ± s.e. over seeds; baseline = full-parameter test accuracy)',
    ['width', 'parameters D', 'baseline acc', 'd_int90', '±', 'D / d_int90'],
    widths.map((w, i) => {
      const ds = perWidth[i]!.map((r) => r.d90 ?? dmax);
      return [
        w,
        params[i]!,
        fmt(mean(perWidth[i]!.map((r) => r.base))),
        fmt(mean(ds), 0),
        fmt(sem(ds), 0),
        fmt(params[i]! / mean(ds), 1),
      ];
    }),
  );
}
