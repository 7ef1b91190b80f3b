import type { ExperimentOutput, Scalars, SeriesRow } from '@paperlab/core';
import { type CellResult, fmt, mean, pairedGap, pct, pick, putMeanSem, table } from '@paperlab/core/kit';
import { imageGridPlot } from '@paperlab/core/plots';
import { ALERT_KINDS } from '../../images/alerts.js';
import { galleryRows } from '../../images/gallery.js';
import { type CellOut, INITS, type Init, type SeedData } from './cells.js';
import type { Rehemtulla2025Config, Rehemtulla2025Scalar } from './experiment.js';

/** A finished cell of astro/rehemtulla2025's seed × labels × init grid. */
export type BudgetCell = CellResult<{ seed: number; labels: number; init: Init }, CellOut>;

/**
 * The scalars of astro/rehemtulla2025: accuracies and the pre-training gain at the fewest and the most labels
 * (`budgets` sorted, fewest first), the lowest training accuracy, and seed 0's pre-training skill.
 */
export function budgetScalars(
  done: readonly BudgetCell[],
  budgets: readonly number[],
  seeds: number,
  d0: SeedData,
): Scalars<Rehemtulla2025Scalar> {
  const few = budgets[0]!;
  const many = budgets[budgets.length - 1]!;
  const acc = (init: Init, labels: number) => pick(done, { init, labels }).map((r) => r.acc);
  const scalars: Scalars<Rehemtulla2025Scalar> = {
    seeds,
    train_acc_min: Math.min(...done.map((d) => d.result.trainAcc)),
  };
  for (const [tag, n] of [
    ['few', few],
    ['many', many],
  ] as const) {
    scalars[`acc_scratch_${tag}`] = mean(acc('scratch', n));
    scalars[`acc_galaxy_${tag}`] = mean(acc('galaxy', n));
    putMeanSem(scalars, `gain_${tag}`, pairedGap(acc('galaxy', n), acc('scratch', n)));
  }
  scalars.pretrain_skill = d0.pretrainSkill;
  return scalars;
}

/** The first `show` test alerts of seed 0 as single-channel images: science, reference, difference of each. */
function alertGallery(cfg: Rehemtulla2025Config, d0: SeedData, show: number): SeriesRow[] {
  const per = cfg.size * cfg.size;
  const single = new Float32Array(show * 3 * per);
  const names: string[] = [];
  for (let k = 0; k < show; k++)
    for (let c = 0; c < 3; c++) {
      for (let j = 0; j < per; j++) single[(k * 3 + c) * per + j] = d0.testX[(k * per + j) * 3 + c]!;
      names.push(`${ALERT_KINDS[d0.kinds[cfg.trainSize + k]!]} ${['science', 'reference', 'difference'][c]}`);
    }
  return galleryRows(single, cfg.size, names);
}

/** Series, plot and table of astro/rehemtulla2025: the alert gallery, the cells, accuracy by budget and init. */
export function alertReport(
  cfg: Rehemtulla2025Config,
  done: readonly BudgetCell[],
  budgets: readonly number[],
  d0: SeedData,
): Omit<ExperimentOutput, 'scalars'> {
  const rows: SeriesRow[] = done.map(({ cell, result: r }) => ({ ...cell, ...r }));
  return {
    // Gallery: the first 4 test alerts, each as science / reference / difference.
    series: { gallery: alertGallery(cfg, d0, Math.min(4, cfg.testSize)), cells: rows },
    plots: [
      imageGridPlot({
        id: 'alert-gallery',
        title: 'Simulated alert triplets (seed 0 test set)',
        series: 'gallery',
        columns: 3,
      }),
    ],
    tables: [
      table(
        'budgets',
        'Test accuracy and AUC by label budget and initialisation (mean over seeds)',
        ['labels', 'init', 'accuracy', 'AUC', 'train acc'],
        budgets.flatMap((n) =>
          INITS.map((init) => {
            const r = pick(done, { init, labels: n });
            return [
              n,
              init,
              pct(mean(r.map((q) => q.acc))),
              fmt(mean(r.map((q) => q.auc))),
              pct(mean(r.map((q) => q.trainAcc))),
            ];
          }),
        ),
      ),
    ],
  };
}
