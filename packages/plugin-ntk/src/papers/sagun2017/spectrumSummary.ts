import type { Scalars } from '@paperlab/core';
import { type CellResult, meanSem, withSem } from '@paperlab/core/kit';
import type { TrainedSpectrum } from '../../nets/trainedSpectrum.js';
import { spectrumShape } from '../../spectra/outliers.js';
import type { Sagun2017Config, Sagun2017Scalar } from './experiment.js';
import type { SpectrumCell } from './spectrumCells.js';

/** A computed spectrum of ntk/sagun2017. */
export type SpectrumDone = CellResult<SpectrumCell, TrainedSpectrum>;

/** What the claims read from one spectrum: its shape, with the data and width it came from. */
export const summarise = (
  label: string,
  classes: number,
  width: number,
  s: TrainedSpectrum,
  cfg: Sagun2017Config,
) => ({
  label,
  classes,
  width,
  ...spectrumShape(s, cfg),
});

/** The shape of every computed spectrum, with the seed of its network. */
export function summariseSpectra(done: readonly SpectrumDone[], cfg: Sagun2017Config) {
  return done.map(({ cell: c, result }) => ({
    ...summarise(c.label, c.k, c.width, result, cfg),
    seed: c.seed,
  }));
}

/** One spectrum's summary (see {@link summariseSpectra}). */
export type SpectrumSummary = ReturnType<typeof summariseSpectra>[number];

/** The k sweep: outliers per number of clusters at the base width (first network), by increasing k. */
export function clusterRows(summaries: readonly SpectrumSummary[], cfg: Sagun2017Config) {
  return cfg.clusters
    .map((k) => summaries.find((s) => s.label === `k=${k}` && s.width === cfg.hidden && s.seed === 0)!)
    .sort((a, b) => a.classes - b.classes)
    .map((s) => ({ k: s.classes, P: s.P, outliers: s.outliers, gap: s.gap, outlier_mean: s.outlierMean }));
}

/** The width sweep on the k = widthClusters mixture, seed-major, widths increasing. */
export function widthRows(summaries: readonly SpectrumSummary[], cfg: Sagun2017Config) {
  const widths = [...cfg.widths].sort((a, b) => a - b);
  const sweep = summaries.filter((s) => s.label === `k=${cfg.widthClusters}` && widths.includes(s.width));
  return sweep
    .sort((a, b) => a.seed - b.seed || a.width - b.width)
    .map((s) => ({
      width: s.width,
      seed: s.seed,
      P: s.P,
      outliers: s.outliers,
      outlier_mean: s.outlierMean,
      bulk_edge: s.bulkEdge,
      near_zero_count: s.nearZeroCount,
      near_zero_frac: s.nearZeroFrac,
    }));
}

type WidthRow = ReturnType<typeof widthRows>[number];

/** Per initialisation: outlier-mean log spread over widths (mean ± s.e.) and near-zero share of the added parameters. */
function widthSeedSummary(byWidth: readonly WidthRow[], widthSeeds: number) {
  const perSeed = Array.from({ length: widthSeeds }, (_, seed) => byWidth.filter((r) => r.seed === seed));
  const spreads = meanSem(
    perSeed.map((rows) =>
      Math.log(Math.max(...rows.map((r) => r.outlier_mean)) / Math.min(...rows.map((r) => r.outlier_mean))),
    ),
  );
  const shares = perSeed.map((rows) => {
    const [a, b] = [rows[0]!, rows[rows.length - 1]!];
    return (b.near_zero_count - a.near_zero_count) / (b.P - a.P);
  });
  return { spreads, shares };
}

/** The scalars of ntk/sagun2017 from its summaries: spectrum shape now and in the first run, width sweep, digits. */
export function spectrumScalars(
  done: readonly SpectrumDone[],
  summaries: readonly SpectrumSummary[],
  byClusters: ReturnType<typeof clusterRows>,
  byWidth: readonly WidthRow[],
  cfg: Sagun2017Config,
): Scalars<Sagun2017Scalar> {
  const { dataset } = cfg.digits;
  const { spreads, shares } = widthSeedSummary(byWidth, cfg.widthSeeds);
  const firstRun = summaries.filter((s) => s.seed === 0 && s.label !== dataset);
  const nowRun = summaries.filter((s) => s.label !== `${dataset} (first run)`);
  const shape = (list: readonly SpectrumSummary[], p: '' | 'first_') => ({
    [`${p}min_near_zero_frac`]: Math.min(...list.map((s) => s.nearZeroFrac)),
    [`${p}min_gap`]: Math.min(...list.map((s) => s.gap)),
    [`${p}min_gap_contrast`]: Math.min(...list.map((s) => s.contrast)),
    [`${p}max_outlier_frac`]: Math.max(...list.map((s) => s.outliers / s.P)),
  });
  const over = (f: (s: SpectrumSummary) => number) => nowRun.map(f);
  const scalars: Scalars<Sagun2017Scalar> = {
    n_spectra: nowRun.length,
    ...shape(nowRun, ''),
    ...shape(firstRun, 'first_'),
    width_seeds: cfg.widthSeeds,
    outlier_counts_equal: byWidth.every((r) => r.outliers === byWidth[0]!.outliers && r.outliers > 0) ? 1 : 0,
    ...withSem('outlier_mean_log_spread', spreads),
    near_zero_share_added: meanSem(shares).mean,
    max_gn_rel_diff: Math.max(...over((s) => s.gnRelDiff)),
    max_lambda_min: Math.max(...over((s) => s.lambdaMin)),
    min_lambda_min_rel: Math.min(...over((s) => s.lambdaMin / s.lambdaMax)),
    max_lambda_min_rel: Math.max(...over((s) => s.lambdaMin / s.lambdaMax)),
    max_asymmetry: Math.max(...done.map((d) => d.result.asymmetry)),
  };
  for (const r of byClusters) scalars[`outliers_k${r.k}`] = r.outliers;
  for (const r of byWidth.filter((r) => r.seed === 0)) scalars[`outliers_h${r.width}`] = r.outliers;
  for (const [label, p] of [
    [dataset, ''],
    [`${dataset} (first run)`, 'first_'],
  ] as const) {
    const digits = summaries.find((s) => s.label === label);
    if (!digits) continue;
    scalars[`${p}digits_outliers`] = digits.outliers;
    scalars[`${p}digits_gap`] = digits.gap;
    scalars[`${p}digits_gap_contrast`] = digits.contrast;
    scalars[`${p}digits_params`] = digits.P;
  }
  return scalars;
}
