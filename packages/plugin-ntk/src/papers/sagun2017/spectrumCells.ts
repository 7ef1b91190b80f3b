import type { RunContext, SeriesRow } from '@paperlab/core';
import { runCells } from '@paperlab/core/kit';
import { gaussianMixture, type LabelledPoints } from '../../data/gaussianMixture.js';
import { loadStandardisedDigits } from '../../data/standardisedDigits.js';
import { type TrainedSpectrum, trainedSpectrum } from '../../nets/trainedSpectrum.js';
import { histogram } from '../../util/histogram.js';
import type { Sagun2017Config } from './experiment.js';
import { type SpectrumDone, summarise } from './spectrumSummary.js';

/** One spectrum to compute: its data (a mixture or digits) and the network width. */
export type SpectrumCell = {
  key: string;
  label: string;
  k: number;
  width: number;
  seed: number;
  task: () => Promise<LabelledPoints>;
};

/**
 * The spectra of ntk/sagun2017: one mixture per k at the base width, the width sweep on the k = widthClusters
 * mixture (one network per seed and width), and the digits task (now and as in the first paper run).
 */
export function spectrumCells(ctx: RunContext, cfg: Sagun2017Config): SpectrumCell[] {
  const mixtureCell = (k: number, width: number, seed = 0): SpectrumCell => {
    const task = async () =>
      gaussianMixture(cfg.samples, cfg.inputDim, k, cfg.separation, ctx.rng.split(`mixture-k${k}`));
    return { key: `k${k}-h${width}${seed ? `-s${seed}` : ''}`, label: `k=${k}`, k, width, seed, task };
  };
  const cells = [...cfg.clusters].sort((a, b) => a - b).map((k) => mixtureCell(k, cfg.hidden));
  const widths = [...cfg.widths].sort((a, b) => a - b);
  for (let seed = 0; seed < cfg.widthSeeds; seed++)
    for (const w of widths)
      if (!cells.some((c) => c.key === mixtureCell(cfg.widthClusters, w, seed).key))
        cells.push(mixtureCell(cfg.widthClusters, w, seed));
  const { dataset, samples, firstSamples, pool, hidden } = cfg.digits;
  const digitsCell = (set: 'mnist' | 'fashion-mnist', n: number, label: string, tag = ''): SpectrumCell => ({
    key: `digits-${dataset}${tag}-h${hidden}`,
    label,
    k: 10,
    width: hidden,
    seed: 0,
    task: () => loadStandardisedDigits(ctx.data, set, n, pool),
  });
  if (dataset !== 'none') {
    cells.push(digitsCell(dataset, samples, dataset));
    if (firstSamples > 0)
      cells.push(digitsCell(dataset, firstSamples, `${dataset} (first run)`, `-n${firstSamples}`));
  }
  return cells;
}

/** Trains the network of every spectrum cell (checkpointed) and computes its Hessian spectrum. */
export async function computeSpectra(ctx: RunContext, cfg: Sagun2017Config): Promise<SpectrumDone[]> {
  const net = (width: number) => ({
    ...cfg,
    hidden: Array.from({ length: cfg.hiddenLayers }, () => width),
  });
  return runCells(ctx, {
    label: 'spectra',
    cells: spectrumCells(ctx, cfg),
    key: (c) => `spectrum-${c.key}`,
    run: async (c) =>
      trainedSpectrum(await c.task(), { ...net(c.width), signal: ctx.signal }, ctx.rng.split(`net-${c.key}`)),
    describe: (c) => c.key,
    log: (c, sp) => {
      const { outliers, gap } = summarise(c.label, c.k, c.width, sp, cfg);
      ctx.log.info(
        `${c.key}: P=${sp.params}, ${sp.steps} steps, loss ${sp.loss.toFixed(3)}, ${outliers} outliers (gap ${gap.toFixed(2)})`,
      );
      return undefined;
    },
  });
}

/**
 * The plotted rows of one spectrum: its top `maxOutliers` Hessian and Gauss-Newton eigenvalues by rank, and the
 * histogram of λ/λ_max over the bulk ([−0.05, 0.25], 60 bins; outliers fall beyond) as fractions of P.
 */
export function spectrumRows(
  name: string,
  sp: TrainedSpectrum,
  lambdaMax: number,
  P: number,
  maxOutliers: number,
) {
  const top: SeriesRow[] = [];
  for (let r = 0; r < Math.min(maxOutliers, sp.hessian.length); r++) {
    top.push({ spectrum: name, rank: r + 1, lambda: sp.hessian[r]!, matrix: 'Hessian' });
    if (r < sp.gaussNewton.length)
      top.push({
        spectrum: `${name} · Gauss-Newton`,
        rank: r + 1,
        lambda: sp.gaussNewton[r]!,
        matrix: 'Gauss-Newton',
      });
  }
  const [lo, hi, bins] = [-0.05, 0.25, 60];
  const { counts } = histogram(
    sp.hessian.map((v) => v / lambdaMax),
    bins,
    { lo, hi },
  );
  const density: SeriesRow[] = counts.map((c, b) => ({
    spectrum: name,
    lambda_rel: lo + ((b + 0.5) * (hi - lo)) / bins,
    fraction: c / P,
  }));
  return { top, density };
}
