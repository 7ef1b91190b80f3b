import { throwIfAborted } from '@paperlab/core';
import { adam } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { type LbfgsOptions, type LbfgsResult, lbfgsVariables } from '../optim/lbfgs.js';

/** Options of {@link trainPinn}. */
export interface PinnTrainOptions {
  variables: tf.Variable[];
  /** The whole loss (residuals and, for soft constraints, boundary terms). */
  loss: () => tf.Scalar;
  /** Adam steps at `lr`, multiplied by `decay.factor` every `decay.every` steps (moments restart at each stage). */
  adam: { steps: number; lr: number; decay?: { every: number; factor: number } };
  /** L-BFGS iterations after Adam (0 or absent: none). */
  lbfgs?: LbfgsOptions;
  /** Read the loss back every this many Adam steps (default 100). */
  recordEvery?: number;
  signal?: AbortSignal;
}

/** What {@link trainPinn} returns. */
export interface PinnTrainResult {
  /** Loss after every `recordEvery` Adam steps, then after each L-BFGS iteration. */
  history: Array<{ step: number; loss: number; phase: 'adam' | 'lbfgs' }>;
  initialLoss: number;
  finalLoss: number;
  lbfgs: LbfgsResult | null;
}

/**
 * The usual PINN schedule: Adam (piecewise-constant decaying rate) then L-BFGS from Adam's weights
 * (Raissi et al. 2019; Pal et al. 2025 use a rate scheduler with Adam).
 */
export function trainPinn(o: PinnTrainOptions): PinnTrainResult {
  const every = o.recordEvery ?? 100;
  const history: PinnTrainResult['history'] = [];
  const lossNow = () => tf.tidy(() => o.loss().dataSync()[0]!);
  const initialLoss = lossNow();
  const stage = o.adam.decay?.every ?? o.adam.steps;
  let opt = adam(o.adam.lr);
  try {
    for (let step = 1; step <= o.adam.steps; step++) {
      if (o.signal && step % 25 === 0) throwIfAborted(o.signal);
      if (step > 1 && (step - 1) % stage === 0) {
        opt.dispose();
        opt = adam(o.adam.lr * (o.adam.decay?.factor ?? 1) ** Math.floor((step - 1) / stage));
      }
      const value = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(o.loss, o.variables);
        opt.apply(
          o.variables,
          o.variables.map((v) => grads[v.name]!),
        );
        return step % every === 0 ? value.dataSync()[0]! : Number.NaN;
      });
      if (step % every === 0) {
        if (!Number.isFinite(value))
          throw new Error(`PINN training diverged at Adam step ${step} (loss ${value})`);
        history.push({ step, loss: value, phase: 'adam' });
      }
    }
  } finally {
    opt.dispose();
  }
  let lb: LbfgsResult | null = null;
  if (o.lbfgs && (o.lbfgs.maxIter ?? 0) > 0) {
    lb = lbfgsVariables(o.variables, o.loss, { ...o.lbfgs, ...(o.signal ? { signal: o.signal } : {}) });
    lb.history.forEach((loss, i) => {
      history.push({ step: o.adam.steps + i + 1, loss, phase: 'lbfgs' });
    });
  }
  return { history, initialLoss, finalLoss: lossNow(), lbfgs: lb };
}
