import { expectClaimCanFail } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { itRunsSmoke } from '../../__tests__/paperSmoke.js';
import { allConfigs, dong2019, pickWithin } from './experiment.js';

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
  it('trace-beats-random: a gain passes, a loss fails; straddle, too few seeds, untrained float model inconclusive', () => {
    expectClaimCanFail(dong2019, 'trace-beats-random', {
      pass: { ...ok, gain_random: 0.05, gain_random_sem: 0.01 },
      fail: { ...ok, gain_random: -0.05, gain_random_sem: 0.01 },
      inconclusive: [
        { ...ok, gain_random: 0.01, gain_random_sem: 0.01 },
        { ...ok, seeds: 2, gain_random: 0.05, gain_random_sem: 0.01 },
        { ...ok, fp_acc_min: 0.3, gain_random: 0.05, gain_random_sem: 0.01 },
      ],
    });
  });

  it('trace-beats-eigenvalue: gain passes, loss or identical choices fail; criteria that never differ are inconclusive', () => {
    expectClaimCanFail(dong2019, 'trace-beats-eigenvalue', {
      pass: { ...ok, gain_eig: 0.02, gain_eig_sem: 0.005 },
      fail: { ...ok, gain_eig: -0.02, gain_eig_sem: 0.005 },
      inconclusive: [
        { ...ok, gain_eig: 0.005, gain_eig_sem: 0.005 },
        { ...ok, differ_frac: 0, gain_eig: 0, gain_eig_sem: 0 },
      ],
    });
  });

  it('mixed-beats-uniform: no worse than uniform 4-bit passes, clearly worse fails', () => {
    expectClaimCanFail(dong2019, 'mixed-beats-uniform', {
      pass: { ...ok, gain_uniform4: 0.01, gain_uniform4_sem: 0.002 },
      fail: { ...ok, gain_uniform4: -0.03, gain_uniform4_sem: 0.002 },
      inconclusive: [{ ...ok, gain_uniform4: -0.004, gain_uniform4_sem: 0.003 }],
    });
  });

  it('controls: Ω ranks damage; float model trains; traces resolved', () => {
    expectClaimCanFail(dong2019, 'omega-ranks-damage', {
      pass: { spearman_trace: 0.8, spearman_eig: 0.5 },
      fail: { spearman_trace: 0.1, spearman_eig: 0.5 },
    });
    expectClaimCanFail(dong2019, 'float-model-trains', {
      pass: { fp_acc_min: 0.85 },
      fail: { fp_acc_min: 0.5 },
    });
    expectClaimCanFail(dong2019, 'traces-converged', {
      pass: { trace_rel_sem_max: 0.1 },
      fail: { trace_rel_sem_max: 0.6 },
    });
  });
});
