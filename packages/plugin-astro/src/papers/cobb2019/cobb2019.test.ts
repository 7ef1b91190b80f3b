import { expectClaimCanFail, expectSeedDeterminism, suiteEnvironment } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { cobb2019 } from './experiment.js';

describe('astro/cobb2019', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: completes, same seed gives the same numbers, another seed others, no tensor leak', async () => {
    const start = tf.memory().numTensors;
    const result = await expectSeedDeterminism(env, 'astro/cobb2019', { differs: 'r2_forest' });
    expect(tf.memory().numTensors).toBe(start);
    expect(result.claims.map((c) => [c.id, c.kind])).toEqual([
      ['ensemble-beats-forest', 'paper'],
      ['ensemble-beats-single', 'paper'],
      ['ensemble-better-calibrated', 'paper'],
      ['ensemble-calibrated', 'paper'],
      ['learns-correlations', 'paper'],
      ['forest-learns', 'control'],
      ['degeneracy-present', 'control'],
    ]);
    expect(result.series!.gallery!.length).toBe(6 * 13);
  });

  const ok = {
    seeds: 3,
    r2_single: 0.6,
    r2_forest: 0.55,
    r2_ensemble: 0.62,
    max_abs_corr: 0.5,
    cal_single: 0.05,
    cal_ensemble: 0.02,
  };
  for (const [id, gap] of [
    ['ensemble-beats-forest', 'gain_forest'],
    ['ensemble-beats-single', 'gain_single'],
    ['ensemble-better-calibrated', 'cal_gain'],
  ] as const)
    it(`${id}: a gain beyond 2 s.e. passes, a loss fails; a straddle, too few seeds, an untrained net are inconclusive`, () => {
      expectClaimCanFail(cobb2019, id, {
        pass: { ...ok, [gap]: 0.03, [`${gap}_sem`]: 0.005 },
        fail: { ...ok, [gap]: -0.03, [`${gap}_sem`]: 0.005 },
        inconclusive: [
          { ...ok, [gap]: 0.005, [`${gap}_sem`]: 0.005 },
          { ...ok, seeds: 2, [gap]: 0.03, [`${gap}_sem`]: 0.005 },
          { ...ok, r2_single: 0.1, [gap]: 0.03, [`${gap}_sem`]: 0.005 },
        ],
      });
    });

  it('ensemble-calibrated: coverage near 68% passes, far fails, straddling is inconclusive', () => {
    expectClaimCanFail(cobb2019, 'ensemble-calibrated', {
      pass: { ...ok, coverage_ensemble: 0.69, coverage_ensemble_sem: 0.01 },
      fail: { ...ok, coverage_ensemble: 0.9, coverage_ensemble_sem: 0.01 },
      inconclusive: [
        { ...ok, coverage_ensemble: 0.76, coverage_ensemble_sem: 0.01 },
        { ...ok, seeds: 1, coverage_ensemble: 0.69, coverage_ensemble_sem: 0.01 },
      ],
    });
  });

  it('learns-correlations: small mismatch passes, large fails; no degeneracy is inconclusive', () => {
    expectClaimCanFail(cobb2019, 'learns-correlations', {
      pass: { ...ok, corr_error: 0.05, corr_error_sem: 0.01 },
      fail: { ...ok, corr_error: 0.4, corr_error_sem: 0.01 },
      inconclusive: [
        { ...ok, corr_error: 0.14, corr_error_sem: 0.01 },
        { ...ok, max_abs_corr: 0.1, corr_error: 0.05, corr_error_sem: 0.01 },
      ],
    });
  });

  it('controls: the forest learns; the simulator has degeneracies', () => {
    expectClaimCanFail(cobb2019, 'forest-learns', { pass: { r2_forest: 0.6 }, fail: { r2_forest: 0.1 } });
    expectClaimCanFail(cobb2019, 'degeneracy-present', {
      pass: { max_abs_corr: 0.6 },
      fail: { max_abs_corr: 0.1 },
    });
  });
});
