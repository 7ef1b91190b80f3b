import { expectThresholdClaims, gapClaims, itSmokes, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { walmsley2018 } from './experiment.js';

describe('astro/walmsley2018', () => {
  const env = suiteEnvironment([plugin]);

  itSmokes(env, 'astro/walmsley2018', {
    differs: 'auc_cnn',
    claims: [
      ['cnn-beats-residuals', 'paper'],
      ['cnn-completeness', 'paper'],
      ['brighter-found-more', 'control'],
      ['cnn-trains', 'control'],
      ['residuals-informative', 'control'],
    ],
    checks: (result) => {
      expect(result.series!.gallery!.length).toBe(8 * 16 * 16);
    },
  });

  const ok = {
    seeds: 3,
    train_acc_cnn: 0.9,
    auc_baseline: 0.7,
    completeness_cnn: 0.8,
    completeness_baseline: 0.5,
  };
  const gapClaim = gapClaims(walmsley2018, ok);

  it('cnn-beats-residuals: a gain beyond 2 s.e. passes, a loss fails; straddle, few seeds, untrained models inconclusive', () => {
    gapClaim('cnn-beats-residuals', 'gain', {
      pass: [0.2, 0.03],
      straddle: [0.03, 0.03],
      inconclusive: [{ seeds: 2 }, { train_acc_cnn: 0.55 }, { auc_baseline: 0.5 }],
    });
  });

  it('cnn-completeness: ≥ 76% passes, far below fails, straddling is inconclusive', () => {
    gapClaim('cnn-completeness', 'completeness_cnn', {
      pass: [0.85, 0.02],
      fail: [0.5, 0.02],
      straddle: [0.77, 0.02],
      inconclusive: [{ seeds: 1 }],
    });
  });

  it('controls: brightness ordering, CNN trains, residuals informative', () => {
    gapClaim('brighter-found-more', 'bright_gap', {
      pass: [0.2, 0.03],
      straddle: [0.02, 0.03],
    });
    expectThresholdClaims(walmsley2018, {
      'cnn-trains': ['train_acc_cnn', 0.9, 0.5],
      'residuals-informative': ['auc_baseline', 0.8, 0.5],
    });
  });
});
