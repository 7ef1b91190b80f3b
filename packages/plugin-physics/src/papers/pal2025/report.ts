import type { PlotSpec, Scalars, SeriesRow, Table } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { linePlot } from '@paperlab/core/plots';
import { type CavityFlow, sampleGrid } from '../../solvers/cavity.js';
import type { Pal2025Config, Pal2025Scalar } from './experiment.js';
import { CASES, type Case, type CellResult, LABEL, STATIONS } from './pinnCells.js';

/** Finished cells of the case × seed grid. */
export type PinnDone = ReadonlyArray<kit.CellResult<{ c: Case; seed: number }, CellResult>>;

/**
 * The scalars of physics/pal2025: mean ± s.e. error per case, the paired log10 gaps (Re, Poiseuille, soft BC),
 * boundary violations, the smallest loss drop and the Ghia control.
 */
export function summarise(
  cfg: Pal2025Config,
  done: PinnDone,
  fdCells: number,
  ghia: { low: number; high: number },
): Scalars<Pal2025Scalar> {
  const errs = (c: Case) => kit.pick(done, { c }).map((r) => r.err);
  const logErr = (c: Case) => errs(c).map(Math.log10);
  const scalars: Partial<Scalars<Pal2025Scalar>> = {
    seeds: cfg.seeds,
    adam_steps: cfg.adamSteps,
    fd_cells: fdCells,
    ghia_dev_low: ghia.low,
    ghia_dev_high: ghia.high,
    bc_hard: Math.max(...done.filter((d) => d.cell.c !== 'soft').map((d) => d.result.bc)),
    bc_soft: kit.meanSem(kit.pick(done, { c: 'soft' }).map((r) => r.bc)).mean,
    loss_drop_min: Math.min(...done.map((d) => Math.log10(d.result.initialLoss / d.result.finalLoss))),
  };
  for (const c of CASES) kit.putMeanSem(scalars, `err_${c}`, kit.meanSem(errs(c)));
  kit.putMeanSem(scalars, 'gap_re', kit.pairedGap(logErr('high'), logErr('low')));
  kit.putMeanSem(scalars, 'gap_pois', kit.pairedGap(logErr('low'), logErr('pois')));
  kit.putMeanSem(scalars, 'gap_soft', kit.pairedGap(logErr('soft'), logErr('low')));
  return scalars as Scalars<Pal2025Scalar>;
}

/** The `loss` series: seed 0's loss history of every case. */
export function lossRows(done: PinnDone): SeriesRow[] {
  return done
    .filter((d) => d.cell.seed === 0)
    .flatMap((d) => d.result.history.map(([step, l]) => ({ case: LABEL[d.cell.c], step, loss: l })));
}

/** The `centreline` series: u(0.5, y) of the finite-difference reference and of seed 0's hard- and soft-BC PINNs at low Re. */
export function centrelineRows(done: PinnDone, low: CavityFlow, reLow: number): SeriesRow[] {
  return [
    ...STATIONS.map((y) => ({
      y,
      u: sampleGrid(low.n, low.u, 0.5, y),
      source: `finite differences, Re ${reLow}`,
    })),
    ...(['low', 'soft'] as const).flatMap((c) =>
      kit.pick(done, { c, seed: 0 })[0]!.centre.map((u, k) => ({
        y: STATIONS[k]!,
        u,
        source: `PINN ${c === 'low' ? 'hard' : 'soft'} BC, Re ${reLow}`,
      })),
    ),
  ];
}

/** The plots of physics/pal2025: training loss per case and the cavity centreline at low Re. */
export function pinnPlots(reLow: number): PlotSpec[] {
  return [
    linePlot({
      id: 'training-loss',
      title: 'PINN loss (seed 0): Adam, then L-BFGS',
      series: 'loss',
      x: 'step',
      y: 'loss',
      color: 'case',
      points: false,
      logY: true,
    }),
    linePlot({
      id: 'centreline',
      title: `u(0.5, y) in the cavity at Re ${reLow}`,
      series: 'centreline',
      x: 'y',
      y: 'u',
      color: 'source',
    }),
  ];
}

/** The `errors` table: per case, the velocity L2 error ± s.e. and the largest boundary violation. */
export function errorsTable(cfg: Pal2025Config, scalars: Scalars<Pal2025Scalar>, done: PinnDone): Table {
  const [reLow, reHigh] = cfg.reynolds;
  return kit.table(
    'errors',
    `Normalised velocity L2 error (mean ± s.e. over ${cfg.seeds} seeds); Re ${reLow}/${reHigh}, Poiseuille Re ${cfg.poiseuilleRe}`,
    ['case', 'L2 error', '±', 'max boundary violation'],
    CASES.map((c) => [
      LABEL[c],
      scalars[`err_${c}`]!,
      scalars[`err_${c}_sem`]!,
      Math.max(...kit.pick(done, { c }).map((r) => r.bc)),
    ]),
  );
}
