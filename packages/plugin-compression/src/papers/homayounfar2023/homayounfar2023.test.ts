import { expectThresholdClaims, gapClaims } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { itRunsSmoke } from '../../__tests__/paperSmoke.js';
import { imbalancedSubset } from './cells.js';
import { homayounfar2023 } from './experiment.js';

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
  const gapClaim = gapClaims(homayounfar2023, ok);
  for (const [id, gap] of [
    ['beta-beats-l1', 'gain_l1'],
    ['beta-beats-hrank', 'gain_hrank'],
  ] as const)
    it(`${id}: a gain passes, a loss fails; straddle, too few seeds or an untrained CNN is inconclusive`, () => {
      gapClaim(id, gap, {
        pass: [0.03, 0.01],
        straddle: [0.01, 0.01],
        inconclusive: [{ seeds: 3 }, { bacc_base: 0.2 }],
      });
    });

  it('beta-keeps-baseline: within a point passes, clearly below fails', () => {
    gapClaim('beta-keeps-baseline', 'beta_vs_base', {
      pass: [0, 0.003],
      fail: [-0.05, 0.005],
      straddle: [-0.01, 0.005],
    });
  });

  it('controls: the data is imbalanced; pruning bites', () => {
    expectThresholdClaims(homayounfar2023, {
      'data-is-imbalanced': ['minority_share', 0.06, 0.5],
      'pruning-bites': ['raw_drop_max', 0.1, 0.005],
    });
  });
});
