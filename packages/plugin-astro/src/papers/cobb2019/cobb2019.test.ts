import { expectThresholdClaims, gapClaims, itSmokes, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { cobb2019 } from './experiment.js';

describe('astro/cobb2019', () => {
  const env = suiteEnvironment([plugin]);

  itSmokes(env, 'astro/cobb2019', {
    differs: 'r2_forest',
    claims: [
      ['ensemble-beats-forest', 'paper'],
      ['ensemble-beats-single', 'paper'],
      ['ensemble-better-calibrated', 'paper'],
      ['ensemble-calibrated', 'paper'],
      ['learns-correlations', 'paper'],
      ['forest-learns', 'control'],
      ['degeneracy-present', 'control'],
    ],
    checks: (result) => {
      expect(result.series!.gallery!.length).toBe(6 * 13);
    },
  });

  const ok = { seeds: 3, r2_single: 0.6, r2_forest: 0.55, r2_ensemble: 0.62, max_abs_corr: 0.5 };
  const base = { ...ok, cal_single: 0.05, cal_ensemble: 0.02 };
  const gapClaim = gapClaims(cobb2019, base);
  for (const [id, gap] of [
    ['ensemble-beats-forest', 'gain_forest'],
    ['ensemble-beats-single', 'gain_single'],
    ['ensemble-better-calibrated', 'cal_gain'],
  ] as const)
    it(`${id}: a gain beyond 2 s.e. passes, a loss fails; a straddle, too few seeds, an untrained net are inconclusive`, () => {
      gapClaim(id, gap, {
        pass: [0.03, 0.005],
        straddle: [0.005, 0.005],
        inconclusive: [{ seeds: 2 }, { r2_single: 0.1 }],
      });
    });

  it('ensemble-calibrated: coverage near 68% passes, far fails, straddling is inconclusive', () => {
    gapClaim('ensemble-calibrated', 'coverage_ensemble', {
      pass: [0.69, 0.01],
      fail: [0.9, 0.01],
      straddle: [0.76, 0.01],
      inconclusive: [{ seeds: 1 }],
    });
  });

  it('learns-correlations: small mismatch passes, large fails; no degeneracy is inconclusive', () => {
    gapClaim('learns-correlations', 'corr_error', {
      pass: [0.05, 0.01],
      fail: [0.4, 0.01],
      straddle: [0.14, 0.01],
      inconclusive: [{ max_abs_corr: 0.1 }],
    });
  });

  it('controls: the forest learns; the simulator has degeneracies', () => {
    expectThresholdClaims(cobb2019, {
      'forest-learns': ['r2_forest', 0.6, 0.1],
      'degeneracy-present': ['max_abs_corr', 0.6, 0.1],
    });
  });
});
