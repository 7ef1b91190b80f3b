import { expectClaimCanFail, expectSeedDeterminism, suiteEnvironment } from '@paperlab/core/testing';
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
    const at = (gap: number, sem: number, seeds = 3) => ({
      seeds,
      seam_log_ratio_gap: gap,
      seam_log_ratio_gap_sem: sem,
      seam_ratio_full: 1.5,
      seam_ratio_nohalo: 1.5 * Math.exp(gap),
    });
    expectClaimCanFail(nabian2024, 'no-halo-seam-errors', {
      pass: at(0.5, 0.1),
      fail: at(-0.5, 0.1),
      inconclusive: [at(0.05, 0.1), at(0.5, 0.1, 1)],
    });
  });

  it('multiscale-improves: relative MSE gain > 0 by 2 s.e.; needs a trained full-graph model', () => {
    const at = (gain: number, sem: number, r2 = 0.8) => ({
      seeds: 3,
      multiscale_gain: gain,
      multiscale_gain_sem: sem,
      r2_full: r2,
    });
    expectClaimCanFail(nabian2024, 'multiscale-improves', {
      pass: at(0.3, 0.05),
      fail: at(-0.3, 0.05),
      inconclusive: [at(0.05, 0.05), at(0.3, 0.05, 0.1)],
    });
  });

  it('model-learns: full-graph test R² ≥ 0.3', () => {
    expectClaimCanFail(nabian2024, 'model-learns', {
      pass: { r2_full: 0.7 },
      fail: { r2_full: 0.05 },
    });
  });
});
