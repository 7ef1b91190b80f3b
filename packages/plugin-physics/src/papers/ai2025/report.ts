import type { PlotSpec, Scalars, SeriesRow, Table } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { linePlot } from '@paperlab/core/plots';
import { type Band, type CellResult, METHODS, type Method, NAME } from './discriminators.js';
import type { Ai2025Config, Ai2025Scalar } from './experiment.js';

/** Finished cells of the rate × seed grid. */
export type RateDone = ReadonlyArray<kit.CellResult<{ factor: number; seed: number }, CellResult>>;

/** One accuracy per seed at a decimation factor. */
const at = (done: RateDone, factor: number, k: `${Method}_${Band}`) =>
  kit.pick(done, { factor }).map((r) => r[k]);

/**
 * The scalars of physics/ai2025: mean accuracies at the full and the coarsest rate, the paired low-energy gaps of
 * the linear model over CC and FGA at the coarsest rate, the drop gap, and the worst high-energy accuracy.
 */
export function summarise(
  cfg: Ai2025Config,
  done: RateDone,
  factors: readonly number[],
): Scalars<Ai2025Scalar> {
  const [full, coarse] = [factors[0]!, factors[factors.length - 1]!];
  const scalars: Partial<Scalars<Ai2025Scalar>> = { seeds: cfg.seeds, coarse_factor: coarse / full };
  for (const m of METHODS)
    for (const b of ['low', 'high'] as const) {
      scalars[`acc_${m}_${b}_full`] = kit.meanSem(at(done, full, `${m}_${b}`)).mean;
      scalars[`acc_${m}_${b}_coarse`] = kit.meanSem(at(done, coarse, `${m}_${b}`)).mean;
    }
  for (const c of ['cc', 'fga'] as const)
    kit.putMeanSem(
      scalars,
      `gap_${c}`,
      kit.pairedGap(at(done, coarse, 'lin_low'), at(done, coarse, `${c}_low`)),
    );
  const drop = (k: `${Method}_${Band}`) => at(done, full, k).map((v, i) => v - at(done, coarse, k)[i]!);
  kit.putMeanSem(scalars, 'drop_gap', kit.pairedGap(drop('cc_low'), drop('lin_low')));
  scalars.high_min = Math.min(...METHODS.map((m) => scalars[`acc_${m}_high_full`]!));
  return scalars as Scalars<Ai2025Scalar>;
}

/** The `accuracy` series: mean ± s.e. accuracy per rate, method and band. */
export function accuracyRows(done: RateDone, factors: readonly number[]): SeriesRow[] {
  return factors.flatMap((factor) =>
    METHODS.flatMap((m) =>
      (['low', 'high'] as const).map((b) => {
        const ms = kit.meanSem(at(done, factor, `${m}_${b}`));
        return { rate: 1000 / factor, method: NAME[m], band: b, accuracy: ms.mean, sem: ms.sem };
      }),
    ),
  );
}

/** The plot of physics/ai2025: low-energy accuracy against the sampling rate. */
export function lowEnergyPlot(): PlotSpec {
  return linePlot({
    id: 'low-energy',
    title: 'Low-energy accuracy vs sampling rate (simulated pulses)',
    series: 'low',
    x: 'rate',
    y: 'accuracy',
    color: 'method',
    errorBar: 'sem',
    logX: true,
    xTitle: 'MS/s',
  });
}

/** The `accuracy` table: per rate, every method's mean accuracy in both bands. */
export function accuracyTable(cfg: Ai2025Config, done: RateDone, factors: readonly number[]): Table {
  return kit.table(
    'accuracy',
    `Accuracy (mean over ${cfg.seeds} seeds), low band ${cfg.low[0]}–${cfg.low[1]} keVee, high band ${cfg.high[0]}–${cfg.high[1]} keVee`,
    ['MS/s', ...METHODS.flatMap((m) => [`${NAME[m]} (low)`, `${NAME[m]} (high)`])],
    factors.map((factor) => [
      1000 / factor,
      ...METHODS.flatMap((m) => [
        kit.meanSem(at(done, factor, `${m}_low`)).mean,
        kit.meanSem(at(done, factor, `${m}_high`)).mean,
      ]),
    ]),
  );
}
