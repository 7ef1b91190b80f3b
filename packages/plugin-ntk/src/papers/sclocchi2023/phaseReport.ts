import type { PlotSpec, SeriesRow, Table } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { heatmapPlot } from '@paperlab/core/plots';
import { plot } from '../../util/plots.js';
import type { crossoverScalars } from './crossover.js';
import type { PhaseGrid } from './phaseGrid.js';

/** What the report of ntk/sclocchi2023 shows besides the grid: the T_c fits and the α → ∞ errors. */
export interface PhaseReportInputs {
  crossover: Omit<ReturnType<typeof crossoverScalars>, 'scalars'>;
  /** Mean test error of the NTK machines (each seed's own NTK at init) and of full-batch GD. */
  ntkError: number | undefined;
  gdError: number | undefined;
  seeds: number;
}

/** Series, plots and tables of ntk/sclocchi2023: the (α, T) phase diagram, the lazy net's weight change, T_c(P). */
export function phaseReport(
  grid: PhaseGrid,
  { crossover, ntkError, gdError, seeds }: PhaseReportInputs,
): { series: Record<string, SeriesRow[]>; plots: PlotSpec[]; tables: Table[] } {
  const { ts, alphas, sizes, P0, aLazy, ntk, at, err, fitted, change } = grid;
  const { tcOf, base, threshold } = crossover;
  const phase: SeriesRow[] = [];
  const phaseTable = alphas.map((alpha) => [
    alpha,
    ...ts.map((T) => {
      const list = at(alpha, T, P0);
      const e = err(list);
      const ok = fitted(list);
      phase.push({ alpha: String(alpha), T: String(T), test_error: ok ? e : null });
      return ok
        ? `${e.toFixed(4)}`
        : list.some((c) => c.diverged)
          ? 'diverged'
          : `${e.toFixed(3)} (not fitted)`;
    }),
  ]);
  const weight = kit.grid({ P: sizes, T: ts }).map(({ P, T }) => ({
    P: `P=${P}`,
    T,
    weight_change: change(T, P),
  }));
  const tcRows = sizes.map((P, i) => ({ P, Tc: Number.isFinite(tcOf.excess[i]!) ? tcOf.excess[i]! : null }));
  return {
    series: { phase, weight_change: weight, tc: tcRows },
    plots: [
      heatmapPlot({
        id: 'phase-diagram',
        title: `Test error over (α, T), P = ${P0} (blank: not fitted / diverged)`,
        series: 'phase',
        x: 'T',
        y: 'alpha',
        value: 'test_error',
      }),
      plot(
        'weight-change',
        `Lazy net (α = ${aLazy}): relative weight change vs T`,
        ['weight_change', 'T', 'weight_change', 'T = η/B', '‖w − w₀‖/‖w₀‖'],
        { color: 'P', logX: true, logY: true },
      ),
      plot(
        'tc-vs-p',
        'Crossover temperature T_c vs P (noise-driven excess reaching a fixed scale)',
        ['tc', 'P', 'Tc', 'P', 'T_c'],
        { logX: true, logY: true },
      ),
    ],
    tables: [
      kit.table(
        'phase',
        `Test error (mean over ${seeds} seeds), P = ${P0}; NTK machine ${kit.fmt(ntkError, 4)} (infinite width ${kit.fmt(ntk.testError, 4)}), full-batch GD ${kit.fmt(gdError, 4)}`,
        ['α \\ T', ...ts.map(String)],
        phaseTable,
      ),
      kit.table(
        'weight-change',
        `Lazy net α = ${aLazy}: T_c by definition (relative: own low-T change doubles; total: reaches ${threshold.toExponential(2)}; excess over the low-T change reaches ${base.toExponential(2)}) and ‖w − w₀‖/‖w₀‖ per T`,
        ['P', 'T_c relative', 'T_c total', 'T_c excess', ...ts.map((T) => `T=${T}`)],
        sizes.map((P, i) => [
          P,
          ...(['relative', 'total', 'excess'] as const).map((d) => {
            const t = tcOf[d][i]!;
            return Number.isFinite(t) ? t.toFixed(4) : '—';
          }),
          ...ts.map((T) => change(T, P).toExponential(2)),
        ]),
      ),
    ],
  };
}
