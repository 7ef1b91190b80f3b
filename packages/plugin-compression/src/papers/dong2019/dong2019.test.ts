import { expectClaimCanFail, expectThresholdClaims, gapClaims } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { itRunsSmoke } from '../../__tests__/paperSmoke.js';
import { allConfigs, pickWithin } from './allocation.js';
import { dong2019 } from './experiment.js';

describe('compression/dong2019', () => {
  itRunsSmoke(
    'compression/dong2019',
    'spearman_trace',
    [
      ['trace-beats-random', 'paper'],
      ['trace-beats-eigenvalue', 'paper'],
      ['mixed-beats-uniform', 'paper'],
      ['omega-ranks-damage', 'control'],
      ['float-model-trains', 'control'],
      ['traces-converged', 'control'],
    ],
    (result) => {
      expect(result.scalars.configs).toBe(81);
    },
  );

  it('enumerates configurations and picks the lowest score within a budget', () => {
    expect(allConfigs(2, [2, 8])).toEqual([
      [2, 2],
      [2, 8],
      [8, 2],
      [8, 8],
    ]);
    // Sizes 2, 5, 5, 8; scores favour config 2 within budget 5; nothing cheaper than 2 fits budget 1.
    expect(pickWithin([2, 5, 5, 8], [9, 4, 3, 0], 5)).toBe(2);
    expect(pickWithin([2, 5, 5, 8], [9, 4, 3, 0], 8)).toBe(3);
    expect(pickWithin([2, 5, 5, 8], [9, 4, 3, 0], 1)).toBe(-1);
  });

  const ok = { seeds: 3, fp_acc_min: 0.85, differ_frac: 0.5 };
  const gapClaim = gapClaims(dong2019, ok);
  it('trace-beats-random: a gain passes, a loss fails; straddle, too few seeds, untrained float model inconclusive', () => {
    gapClaim('trace-beats-random', 'gain_random', {
      pass: [0.05, 0.01],
      straddle: [0.01, 0.01],
      inconclusive: [{ seeds: 2 }, { fp_acc_min: 0.3 }],
    });
  });

  it('trace-beats-eigenvalue: gain passes, loss or identical choices fail; criteria that never differ are inconclusive', () => {
    gapClaim('trace-beats-eigenvalue', 'gain_eig', {
      pass: [0.02, 0.005],
      straddle: [0.005, 0.005],
      inconclusive: [{ differ_frac: 0, gain_eig: 0, gain_eig_sem: 0 }],
    });
  });

  it('mixed-beats-uniform: no worse than uniform 4-bit passes, clearly worse fails', () => {
    gapClaim('mixed-beats-uniform', 'gain_uniform4', {
      pass: [0.01, 0.002],
      fail: [-0.03, 0.002],
      straddle: [-0.004, 0.003],
    });
  });

  it('controls: Ω ranks damage; float model trains; traces resolved', () => {
    expectClaimCanFail(dong2019, 'omega-ranks-damage', {
      pass: { spearman_trace: 0.8, spearman_eig: 0.5 },
      fail: { spearman_trace: 0.1, spearman_eig: 0.5 },
    });
    expectThresholdClaims(dong2019, {
      'float-model-trains': ['fp_acc_min', 0.85, 0.5],
      'traces-converged': ['trace_rel_sem_max', 0.1, 0.6],
    });
  });
});
