import { useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { lbfgs, lbfgsVariables } from './lbfgs.js';

describe('lbfgs', () => {
  beforeAll(useWasm);

  it('minimises the Rosenbrock function from (−1.2, 1) to (1, 1)', () => {
    const r = lbfgs(
      (x) => {
        const [a, b] = [x[0]!, x[1]!];
        return {
          f: (1 - a) ** 2 + 100 * (b - a * a) ** 2,
          g: Float64Array.from([-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)]),
        };
      },
      [-1.2, 1],
      { maxIter: 200 },
    );
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
    expect(r.iterations).toBeLessThan(60);
    expect(r.reason).toBe('gradient');
  });

  it('solves an ill-conditioned quadratic far faster than gradient descent could', () => {
    const n = 50;
    const diag = Float64Array.from({ length: n }, (_, i) => 10 ** ((3 * i) / (n - 1)));
    const r = lbfgs(
      (x) => {
        let f = 0;
        const g = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          f += 0.5 * diag[i]! * (x[i]! - 1) ** 2;
          g[i] = diag[i]! * (x[i]! - 1);
        }
        return { f, g };
      },
      new Float64Array(n),
      { maxIter: 300, gradTol: 1e-5 },
    );
    expect(r.reason).toBe('gradient');
    for (const v of r.x) expect(v).toBeCloseTo(1, 4);
    // Gradient descent at its best fixed step needs ~κ/2·ln(1/ε) ≈ 10⁴ steps here (κ = 1000).
    expect(r.iterations).toBeLessThan(300);
  });

  it('fits tfjs variables (least squares) and leaves them at the optimum without leaking', () => {
    const w = tf.variable(tf.zeros([2, 1]));
    const x = tf.tensor2d([1, 0, 0, 1, 1, 1, 2, 1], [4, 2]);
    const y = tf.tensor2d([1, 2, 3, 4], [4, 1]);
    const before = tf.memory().numTensors;
    const r = lbfgsVariables([w], () => tf.mean(tf.square(tf.sub(tf.matMul(x, w), y))), { maxIter: 50 });
    expect(tf.memory().numTensors).toBe(before);
    // Normal equations: w = (XᵀX)⁻¹Xᵀy = [1, 2], an exact fit (up to float32).
    const got = w.dataSync();
    expect(got[0]).toBeCloseTo(1, 4);
    expect(got[1]).toBeCloseTo(2, 4);
    expect(r.f).toBeLessThan(1e-8);
    tf.dispose([w, x, y]);
  });
});
