import { Rng } from '@paperlab/core';
import { checkKernelAgreement, useWasm } from '@paperlab/core/testing';
import { fit } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateBasis } from './bases.js';
import { bsplineBasis, bsplineBasisKernel } from './bspline.js';
import { Kan } from './kanLayer.js';

describe('KAN', () => {
  beforeAll(useWasm);

  it('B-spline kernel: typed-array (and WGSL where an adapter exists) agree with the tfjs reference', async () => {
    const { results, skipped } = await checkKernelAgreement(
      bsplineBasisKernel,
      bsplineBasisKernel.examples!(),
      bsplineBasisKernel.tolerance,
    );
    if (skipped.length) console.info(`[kernel agreement] skipped: ${skipped.join('; ')}`);
    console.info(
      `[kernel agreement] ${results.map((r) => `${r.backend}/${r.impl}: ${r.maxAbsError.toExponential(1)}`).join(', ')}`,
    );
    expect(results.some((r) => r.impl === 'cpu')).toBe(true);
    for (const r of results) expect(r.ok, JSON.stringify(r)).toBe(true);
    await useWasm();
  });

  it('cubic B-splines form a partition of unity inside the grid and vanish far outside', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([-0.99, -0.3, 0, 0.51, 0.999, 3], [6, 1]);
      const b = bsplineBasis(x, { grid: 5, order: 3, lo: -1, hi: 1 });
      expect(b.shape).toEqual([6, 1, 8]);
      const sums = tf.sum(b, 2).dataSync();
      for (let i = 0; i < 5; i++) expect(sums[i]).toBeCloseTo(1, 5);
      expect(sums[5]).toBe(0);
    });
  });

  it('the custom gradient of the basis equals the reference autodiff gradient', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([-0.7, 0.13, 0.42, 0.88], [2, 2]);
      const attrs = { grid: 6, order: 3, lo: -1, hi: 1 };
      const w = tf.randomNormal([2, 2, 9], 0, 1, 'float32', 1);
      const fast = tf
        .grad((v: tf.Tensor) => tf.sum(tf.mul(bsplineBasis(v as tf.Tensor2D, attrs), w)))(x)
        .dataSync();
      const ref = tf
        .grad((v: tf.Tensor) =>
          tf.sum(tf.mul(bsplineBasisKernel.reference({ x: v as tf.Tensor2D }, attrs), w)),
        )(x)
        .dataSync();
      ref.forEach((r, i) => {
        expect(fast[i]).toBeCloseTo(r, 4);
      });
    });
  });

  it('every basis family has the promised shape; a KAN fits sin(πx) far better than its initial guess', async () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.tensor2d([0.1, -0.5, 0.9], [3, 1]);
      for (const family of ['bspline', 'chebyshev', 'rbf', 'fourier', 'wavelet'] as const)
        expect(evaluateBasis(x, { family, size: 6 }).shape).toEqual([3, 1, family === 'bspline' ? 9 : 6]);
    });
    const n = 64;
    const xs = Float32Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));
    const ys = xs.map((v) => Math.sin(Math.PI * v));
    for (const kan of [
      Kan.plain([1, 4, 1], { family: 'bspline', size: 5 }, new Rng(1)),
      Kan.selectable(
        [1, 4, 1],
        [
          { family: 'bspline', size: 5 },
          { family: 'fourier', size: 4 },
        ],
        new Rng(1),
      ),
    ]) {
      const initial = tf.tidy(
        () =>
          tf
            .mean(tf.square(tf.sub(kan.forward(tf.tensor2d(xs, [n, 1])), tf.tensor2d(ys, [n, 1]))))
            .dataSync()[0]!,
      );
      const r = await fit({
        model: kan,
        data: { x: xs, y: ys, n, shape: [1], targetShape: [1] },
        loss: 'mse',
        optimizer: { type: 'adam', lr: 0.02 },
        epochs: 300,
        recordEvery: 300,
      });
      expect(initial).toBeGreaterThan(0.1);
      expect(r.loss).toBeLessThan(5e-3);
      kan.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('S-KAN: the selection penalty is positive and differentiable; pruning keeps one family per edge at its weight', () => {
    const before = tf.memory().numTensors;
    const kan = Kan.selectable(
      [2, 3, 1],
      [
        { family: 'bspline', size: 3 },
        { family: 'chebyshev', size: 4 },
        { family: 'rbf', size: 4 },
      ],
      new Rng(2),
    );
    const x = tf.tensor2d([0.1, -0.5, 0.9, 0.3, -0.7, 0.2], [3, 2]);
    const { value, grads } = tf.variableGrads(() => kan.selectionPenalty(x), kan.variables());
    expect(value.dataSync()[0]).toBeGreaterThan(0);
    // Every layer's selection logits get a gradient from the penalty.
    for (const l of kan.layers) expect(grads[(l as { logits: tf.Variable }).logits.name]).toBeDefined();
    tf.dispose([value, ...Object.values(grads)]);
    const shares = kan.prune(x);
    expect(shares).toHaveLength(2);
    for (const s of shares) expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    for (const l of kan.layers) {
      const w = tf.tidy(() => (l as { weights(): tf.Tensor3D }).weights().arraySync());
      // Every edge keeps exactly one family, with its softmax weight (1/3 at initialisation).
      for (const row of w)
        for (const edge of row) {
          expect(edge.filter((v) => v > 0)).toHaveLength(1);
          expect(Math.max(...edge)).toBeCloseTo(1 / 3, 5);
        }
    }
    x.dispose();
    kan.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
