import { expectClaimCanFail, expectSmoke, suiteEnvironment } from '@paperlab/core/testing';
import { describe, it } from 'vitest';
import plugin from '../../index.js';

describe('physics/goel2026', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: data, both encoders, tailoring and least squares all run; deterministic; no leak', async () => {
    await expectSmoke(env, 'physics/goel2026', {
      differs: 'err_sup_id',
      finite: ['err_sup_id', 'err_tt_ood', 'err_ls_ext', 'err_plain_id', 'gain_ood_minus_id', 'ls_clean_err'],
      // One seed and 16 trajectories: too small for the paper claims.
      verdicts: { 'tailoring-helps-most-ood': 'inconclusive' },
    });
  });

  it('every claim can fail: doctored scalars on both sides of its rule, and too small or untrained runs', () => {
    const exp = env.lab.experiment('physics/goel2026');
    const ok = { seeds: 3, train_size: 384, err_sup_id: 0.05 };
    const small = { seeds: 1 };
    const untrained = { err_sup_id: 0.4 };
    expectClaimCanFail(exp, 'tailoring-helps-most-ood', {
      base: { ...ok, gain_ood_minus_id: 0.05, gain_ood_minus_id_sem: 0.01 },
      pass: {},
      fail: { gain_ood_minus_id: -0.05 },
      inconclusive: [small, untrained],
    });
    expectClaimCanFail(exp, 'two-stage-beats-supervised-ood', {
      base: { ...ok, gain_ood: 0.04, gain_ood_sem: 0.01 },
      pass: {},
      fail: { gain_ood: -0.04 },
      inconclusive: [{ gain_ood: 0.01 }],
    });
    expectClaimCanFail(exp, 'derivative-features-help', {
      base: { ...ok, deriv_gap: 0.1, deriv_gap_sem: 0.02 },
      pass: {},
      fail: { deriv_gap: -0.1 },
      inconclusive: [untrained],
    });
    expectClaimCanFail(exp, 'ls-recovers-clean', {
      pass: { ls_clean_err: 0.005 },
      fail: { ls_clean_err: 0.1 },
    });
  });
});
