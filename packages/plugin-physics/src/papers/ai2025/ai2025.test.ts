import { expectClaimCanFail, expectSmoke, gapClaims, suiteEnvironment } from '@paperlab/core/testing';
import { describe, it } from 'vitest';
import plugin from '../../index.js';

describe('physics/ai2025', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: four discriminators at two rates and two energy bands; deterministic; no leak', async () => {
    await expectSmoke(env, 'physics/ai2025', {
      differs: 'acc_lin_low_full',
      finite: [
        'acc_cc_low_full',
        'acc_fga_high_coarse',
        'acc_lin_low_coarse',
        'acc_mlp_high_full',
        'drop_gap',
      ],
      verdicts: { 'spectrum-beats-classic-low': 'inconclusive' },
    });
  });

  it('every claim can fail: doctored scalars on both sides of its rule, and too small a run', () => {
    const exp = env.lab.experiment('physics/ai2025');
    const ok = { seeds: 3, coarse_factor: 8 };
    // Both gaps must clear the bar: the FGA gap is judged with the CC gap passing, and vice versa.
    gapClaims(exp, { ...ok, gap_cc: 0.05, gap_cc_sem: 0.01 })('spectrum-beats-classic-low', 'gap_fga', {
      pass: [0.08, 0.01],
      fail: [-0.05, 0.01],
      inconclusive: [{ gap_cc: 0.01 }, { seeds: 1 }],
    });
    gapClaims(exp, ok)('spectrum-degrades-least', 'drop_gap', {
      pass: [0.04, 0.01],
      inconclusive: [{ coarse_factor: 2 }],
    });
    expectClaimCanFail(exp, 'high-energy-separable', { pass: { high_min: 0.99 }, fail: { high_min: 0.8 } });
  });
});
