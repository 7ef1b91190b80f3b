import { expectClaimCanFail, expectSmoke, gapClaims, suiteEnvironment } from '@paperlab/core/testing';
import { describe, it } from 'vitest';
import plugin from '../../index.js';

describe('physics/stock2024', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: SINDy, PINN and BPINN run at every noise level; deterministic; no leak', async () => {
    await expectSmoke(env, 'physics/stock2024', {
      differs: 'err_bpinn_noisy',
      finite: ['err_sindy_clean', 'err_pinn_noisy', 'err_bpinn_noisy', 'gap_sindy', 'coverage', 'data_rmse'],
      verdicts: { 'bpinn-beats-sindy-noisy': 'inconclusive' },
    });
  });

  it('every claim can fail: doctored scalars on both sides of its rule, and too small a run', () => {
    const exp = env.lab.experiment('physics/stock2024');
    const ok = { seeds: 3, steps: 2000, noise_max: 0.1 };
    const gap = gapClaims(exp, ok);
    gap('bpinn-beats-sindy-noisy', 'gap_sindy', {
      pass: [1.8, 0.2],
      fail: [0.3, 0.1],
      straddle: [1.2, 0.2],
      inconclusive: [{ seeds: 1 }],
    });
    gap('bpinn-beats-pinn-noisy', 'gap_pinn', { pass: [0.5, 0.1], inconclusive: [{ noise_max: 0.01 }] });
    expectClaimCanFail(exp, 'bpinn-intervals-cover', {
      base: ok,
      pass: { coverage: 0.9, coverage_n: 12 },
      fail: { coverage: 0.3, coverage_n: 12 },
      inconclusive: [{ seeds: 1, coverage: 0.9, coverage_n: 4 }],
    });
    const clean = { err_sindy_clean: 0.01, err_pinn_clean: 0.02, err_bpinn_clean: 0.02 };
    expectClaimCanFail(exp, 'all-agree-clean', {
      base: { ...ok, ...clean },
      pass: {},
      fail: { err_pinn_clean: 0.2 },
      inconclusive: [{ steps: 10 }],
    });
    expectClaimCanFail(exp, 'bpinn-fits-noise-level', {
      base: ok,
      pass: { data_rmse: 1.02 },
      fail: { data_rmse: 3 },
    });
  });
});
