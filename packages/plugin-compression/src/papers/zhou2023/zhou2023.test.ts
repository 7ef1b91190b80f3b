import { expectClaimCanFail, expectThresholdClaims } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { itRunsSmoke } from '../../__tests__/paperSmoke.js';
import { flipPattern, zhou2023 } from './experiment.js';

describe('compression/zhou2023', () => {
  itRunsSmoke(
    'compression/zhou2023',
    'sparsest_drop',
    [
      ['temperature-effect-flips', 'paper'],
      ['dense-models-train', 'control'],
      ['load-bites', 'control'],
    ],
    (result) => {
      expect(result.series!.accuracy!.length).toBe(2 * 2);
    },
  );

  it('flipPattern counts significant signs and sign changes of the means', () => {
    expect(
      flipPattern([
        { mean: 0.03, sem: 0.005 },
        { mean: -0.02, sem: 0.005 },
      ]),
    ).toEqual({ pos: 1, neg: 1, signChange: true });
    expect(
      flipPattern([
        { mean: 0.03, sem: 0.005 },
        { mean: 0.01, sem: 0.01 },
      ]),
    ).toEqual({ pos: 1, neg: 0, signChange: false });
  });

  it('temperature-effect-flips: both signs pass; one sign throughout fails; one-sided with a straddle, or a small run, is inconclusive', () => {
    const base = {
      seeds: 3,
      n_densities: 4,
      dense_acc_min: 0.88,
      delta_sparsest: 0.02,
      delta_sparsest_sem: 0.004,
      delta_densest: -0.01,
      delta_densest_sem: 0.003,
    };
    const flips = { flip_pos: 1, flip_neg: 1, flip_sign_change: 1 };
    expectClaimCanFail(zhou2023, 'temperature-effect-flips', {
      base,
      pass: flips,
      fail: { flip_pos: 2, flip_neg: 0, flip_sign_change: 0 },
      inconclusive: [
        { flip_pos: 1, flip_neg: 0, flip_sign_change: 1 },
        { ...flips, seeds: 2 },
        { ...flips, dense_acc_min: 0.5 },
      ],
    });
  });

  it('controls: dense models train; the sparsest load costs accuracy', () => {
    expectThresholdClaims(zhou2023, {
      'dense-models-train': ['dense_acc_min', 0.86, 0.5],
      'load-bites': ['sparsest_drop', 0.1, 0.001],
    });
  });
});
