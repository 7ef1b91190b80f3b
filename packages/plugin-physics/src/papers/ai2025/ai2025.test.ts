import { expectClaimCanFail, expectSmoke, suiteEnvironment } from '@paperlab/core/testing';
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
    const gaps = { gap_cc: 0.05, gap_cc_sem: 0.01, gap_fga: 0.08, gap_fga_sem: 0.01 };
    expectClaimCanFail(exp, 'spectrum-beats-classic-low', {
      base: { ...ok, ...gaps },
      pass: {},
      fail: { gap_fga: -0.05 },
      inconclusive: [{ gap_cc: 0.01 }, { seeds: 1 }],
    });
    expectClaimCanFail(exp, 'spectrum-degrades-least', {
      base: { ...ok, drop_gap: 0.04, drop_gap_sem: 0.01 },
      pass: {},
      fail: { drop_gap: -0.04 },
      inconclusive: [{ coarse_factor: 2 }],
    });
    expectClaimCanFail(exp, 'high-energy-separable', { pass: { high_min: 0.99 }, fail: { high_min: 0.8 } });
  });
});
