import { Rng } from '@paperlab/core';
import { useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { labelledTensors } from '../data/labelledTensors.js';
import {
  disposeMlpClassifier,
  initMlpClassifier,
  type MlpClassifierSpec,
  mlpClassifierVariables,
  mlpCrossEntropy,
  mlpCurvatureMatrix,
  mlpLogits,
  mlpParamCount,
} from './hessian.js';

function data(n: number, d: number, k: number, rng: Rng) {
  const labels = Int32Array.from({ length: n }, (_, i) => i % k);
  return labelledTensors({ x: Float32Array.from(rng.normals(n * d)), labels, dim: d, classes: k });
}

/** Flattened gradient of the loss at parameters shifted by `shift` (same order as the curvature routines). */
function gradAt(
  spec: MlpClassifierSpec,
  rng: Rng,
  shift: Float32Array,
  x: tf.Tensor2D,
  y: tf.Tensor2D,
): Float64Array {
  const params = initMlpClassifier(spec, rng);
  const vars = mlpClassifierVariables(params);
  let off = 0;
  for (const v of vars) {
    const sz = v.size;
    const add = tf.tensor(shift.subarray(off, off + sz), v.shape);
    v.assign(tf.add(v, add));
    add.dispose();
    off += sz;
  }
  const { grads, value } = tf.variableGrads(() => mlpCrossEntropy(spec, params, x, y), vars);
  const flat = Float64Array.from(
    tf.tidy(() => tf.concat(vars.map((v) => tf.reshape(grads[v.name]!, [-1])))).dataSync(),
  );
  tf.dispose([value, ...Object.values(grads)]);
  disposeMlpClassifier(params);
  return flat;
}

describe('MLP curvature products', () => {
  beforeAll(useWasm);

  it('the Hessian equals central differences of the exact gradient (tanh, 2 hidden layers)', () => {
    const spec: MlpClassifierSpec = { layers: [3, 4, 3, 3], activation: 'tanh' };
    const P = mlpParamCount(spec);
    expect(P).toBe(4 * 4 + 5 * 3 + 4 * 3);
    const rng = new Rng(11);
    const { x, y } = data(7, 3, 3, rng.split('data'));
    const before = tf.memory().numTensors;
    const params = initMlpClassifier(spec, rng.split('net'));
    const H = mlpCurvatureMatrix(spec, params, x, y, 'hessian', 16);
    disposeMlpClassifier(params);
    expect(tf.memory().numTensors).toBe(before);
    expect(H.asymmetry).toBeLessThan(1e-5);
    const eps = 1e-2;
    let err = 0;
    let norm = 0;
    for (const j of [0, 5, 13, 20, 31, 40, P - 1]) {
      const e = new Float32Array(P);
      e[j] = eps;
      const gp = gradAt(spec, rng.split('net'), e, x, y);
      e[j] = -eps;
      const gm = gradAt(spec, rng.split('net'), e, x, y);
      for (let i = 0; i < P; i++) {
        const fd = (gp[i]! - gm[i]!) / (2 * eps);
        err += (fd - H.data[i * P + j]!) ** 2;
        norm += fd * fd;
      }
    }
    expect(Math.sqrt(err / norm)).toBeLessThan(2e-3);
    tf.dispose([x, y]);
  });

  it('the Gauss-Newton matrix equals Σ JᵀH_ℓJ/N from explicit Jacobians; it is PSD and differs from H', () => {
    const spec: MlpClassifierSpec = { layers: [2, 5, 3], activation: 'relu' };
    const P = mlpParamCount(spec);
    const rng = new Rng(3);
    const n = 5;
    const k = 3;
    const { x, y } = data(n, 2, k, rng.split('data'));
    const params = initMlpClassifier(spec, rng.split('net'));
    const vars = mlpClassifierVariables(params);
    const G = mlpCurvatureMatrix(spec, params, x, y, 'gauss-newton', 7);
    const H = mlpCurvatureMatrix(spec, params, x, y, 'hessian', 64);
    const p = tf.tidy(() => tf.softmax(mlpLogits(spec, params, x)).arraySync() as number[][]);
    const ref = new Float64Array(P * P);
    for (let i = 0; i < n; i++) {
      const J: Float64Array[] = [];
      for (let c = 0; c < k; c++) {
        const { grads, value } = tf.variableGrads(
          () =>
            tf.sum(
              tf.mul(mlpLogits(spec, params, x), tf.reshape(tf.oneHot([i * k + c], n * k), [n, k])),
            ) as tf.Scalar,
          vars,
        );
        J.push(
          Float64Array.from(
            tf.tidy(() => tf.concat(vars.map((v) => tf.reshape(grads[v.name]!, [-1])))).dataSync(),
          ),
        );
        tf.dispose([value, ...Object.values(grads)]);
      }
      const pi = p[i]!;
      for (let c = 0; c < k; c++)
        for (let c2 = 0; c2 < k; c2++) {
          const h = (c === c2 ? pi[c]! : 0) - pi[c]! * pi[c2]!;
          for (let a = 0; a < P; a++)
            for (let b = 0; b < P; b++) ref[a * P + b]! += (h * J[c]![a]! * J[c2]![b]!) / n;
        }
    }
    let err = 0;
    let norm = 0;
    let diffHG = 0;
    for (let i = 0; i < P * P; i++) {
      err += (ref[i]! - G.data[i]!) ** 2;
      norm += ref[i]! ** 2;
      diffHG += (H.data[i]! - G.data[i]!) ** 2;
    }
    expect(Math.sqrt(err / norm)).toBeLessThan(1e-5);
    expect(Math.sqrt(diffHG / norm)).toBeGreaterThan(1e-2);
    disposeMlpClassifier(params);
    tf.dispose([x, y]);
  });
});
