import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { symmetricEigenvalues } from '../linalg/eigvalsh.js';
import { Rng } from '../rng/rng.js';
import { onBackendWithoutLeaks } from '../testing/backends.js';
import {
  hessianVectorProduct,
  hutchinsonTrace,
  type ParamLoss,
  topHessianEigenvalues,
} from '../train/hessian.js';
import { softmaxCrossEntropy } from '../train/losses.js';

/** Softmax regression: its cross-entropy Hessian in W is (1/N) Σ_n (diag p_n − p_n p_nᵀ) ⊗ x_n x_nᵀ. */
function problem(n: number, d: number, k: number, seed: number) {
  const rng = new Rng(seed);
  const xs = rng.normals(n * d);
  const w = rng.normals(d * k, 0, 0.7);
  const labels = Int32Array.from({ length: n }, (_, i) => i % k);
  const x = tf.tensor2d(xs, [n, d]);
  const y = tf.tensor1d(labels, 'int32');
  const loss: ParamLoss = ([W]) => softmaxCrossEntropy(tf.matMul(x, W as tf.Tensor2D), y);
  // Closed-form Hessian, index (i, c) = i·k + c (row-major W).
  const P = d * k;
  const H = new Float64Array(P * P);
  for (let s = 0; s < n; s++) {
    const z = Array.from({ length: k }, (_, c) => {
      let v = 0;
      for (let i = 0; i < d; i++) v += xs[s * d + i]! * w[i * k + c]!;
      return v;
    });
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const tot = e.reduce((a, b) => a + b, 0);
    const p = e.map((v) => v / tot);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++)
        for (let c = 0; c < k; c++)
          for (let c2 = 0; c2 < k; c2++) {
            const a = xs[s * d + i]! * xs[s * d + j]! * ((c === c2 ? p[c]! : 0) - p[c]! * p[c2]!);
            H[(i * k + c) * P + j * k + c2]! += a / n;
          }
  }
  return { W: tf.tensor2d(w, [d, k]), loss, H, P, dispose: () => tf.dispose([x, y]) };
}

describe('Hessian tools (finite-difference products), leak-free', () => {
  onBackendWithoutLeaks('wasm');

  it('H·v matches the closed-form softmax-regression Hessian', () => {
    const pr = problem(40, 5, 3, 1);
    const vRaw = new Rng(2).normals(pr.P);
    const v = tf.tensor2d(vRaw, [5, 3]);
    const [hv] = hessianVectorProduct(pr.loss, [pr.W], [v]);
    const got = hv!.dataSync();
    let err = 0;
    let norm = 0;
    for (let a = 0; a < pr.P; a++) {
      let want = 0;
      for (let b = 0; b < pr.P; b++) want += pr.H[a * pr.P + b]! * vRaw[b]!;
      err += (got[a]! - want) ** 2;
      norm += want ** 2;
    }
    expect(Math.sqrt(err / norm)).toBeLessThan(1e-2);
    tf.dispose([hv!, v, pr.W]);
    pr.dispose();
  });

  it('Hutchinson trace and power iteration agree with the exact trace and top eigenvalue', () => {
    const pr = problem(30, 4, 3, 3);
    let trace = 0;
    for (let a = 0; a < pr.P; a++) trace += pr.H[a * pr.P + a]!;
    const est = hutchinsonTrace(pr.loss, [pr.W], new Rng(4), { samples: 200 });
    expect(Math.abs(est.trace[0]! - trace)).toBeLessThan(4 * est.sem[0]! + 1e-3 * trace);
    expect(est.sem[0]!).toBeLessThan(0.2 * trace);
    const top = Math.max(...symmetricEigenvalues(pr.H, pr.P));
    const [lambda] = topHessianEigenvalues(pr.loss, [pr.W], new Rng(5), { iterations: 100, tol: 1e-6 });
    expect(Math.abs(lambda! - top) / top).toBeLessThan(2e-2);
    pr.W.dispose();
    pr.dispose();
  });

  it('per-block traces sum to the whole trace (blocks of parameter tensors)', () => {
    const pr = problem(20, 4, 2, 6);
    const b = tf.zeros([2]);
    const x = tf.tensor2d(new Rng(7).normals(20 * 4), [20, 4]);
    const y = tf.tensor1d(
      Int32Array.from({ length: 20 }, (_, i) => i % 2),
      'int32',
    );
    const loss: ParamLoss = ([W, bias]) =>
      softmaxCrossEntropy(tf.add(tf.matMul(x, W as tf.Tensor2D), bias!), y);
    const split = hutchinsonTrace(loss, [pr.W, b], new Rng(8), { samples: 8 });
    const joint = hutchinsonTrace(loss, [pr.W, b], new Rng(8), { samples: 8, blocks: [[0, 1]] });
    expect(split.trace[0]! + split.trace[1]!).toBeCloseTo(joint.trace[0]!, 4);
    // Per-block probes estimate the same traces with less variance for the small (bias) block.
    const per = hutchinsonTrace(loss, [pr.W, b], new Rng(9), { samples: 64, probe: 'per-block' });
    const many = hutchinsonTrace(loss, [pr.W, b], new Rng(10), { samples: 64 });
    expect(Math.abs(per.trace[1]! - many.trace[1]!)).toBeLessThan(3 * (per.sem[1]! + many.sem[1]!) + 1e-6);
    expect(per.sem[1]!).toBeLessThan(many.sem[1]!);
    tf.dispose([pr.W, b, x, y]);
    pr.dispose();
  });
});
