import type { PlotSpec, Table } from '@paperlab/core';
import { table } from '@paperlab/core/kit';
import { plot } from '../../util/plots.js';
import { rounded } from '../../util/rounded.js';
import { spectrumRows } from './spectrumCells.js';
import type { SpectrumDone, SpectrumSummary } from './spectrumSummary.js';

/** The plotted series of every spectrum: top eigenvalues by rank and the bulk density. */
export function spectraSeries(
  summaries: readonly SpectrumSummary[],
  done: readonly SpectrumDone[],
  maxOutliers: number,
) {
  const rows = summaries.map((s, idx) => {
    const name = `${s.label}, width ${s.width}${s.seed ? ` #${s.seed}` : ''} (P=${s.P})`;
    return spectrumRows(name, done[idx]!.result, s.lambdaMax, s.P, maxOutliers);
  });
  return { top_eigenvalues: rows.flatMap((r) => r.top), bulk_density: rows.flatMap((r) => r.density) };
}

/** The plots of ntk/sagun2017: top eigenvalues and the bulk of the spectrum. */
export function spectraPlots(): PlotSpec[] {
  return [
    plot(
      'top-eigenvalues',
      'Top Hessian and Gauss-Newton eigenvalues (outliers, then the bulk)',
      ['top_eigenvalues', 'rank', 'lambda', 'rank', 'eigenvalue'],
      { color: 'spectrum', logY: true },
    ),
    plot(
      'bulk-density',
      'Bulk of the Hessian spectrum (fraction of eigenvalues per bin of λ/λ_max)',
      ['bulk_density', 'lambda_rel', 'fraction', 'λ / λ_max', 'fraction of eigenvalues'],
      { color: 'spectrum', points: false },
    ),
  ];
}

/** One row per spectrum: data, width, training end point, outliers and gap, extremes of the spectrum. */
export function spectraTable(summaries: readonly SpectrumSummary[], done: readonly SpectrumDone[]): Table {
  return table(
    'spectra',
    'Hessian spectra at the end of training',
    [
      'data',
      'width',
      'P',
      'GD steps',
      'train loss',
      'train acc',
      'outliers',
      'gap',
      'gap / bulk spacing',
      'λ_max',
      'bulk edge',
      'λ_min',
      'near-zero fraction',
      'GN diff %',
    ],
    summaries.map((s, idx) => {
      const sp = done[idx]!.result;
      return [
        s.seed ? `${s.label} #${s.seed}` : s.label,
        s.width,
        s.P,
        sp.steps,
        rounded(sp.loss, 3),
        rounded(sp.accuracy, 3),
        s.outliers,
        rounded(s.gap, 2),
        rounded(s.contrast, 1),
        rounded(s.lambdaMax, 3),
        rounded(s.bulkEdge, 3),
        rounded(s.lambdaMin, 4),
        rounded(s.nearZeroFrac, 3),
        rounded(100 * s.gnRelDiff, 2),
      ];
    }),
  );
}
