import { expectClaimCanFail, expectSmoke, gapClaims, suiteEnvironment } from '@paperlab/core/testing';
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
    const gap = gapClaims(exp, ok);
    gap('tailoring-helps-most-ood', 'gain_ood_minus_id', {
      pass: [0.05, 0.01],
      inconclusive: [small, untrained],
    });
    gap('two-stage-beats-supervised-ood', 'gain_ood', { pass: [0.04, 0.01], straddle: [0.01, 0.01] });
    gap('derivative-features-help', 'deriv_gap', { pass: [0.1, 0.02], inconclusive: [untrained] });
    expectClaimCanFail(exp, 'ls-recovers-clean', {
      pass: { ls_clean_err: 0.005 },
      fail: { ls_clean_err: 0.1 },
    });
  });
});
