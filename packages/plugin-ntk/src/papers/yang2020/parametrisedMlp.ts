import { type Rng, throwIfAborted } from '@paperlab/core';
import { type Mat, matFrom } from '@paperlab/core/linalg';
import { ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { reluDual } from '../../kernels/dualActivations.js';

/** The three parametrisations compared by Yang & Hu (2020), all written relative to a base width n₀. */
export type Parametrisation = 'sp' | 'ntk' | 'mup';

/**
 * Per-layer initial standard deviation and SGD learning-rate multiplier of a 1-hidden-layer MLP
 * f(x) = W₂ᵀ ReLU(W₁ᵀx) (weights used as they are, "SP form"; abc-equivalent to multipliers). At n = n₀ the three
 * coincide (so one learning rate tuned at n₀ is comparable); away from it:
 * SP: var(W₁) = 1/d, var(W₂) = 1/n, lr η for both;
 * NTK: same init, lr η for W₁ and η·n₀/n for W₂ (W = w/√fan_in with one lr on w, up to a width-free constant);
 * μP: var(W₂) = n₀/n², lr η·n/n₀ for W₁ and η·n₀/n for W₂ (Tensor Programs IV/V table for SGD).
 */
export function layerScales(
  p: Parametrisation,
  d: number,
  n: number,
  n0: number,
): { std: [number, number]; lr: [number, number] } {
  const std1 = Math.sqrt(1 / d);
  if (p === 'sp') return { std: [std1, Math.sqrt(1 / n)], lr: [1, 1] };
  if (p === 'ntk') return { std: [std1, Math.sqrt(1 / n)], lr: [1, n0 / n] };
  return { std: [std1, Math.sqrt(n0) / n], lr: [n / n0, n0 / n] };
}

/** Result of one training run. */
export interface MlpRun {
  [key: string]: number | number[] | boolean;
  diverged: boolean;
  trainLoss: number;
  testLoss: number;
  testAccuracy: number;
  /** ‖h_T − h_0‖_F/‖h_0‖_F of the hidden features on the training inputs. */
  featureMove: number;
  /** Test outputs before and after training, [m, C] row-major. */
  f0Test: number[];
  fTest: number[];
  f0Train: number[];
}

/** Options of {@link trainMlp}. */
export interface TrainMlpOptions {
  parametrisation: Parametrisation;
  width: number;
  baseWidth: number;
  lr: number;
  steps: number;
  keepOutputs: boolean;
}

/**
 * Full-batch gradient descent on (1/2N)Σ‖f(x) − y‖² for a 1-hidden-layer ReLU MLP with the parametrisation's
 * per-layer init and learning rates. Weights are drawn with the run's Rng; diverging runs stop early.
 */
export function trainMlp(
  rng: Rng,
  signal: AbortSignal,
  data: {
    xTrain: tf.Tensor2D;
    yTrain: tf.Tensor2D;
    xTest: tf.Tensor2D;
    yTestLabels: Int32Array;
    yTest: tf.Tensor2D;
  },
  o: TrainMlpOptions,
): MlpRun {
  const d = data.xTrain.shape[1];
  const C = data.yTrain.shape[1];
  const N = data.xTrain.shape[0];
  const { std, lr } = layerScales(o.parametrisation, d, o.width, o.baseWidth);
  const W1 = ownedVariable(tf.tensor2d(rng.split('W1').normals(d * o.width, 0, std[0]), [d, o.width]));
  const W2 = ownedVariable(tf.tensor2d(rng.split('W2').normals(o.width * C, 0, std[1]), [o.width, C]));
  const forward = (x: tf.Tensor2D) => tf.matMul(tf.relu(tf.matMul(x, W1)), W2);
  const features = () => tf.relu(tf.matMul(data.xTrain, W1));
  try {
    const h0 = tf.tidy(features);
    const read = (x: tf.Tensor2D) => {
      const f = tf.tidy(() => forward(x));
      const v = Array.from(f.dataSync());
      f.dispose();
      return v;
    };
    const f0Test = o.keepOutputs ? read(data.xTest) : [];
    const f0Train = o.keepOutputs ? read(data.xTrain) : [];
    let diverged = false;
    let trainLoss = Number.NaN;
    for (let t = 0; t < o.steps; t++) {
      if (t % 16 === 0) throwIfAborted(signal);
      const loss = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(
          () => tf.div(tf.sum(tf.square(tf.sub(forward(data.xTrain), data.yTrain))), 2 * N) as tf.Scalar,
          [W1, W2],
        );
        W1.assign(tf.sub(W1, tf.mul(o.lr * lr[0], grads[W1.name]!)));
        W2.assign(tf.sub(W2, tf.mul(o.lr * lr[1], grads[W2.name]!)));
        return value;
      });
      if (t % 25 === 0 || t === o.steps - 1) {
        trainLoss = loss.dataSync()[0]!;
        if (!Number.isFinite(trainLoss) || trainLoss > 1e4) diverged = true;
      }
      loss.dispose();
      if (diverged) break;
    }
    const { testLoss, testAccuracy, fTest, move } = tf.tidy(() => {
      const f = forward(data.xTest);
      const tl = tf.div(tf.sum(tf.square(tf.sub(f, data.yTest))), 2 * data.xTest.shape[0]).dataSync()[0]!;
      const pred = tf.argMax(f, 1).dataSync();
      let correct = 0;
      for (let i = 0; i < pred.length; i++) if (pred[i] === data.yTestLabels[i]) correct++;
      const h = features();
      const mv = tf.div(tf.norm(tf.sub(h, h0)), tf.norm(h0)).dataSync()[0]!;
      return {
        testLoss: tl,
        testAccuracy: correct / pred.length,
        fTest: o.keepOutputs ? Array.from(f.dataSync()) : [],
        move: mv,
      };
    });
    h0.dispose();
    return {
      diverged: diverged || !Number.isFinite(testLoss),
      trainLoss: Number.isFinite(trainLoss) ? trainLoss : 1e9,
      testLoss: Number.isFinite(testLoss) ? testLoss : 1e9,
      testAccuracy: diverged ? 1 / C : testAccuracy,
      featureMove: Number.isFinite(move) ? move : 1e9,
      f0Test,
      fTest,
      f0Train,
    };
  } finally {
    W1.dispose();
    W2.dispose();
  }
}

/**
 * The infinite-width NTK of the NTK-parametrised net (per-layer learning rates included): with ‖x‖² = d and
 * u = W₁ᵀx ~ N(0, 1), Θ(x, x′) = η·[n₀·E[ReLU(u)ReLU(u′)] + d·ρ·E[ReLU′(u)ReLU′(u′)]], ρ = x·x′/d.
 */
export function analyticNtk(xa: Float32Array, xb: Float32Array, d: number, n0: number, eta: number): Mat {
  const na = xa.length / d;
  const nb = xb.length / d;
  const out = new Float64Array(na * nb);
  for (let i = 0; i < na; i++)
    for (let j = 0; j < nb; j++) {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += xa[i * d + k]! * xb[j * d + k]!;
      const rho = Math.max(-1, Math.min(1, dot / d));
      const dual = reluDual(1, 1, rho);
      out[i * nb + j] = eta * (n0 * dual.k + d * rho * dual.kdot);
    }
  return matFrom(na, nb, out);
}
