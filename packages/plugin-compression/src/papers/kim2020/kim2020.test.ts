import { expectThresholdClaims, gapClaims } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { itRunsSmoke } from '../../__tests__/paperSmoke.js';
import { kim2020 } from './experiment.js';

describe('compression/kim2020', () => {
  itRunsSmoke(
    'compression/kim2020',
    'ece_pskd',
    [
      ['pskd-lower-error', 'paper'],
      ['pskd-better-calibration', 'paper'],
      ['pskd-beats-label-smoothing', 'paper'],
      ['baseline-overconfident', 'control'],
      ['models-train', 'control'],
    ],
    (result) => {
      // Three methods per seed, on identical initialisations: their first-epoch targets differ only for LS.
      expect(result.series!.cells!.length).toBe(2 * 3);
    },
  );

  const ok = {
    seeds: 3,
    train_acc_min: 0.99,
    err_baseline: 0.2,
    err_pskd: 0.18,
    err_ls: 0.19,
    ece_baseline: 0.1,
    ece_pskd: 0.03,
  };
  const gapClaim = gapClaims(kim2020, ok);
  for (const [id, gap] of [
    ['pskd-lower-error', 'err_gain_base'],
    ['pskd-better-calibration', 'ece_gain_base'],
    ['pskd-beats-label-smoothing', 'err_gain_ls'],
  ] as const)
    it(`${id}: a gain beyond 2 s.e. passes, a loss fails, a straddle / too few seeds / an untrained model is inconclusive`, () => {
      gapClaim(id, gap, {
        pass: [0.02, 0.004],
        straddle: [0.004, 0.004],
        inconclusive: [{ seeds: 2 }, { train_acc_min: 0.5 }],
      });
    });

  it('controls: overconfident baseline; models train', () => {
    expectThresholdClaims(kim2020, {
      'baseline-overconfident': ['ece_baseline', 0.1, 0.01],
      'models-train': ['train_acc_min', 0.97, 0.6],
    });
  });
});
