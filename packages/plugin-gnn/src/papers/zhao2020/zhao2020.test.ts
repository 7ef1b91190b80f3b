import {
  expectClaimCanFail,
  expectGapClaim,
  expectSeedDeterminism,
  gapClaims,
  suiteEnvironment,
} from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { fakeQuantize, quantizeValues } from '../../ops/quantize.js';
import { zhao2020 } from './experiment.js';

const trained = { seeds: 3, acc_w32a32: 0.93 };
const gapClaim = gapClaims(zhao2020, trained);

describe('gnn/zhao2020', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: runs, deterministic, one row per precision', async () => {
    const r = await expectSeedDeterminism(env, 'gnn/zhao2020', { differs: 'acc_w32a32' });
    expect(r.series!.configs).toHaveLength(8);
  });

  it('fake quantisation rounds to 2^(b−1) − 1 levels and passes gradients straight through', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([-1, -0.4, 0.1, 0.26, 1]);
      expect(Array.from(fakeQuantize(x, 2).dataSync())).toEqual([-1, -0, 0, 0, 1]);
      const q4 = Array.from(fakeQuantize(x, 4).dataSync());
      for (const v of q4) expect(Math.abs(v * 7 - Math.round(v * 7))).toBeLessThan(1e-5);
      expect(fakeQuantize(x, 32)).toBe(x);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(fakeQuantize(t, 3), tf.tensor1d([1, 2, 3, 4, 5]))))(
        x,
      );
      expect(Array.from(g.dataSync())).toEqual([1, 2, 3, 4, 5]);
    });
    expect(Array.from(quantizeValues(Float32Array.from([0.5, -1, 0.2]), 2))).toEqual([1, -1, 0]);
  });

  it('near-fp32-down-to-w4a8: gap below 2 points with 2 s.e.', () => {
    gapClaim('near-fp32-down-to-w4a8', 'gap_fp32_w4a8', {
      pass: [0.005, 0.003],
      fail: [0.08, 0.01],
      straddle: [0.015, 0.01],
      inconclusive: [{ acc_w32a32: 0.2, acc_w4a8: 0.2, gap_fp32_w4a8: 0, gap_fp32_w4a8_sem: 0 }],
      // The W4A8 accuracy the measured text reads: float32 (0.93) minus the gap.
      derived: (g) => ({ acc_w4a8: trained.acc_w32a32 - g }),
    });
  });

  it('cliff-below-w4a8 and learned-beats-uniform-frontier are paired-gap rules', () => {
    gapClaim('cliff-below-w4a8', 'gap_fp32_w2a2', { pass: [0.7, 0.01], fail: [0.01, 0.005] });
    expectGapClaim(zhao2020, 'learned-beats-uniform-frontier', {
      key: 'learned_frontier_gap',
      base: { ...trained, learned_size_kb: 1.3, learned_w_bits_mean: 3 },
      pass: [0.02, 0.004],
      fail: [-0.03, 0.004],
      straddle: [0.005, 0.01],
    });
  });

  it('fp32-trains is a control on the float32 accuracy', () => {
    expectClaimCanFail(zhao2020, 'fp32-trains', { pass: { acc_w32a32: 0.93 }, fail: { acc_w32a32: 0.4 } });
  });
});
