import { type Rng, throwIfAborted } from '@paperlab/core';
import { lanczos, symmetricEigenvalues } from '@paperlab/core/linalg';
import * as tf from '@tensorflow/tfjs-core';
import type { LabelledPoints } from '../data/gaussianMixture.js';
import { labelledTensors } from '../data/labelledTensors.js';
import { mlpCurvatureOperator } from './curvatureOperator.js';
import { heavyBallToTarget } from './heavyBall.js';
import {
  disposeMlpClassifier,
  initMlpClassifier,
  type MlpClassifierSpec,
  mlpClassifierVariables,
  mlpCrossEntropy,
  mlpCurvatureMatrix,
  mlpLogits,
} from './hessian.js';

/** The curvature of a trained classifier: the exact Hessian's spectrum and the top of the Gauss-Newton matrix's. */
export interface TrainedSpectrum {
  [key: string]: number | number[];
  params: number;
  steps: number;
  loss: number;
  accuracy: number;
  /** Hessian eigenvalues, descending. */
  hessian: number[];
  /** Top Ritz values of the Gauss-Newton matrix, descending. */
  gaussNewton: number[];
  /** Largest |H − Hᵀ| entry before symmetrising (float32 round-off). */
  asymmetry: number;
}

/** Options of {@link trainedSpectrum}: the MLP, heavy-ball training to a loss target, Lanczos steps. */
export interface TrainedSpectrumOptions {
  /** Hidden widths. */
  hidden: number[];
  /** Logits (at least the task's classes). */
  outputs: number;
  activation: MlpClassifierSpec['activation'];
  /** Train until the cross-entropy is ≤ lossFraction · ln(classes). */
  lossFraction: number;
  lr: number;
  momentum: number;
  maxSteps: number;
  lanczosSteps: number;
  signal: AbortSignal;
}

/**
 * Trains an MLP classifier by full-batch heavy-ball descent to a loss target, then diagonalises its exact Hessian
 * (Float64) and runs Lanczos on matrix-free Gauss-Newton products G·v (G is never formed).
 */
export function trainedSpectrum(task: LabelledPoints, o: TrainedSpectrumOptions, rng: Rng): TrainedSpectrum {
  const outputs = Math.max(o.outputs, task.classes);
  const spec: MlpClassifierSpec = { layers: [task.dim, ...o.hidden, outputs], activation: o.activation };
  const { x, y } = labelledTensors(task, outputs);
  const params = initMlpClassifier(spec, rng.split('init'));
  try {
    const target = o.lossFraction * Math.log(task.classes);
    const loss = () => mlpCrossEntropy(spec, params, x, y);
    const steps = heavyBallToTarget(loss, mlpClassifierVariables(params), { ...o, target });
    const finalLoss = tf.tidy(() => loss().dataSync()[0]!);
    const accuracy = tf.tidy(
      () =>
        tf
          .mean(tf.cast(tf.equal(tf.argMax(mlpLogits(spec, params, x), 1), tf.argMax(y, 1)), 'float32'))
          .dataSync()[0]!,
    );
    throwIfAborted(o.signal);
    const H = mlpCurvatureMatrix(spec, params, x, y, 'hessian');
    const P = H.size;
    throwIfAborted(o.signal);
    const hessian = Array.from(symmetricEigenvalues(H.data, P)).reverse();
    const G = mlpCurvatureOperator(spec, params, x, y, 'gauss-newton');
    const gaussNewton = Array.from(lanczos(G, P, o.lanczosSteps, rng.split('lanczos')).values).reverse();
    return { params: P, steps, loss: finalLoss, accuracy, hessian, gaussNewton, asymmetry: H.asymmetry };
  } finally {
    disposeMlpClassifier(params);
    tf.dispose([x, y]);
  }
}
