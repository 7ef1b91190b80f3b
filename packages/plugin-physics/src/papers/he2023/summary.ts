import type { Scalars, SeriesRow, Table } from '@paperlab/core';
import { type CellResult, meanSem, pairedGap, pct, pick, putMeanSem, seeds, table } from '@paperlab/core/kit';
import type { He2023Config, He2023Scalar } from './experiment.js';
import { architectures, BASELINES, LABEL, MODELS, type ModelName, type ModelResult } from './models.js';

/** The per-model figures, in table order: test L2, test H1, train L2 and the train/test gap. */
export const FIGURES = ['test_l2', 'test_h1', 'train_l2', 'gap'] as const;
/** One of the per-model figures. */
export type Figure = (typeof FIGURES)[number];

/** Finished cells of the seed × model grid. */
export type ModelDone = ReadonlyArray<CellResult<{ seed: number; model: ModelName }, ModelResult>>;

/**
 * The scalars of physics/he2023 and the rows of its `errors` series: mean ± s.e. of every figure per model, the
 * paired advantages of each baseline over MgNO, the margin of the worst model over the mean field, parameter spread.
 */
export function summarise(
  cfg: He2023Config,
  done: ModelDone,
  meanfield: { test: number; train: number },
  residual: number,
): { scalars: Scalars<He2023Scalar>; rows: SeriesRow[] } {
  const per = (m: ModelName) => pick(done, { model: m });
  const col = (m: ModelName, k: keyof ModelResult) => per(m).map((r) => r[k] as number);
  const gapOf = (m: ModelName) => per(m).map((r) => r.test_l2 - r.train_l2);
  const scalars: Partial<Scalars<He2023Scalar>> = {
    seeds: cfg.seeds,
    train_size: cfg.trainSize,
    meanfield_l2: meanfield.test,
    solver_residual: residual,
  };
  const rows: SeriesRow[] = [];
  for (const m of MODELS) {
    for (const [f, vals] of [
      ['test_l2', col(m, 'test_l2')],
      ['test_h1', col(m, 'test_h1')],
      ['train_l2', col(m, 'train_l2')],
      ['gap', gapOf(m)],
    ] as const) {
      const ms = meanSem(vals);
      putMeanSem(scalars, `${f}_${m}`, ms);
      rows.push({ model: LABEL[m], figure: f, mean: ms.mean, sem: ms.sem });
    }
    scalars[`params_${m}`] = col(m, 'params')[0]!;
    scalars[`train_ratio_${m}`] = scalars[`train_l2_${m}`]! / meanfield.train;
  }
  const mg = (k: keyof ModelResult) => col('mgno', k);
  for (const b of BASELINES) {
    for (const [key, field] of [
      ['l2', 'test_l2'],
      ['h1', 'test_h1'],
      ['train', 'train_l2'],
    ] as const) {
      putMeanSem(scalars, `${key}_adv_${b}`, pairedGap(col(b, field), mg(field)));
    }
    putMeanSem(scalars, `gap_adv_${b}`, pairedGap(gapOf(b), gapOf('mgno')));
  }
  const worst = seeds(cfg.seeds).map((i) => Math.max(...MODELS.map((m) => col(m, 'test_l2')[i]!)));
  putMeanSem(scalars, 'meanfield_margin', meanSem(worst.map((w) => meanfield.test - w)));
  const counts = MODELS.map((m) => scalars[`params_${m}`]!);
  scalars.param_spread = Math.max(...counts) / Math.min(...counts) - 1;
  return { scalars: scalars as Scalars<He2023Scalar>, rows };
}

/** The `errors` table: one row per model with its architecture, parameter count and every figure ± s.e. */
export function errorsTable(cfg: He2023Config, scalars: Scalars<He2023Scalar>): Table {
  const arch = architectures(cfg);
  const shape: Record<ModelName, string> = {
    mgno: `${arch.mgno.channels} channels, ${arch.mgno.levels} levels`,
    fno: `width ${arch.fno.width}, ${arch.fno.modes} modes`,
    unet: `width ${arch.unet.width}, depth ${arch.unet.depth}`,
  };
  return table(
    'errors',
    `Relative errors on ${cfg.testSize} test problems (mean ± s.e. over ${cfg.seeds} seeds), ${cfg.grid}² grid, ${cfg.trainSize} training problems; mean-field predictor ${pct(scalars.meanfield_l2, 2)}`,
    ['model', 'parameters', 'test L2', '±', 'test H1', '±', 'train L2', '±', 'test − train L2', '±'],
    MODELS.map((m) => [
      `${LABEL[m]} (${shape[m]})`,
      scalars[`params_${m}`]!,
      ...FIGURES.flatMap((f) => [scalars[`${f}_${m}`]!, scalars[`${f}_${m}_sem`]!]),
    ]),
  );
}
