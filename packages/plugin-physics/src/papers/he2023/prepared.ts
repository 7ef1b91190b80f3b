import { mean } from '@paperlab/core/kit';
import type { DarcyData } from '../../operators/darcyData.js';
import { relativeErrors } from '../../operators/errors.js';

/** Normalised data: a ↦ (a − mid)/half, u ↦ u / rms(u_train) (relative errors do not change under a global scale). */
export interface Prepared {
  s: number;
  train: { n: number; a: Float32Array; u: Float32Array };
  test: { n: number; a: Float32Array; u: Float32Array };
  residual: number;
}

/** Normalises a training and a test set of Darcy problems with the training set's scale. */
export function prepare(train: DarcyData, test: DarcyData): Prepared {
  let ss = 0;
  for (const v of train.u) ss += v * v;
  const rms = Math.sqrt(ss / train.u.length);
  const na = (a: Float32Array) => a.map((v) => (v - 7.5) / 4.5);
  const nu = (u: Float32Array) => u.map((v) => v / rms);
  return {
    s: train.s,
    train: { n: train.n, a: na(train.a), u: nu(train.u) },
    test: { n: test.n, a: na(test.a), u: nu(test.u) },
    residual: Math.max(train.maxResidual, test.maxResidual),
  };
}

/** Mean relative L2 errors of the mean-field predictor (the training mean of u) on the test and training sets. */
export function meanFieldErrors(data: Prepared): { test: number; train: number } {
  const s = data.s;
  const mu = new Float32Array(s * s);
  for (let i = 0; i < data.train.n; i++)
    for (let q = 0; q < s * s; q++) mu[q] = mu[q]! + data.train.u[i * s * s + q]! / data.train.n;
  const error = ({ n, u }: Prepared['train']) => {
    const tiled = new Float32Array(n * s * s);
    for (let i = 0; i < n; i++) tiled.set(mu, i * s * s);
    return mean(relativeErrors(tiled, u, n, s).l2);
  };
  return { test: error(data.test), train: error(data.train) };
}
