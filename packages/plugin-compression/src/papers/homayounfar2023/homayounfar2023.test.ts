import { expectClaimCanFail } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { itRunsSmoke } from '../../__tests__/paperSmoke.js';
import { homayounfar2023, imbalancedSubset } from './experiment.js';

describe('compression/homayounfar2023', () => {
  itRunsSmoke(
    'compression/homayounfar2023',
    'bacc_base',
    [
      ['beta-beats-l1', 'paper'],
      ['beta-beats-hrank', 'paper'],
      ['beta-keeps-baseline', 'paper'],
      ['data-is-imbalanced', 'control'],
      ['pruning-bites', 'control'],
    ],
    (result) => {
      // Every criterion removes the same filters' worth: one FLOPs reduction for all.
      expect(result.scalars.flops_reduction).toBeGreaterThan(0.4);
    },
  );

  it('imbalancedSubset keeps an exponential class profile', () => {
    const y = Int32Array.from({ length: 300 }, (_, i) => i % 3);
    const s = imbalancedSubset({ x: new Float32Array(300), y, n: 300, shape: [1], classes: 3 }, 100, 100);
    const counts = [0, 0, 0];
    for (const c of s.y) counts[c]!++;
    expect(counts).toEqual([100, 10, 1]);
  });

  const ok = {
    seeds: 5,
    bacc_base: 0.7,
    bacc_beta: 0.69,
    bacc_l1: 0.66,
    bacc_hrank: 0.67,
    f1_beta: 0.68,
    f1_l1: 0.65,
    f1_hrank: 0.66,
    flops_reduction: 0.6,
  };
  for (const [id, gap] of [
    ['beta-beats-l1', 'gain_l1'],
    ['beta-beats-hrank', 'gain_hrank'],
  ] as const)
    it(`${id}: a gain passes, a loss fails; straddle, too few seeds or an untrained CNN is inconclusive`, () => {
      expectClaimCanFail(homayounfar2023, id, {
        pass: { ...ok, [gap]: 0.03, [`${gap}_sem`]: 0.01 },
        fail: { ...ok, [gap]: -0.03, [`${gap}_sem`]: 0.01 },
        inconclusive: [
          { ...ok, [gap]: 0.01, [`${gap}_sem`]: 0.01 },
          { ...ok, seeds: 3, [gap]: 0.03, [`${gap}_sem`]: 0.01 },
          { ...ok, bacc_base: 0.2, [gap]: 0.03, [`${gap}_sem`]: 0.01 },
        ],
      });
    });

  it('beta-keeps-baseline: within a point passes, clearly below fails', () => {
    expectClaimCanFail(homayounfar2023, 'beta-keeps-baseline', {
      pass: { ...ok, beta_vs_base: 0, beta_vs_base_sem: 0.003 },
      fail: { ...ok, beta_vs_base: -0.05, beta_vs_base_sem: 0.005 },
      inconclusive: [{ ...ok, beta_vs_base: -0.01, beta_vs_base_sem: 0.005 }],
    });
  });

  it('controls: the data is imbalanced; pruning bites', () => {
    expectClaimCanFail(homayounfar2023, 'data-is-imbalanced', {
      pass: { minority_share: 0.06 },
      fail: { minority_share: 0.5 },
    });
    expectClaimCanFail(homayounfar2023, 'pruning-bites', {
      pass: { raw_drop_max: 0.1 },
      fail: { raw_drop_max: 0.005 },
    });
  });
});
