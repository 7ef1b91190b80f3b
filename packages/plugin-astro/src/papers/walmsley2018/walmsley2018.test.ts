import { expectClaimCanFail, expectSeedDeterminism, suiteEnvironment } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { walmsley2018 } from './experiment.js';

describe('astro/walmsley2018', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: completes, same seed gives the same numbers, another seed others, no tensor leak', async () => {
    const start = tf.memory().numTensors;
    const result = await expectSeedDeterminism(env, 'astro/walmsley2018', { differs: 'auc_cnn' });
    expect(tf.memory().numTensors).toBe(start);
    expect(result.claims.map((c) => [c.id, c.kind])).toEqual([
      ['cnn-beats-residuals', 'paper'],
      ['cnn-completeness', 'paper'],
      ['brighter-found-more', 'control'],
      ['cnn-trains', 'control'],
      ['residuals-informative', 'control'],
    ]);
    expect(result.series!.gallery!.length).toBe(8 * 16 * 16);
  });

  const ok = {
    seeds: 3,
    train_acc_cnn: 0.9,
    auc_baseline: 0.7,
    completeness_cnn: 0.8,
    completeness_baseline: 0.5,
  };

  it('cnn-beats-residuals: a gain beyond 2 s.e. passes, a loss fails; straddle, few seeds, untrained models inconclusive', () => {
    expectClaimCanFail(walmsley2018, 'cnn-beats-residuals', {
      pass: { ...ok, gain: 0.2, gain_sem: 0.03 },
      fail: { ...ok, gain: -0.2, gain_sem: 0.03 },
      inconclusive: [
        { ...ok, gain: 0.03, gain_sem: 0.03 },
        { ...ok, seeds: 2, gain: 0.2, gain_sem: 0.03 },
        { ...ok, train_acc_cnn: 0.55, gain: 0.2, gain_sem: 0.03 },
        { ...ok, auc_baseline: 0.5, gain: 0.2, gain_sem: 0.03 },
      ],
    });
  });

  it('cnn-completeness: ≥ 76% passes, far below fails, straddling is inconclusive', () => {
    expectClaimCanFail(walmsley2018, 'cnn-completeness', {
      pass: { ...ok, completeness_cnn: 0.85, completeness_cnn_sem: 0.02 },
      fail: { ...ok, completeness_cnn: 0.5, completeness_cnn_sem: 0.02 },
      inconclusive: [
        { ...ok, completeness_cnn: 0.77, completeness_cnn_sem: 0.02 },
        { ...ok, seeds: 1, completeness_cnn: 0.85, completeness_cnn_sem: 0.02 },
      ],
    });
  });

  it('controls: brightness ordering, CNN trains, residuals informative', () => {
    expectClaimCanFail(walmsley2018, 'brighter-found-more', {
      pass: { ...ok, bright_gap: 0.2, bright_gap_sem: 0.03 },
      fail: { ...ok, bright_gap: -0.2, bright_gap_sem: 0.03 },
      inconclusive: [{ ...ok, bright_gap: 0.02, bright_gap_sem: 0.03 }],
    });
    expectClaimCanFail(walmsley2018, 'cnn-trains', {
      pass: { train_acc_cnn: 0.9 },
      fail: { train_acc_cnn: 0.5 },
    });
    expectClaimCanFail(walmsley2018, 'residuals-informative', {
      pass: { auc_baseline: 0.8 },
      fail: { auc_baseline: 0.5 },
    });
  });
});
