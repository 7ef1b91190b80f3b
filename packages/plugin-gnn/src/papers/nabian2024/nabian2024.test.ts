import {
  expectClaimCanFail,
  expectGapClaim,
  expectSeedDeterminism,
  suiteEnvironment,
} from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { nabian2024 } from './experiment.js';

describe('gnn/nabian2024', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: runs, deterministic; L-hop halos reproduce the full graph, shorter halos do not', async () => {
    const r = await expectSeedDeterminism(env, 'gnn/nabian2024', { differs: 'mse_full' });
    expect(r.scalars.out_err_halo_max).toBeLessThanOrEqual(1e-5);
    expect(r.scalars.grad_err_halo_max).toBeLessThanOrEqual(1e-5);
    expect(r.scalars.out_err_short_min).toBeGreaterThan(1e-5);
    expect(r.series!.seeds).toHaveLength(2);
  });

  it('halo-equals-full: outputs, loss and gradients within 1e-5 on the worst seed', () => {
    const ok = { out_err_halo_max: 0, loss_err_halo_max: 3e-7, grad_err_halo_max: 1e-6 };
    expectClaimCanFail(nabian2024, 'halo-equals-full', {
      pass: ok,
      fail: { ...ok, grad_err_halo_max: 1e-3 },
    });
    expectClaimCanFail(nabian2024, 'halo-equals-full', { pass: ok, fail: { ...ok, out_err_halo_max: 0.01 } });
  });

  it('short-halo-detected: an (L − 1)-hop halo is off by at least 10× the tolerance', () => {
    expectClaimCanFail(nabian2024, 'short-halo-detected', {
      pass: { out_err_short_min: 2e-4 },
      fail: { out_err_short_min: 2e-6 },
    });
  });

  it('no-halo-seam-errors: paired log seam/interior ratio gap > 0 by 2 s.e.; needs 2 seeds', () => {
    expectGapClaim(nabian2024, 'no-halo-seam-errors', {
      key: 'seam_log_ratio_gap',
      base: { seeds: 3, seam_ratio_full: 1.5 },
      derived: (gap) => ({ seam_ratio_nohalo: 1.5 * Math.exp(gap) }),
      pass: [0.5, 0.1],
      fail: [-0.5, 0.1],
      straddle: [0.05, 0.1],
      inconclusive: [{ seeds: 1 }],
    });
  });

  it('multiscale-improves: relative MSE gain > 0 by 2 s.e.; needs a trained full-graph model', () => {
    expectGapClaim(nabian2024, 'multiscale-improves', {
      key: 'multiscale_gain',
      base: { seeds: 3, r2_full: 0.8 },
      pass: [0.3, 0.05],
      fail: [-0.3, 0.05],
      straddle: [0.05, 0.05],
      inconclusive: [{ r2_full: 0.1 }],
    });
  });

  it('model-learns: full-graph test R² ≥ 0.3', () => {
    expectClaimCanFail(nabian2024, 'model-learns', {
      pass: { r2_full: 0.7 },
      fail: { r2_full: 0.05 },
    });
  });
});
