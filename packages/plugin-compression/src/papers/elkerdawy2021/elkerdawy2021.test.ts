import { expectClaimCanFail } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { itRunsSmoke } from '../../__tests__/paperSmoke.js';
import { massMasks } from '../../prune/dynamic.js';
import { elkerdawy2021 } from './experiment.js';

describe('compression/elkerdawy2021', () => {
  itRunsSmoke(
    'compression/elkerdawy2021',
    'acc_narrow',
    [
      ['dynamic-beats-static', 'paper'],
      ['dynamic-keeps-accuracy', 'paper'],
      ['heads-predict-masks', 'control'],
      ['full-trains', 'control'],
    ],
    (result) => {
      // Static and narrow nets have the dynamic net's mean widths: their FLOPs are below the full net's.
      expect(result.scalars.flops_static!).toBeLessThan(result.scalars.flops_full!);
    },
  );

  it('τ-mass targets keep the fewest most-active filters reaching τ of the mass', () => {
    // One input, 4 channels with masses 6, 3, 1, 0 (one 1×1 position).
    const a = tf.tensor4d([6, 3, 1, 0], [1, 1, 1, 4]);
    expect(Array.from(massMasks(a, 0.6))).toEqual([1, 0, 0, 0]);
    expect(Array.from(massMasks(a, 0.85))).toEqual([1, 1, 0, 0]);
    expect(Array.from(massMasks(a, 0.95))).toEqual([1, 1, 1, 0]);
    a.dispose();
  });

  const ok = {
    seeds: 3,
    acc_full: 0.88,
    flops_match: 1.02,
    flops_reduction: 0.45,
    acc_dynamic: 0.87,
    acc_static: 0.85,
    flops_dynamic: 5e5,
    flops_static: 5.1e5,
  };
  it('dynamic-beats-static: a gain passes, a loss fails; straddle, small run, unmatched FLOPs or untrained net inconclusive', () => {
    expectClaimCanFail(elkerdawy2021, 'dynamic-beats-static', {
      pass: { ...ok, gain_static: 0.02, gain_static_sem: 0.004 },
      fail: { ...ok, gain_static: -0.02, gain_static_sem: 0.004 },
      inconclusive: [
        { ...ok, gain_static: 0.004, gain_static_sem: 0.004 },
        { ...ok, seeds: 2, gain_static: 0.02, gain_static_sem: 0.004 },
        { ...ok, flops_match: 1.4, gain_static: 0.02, gain_static_sem: 0.004 },
        { ...ok, acc_full: 0.3, gain_static: 0.02, gain_static_sem: 0.004 },
      ],
    });
  });

  it('dynamic-keeps-accuracy: within a point passes, a large drop fails; no pruning is inconclusive', () => {
    expectClaimCanFail(elkerdawy2021, 'dynamic-keeps-accuracy', {
      pass: { ...ok, drop_full: -0.002, drop_full_sem: 0.002 },
      fail: { ...ok, drop_full: -0.05, drop_full_sem: 0.005 },
      inconclusive: [
        { ...ok, drop_full: -0.009, drop_full_sem: 0.004 },
        { ...ok, flops_reduction: 0.1, drop_full: 0, drop_full_sem: 0.002 },
      ],
    });
  });

  it('controls: heads learned their masks; the full CNN trains', () => {
    expectClaimCanFail(elkerdawy2021, 'heads-predict-masks', {
      pass: { head_balanced_acc: 0.85 },
      fail: { head_balanced_acc: 0.55 },
    });
    expectClaimCanFail(elkerdawy2021, 'full-trains', { pass: { acc_full: 0.88 }, fail: { acc_full: 0.4 } });
  });
});
