import { expectClaimCanFail, expectSeedDeterminism, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';

describe('physics/stock2024', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: SINDy, PINN and BPINN run at every noise level; deterministic; no leak', async () => {
    const r = await expectSeedDeterminism(env, 'physics/stock2024', { differs: 'err_bpinn_noisy' });
    for (const k of [
      'err_sindy_clean',
      'err_pinn_noisy',
      'err_bpinn_noisy',
      'gap_sindy',
      'coverage',
      'data_rmse',
    ])
      expect(Number.isFinite(r.scalars[k]), k).toBe(true);
    expect(r.claims.find((c) => c.id === 'bpinn-beats-sindy-noisy')?.verdict).toBe('inconclusive');
  });

  it('every claim can fail: doctored scalars on both sides of its rule, and too small a run', () => {
    const exp = env.lab.experiment('physics/stock2024');
    const ok = { seeds: 3, steps: 2000, noise_max: 0.1 };
    const small = { ...ok, seeds: 1 };
    expectClaimCanFail(exp, 'bpinn-beats-sindy-noisy', {
      pass: { ...ok, gap_sindy: 1.8, gap_sindy_sem: 0.2 },
      fail: { ...ok, gap_sindy: 0.3, gap_sindy_sem: 0.1 },
      inconclusive: [
        { ...small, gap_sindy: 1.8, gap_sindy_sem: 0.2 },
        { ...ok, gap_sindy: 1.2, gap_sindy_sem: 0.2 },
      ],
    });
    expectClaimCanFail(exp, 'bpinn-beats-pinn-noisy', {
      pass: { ...ok, gap_pinn: 0.5, gap_pinn_sem: 0.1 },
      fail: { ...ok, gap_pinn: -0.5, gap_pinn_sem: 0.1 },
      inconclusive: [{ ...ok, noise_max: 0.01, gap_pinn: 0.5, gap_pinn_sem: 0.1 }],
    });
    expectClaimCanFail(exp, 'bpinn-intervals-cover', {
      pass: { ...ok, coverage: 0.9, coverage_n: 12 },
      fail: { ...ok, coverage: 0.3, coverage_n: 12 },
      inconclusive: [{ ...small, coverage: 0.9, coverage_n: 4 }],
    });
    const clean = { err_sindy_clean: 0.01, err_pinn_clean: 0.02, err_bpinn_clean: 0.02 };
    expectClaimCanFail(exp, 'all-agree-clean', {
      pass: { ...ok, ...clean },
      fail: { ...ok, ...clean, err_pinn_clean: 0.2 },
      inconclusive: [{ ...ok, steps: 10, ...clean }],
    });
    expectClaimCanFail(exp, 'bpinn-fits-noise-level', {
      pass: { ...ok, data_rmse: 1.02 },
      fail: { ...ok, data_rmse: 3 },
    });
  });
});
