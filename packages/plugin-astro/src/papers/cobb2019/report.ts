import type { ExperimentOutput, Rng, Scalars, SeriesRow } from '@paperlab/core';
import { fmt, mean, meanSem, pairedGap, pct, putMeanSem, table } from '@paperlab/core/kit';
import { linePlot } from '@paperlab/core/plots';
import { SPECTRUM_PARAMS, samplePrior, transmissionSpectra, WFC3_BINS } from '../../spectra/transmission.js';
import type { Cobb2019Scalar } from './experiment.js';
import { D, type Model, type SeedResult } from './retrieval.js';

/** Nominal 1σ coverage of a Gaussian. */
const ONE_SIGMA = 0.6827;

function calibrationError(coverage: number[]): number {
  return mean(coverage.map((c) => Math.abs(c - ONE_SIGMA)));
}

/** The scalars of astro/cobb2019 from the seeds' results: accuracy, calibration, learned correlations. */
export function retrievalScalars(res: readonly SeedResult[], seeds: number): Scalars<Cobb2019Scalar> {
  const r2 = (m: Model) => res.map((r) => r.r2[m]);
  const cal = (m: 'single' | 'ensemble') => res.map((r) => calibrationError(r.coverage[m]));
  const cov = res.map((r) => mean(r.coverage.ensemble));
  const corrErr = res.map((r) => mean(r.corr.map((c) => Math.abs(c.predicted - c.empirical))));
  const scalars: Scalars<Cobb2019Scalar> = {
    seeds,
    r2_forest: mean(r2('forest')),
    r2_single: mean(r2('single')),
    r2_ensemble: mean(r2('ensemble')),
    cal_single: mean(cal('single')),
    cal_ensemble: mean(cal('ensemble')),
  };
  putMeanSem(scalars, 'coverage_ensemble', meanSem(cov));
  putMeanSem(scalars, 'gain_forest', pairedGap(r2('ensemble'), r2('forest')));
  putMeanSem(scalars, 'gain_single', pairedGap(r2('ensemble'), r2('single')));
  putMeanSem(scalars, 'cal_gain', pairedGap(cal('single'), cal('ensemble')));
  putMeanSem(scalars, 'corr_error', meanSem(corrErr));
  scalars.max_abs_corr = mean(res.map((r) => Math.max(...r.corr.map((c) => Math.abs(c.empirical)))));
  return scalars;
}

/** A few noiseless spectra of fresh prior draws, to look at the simulator. */
function spectraGallery(rng: Rng): SeriesRow[] {
  const show = samplePrior(rng, 6);
  const shown = transmissionSpectra(show);
  const width = (WFC3_BINS.hi - WFC3_BINS.lo) / WFC3_BINS.bins;
  const gallery: SeriesRow[] = [];
  for (let e = 0; e < 6; e++) {
    const p = show.subarray(e * D, e * D + D);
    const label = `T=${p[0]!.toFixed(0)} K, H₂O ${p[1]!.toFixed(1)}, cloud ${p[4]!.toFixed(1)}`;
    for (let b = 0; b < WFC3_BINS.bins; b++)
      gallery.push({
        spectrum: `${e + 1}: ${label}`,
        wavelength_um: WFC3_BINS.lo + (b + 0.5) * width,
        depth_ppm: shown[e * WFC3_BINS.bins + b]!,
      });
  }
  return gallery;
}

/** Series, plot and tables of astro/cobb2019: the gallery, per-parameter R² and coverage, error correlations. */
export function retrievalReport(
  res: readonly SeedResult[],
  galleryRng: Rng,
): Omit<ExperimentOutput, 'scalars'> {
  const gallery = spectraGallery(galleryRng);
  const perParam: SeriesRow[] = SPECTRUM_PARAMS.flatMap((name, k) =>
    (['forest', 'single', 'ensemble'] as const).map((model) => ({
      parameter: name,
      model,
      r2: mean(res.map((r) => r.r2Params[model][k]!)),
      coverage_1sigma: model === 'forest' ? null : mean(res.map((r) => r.coverage[model][k]!)),
    })),
  );
  const pairs: SeriesRow[] = res[0]!.corr.map((c, k) => ({
    pair: `${SPECTRUM_PARAMS[c.i]}–${SPECTRUM_PARAMS[c.j]}`,
    predicted: mean(res.map((r) => r.corr[k]!.predicted)),
    empirical: mean(res.map((r) => r.corr[k]!.empirical)),
  }));
  return {
    series: { gallery, perParam, pairs },
    plots: [
      linePlot({
        id: 'spectra-gallery',
        title: 'Simulated transmission spectra (toy opacities, noiseless)',
        series: 'gallery',
        x: 'wavelength_um',
        y: 'depth_ppm',
        color: 'spectrum',
        xTitle: 'wavelength (μm)',
        yTitle: 'transit depth (ppm)',
      }),
    ],
    tables: [
      table(
        'per-parameter',
        'Test R² and ensemble 1σ coverage per parameter (mean over seeds)',
        ['parameter', 'forest R²', 'single R²', 'ensemble R²', 'single 1σ cov.', 'ensemble 1σ cov.'],
        SPECTRUM_PARAMS.map((name) => {
          const row = (m: Model) => perParam.find((r) => r.parameter === name && r.model === m)!;
          return [
            name,
            fmt(row('forest').r2 as number),
            fmt(row('single').r2 as number),
            fmt(row('ensemble').r2 as number),
            pct(row('single').coverage_1sigma as number),
            pct(row('ensemble').coverage_1sigma as number),
          ];
        }),
      ),
      table(
        'correlations',
        'Error correlations between parameters: ensemble-predicted vs empirical (mean over seeds)',
        ['pair', 'predicted ρ', 'empirical ρ'],
        pairs.map((p) => [p.pair as string, fmt(p.predicted as number), fmt(p.empirical as number)]),
      ),
    ],
  };
}
