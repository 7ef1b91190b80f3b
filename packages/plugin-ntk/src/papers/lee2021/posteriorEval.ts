import type { RunContext } from '@paperlab/core';
import { pairedGap } from '@paperlab/core/kit';
import { centredOneHot } from '../../data/centredOneHot.js';
import type { ImageSubset } from '../../data/imageSubset.js';
import { addPixelNoise } from '../../data/pixelNoise.js';
import { type Predictive, predictiveScores } from '../../inference/predictiveScores.js';
import { fcKernelsHost } from '../../kernels/fcKernel.js';
import { auroc } from '../../stats/auroc.js';
import { bootstrapSe } from '../../stats/bootstrapSe.js';
import type { Lee2021Config } from './experiment.js';
import { gpLogMarginal, predict, quadAndLogDet, spectralKernel, tpLogMarginal } from './scaleMixture.js';

/** MNIST's classes: the outputs of every posterior. */
export const CLASSES = 10;

/** Observation-noise grid, relative to the prior variance K(x, x), searched by marginal likelihood. */
export const NOISE_GRID = [1e-6, 1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1];

/** What one posterior model scores (the scalars `<model>_<figure>`). */
export type Figure = 'accuracy' | 'nll' | 'nll_shift' | 'accuracy_shift' | 'auroc' | 'variance_factor';
/** The scores of one posterior model. */
export type ModelEval = Record<Figure, number>;

/**
 * The NNGP posteriors (scale and noise by marginal likelihood; fixed, the paper's baseline) and the t-process
 * posterior on MNIST, scored on clean and pixel-noise-shifted test images and on Fashion-MNIST as OOD
 * (checkpointed); with the t-process's paired gains' standard errors and the marginal likelihood over the grid.
 */
export async function evaluatePosteriors(
  ctx: RunContext,
  cfg: Lee2021Config,
  mnist: ImageSubset,
  fashion: ImageSubset,
) {
  const [C, d] = [CLASSES, mnist.d];
  return ctx.checkpoint.cached('posterior-eval', async () => {
    const attrs = { depth: cfg.depth, sigmaW2: 2, sigmaB2: 0, activation: 'relu' as const };
    const task = ctx.progress.task('kernels and posteriors', 5);
    const kTrain = fcKernelsHost(mnist.xTrain, mnist.xTrain, d, attrs).nngp;
    const shifted = addPixelNoise(ctx.rng.split('shift'), mnist.xTest, mnist.nTest, d, cfg.shiftNoise);
    const kClean = fcKernelsHost(mnist.xTest, mnist.xTrain, d, attrs).nngp;
    const kShift = fcKernelsHost(shifted, mnist.xTrain, d, attrs).nngp;
    const kOod = fcKernelsHost(fashion.xTest, mnist.xTrain, d, attrs).nngp;
    // Every normalised input has the same prior variance K(x, x): the noise grid is relative to it.
    const kxx = fcKernelsHost(mnist.xTest.subarray(0, d), mnist.xTest.subarray(0, d), d, attrs).nngp[0]!;
    task.tick(1, 'kernels');
    const Y = centredOneHot(mnist.yTrain, C);
    const sk = spectralKernel(kTrain, mnist.nTrain, Y, C);
    task.tick(1, 'eigendecomposition');
    // NNGP with (scale, noise) by marginal likelihood; t-process noise by its own marginal likelihood.
    const gpGrid = NOISE_GRID.map((g) => ({ r: g * kxx, ...gpLogMarginal(sk, g * kxx) }));
    const bestGp = gpGrid.reduce((p, q) => (q.logMl > p.logMl ? q : p));
    const { a, b } = cfg;
    const tpGrid = NOISE_GRID.map((g) => ({ r: g * kxx, logMl: tpLogMarginal(sk, g * kxx, a, b) }));
    const bestTp = tpGrid.reduce((p, q) => (q.logMl > p.logMl ? q : p));
    const yClean = centredOneHot(mnist.yTest, C);
    const diag = new Float64Array(mnist.nTest).fill(kxx);
    /** One model: predictive (GP, or the conjugate t-process with its scale from the data), scored three ways. */
    const evalModel = (r: number, kind: 'gp' | 'tp', gpScale: number) => {
      const nc = mnist.nTrain * C;
      const tp = kind === 'tp';
      const nu = tp ? 2 * a + nc : Infinity;
      const factor = tp ? (2 * b + quadAndLogDet(sk, r).quad) / (2 * a + nc) : gpScale;
      const clean = predict(sk, r, kClean, diag);
      const shift = predictiveScores(predict(sk, r, kShift, diag), yClean, { factor, nu });
      const cleanScores = predictiveScores(clean, yClean, { factor, nu });
      const ood = predict(sk, r, kOod, diag);
      const varMult = tp && nu > 2 ? nu / (nu - 2) : 1;
      const score = (p: Predictive) => Array.from(p.variance, (v) => v * factor * varMult);
      const [oodScore, cleanScore] = [score(ood), score(clean)];
      const scores: ModelEval = {
        accuracy: cleanScores.accuracy,
        nll: cleanScores.nll,
        nll_shift: shift.nll,
        accuracy_shift: shift.accuracy,
        auroc: auroc(oodScore, cleanScore),
        variance_factor: factor * varMult,
      };
      return { scores, nllShift: shift.perPoint, oodScore, cleanScore };
    };
    task.tick(1, 'hyper-parameters');
    const ml = evalModel(bestGp.r, 'gp', bestGp.scale);
    task.tick(1, 'NNGP');
    const fixed = evalModel(cfg.fixedNoise * kxx, 'gp', 1);
    const tp = evalModel(bestTp.r, 'tp', 1);
    const evals = { nngp_ml: ml.scores, nngp_fixed: fixed.scores, tp: tp.scores };
    task.tick(1, 't-process');
    task.done();
    // The t-process's gains over the ML-tuned NNGP, paired on the same test images: NLL per image; AUROC by
    // bootstrap over (OOD, clean) image pairs.
    const aurocGap = (idx: Float64Array) => {
      const at = (v: number[]) => Array.from(idx, (i) => v[i]!);
      return auroc(at(tp.oodScore), at(tp.cleanScore)) - auroc(at(ml.oodScore), at(ml.cleanScore));
    };
    const images = Float64Array.from({ length: mnist.nTest }, (_, i) => i);
    return {
      evals,
      nllShiftGapSem: pairedGap(ml.nllShift, tp.nllShift).sem,
      aurocGapSem: bootstrapSe(ctx.rng.split('auroc-bootstrap'), images, aurocGap, 200),
      gpNoise: bestGp.r / kxx,
      gpScale: bestGp.scale,
      tpNoise: bestTp.r / kxx,
      gpLogMl: gpGrid.map((g) => g.logMl),
      tpLogMl: tpGrid.map((g) => g.logMl),
    };
  });
}
