import { Rng } from '@paperlab/core';
import { onBackendWithoutLeaks } from '@paperlab/core/testing';
import type { LayerSpec } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  activationRankScores,
  bakeMasks,
  betaRankScores,
  CompressNet,
  geometricMedianScores,
  kernelSparsity,
  l1Scores,
  magnitudeMasks,
  maskHook,
  matrixRank,
  netCost,
  pruneUnits,
  topUnits,
} from '../index.js';
import { readAndDispose } from './setup.js';

const cnn: LayerSpec[] = [
  { type: 'conv2d', filters: 6, kernel: 3, activation: 'relu' },
  { type: 'maxPool', size: 2 },
  { type: 'conv2d', filters: 5, kernel: 3, activation: 'relu' },
  { type: 'flatten' },
  { type: 'dense', units: 7, activation: 'relu' },
  { type: 'dense', units: 3 },
];

describe('structured pruning and masks', () => {
  onBackendWithoutLeaks();

  it('removing units equals zeroing their outputs, and the tensors really shrink', () => {
    const net = CompressNet.build(cnn, [8, 8, 1], new Rng(1));
    // Non-zero biases so a removed unit's bias would show if it were left behind.
    const w = net.weights();
    for (const l of w) if (l?.bias) for (let i = 0; i < l.bias.length; i++) l.bias[i] = 0.1 * (i + 1);
    net.setWeights(w);
    const keep = new Map([
      [0, [0, 2, 3, 5]],
      [2, [1, 4]],
      [4, [0, 1, 2, 6]],
    ]);
    const small = pruneUnits(net, keep);
    const x = tf.tensor4d(new Rng(2).normals(4 * 64), [4, 8, 8, 1]);
    // The reference: the full net with the removed units' outputs multiplied by 0.
    const gates = new Map(
      [...keep].map(([i, k]) => {
        const units = net.layers[i]!.outShape.at(-1)!;
        return [i, tf.tensor1d(Float32Array.from({ length: units }, (_, u) => (k.includes(u) ? 1 : 0)))];
      }),
    );
    const gated = readAndDispose(
      net.forwardWith(x, { output: (i, y) => (gates.has(i) ? tf.mul(y, gates.get(i)!) : y) }, false),
    );
    const pruned = readAndDispose(small.forward(x, { training: false }));
    for (let i = 0; i < gated.length; i++) expect(pruned[i]).toBeCloseTo(gated[i]!, 4);
    expect(small.layers[0]!.kernel!.shape).toEqual([3, 3, 1, 4]);
    expect(small.layers[2]!.kernel!.shape).toEqual([3, 3, 4, 2]);
    expect(small.layers[4]!.kernel!.shape).toEqual([4 * 4 * 2, 4]);
    expect(small.layers[5]!.kernel!.shape).toEqual([4, 3]);
    expect(small.paramCount()).toBeLessThan(net.paramCount());
    expect(netCost(small.specs, small.inputShape).macs).toBeLessThan(netCost(net.specs, net.inputShape).macs);
    expect(() => pruneUnits(net, new Map([[5, [0]]]))).toThrow(/output layer/);
    tf.dispose([x, ...gates.values()]);
    net.dispose();
    small.dispose();
  });

  it('criteria: L1 norms, geometric median, activation rank, top units', () => {
    // Three 2-weight units: u2 is the mean of u0 and u1, so it sits at the geometric median.
    const k = Float32Array.from([1, -2, 0, 3, 4, 3.5]); // rows: [1, -2, 0], [3, 4, 3.5]
    expect(Array.from(l1Scores(k, 3))).toEqual([4, 6, 3.5]);
    const gm = geometricMedianScores(k, 3);
    expect(topUnits(gm, 2)).toEqual([0, 1]);
    expect(topUnits(l1Scores(k, 3), 2)).toEqual([0, 1]);
    expect(topUnits([3, 1, 3, 2], 2)).toEqual([0, 2]);
    expect(matrixRank([1, 2, 2, 4], 2, 2)).toBe(1);
    expect(matrixRank([1, 0, 0, 0, 1, 0, 0, 0, 1], 3, 3)).toBe(3);
    expect(matrixRank([0, 0, 0, 0], 2, 2)).toBe(0);
    const net = CompressNet.build(cnn, [8, 8, 1], new Rng(3));
    // A filter whose kernel is zero gives a constant (bias-only, ReLU'd) map: rank ≤ 1.
    const w = net.weights();
    for (let j = 0; j < w[0]!.kernel.length; j += 6) w[0]!.kernel[j] = 0;
    net.setWeights(w);
    const x = tf.tensor4d(new Rng(4).normals(3 * 64), [3, 8, 8, 1]);
    const ranks = activationRankScores(net, 0, x);
    expect(ranks[0]).toBeLessThanOrEqual(1);
    expect(Math.max(...ranks)).toBeGreaterThan(4);
    x.dispose();
    net.dispose();
  });

  it('β-rank: a filter that changes the data more, and weighs more, ranks higher; a zero filter ranks last', () => {
    const net = CompressNet.build(cnn, [8, 8, 1], new Rng(7));
    const w = net.weights();
    const k0 = w[0]!.kernel;
    // Filter 1 = 3 × filter 0 (3× the weights and 3× the output spread: raw score 9×); filter 2 = 0.
    for (let j = 0; j < k0.length; j += 6) {
      k0[j + 1] = 3 * k0[j]!;
      k0[j + 2] = 0;
    }
    net.setWeights(w);
    const x = tf.tensor4d(new Rng(8).normals(5 * 64), [5, 8, 8, 1]);
    const s = betaRankScores(net, 0, x);
    expect(s[1]).toBeGreaterThan(s[0]!);
    expect(s[2]).toBe(0);
    expect(Math.max(...s)).toBe(1);
    // Deeper layer: scores exist for every filter of conv 2.
    expect(betaRankScores(net, 2, x).length).toBe(5);
    x.dispose();
    net.dispose();
  });

  it('magnitude masks remove the requested fraction; a masked weight gets no gradient', () => {
    const net = CompressNet.build(cnn, [8, 8, 1], new Rng(5));
    const masks = magnitudeMasks(net, 0.6, 'global');
    let kept = 0;
    let total = 0;
    for (const m of masks.values()) {
      kept += m.reduce((a, v) => a + v, 0);
      total += m.length;
    }
    expect(1 - kept / total).toBeCloseTo(0.6, 2);
    const hook = maskHook(net, masks);
    net.hooks = { weight: hook };
    const x = tf.tensor4d(new Rng(6).normals(2 * 64), [2, 8, 8, 1]);
    const { grads, value } = tf.variableGrads(() => tf.sum(net.forward(x, { training: true })) as tf.Scalar);
    const g0 = grads[net.layers[0]!.kernel!.name]!.dataSync();
    const m0 = masks.get(0)!;
    for (let j = 0; j < m0.length; j++) if (m0[j] === 0) expect(Math.abs(g0[j]!)).toBe(0);
    tf.dispose([x, value, ...Object.values(grads)]);
    hook.dispose();
    net.hooks = {};
    bakeMasks(net, masks);
    expect(kernelSparsity(net.weights())).toBeCloseTo(0.6, 2);
    net.dispose();
  });

  it('cost accounting: MACs, BOPs and counted bytes of a small CNN', () => {
    const c = netCost(cnn, [8, 8, 1], new Map([[0, { weight: 4, activation: 8 }]]));
    // conv1: 3·3·1·6 = 54 weights at 8×8 positions; conv2: 3·3·6·5 = 270 at 4×4; dense: 80·7 + 7·3.
    expect(c.layers[0]!.macs).toBe(54 * 64);
    expect(c.layers[2]!.macs).toBe(270 * 16);
    expect(c.layers[4]!.macs).toBe(80 * 7);
    expect(c.macs).toBe(54 * 64 + 270 * 16 + 560 + 21);
    expect(c.flops).toBe(2 * c.macs);
    expect(c.layers[0]!.bops).toBe(54 * 64 * 32);
    expect(c.layers[0]!.bytes).toBe((54 * 4) / 8 + 6 * 4);
    expect(c.weights).toBe(54 + 270 + 560 + 21);
  });
});
