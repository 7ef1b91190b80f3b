import type { ExperimentOutput, Scalars, SeriesRow } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { putMeanSem } from '@paperlab/core/kit';
import { imageGridPlot } from '@paperlab/core/plots';
import type { ModelCells } from '../../experiments/modelCells.js';
import { galleryRows } from '../../images/gallery.js';
import { type CellOut, MODELS, type Model, type SeedData } from './cells.js';
import type { Dieleman2015Config, Dieleman2015Scalar } from './experiment.js';

/** The finished seed × model grid of astro/dieleman2015. */
export type DielemanCells = ModelCells<Model, SeedData, CellOut>;

/** The scalars of astro/dieleman2015: RMSE and rotation sensitivity per model, the 16-view gains, references. */
export function morphologyScalars({ done, by }: DielemanCells, seeds: number): Scalars<Dieleman2015Scalar> {
  const scalars: Scalars<Dieleman2015Scalar> = { seeds };
  for (const m of MODELS) {
    scalars[`rmse_${m}`] = kit.mean(by(m, 'rmse'));
    scalars[`rot_${m}`] = kit.mean(by(m, 'rot'));
  }
  for (const ref of ['plain', 'augmented'] as const)
    putMeanSem(scalars, `gain_${ref}`, kit.pairedGap(by(ref, 'rmse'), by('views', 'rmse')));
  putMeanSem(scalars, 'rot_gain', kit.pairedGap(by('plain', 'rot'), by('views', 'rot')));
  putMeanSem(scalars, 'confident_acc', kit.meanSem(by('views', 'confidentAcc')));
  scalars.confident_n = Math.min(...by('views', 'confidentN'));
  scalars.rmse_mean = kit.mean(by('views', 'rmseMean'));
  scalars.noise_floor = kit.mean(by('views', 'floor'));
  scalars.skill_min = Math.min(...done.map((d) => 1 - d.result.rmse / d.result.rmseMean));
  return scalars;
}

/** The true morphology of the first `show` test galaxies, in words. */
function morphologyLabels(cfg: Dieleman2015Config, d0: SeedData, show: number): string[] {
  const t = d0.truth;
  return Array.from({ length: show }, (_, k) => {
    const i = cfg.trainSize + k;
    if (!(t.discFrac[i]! > 0)) return 'smooth';
    if (t.discQ[i]! < 0.3) return 'edge-on disc';
    return ['disc', t.barFrac[i]! > 0 ? 'bar' : '', t.armAmp[i]! > 0 ? 'arms' : '']
      .filter(Boolean)
      .join(' + ');
  });
}

/** Series, plot and tables of astro/dieleman2015: the galaxy gallery, the cells, models and reference levels. */
export function morphologyReport(
  cfg: Dieleman2015Config,
  { done, dataFor }: DielemanCells,
  scalars: Scalars<Dieleman2015Scalar>,
): Omit<ExperimentOutput, 'scalars'> {
  // Gallery: the first test galaxies of seed 0, with their true morphology.
  const d0 = dataFor(0);
  const labels = morphologyLabels(cfg, d0, Math.min(8, cfg.testSize));
  const gallery = galleryRows(d0.testX, cfg.size, labels);
  const rows: SeriesRow[] = done.map(({ cell, result: r }) => ({
    ...cell,
    rmse: r.rmse,
    rotation_sensitivity: r.rot,
  }));
  return {
    series: { gallery, cells: rows },
    plots: [
      imageGridPlot({
        id: 'galaxy-gallery',
        title: 'Simulated galaxies (test set, seed 0), arcsinh stretch',
        series: 'gallery',
      }),
    ],
    tables: [
      kit.table(
        'models',
        'Test RMSE on the 11 vote fractions and rotation sensitivity (mean over seeds)',
        ['model', 'RMSE', 'rotation sensitivity'],
        MODELS.map((m) => [m, kit.fmt(scalars[`rmse_${m}`], 4), kit.fmt(scalars[`rot_${m}`], 4)]),
      ),
      kit.table(
        'references',
        'Reference levels',
        ['mean predictor RMSE', 'volunteer-noise floor', 'confident agreement (16-view)'],
        [[kit.fmt(scalars.rmse_mean, 4), kit.fmt(scalars.noise_floor, 4), kit.pct(scalars.confident_acc)]],
      ),
    ],
  };
}
