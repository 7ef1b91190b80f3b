import { expectClaimCanFail, expectSeedDeterminism, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';

describe('physics/goel2026', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: data, both encoders, tailoring and least squares all run; deterministic; no leak', async () => {
    const r = await expectSeedDeterminism(env, 'physics/goel2026', { differs: 'err_sup_id' });
    for (const k of [
      'err_sup_id',
      'err_tt_ood',
      'err_ls_ext',
      'err_plain_id',
      'gain_ood_minus_id',
      'ls_clean_err',
    ])
      expect(Number.isFinite(r.scalars[k]), k).toBe(true);
    const verdict = (id: string) => r.claims.find((c) => c.id === id)?.verdict;
    // One seed and 16 trajectories: too small for the paper claims.
    expect(verdict('tailoring-helps-most-ood')).toBe('inconclusive');
  });

  it('every claim can fail: doctored scalars on both sides of its rule, and too small or untrained runs', () => {
    const exp = env.lab.experiment('physics/goel2026');
    const ok = { seeds: 3, train_size: 384, err_sup_id: 0.05 };
    const small = { ...ok, seeds: 1 };
    const untrained = { ...ok, err_sup_id: 0.4 };
    expectClaimCanFail(exp, 'tailoring-helps-most-ood', {
      pass: { ...ok, gain_ood_minus_id: 0.05, gain_ood_minus_id_sem: 0.01 },
      fail: { ...ok, gain_ood_minus_id: -0.05, gain_ood_minus_id_sem: 0.01 },
      inconclusive: [
        { ...small, gain_ood_minus_id: 0.05, gain_ood_minus_id_sem: 0.01 },
        { ...untrained, gain_ood_minus_id: 0.05, gain_ood_minus_id_sem: 0.01 },
      ],
    });
    expectClaimCanFail(exp, 'two-stage-beats-supervised-ood', {
      pass: { ...ok, gain_ood: 0.04, gain_ood_sem: 0.01 },
      fail: { ...ok, gain_ood: -0.04, gain_ood_sem: 0.01 },
      inconclusive: [{ ...ok, gain_ood: 0.01, gain_ood_sem: 0.01 }],
    });
    expectClaimCanFail(exp, 'derivative-features-help', {
      pass: { ...ok, deriv_gap: 0.1, deriv_gap_sem: 0.02 },
      fail: { ...ok, deriv_gap: -0.1, deriv_gap_sem: 0.02 },
      inconclusive: [{ ...untrained, deriv_gap: 0.1, deriv_gap_sem: 0.02 }],
    });
    expectClaimCanFail(exp, 'ls-recovers-clean', {
      pass: { ls_clean_err: 0.005 },
      fail: { ls_clean_err: 0.1 },
    });
  });
});
