import { checkKernelAgreement, useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { reluDual } from './dualActivations.js';
import { fcKernelEntry, fcKernelRecursion, fcKernelsHost } from './fcKernel.js';

function inputsFor(n: number, m: number, d: number, seed: number) {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const X = Float32Array.from({ length: n * d }, rnd);
  const Y = Float32Array.from({ length: m * d }, rnd);
  return () => {
    const x = tf.tensor2d(X, [n, d]);
    const y = tf.tensor2d(Y, [m, d]);
    const out = {
      gram: tf.div(tf.matMul(x, y, false, true), d) as tf.Tensor2D,
      diagX: tf.div(tf.sum(tf.square(x), 1), d) as tf.Tensor1D,
      diagY: tf.div(tf.sum(tf.square(y), 1), d) as tf.Tensor1D,
    };
    tf.dispose([x, y]);
    return out;
  };
}

describe('ntk/fc-kernel-recursion', () => {
  beforeAll(useWasm);

  it('ReLU dual matches known values (θ = 0 and θ = π/2)', () => {
    // Same vector: E[relu(u)²] = k/2, E[step²] = 1/2.
    expect(reluDual(2, 2, 2).k).toBeCloseTo(1, 12);
    expect(reluDual(2, 2, 2).kdot).toBeCloseTo(0.5, 12);
    // Orthogonal: E = √(k11k22)/2π, kdot = 1/4.
    expect(reluDual(1, 1, 0).k).toBeCloseTo(1 / (2 * Math.PI), 12);
    expect(reluDual(1, 1, 0).kdot).toBeCloseTo(0.25, 12);
  });

  it('depth-2 ReLU NTK has the closed form Σ¹·Σ̇² + Σ²', () => {
    const a = { depth: 2, sigmaW2: 2, sigmaB2: 0.1, activation: 'relu' as const };
    const [nngp, ntk] = fcKernelEntry(0.3, 1, 1, a);
    const s1 = 2 * 0.3 + 0.1;
    const q = 2 * 1 + 0.1;
    const d = reluDual(q, q, s1);
    expect(nngp).toBeCloseTo(2 * d.k + 0.1, 12);
    expect(ntk).toBeCloseTo(2 * d.k + 0.1 + s1 * 2 * d.kdot, 12);
  });

  for (const activation of ['relu', 'erf'] as const) {
    it(`typed-array and WGSL implementations agree with the tfjs reference (${activation})`, async () => {
      const attrs = { depth: 5, sigmaW2: activation === 'relu' ? 2 : 1.5, sigmaB2: 0.05, activation };
      const { results, skipped } = await checkKernelAgreement(
        fcKernelRecursion,
        [
          { name: '7x5 d3', inputs: inputsFor(7, 5, 3, 1), attrs },
          { name: '16x16 d8', inputs: inputsFor(16, 16, 8, 2), attrs },
        ],
        { atol: 2e-5, rtol: 2e-4 },
      );
      if (skipped.length) console.info(`[kernel agreement] skipped: ${skipped.join('; ')}`);
      expect(results.length).toBeGreaterThan(0);
      expect(results.some((r) => r.impl === 'cpu')).toBe(true);
      if (!skipped.some((s) => s.startsWith('webgpu')))
        expect(results.some((r) => r.impl === 'webgpu')).toBe(true);
      for (const r of results) expect(r.ok, JSON.stringify(r)).toBe(true);
    });
  }

  it('host Float64 kernel is symmetric and positive semi-definite on a grid', () => {
    const n = 12;
    const X = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      X[2 * i] = Math.cos((2 * Math.PI * i) / n);
      X[2 * i + 1] = Math.sin((2 * Math.PI * i) / n);
    }
    const { ntk } = fcKernelsHost(X, X, 2, { depth: 4, sigmaW2: 2, sigmaB2: 0.01, activation: 'relu' });
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) expect(ntk[i * n + j]).toBeCloseTo(ntk[j * n + i]!, 12);
    // Circulant: eigenvalues are the DFT of the first row; all must be ≥ 0.
    for (let k = 0; k < n; k++) {
      let re = 0;
      for (let j = 0; j < n; j++) re += ntk[j]! * Math.cos((2 * Math.PI * k * j) / n);
      expect(re).toBeGreaterThan(-1e-9);
    }
  });
});
