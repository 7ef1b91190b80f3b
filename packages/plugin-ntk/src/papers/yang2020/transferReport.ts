import type { PlotSpec, SeriesRow, Table } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { plot } from '../../util/plots.js';
import type { ParametrisationSweep } from './parametrisationSweep.js';
import type { WidthProfile } from './transferSummary.js';

/** The plotted series (movement, accuracy and learning-rate curves per width) and the per-width table. */
export function transferReport(
  sw: ParametrisationSweep,
  pw: WidthProfile,
): { series: Record<string, SeriesRow[]>; table: Table } {
  const { widths, lrs, etaStar, limit, at, ntkAt } = sw;
  const { mupAt, moveNtk, moveMup, kernelGaps, bestMup, bestSp, spTuned } = pw;
  const kernelAcc = limit.accuracy;
  const movement: SeriesRow[] = [];
  const accuracy: SeriesRow[] = [];
  const lrCurves: SeriesRow[] = [];
  const rows = widths.map((w, i) => {
    const sp = spTuned(i);
    movement.push({ width: w, parametrisation: 'NTK', move: moveNtk[i]! });
    movement.push({ width: w, parametrisation: 'μP', move: moveMup[i]! });
    accuracy.push({ width: w, model: 'NTK param (η*)', accuracy: ntkAt(w).testAccuracy });
    accuracy.push({ width: w, model: 'μP (η*)', accuracy: mupAt(w).testAccuracy });
    accuracy.push({ width: w, model: 'SP (η tuned per width)', accuracy: sp.testAccuracy });
    accuracy.push({ width: w, model: 'NTK kernel limit', accuracy: kernelAcc });
    for (const p of ['mup', 'sp'] as const)
      for (const lr of lrs) {
        const c = at(p, w, lr);
        const curve = `${p === 'mup' ? 'μP' : 'SP'} n=${w}`;
        lrCurves.push({ lr, curve, test_loss: c.diverged ? null : Math.min(c.testLoss, 10) });
      }
    return [
      w,
      ...[moveNtk[i]!, moveMup[i]!, kernelGaps[i]!, ntkAt(w).testAccuracy].map((v) => v.toFixed(4)),
      ...[mupAt(w).testAccuracy, mupAt(w).testLoss].map((v) => v.toFixed(4)),
      lrs[bestMup[i]!]!,
      lrs[bestSp[i]!]!,
      `${sp.testAccuracy.toFixed(4)} / ${sp.testLoss.toFixed(4)}`,
    ];
  });
  const table = kit.table(
    'per-width',
    `Per width (η* = ${etaStar}; kernel-limit accuracy ${kernelAcc.toFixed(4)})`,
    [
      'width',
      'NTK feature move',
      'μP feature move',
      'NTK net vs kernel',
      'NTK acc',
      'μP acc',
      'μP test loss',
      'μP best η',
      'SP best η',
      'SP tuned acc / loss',
    ],
    rows,
  );
  return { series: { movement, accuracy, lr_sweep: lrCurves }, table };
}

/** The plots of ntk/yang2020: feature movement, accuracy and the learning-rate sweep. */
export function transferPlots(): PlotSpec[] {
  return [
    plot(
      'feature-movement',
      'Relative movement of hidden features vs width (NTK: slope −1/2; μP: flat)',
      ['movement', 'width', 'move', 'width', '‖h_T − h_0‖/‖h_0‖'],
      { color: 'parametrisation', logX: true, logY: true },
    ),
    plot(
      'accuracy-vs-width',
      'Test accuracy vs width',
      ['accuracy', 'width', 'accuracy', 'width', 'test accuracy'],
      { color: 'model', logX: true },
    ),
    plot(
      'lr-sweep',
      'Test loss vs learning rate (μP optimum stays put; SP’s moves left with width)',
      ['lr_sweep', 'lr', 'test_loss', 'η', 'test loss'],
      { color: 'curve', logX: true },
    ),
  ];
}
