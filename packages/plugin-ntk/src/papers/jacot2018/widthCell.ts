import type { RunContext } from '@paperlab/core';
import { block, frobeniusDiff, matFrom } from '@paperlab/core/linalg';
import * as tf from '@tensorflow/tfjs-core';
import { gradientDescentMse } from '../../inference/gdMse.js';
import { fitNtkMlpMse } from '../../nets/fitNtkMlpMse.js';
import type { NtkMlpSpec } from '../../nets/ntkMlp.js';
import { disposeNtkMlp, empiricalNtkMlp, initNtkMlp, ntkMlpForward } from '../../nets/ntkMlp.js';
import { readHost } from '../../util/readHost.js';
import { relativeError } from '../../util/relativeError.js';
import type { Jacot2018Config } from './experiment.js';

// One network of ntk/jacot2018's width sweep: its empirical NTK before and after gradient descent, and its outputs
// against the analytic-kernel prediction.

/** What one network measured: kernel deviation and drift, prediction error, train loss, and both kernels. */
export type CellResult = Record<'devInit' | 'drift' | 'predErr' | 'trainLoss', number> &
  Record<'theta0' | 'thetaT', number[]>;

/** The network of the sweep at a given width (the config also carries the analytic kernel's attributes). */
export const netSpec = (c: Jacot2018Config, width: number): NtkMlpSpec => {
  const { depth, sigmaW2, sigmaB2, activation } = c;
  return { inputDim: 2, width, depth, sigmaW2, sigmaB2, activation };
};

/** The points (test first, then training), the analytic NTK on them, and the training targets. */
export type Setup = { z2d: tf.Tensor2D; thetaAnalytic: Float64Array; yTrain: Float64Array };

/**
 * One network: its empirical NTK at initialisation, full-batch GD on the training points, the NTK after training,
 * and the trained test outputs against the analytic-kernel GD prediction from this network's own f₀.
 */
export function runCell(
  ctx: RunContext,
  cfg: Jacot2018Config,
  width: number,
  seed: number,
  at: Setup,
): CellResult {
  const { z2d, thetaAnalytic, yTrain } = at;
  const nT = cfg.nTest;
  const N = nT + cfg.nTrain;
  const spec = netSpec(cfg, width);
  const params = initNtkMlp(spec, ctx.rng.split(`net-w${width}-s${seed}`));
  try {
    const theta0 = readHost(empiricalNtkMlp(spec, params, z2d));
    const f0 = readHost(ntkMlpForward(spec, params, z2d));
    const xTrain = tf.slice(z2d, [nT, 0], [cfg.nTrain, 2]) as tf.Tensor2D;
    const fit = { lr: cfg.lr, steps: cfg.steps, signal: ctx.signal };
    const loss = fitNtkMlpMse(spec, params, xTrain, yTrain, fit);
    xTrain.dispose();
    const thetaT = readHost(empiricalNtkMlp(spec, params, z2d));
    const fT = readHost(ntkMlpForward(spec, params, z2d));
    const K = matFrom(N, N, thetaAnalytic);
    const [kTrainTrain, kTestTrain] = [block(K, nT, N, nT, N), block(K, 0, nT, nT, N)];
    const [f0Train, f0Test, fTtest] = [f0.slice(nT), f0.slice(0, nT), fT.slice(0, nT)];
    const pred = gradientDescentMse(
      { kTrainTrain, kTestTrain, yTrain, f0Train, f0Test, lr: cfg.lr },
      { steps: cfg.steps },
    );
    return {
      devInit: relativeError(theta0, thetaAnalytic),
      drift: relativeError(thetaT, theta0),
      predErr: frobeniusDiff(fTtest, pred.test) / Math.max(frobeniusDiff(fTtest, f0Test), 1e-12),
      trainLoss: loss,
      theta0: Array.from(theta0),
      thetaT: Array.from(thetaT),
    };
  } finally {
    disposeNtkMlp(params);
  }
}
