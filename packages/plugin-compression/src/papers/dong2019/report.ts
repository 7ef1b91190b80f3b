import type { Scalars } from '@paperlab/core';
import { fmt, mean, pct, points, table } from '@paperlab/core/kit';
import { scatterPlot } from '@paperlab/core/plots';
import type { Allocation } from './allocation.js';
import type { Cell } from './cells.js';
import type { Dong2019Scalar } from './experiment.js';

/**
 * The series, plot and tables of dong2019: the choice of each method per budget (mean over seeds), every
 * configuration of seed 0 (`first`), its layer Hessians, and the paired gains.
 */
export function allocationReport(
  per: readonly Allocation[],
  first: Cell,
  scalars: Scalars<Dong2019Scalar>,
  budgets: readonly number[],
) {
  const budgetRows = budgets.map((budget, b) => ({
    budget,
    trace: mean(per.map((p) => p.rows[b]!.trace)),
    eigenvalue: mean(per.map((p) => p.rows[b]!.eig)),
    random: mean(per.map((p) => p.rows[b]!.random)),
    oracle: mean(per.map((p) => p.rows[b]!.oracle)),
  }));
  const frontier = first.acc.map((a, i) => ({
    avg_bits: first.sizes[i]!,
    accuracy: a,
    omega: first.omegaTrace[i]!,
  }));
  const layerRows = first.traces.map((t, l) => [
    l,
    fmt(t, 3),
    fmt(first.traceSem[l]!, 3),
    fmt(first.eig[l]!, 3),
  ]);
  return {
    series: { budgets: budgetRows, configurations: frontier },
    plots: [
      scatterPlot({
        id: 'configurations',
        title: 'All bit configurations (seed 0): post-training accuracy vs average bits',
        series: 'configurations',
        x: 'avg_bits',
        y: 'accuracy',
        xTitle: 'average bits per weight',
        yTitle: 'test accuracy',
      }),
    ],
    tables: [
      table(
        'budgets',
        'Test accuracy of the configuration each method picks within a budget (mean over seeds)',
        ['budget (avg bits)', 'trace (HAWQ-V2)', 'top eigenvalue', 'random', 'best possible'],
        budgetRows.map((r) => [r.budget, pct(r.trace), pct(r.eigenvalue), pct(r.random), pct(r.oracle)]),
      ),
      table(
        'layers',
        'Layer Hessians (seed 0): Hutchinson trace ± s.e., top eigenvalue',
        ['weighted layer', 'Tr(H)', '±', 'λ_max'],
        layerRows,
      ),
      table(
        'summary',
        'Paired gains over seeds',
        ['comparison', 'gain'],
        [
          ['trace − random', points(scalars.gain_random!, scalars.gain_random_sem)],
          ['trace − eigenvalue', points(scalars.gain_eig!, scalars.gain_eig_sem)],
          ['trace − uniform 4-bit', points(scalars.gain_uniform4!, scalars.gain_uniform4_sem)],
          ['float32 accuracy', pct(scalars.fp_acc)],
        ],
      ),
    ],
  };
}
