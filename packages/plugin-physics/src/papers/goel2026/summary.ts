import type { Scalars, SeriesRow, Table } from '@paperlab/core';
import { type CellResult, meanSem, pairedGap, pick, putMeanSem, table } from '@paperlab/core/kit';
import type { Goel2026Config, Goel2026Scalar } from './experiment.js';
import { SPLIT_LABEL, SPLITS, type Split } from './splits.js';
import type { Method, SeedResult } from './stages.js';

/** The methods in table order. */
const METHODS = ['sup', 'tt', 'ls', 'plain'] as const;
/** Display names of the methods. */
const NAMES: Record<Method, string> = {
  sup: 'supervised (stage 1)',
  tt: 'two-stage (+ residual tailoring)',
  ls: 'least squares on the residual',
  plain: 'supervised, u only',
};

/**
 * The scalars of physics/goel2026 and the rows of its `errors` series: mean ± s.e. of every method's error per
 * split, the tailoring gain per split and OOD minus ID, and the derivative-feature gap.
 */
export function summarise(
  cfg: Goel2026Config,
  done: ReadonlyArray<CellResult<{ seed: number }, SeedResult>>,
): { scalars: Scalars<Goel2026Scalar>; rows: SeriesRow[] } {
  const all = pick(done, {});
  const col = (k: `${Method}_${Split}`) => all.map((r) => r[k]);
  const scalars: Partial<Scalars<Goel2026Scalar>> = {
    seeds: cfg.seeds,
    train_size: cfg.trainSize,
    ls_clean_err: meanSem(all.map((r) => r.lsClean)).mean,
  };
  const rows: SeriesRow[] = [];
  for (const s of SPLITS) {
    for (const m of METHODS) {
      const ms = meanSem(col(`${m}_${s}`));
      putMeanSem(scalars, `err_${m}_${s}`, ms);
      rows.push({ split: SPLIT_LABEL[s], method: m, error: ms.mean, sem: ms.sem });
    }
    putMeanSem(scalars, `gain_${s}`, pairedGap(col(`sup_${s}`), col(`tt_${s}`)));
  }
  const gainId = all.map((r) => r.sup_id - r.tt_id);
  const gainOod = all.map((r) => r.sup_ood - r.tt_ood);
  putMeanSem(scalars, 'gain_ood_minus_id', pairedGap(gainOod, gainId));
  putMeanSem(scalars, 'deriv_gap', pairedGap(col('plain_id'), col('sup_id')));
  return { scalars: scalars as Scalars<Goel2026Scalar>, rows };
}

/** The `errors` table: one row per method, mean relative δ error ± s.e. on each split. */
export function errorsTable(cfg: Goel2026Config, scalars: Scalars<Goel2026Scalar>): Table {
  return table(
    'errors',
    `Mean relative error of δ (± s.e. over ${cfg.seeds} seeds), noise ${cfg.design.noise}`,
    ['method', ...SPLITS.flatMap((s) => [SPLIT_LABEL[s], '±'])],
    METHODS.map((m) => [
      NAMES[m],
      ...SPLITS.flatMap((s) => [scalars[`err_${m}_${s}`]!, scalars[`err_${m}_${s}_sem`]!]),
    ]),
  );
}
