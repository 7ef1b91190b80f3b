import { Rng } from '@paperlab/core';
import { onBackendWithoutLeaks } from '@paperlab/core/testing';
import { fit, type LayerSpec } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  CompressNet,
  distillationLoss,
  expectedCalibrationError,
  layerHessianTraces,
  layerTopEigenvalues,
  progressiveAlpha,
  progressiveTargets,
  RandomSubspace,
  smoothedTargets,
  softTargetLoss,
  subspaceTrainee,
} from '../index.js';
import { readAndDispose } from './setup.js';

const mlp: LayerSpec[] = [
  { type: 'dense', units: 8, activation: 'relu' },
  { type: 'dense', units: 3 },
];

function scalar(t: tf.Tensor): number {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
}

/** Three Gaussian blobs in 4-D. */
function blobs(n: number, seed: number) {
  const rng = new Rng(seed);
  const y = Int32Array.from({ length: n }, (_, i) => i % 3);
  const x = new Float32Array(n * 4);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < 4; j++) x[i * 4 + j] = rng.normal() * 0.7 + (j === y[i] ? 2 : 0);
  return { x, y, n, shape: [4], classes: 3 };
}

describe('distillation, subspaces, Hessians on CompressNet', () => {
  onBackendWithoutLeaks();

  it('soft-target loss is zero for equal logits and grows with disagreement; KD mixes CE and KL', () => {
    const a = tf.tensor2d([
      [1, 2, 0],
      [0, -1, 3],
    ]);
    const b = tf.tensor2d([
      [2, 0, 1],
      [3, 0, -1],
    ]);
    expect(scalar(softTargetLoss(a, a, 4))).toBeCloseTo(0, 6);
    expect(scalar(softTargetLoss(a, b, 4))).toBeGreaterThan(0.01);
    const y = tf.tensor1d([1, 2], 'int32');
    const ce = scalar(distillationLoss(a, y, b, { alpha: 1, temperature: 4 }));
    expect(ce).toBeCloseTo(
      -(
        Math.log(Math.exp(2) / (Math.exp(1) + Math.exp(2) + 1)) +
        Math.log(Math.exp(3) / (1 + Math.exp(-1) + Math.exp(3)))
      ) / 2,
      5,
    );
    tf.dispose([a, b, y]);
  });

  it('progressive and smoothed targets are distributions; α grows linearly to α_T; ECE', () => {
    expect(progressiveAlpha(5, 10, 0.8)).toBeCloseTo(0.4);
    const t = progressiveTargets(
      Int32Array.from([0, 2]),
      Float32Array.from([0.2, 0.5, 0.3, 0.1, 0.1, 0.8]),
      3,
      0.5,
    );
    expect(Array.from(t).map((v) => +v.toFixed(4))).toEqual([0.6, 0.25, 0.15, 0.05, 0.05, 0.9]);
    const s = smoothedTargets(Int32Array.from([1]), 4, 0.2);
    expect(Array.from(s).map((v) => +v.toFixed(4))).toEqual([0.05, 0.85, 0.05, 0.05]);
    // Two examples at confidence 0.9, one right: |0.5 − 0.9| = 0.4.
    const ece = expectedCalibrationError(Float32Array.from([0.9, 0.1, 0.1, 0.9]), Int32Array.from([0, 0]), 2);
    expect(ece).toBeCloseTo(0.4, 6);
    // Perfectly calibrated: confidence 1, always right.
    expect(expectedCalibrationError(Float32Array.from([1, 0, 0, 1]), Int32Array.from([0, 1]), 2)).toBe(0);
  });

  it('random subspace: regenerated from its seed, nested rows, unit rows; training in it lowers the loss', async () => {
    const s1 = RandomSubspace.generate(50, 6, 7);
    const s2 = RandomSubspace.generate(50, 6, 7);
    const s3 = RandomSubspace.generate(50, 3, 7);
    const dense = (s: RandomSubspace) => readAndDispose(s.dense());
    const p1 = dense(s1);
    expect(Array.from(dense(s2))).toEqual(Array.from(p1));
    expect(Array.from(dense(s3))).toEqual(Array.from(p1.subarray(0, 150)));
    // Sparse rows: unit length, ≈ √D non-zeros, nested too; the offset is Pᵀθ_d.
    const sp = RandomSubspace.generate(49, 5, 7, 'sparse');
    const ps = dense(sp);
    for (let i = 0; i < 5; i++) {
      const row = ps.subarray(i * 49, (i + 1) * 49);
      expect(row.filter((v) => v !== 0).length).toBe(7);
      expect(row.reduce((a, v) => a + v * v, 0)).toBeCloseTo(1, 5);
    }
    const sp3 = RandomSubspace.generate(49, 3, 7, 'sparse');
    expect(Array.from(dense(sp3))).toEqual(Array.from(ps.subarray(0, 147)));
    const th = tf.tensor1d([0.5, -1, 2, 0, 1]);
    const off = sp.offset(th);
    const o = off.dataSync();
    for (let j = 0; j < 49; j++) {
      let want = 0;
      for (let i = 0; i < 5; i++) want += ps[i * 49 + j]! * th.dataSync()[i]!;
      expect(o[j]).toBeCloseTo(want, 5);
    }
    tf.dispose([th, off]);
    sp.dispose();
    sp3.dispose();
    let n0 = 0;
    for (let j = 0; j < 50; j++) n0 += p1[j]! ** 2;
    expect(n0).toBeCloseTo(1, 5);
    expect(s1.storedBytes()).toBe(4 * 6 + 8);
    for (const s of [s1, s2, s3]) s.dispose();

    const net = CompressNet.build(mlp, [4], new Rng(8));
    const sub = RandomSubspace.generate(net.paramCount(), 20, 9, 'sparse');
    const trainee = subspaceTrainee(net, sub);
    const before = net.weights();
    const data = blobs(90, 10);
    const report = await fit({
      model: trainee,
      data,
      loss: 'softmax-ce',
      optimizer: { type: 'adam', lr: 0.05 },
      epochs: 30,
      batchSize: 30,
      order: new Rng(11),
    });
    expect(report.history.at(-1)!.loss).toBeLessThan(report.history[0]!.loss * 0.6);
    // The net's own weights (θ₀) are untouched: only θ_d trained.
    expect(Array.from(net.weights()[0]!.kernel)).toEqual(Array.from(before[0]!.kernel));
    trainee.dispose();
    sub.dispose();
    net.dispose();
  });

  it('layer Hessian traces and top eigenvalues: Tr(H_l) ≥ λ_max(H_l) > 0 for a trained net; state round trip', async () => {
    const net = CompressNet.build(mlp, [4], new Rng(12));
    const data = blobs(60, 13);
    await fit({
      model: net,
      data,
      loss: 'softmax-ce',
      optimizer: { type: 'adam', lr: 0.05 },
      epochs: 20,
      batchSize: 30,
      order: new Rng(14),
    });
    const x = tf.tensor2d(data.x, [60, 4]);
    const y = tf.tensor1d(data.y, 'int32');
    const tr = layerHessianTraces(net, x, y, new Rng(15), 40);
    const ev = layerTopEigenvalues(net, x, y, new Rng(16), 30);
    expect(tr.layers).toEqual([0, 1]);
    for (let l = 0; l < 2; l++) {
      expect(ev.values[l]!).toBeGreaterThan(0);
      // Cross-entropy Hessians of ReLU nets are PSD per block up to small negative parts: trace ≳ top eigenvalue.
      expect(tr.trace[l]! + 3 * tr.sem[l]!).toBeGreaterThanOrEqual(ev.values[l]! * 0.9);
    }
    const state = await net.getState();
    const copy = CompressNet.build(mlp, [4], new Rng(99));
    copy.setState(state);
    const a = net.forward(x, { training: false });
    const b = copy.forward(x, { training: false });
    const c = net.forwardParams(x, net.variables(), { training: false });
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(c.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, y, a, b, c]);
    net.dispose();
    copy.dispose();
  });
});
