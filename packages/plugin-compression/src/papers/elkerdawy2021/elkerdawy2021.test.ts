import { expectThresholdClaims, gapClaims } from '@paperlab/core/testing';
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
  const gapClaim = gapClaims(elkerdawy2021, ok);
  it('dynamic-beats-static: a gain passes, a loss fails; straddle, small run, unmatched FLOPs or untrained net inconclusive', () => {
    gapClaim('dynamic-beats-static', 'gain_static', {
      pass: [0.02, 0.004],
      straddle: [0.004, 0.004],
      inconclusive: [{ seeds: 2 }, { flops_match: 1.4 }, { acc_full: 0.3 }],
    });
  });

  it('dynamic-keeps-accuracy: within a point passes, a large drop fails; no pruning is inconclusive', () => {
    gapClaim('dynamic-keeps-accuracy', 'drop_full', {
      pass: [-0.002, 0.002],
      fail: [-0.05, 0.005],
      straddle: [-0.009, 0.004],
      inconclusive: [{ flops_reduction: 0.1, drop_full: 0 }],
    });
  });

  it('controls: heads learned their masks; the full CNN trains', () => {
    expectThresholdClaims(elkerdawy2021, {
      'heads-predict-masks': ['head_balanced_acc', 0.85, 0.55],
      'full-trains': ['acc_full', 0.88, 0.4],
    });
  });
});
