import { expectClaimCanFail, expectGapClaim, expectThresholdClaims } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { itRunsSmoke } from '../../__tests__/paperSmoke.js';
import { firstCrossing } from './dint90.js';
import { li2018 } from './experiment.js';

describe('compression/li2018', () => {
  itRunsSmoke(
    'compression/li2018',
    'baseline_acc',
    [
      ['dint90-mnist-fc', 'paper'],
      ['width-independence', 'paper'],
      ['shuffled-labels-harder', 'paper'],
      ['baseline-trains', 'control'],
      ['regenerated-from-seed', 'control'],
    ],
    (result) => {
      expect(result.scalars.regen_max_diff).toBe(0);
      expect(result.series!.accuracy_vs_d!.length).toBe(2 * 3);
    },
  );

  it('firstCrossing interpolates in log d; null when never reached; the first point when already reached', () => {
    expect(firstCrossing([100, 400], [0.5, 0.9], 0.7)).toBeCloseTo(200, 6);
    expect(firstCrossing([100, 400], [0.5, 0.6], 0.7)).toBeNull();
    expect(firstCrossing([100, 400], [0.8, 0.9], 0.7)).toBe(100);
  });

  const trained = { baseline_acc_min: 0.95, dint90_reached: 1, dmax: 2000, seeds: 3 };

  it('dint90-mnist-fc: inside, outside, straddling the factor-2 band; untrained baseline; never reached', () => {
    expectGapClaim(li2018, 'dint90-mnist-fc', {
      key: 'dint90',
      base: trained,
      pass: [700, 50],
      fail: [200, 20],
      straddle: [400, 50],
      inconclusive: [{ baseline_acc_min: 0.6 }],
    });
    // Cells that never reach 90% by d = 2000 > 1500: d_int90 lies above the band.
    expectClaimCanFail(li2018, 'dint90-mnist-fc', {
      base: trained,
      pass: { dint90: 700, dint90_sem: 50 },
      fail: { dint90_reached: 0.5, dint90: 1800, dint90_sem: 100 },
    });
  });

  it('width-independence: flat, proportional to D, straddling; too few widths', () => {
    const w = { ...trained, n_widths: 2, dint90_narrow: 600, dint90_wide: 650, param_ratio: 2.26 };
    expectGapClaim(li2018, 'width-independence', {
      key: 'log_width_ratio',
      base: w,
      pass: [0.08, 0.05],
      // A d_int90 that grew with D would give log(2.26) = 0.82.
      fail: [0.82, 0.05],
      straddle: [0.3, 0.1],
      inconclusive: [{ n_widths: 1, log_width_ratio: 0, log_width_ratio_sem: 0 }],
    });
  });

  it('shuffled-labels-harder: ratio ≥ 4 passes, below fails, a bound below 4 is inconclusive; untrained memoriser', () => {
    const m = {
      dmax: 2000,
      shuffled_baseline_train_acc: 0.98,
      real_train_dint90: 150,
      shuffled_dint90: 1500,
    };
    expectClaimCanFail(li2018, 'shuffled-labels-harder', {
      base: m,
      pass: { shuffled_reached: 1, shuffled_ratio: 10 },
      fail: { shuffled_reached: 1, shuffled_ratio: 2 },
      inconclusive: [
        { shuffled_reached: 0.5, shuffled_ratio: 3 },
        { shuffled_baseline_train_acc: 0.5, shuffled_reached: 1, shuffled_ratio: 10 },
      ],
    });
  });

  it('controls: baseline trains; regeneration exact', () => {
    expectThresholdClaims(li2018, {
      'baseline-trains': ['baseline_acc_min', 0.95, 0.7],
      'regenerated-from-seed': ['regen_max_diff', 0, 0.01],
    });
  });
});
