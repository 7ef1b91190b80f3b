import type { Scalars } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { seedMeans } from '../../experiments/seedSummary.js';
import { slopeScalars, sweepScalars, widthSlope } from '../../experiments/widthSweep.js';
import type { Yang2020Scalar } from './experiment.js';
import type { ParametrisationSweep } from './parametrisationSweep.js';

/** Per width, in width order: feature movement (NTK, μP at η*), the NTK net's kernel gap, best η of μP and SP. */
export function perWidth(sw: ParametrisationSweep) {
  const { widths, lrs, etaStar, at, best, runs, ntkAt } = sw;
  const wMax = widths[widths.length - 1]!;
  const mupAt = (w: number) => at('mup', w, etaStar);
  const mupRuns = (w: number) => runs('mup', w, etaStar);
  const moveNtk = widths.map((w) => ntkAt(w).featureMove);
  const moveMup = widths.map((w) => seedMeans(mupRuns(w), ['featureMove']).featureMove);
  const kernelGaps = widths.map((w) => ntkAt(w).kernelGap);
  const bestMup = widths.map((w) => best('mup', w));
  const bestSp = widths.map((w) => best('sp', w));
  const spTuned = (i: number) => at('sp', widths[i]!, lrs[bestSp[i]!]!);
  return { wMax, mupAt, mupRuns, moveNtk, moveMup, kernelGaps, bestMup, bestSp, spTuned };
}

/** The width profile of a sweep (see {@link perWidth}). */
export type WidthProfile = ReturnType<typeof perWidth>;

/** The scalars of ntk/yang2020: slopes over width, widest-width comparisons, learning-rate transfer. */
export function transferScalars(
  sw: ParametrisationSweep,
  pw: WidthProfile,
  seeds: number,
): Scalars<Yang2020Scalar> {
  const { widths, n0, etaStar, limit, swept, ntk, ntkRuns, ntkAt } = sw;
  const { wMax, mupAt, mupRuns, moveNtk, moveMup, kernelGaps, bestMup, bestSp, spTuned } = pw;
  const perSeed = (list: ReadonlyArray<Record<string, unknown>>, f: string) =>
    list.map((r) => r[f] as number);
  const scalars: Scalars<Yang2020Scalar> = {
    ...sweepScalars(widths),
    seeds,
    eta_star: etaStar,
    acc_kernel: limit.accuracy,
    loss_kernel: limit.loss,
  };
  if (widths.length >= 2) {
    const move = (r: { featureMove: number }) => r.featureMove;
    Object.assign(
      scalars,
      slopeScalars('move_ntk', widthSlope(ntk, widths, move)),
      slopeScalars('move_mup', widthSlope(swept, widths, move, { p: 'mup', lr: etaStar })),
    );
    scalars.kernel_gap_slope = kit.logLogFit(widths, kernelGaps).slope;
  }
  const [narrowMup, wideMup] = [mupRuns(n0), mupRuns(wMax)];
  const lossRatio = kit.meanSem(
    wideMup.map((r, i) => Math.log((r.testLoss as number) / (narrowMup[i]!.testLoss as number))),
  );
  const linGap = kit.pairedGap(perSeed(ntkRuns(wMax), 'testAccuracy'), perSeed(ntkRuns(wMax), 'linAccuracy'));
  Object.assign(scalars, {
    kernel_gap_narrowest: kernelGaps[0]!,
    kernel_gap_widest: kernelGaps[kernelGaps.length - 1]!,
    acc_ntk_widest: ntkAt(wMax).testAccuracy,
    acc_lin_widest: ntkAt(wMax).linAccuracy,
    acc_ntk_lin_gap_sem: linGap.sem,
    loss_ntk_widest: ntkAt(wMax).testLoss,
    loss_mup_narrowest: mupAt(n0).testLoss,
    loss_mup_widest: mupAt(wMax).testLoss,
    loss_mup_widest_sem: kit.meanSem(perSeed(wideMup, 'testLoss')).sem,
    acc_mup_narrowest: mupAt(n0).testAccuracy,
    acc_mup_widest: mupAt(wMax).testAccuracy,
    acc_mup_widest_sem: kit.meanSem(perSeed(wideMup, 'testAccuracy')).sem,
    ...kit.withSem('loss_mup_log_ratio', lossRatio),
    ...kit.gapScalars('acc_mup_gain', perSeed(wideMup, 'testAccuracy'), perSeed(narrowMup, 'testAccuracy')),
    loss_mup_transfer_widest: mupAt(wMax).testLoss,
    best_lr_span_mup: Math.max(...bestMup) - Math.min(...bestMup),
    best_lr_drift_sp: bestSp[0]! - bestSp[bestSp.length - 1]!,
    loss_sp_tuned_widest: spTuned(widths.length - 1).testLoss,
    acc_sp_tuned_widest: spTuned(widths.length - 1).testAccuracy,
    move_ntk_widest: moveNtk[moveNtk.length - 1]!,
    move_mup_widest: moveMup[moveMup.length - 1]!,
  } satisfies Scalars<Yang2020Scalar>);

  return scalars;
}
