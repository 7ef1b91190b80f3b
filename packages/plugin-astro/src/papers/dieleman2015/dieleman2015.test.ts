import { expectClaimCanFail, expectGapClaim, itSmokes, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { dieleman2015 } from './experiment.js';

describe('astro/dieleman2015', () => {
  const env = suiteEnvironment([plugin]);

  itSmokes(env, 'astro/dieleman2015', {
    differs: 'rmse_views',
    claims: [
      ['views-beat-plain', 'paper'],
      ['views-beat-augmented', 'paper'],
      ['views-rotation-invariant', 'paper'],
      ['confident-accurate', 'paper'],
      ['models-learn', 'control'],
      ['above-vote-noise', 'control'],
    ],
    checks: (result) => {
      expect(result.series!.cells!.length).toBe(2 * 3);
      expect(result.series!.gallery!.length).toBe(8 * 16 * 16);
      expect(result.plots!.map((p) => p.id)).toContain('galaxy-gallery');
    },
  });

  const rmse = { rmse_plain: 0.1, rmse_augmented: 0.095, rmse_views: 0.09, noise_floor: 0.05 };
  const ok = { seeds: 3, skill_min: 0.4, confident_n: 100, ...rmse, rot_plain: 0.05, rot_views: 0.03 };
  for (const [id, gap] of [
    ['views-beat-plain', 'gain_plain'],
    ['views-beat-augmented', 'gain_augmented'],
    ['views-rotation-invariant', 'rot_gain'],
  ] as const)
    it(`${id}: a gain beyond 2 s.e. passes, a loss fails; straddle, too few seeds, an untrained model are inconclusive`, () => {
      expectGapClaim(dieleman2015, id, {
        key: gap,
        base: ok,
        pass: [0.01, 0.002],
        straddle: [0.002, 0.002],
        inconclusive: [{ seeds: 2 }, { skill_min: 0.01 }],
      });
    });

  it('confident-accurate: > 99% passes, 90% fails; straddling or too few confident galaxies is inconclusive', () => {
    expectGapClaim(dieleman2015, 'confident-accurate', {
      key: 'confident_acc',
      base: ok,
      pass: [0.998, 0.001],
      fail: [0.9, 0.01],
      straddle: [0.99, 0.005],
      inconclusive: [{ confident_n: 5 }],
    });
  });

  it('controls: models learn; nothing beats the volunteer-noise floor', () => {
    expectClaimCanFail(dieleman2015, 'models-learn', { pass: { skill_min: 0.3 }, fail: { skill_min: 0.02 } });
    expectClaimCanFail(dieleman2015, 'above-vote-noise', { base: ok, pass: {}, fail: { rmse_views: 0.03 } });
  });
});
