import { expectClaimCanFail } from '@paperlab/core/testing';
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
  for (const [id, gap] of [
    ['pskd-lower-error', 'err_gain_base'],
    ['pskd-better-calibration', 'ece_gain_base'],
    ['pskd-beats-label-smoothing', 'err_gain_ls'],
  ] as const)
    it(`${id}: a gain beyond 2 s.e. passes, a loss fails, a straddle / too few seeds / an untrained model is inconclusive`, () => {
      expectClaimCanFail(kim2020, id, {
        pass: { ...ok, [gap]: 0.02, [`${gap}_sem`]: 0.004 },
        fail: { ...ok, [gap]: -0.02, [`${gap}_sem`]: 0.004 },
        inconclusive: [
          { ...ok, [gap]: 0.004, [`${gap}_sem`]: 0.004 },
          { ...ok, seeds: 2, [gap]: 0.02, [`${gap}_sem`]: 0.004 },
          { ...ok, train_acc_min: 0.5, [gap]: 0.02, [`${gap}_sem`]: 0.004 },
        ],
      });
    });

  it('controls: overconfident baseline; models train', () => {
    expectClaimCanFail(kim2020, 'baseline-overconfident', {
      pass: { ece_baseline: 0.1 },
      fail: { ece_baseline: 0.01 },
    });
    expectClaimCanFail(kim2020, 'models-train', {
      pass: { train_acc_min: 0.97 },
      fail: { train_acc_min: 0.6 },
    });
  });
});
