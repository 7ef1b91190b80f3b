import type { ExperimentOutput, Scalars, SeriesRow } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { putMeanSem } from '@paperlab/core/kit';
import { imageGridPlot } from '@paperlab/core/plots';
import type { ModelCells } from '../../experiments/modelCells.js';
import { TIDAL_KINDS } from '../../images/galaxy.js';
import { galleryRows } from '../../images/gallery.js';
import { type CellOut, MODELS, type Model, type SeedData } from './cells.js';
import type { Walmsley2018Config, Walmsley2018Scalar } from './experiment.js';

/** The finished seed × model grid of astro/walmsley2018. */
export type TidalCells = ModelCells<Model, SeedData, CellOut>;

/** The scalars of astro/walmsley2018: completeness, AUC and training accuracy per model, the CNN's gains. */
export function tidalScalars({ by }: TidalCells, seeds: number): Scalars<Walmsley2018Scalar> {
  const scalars: Scalars<Walmsley2018Scalar> = { seeds };
  for (const m of MODELS) {
    putMeanSem(scalars, `completeness_${m}`, kit.meanSem(by(m, 'completeness')));
    scalars[`auc_${m}`] = kit.mean(by(m, 'auc'));
    scalars[`train_acc_${m}`] = kit.mean(by(m, 'trainAcc'));
  }
  putMeanSem(scalars, 'gain', kit.pairedGap(by('cnn', 'completeness'), by('baseline', 'completeness')));
  putMeanSem(scalars, 'bright_gap', kit.pairedGap(by('cnn', 'bright'), by('cnn', 'faint')));
  return scalars;
}

/** Series, plot and table of astro/walmsley2018: the host gallery, the cells, the models compared. */
export function tidalReport(
  cfg: Walmsley2018Config,
  { done, by, dataFor }: TidalCells,
  scalars: Scalars<Walmsley2018Scalar>,
): Omit<ExperimentOutput, 'scalars'> {
  const d0 = dataFor(0);
  const show = Math.min(8, cfg.testSize);
  const labels = Array.from({ length: show }, (_, k) => {
    const kind = d0.kinds[cfg.trainSize + k]!;
    return kind ? `${TIDAL_KINDS[kind]} (${d0.testDm[k]!.toFixed(1)} mag)` : 'no feature';
  });
  const rows: SeriesRow[] = done.map(({ cell, result: r }) => ({ ...cell, ...r }));
  return {
    series: { gallery: galleryRows(d0.testX, cfg.size, labels), cells: rows },
    plots: [
      imageGridPlot({
        id: 'tidal-gallery',
        title: 'Simulated hosts with and without tidal features (seed 0)',
        series: 'gallery',
      }),
    ],
    tables: [
      kit.table(
        'models',
        `Completeness at ${kit.pct(cfg.contamination, 0)} contamination, AUC, training accuracy (mean over seeds)`,
        ['model', 'completeness', 'AUC', 'train acc', 'bright-half compl.', 'faint-half compl.'],
        MODELS.map((m) => [
          m,
          kit.pct(scalars[`completeness_${m}`]),
          kit.fmt(scalars[`auc_${m}`]),
          kit.pct(scalars[`train_acc_${m}`]),
          kit.pct(kit.mean(by(m, 'bright'))),
          kit.pct(kit.mean(by(m, 'faint'))),
        ]),
      ),
    ],
  };
}
