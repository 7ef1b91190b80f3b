import { Rng } from '@paperlab/core';
import { useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { centredOneHot } from '../data/centredOneHot.js';
import { addPixelNoise } from '../data/pixelNoise.js';
import { unitCircle } from '../data/unitCircle.js';
import { ridgelessLearningCurves } from '../inference/learningCurves.js';
import { predictiveScores } from '../inference/predictiveScores.js';
import { auroc } from '../stats/auroc.js';
import { bootstrapSe } from '../stats/bootstrapSe.js';
import { excessKurtosis } from '../stats/excessKurtosis.js';
import { logGridSteps } from './logGridSteps.js';
import { readHost } from './readHost.js';
import { averagedError, relativeError } from './relativeError.js';
import { rounded } from './rounded.js';
import { signAgreement } from './signAgreement.js';

describe('plugin-ntk library helpers', () => {
  beforeAll(useWasm);

  it('relative errors, and averaging unbiased noise shrinks the error like 1/√count', () => {
    expect(relativeError([1, 1], [1, 0])).toBeCloseTo(1, 12);
    const rng = new Rng(3);
    const ref = Float64Array.from({ length: 64 }, (_, i) => 1 + i / 64);
    const samples = Array.from({ length: 16 }, () => ref.map((v) => v + 0.1 * rng.normal()));
    const { ofMean, rmsSingle } = averagedError(samples, ref);
    expect(ofMean / (rmsSingle / 4)).toBeGreaterThan(0.5);
    expect(ofMean / (rmsSingle / 4)).toBeLessThan(2);
    // A biased sample set does not average away.
    const biased = averagedError(
      samples.map((s) => s.map((v) => v + 0.2)),
      ref,
    );
    expect(biased.ofMean).toBeGreaterThan(biased.rmsSingle / 2);
  });

  it('sign agreement, rounding, log-spaced steps, readHost disposes, unit circle lies on the circle', () => {
    expect(signAgreement([0.5, -2, 3, -1], [1, -1, -1, 1])).toBe(0.5);
    expect([rounded(1.23456, 3), rounded(0.00049, 3), rounded(12.5, 0)]).toEqual([1.235, 0, 13]);
    const steps = logGridSteps(300, 16);
    expect(steps[0]).toBe(0);
    expect(steps[steps.length - 1]).toBe(300);
    expect(new Set(steps).size).toBe(steps.length);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    const before = tf.memory().numTensors;
    expect(Array.from(readHost(tf.tensor1d([1, 2])))).toEqual([1, 2]);
    expect(tf.memory().numTensors).toBe(before);
    const { x, gamma } = unitCircle(8, 0.5);
    for (let i = 0; i < 8; i++) expect(x[2 * i]! ** 2 + x[2 * i + 1]! ** 2).toBeCloseTo(1, 6);
    expect(gamma[0]).toBeCloseTo(Math.PI / 8, 12);
  });

  it('kurtosis: within a few bootstrap s.e. of 0 for Gaussian samples, −6/5 for uniform ones', () => {
    const rng = new Rng(5);
    const g = Float64Array.from({ length: 20_000 }, () => rng.normal());
    const se = bootstrapSe(rng.split('b'), g, excessKurtosis, 100);
    expect(se).toBeGreaterThan(0);
    expect(Math.abs(excessKurtosis(g))).toBeLessThan(4 * se);
    // Uniform samples: excess kurtosis −6/5.
    const u = Float64Array.from({ length: 20_000 }, () => rng.uniform());
    expect(excessKurtosis(u)).toBeCloseTo(-1.2, 1);
  });

  it('one-hot targets, pixel noise keeps ‖x‖² = d, AUROC, predictive scores', () => {
    expect(Array.from(centredOneHot(Int32Array.from([1]), 2))).toEqual([-0.5, 0.5]);
    const f32 = centredOneHot(Int32Array.from([2, 0]), 10, Float32Array);
    expect(f32).toBeInstanceOf(Float32Array);
    expect([f32[2], f32[3], f32[10]]).toEqual([
      Math.fround(Math.fround(-0.1) + 1),
      Math.fround(-0.1),
      f32[2],
    ]);
    const noisy = addPixelNoise(new Rng(1), Float32Array.from([1, 1, 1, 1]), 1, 4, 0.5);
    expect(noisy.reduce((s, v) => s + v * v, 0)).toBeCloseTo(4, 4);
    expect(auroc([2, 3], [0, 1])).toBe(1);
    expect(auroc([0, 1], [2, 3])).toBe(0);
    const p = { mean: Float64Array.from([0.9, -0.1, 0.2, 0.1]), variance: Float64Array.from([1, 1]) };
    const y = Float64Array.from([0.5, -0.5, -0.5, 0.5]);
    const gauss = predictiveScores(p, y, { factor: 1, nu: Infinity });
    expect(gauss.accuracy).toBe(0.5);
    // Per-point NLLs (per output) average to the overall NLL; the first point fits better than the second.
    expect((gauss.perPoint[0]! + gauss.perPoint[1]!) / 2).toBeCloseTo(gauss.nll, 12);
    expect(gauss.perPoint[0]!).toBeLessThan(gauss.perPoint[1]!);
    // A Student-t with huge ν is the Gaussian.
    expect(predictiveScores(p, y, { factor: 1, nu: 1e9 }).nll).toBeCloseTo(gauss.nll, 4);
  });

  it('ridgeless learning curves interpolate: zero error when the test points are training points', () => {
    const n = 6;
    const K = { rows: n, cols: n, data: new Float64Array(n * n) };
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) K.data[i * n + j] = Math.exp(-((i - j) ** 2) / 2);
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const curves = ridgelessLearningCurves(K, K, [y], [y], [2, n]);
    expect(curves.errors[0]![1]).toBeLessThan(1e-10);
    expect(curves.errors[0]![0]).toBeGreaterThan(1e-3);
  });
});
