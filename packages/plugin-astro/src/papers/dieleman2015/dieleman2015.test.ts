import { expectClaimCanFail, expectSeedDeterminism, suiteEnvironment } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { dieleman2015 } from './experiment.js';

describe('astro/dieleman2015', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: completes, same seed gives the same numbers, another seed others, no tensor leak', async () => {
    const start = tf.memory().numTensors;
    const result = await expectSeedDeterminism(env, 'astro/dieleman2015', { differs: 'rmse_views' });
    expect(tf.memory().numTensors).toBe(start);
    expect(result.claims.map((c) => [c.id, c.kind])).toEqual([
      ['views-beat-plain', 'paper'],
      ['views-beat-augmented', 'paper'],
      ['views-rotation-invariant', 'paper'],
      ['confident-accurate', 'paper'],
      ['models-learn', 'control'],
      ['above-vote-noise', 'control'],
    ]);
    expect(result.series!.cells!.length).toBe(2 * 3);
    expect(result.series!.gallery!.length).toBe(8 * 16 * 16);
    expect(result.plots!.map((p) => p.id)).toContain('galaxy-gallery');
  });

  const ok = {
    seeds: 3,
    skill_min: 0.4,
    confident_n: 100,
    rmse_plain: 0.1,
    rmse_augmented: 0.095,
    rmse_views: 0.09,
    noise_floor: 0.05,
    rot_plain: 0.05,
    rot_views: 0.03,
  };
  for (const [id, gap] of [
    ['views-beat-plain', 'gain_plain'],
    ['views-beat-augmented', 'gain_augmented'],
    ['views-rotation-invariant', 'rot_gain'],
  ] as const)
    it(`${id}: a gain beyond 2 s.e. passes, a loss fails; straddle, too few seeds, an untrained model are inconclusive`, () => {
      expectClaimCanFail(dieleman2015, id, {
        pass: { ...ok, [gap]: 0.01, [`${gap}_sem`]: 0.002 },
        fail: { ...ok, [gap]: -0.01, [`${gap}_sem`]: 0.002 },
        inconclusive: [
          { ...ok, [gap]: 0.002, [`${gap}_sem`]: 0.002 },
          { ...ok, seeds: 2, [gap]: 0.01, [`${gap}_sem`]: 0.002 },
          { ...ok, skill_min: 0.01, [gap]: 0.01, [`${gap}_sem`]: 0.002 },
        ],
      });
    });

  it('confident-accurate: > 99% passes, 90% fails; straddling or too few confident galaxies is inconclusive', () => {
    expectClaimCanFail(dieleman2015, 'confident-accurate', {
      pass: { ...ok, confident_acc: 0.998, confident_acc_sem: 0.001 },
      fail: { ...ok, confident_acc: 0.9, confident_acc_sem: 0.01 },
      inconclusive: [
        { ...ok, confident_acc: 0.99, confident_acc_sem: 0.005 },
        { ...ok, confident_n: 5, confident_acc: 0.998, confident_acc_sem: 0.001 },
      ],
    });
  });

  it('controls: models learn; nothing beats the volunteer-noise floor', () => {
    expectClaimCanFail(dieleman2015, 'models-learn', { pass: { skill_min: 0.3 }, fail: { skill_min: 0.02 } });
    expectClaimCanFail(dieleman2015, 'above-vote-noise', {
      pass: { ...ok },
      fail: { ...ok, rmse_views: 0.03 },
    });
  });
});
