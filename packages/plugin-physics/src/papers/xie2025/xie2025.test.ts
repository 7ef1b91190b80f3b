import { expectClaimCanFail, expectSmoke, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';

describe('physics/xie2025', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: equivariance, expressivity, tetris and timing all run; deterministic scalars; no leak', async () => {
    const r = await expectSmoke(env, 'physics/xie2025', { differs: 'mirror_gap_cg' });
    expect(r.scalars.eq_err_cg).toBeLessThan(1e-9);
    expect(r.scalars.eq_err_gaunt).toBeLessThan(1e-9);
    // Degree 1: CG has 5 paths; Gaunt lacks the odd one, 1⊗1→1 (the cross product).
    expect(r.scalars.expr_gaunt_lmax).toBeLessThan(r.scalars.expr_cg_lmax!);
    // Even one random network shows the mirror blindness exactly.
    expect(r.scalars.mirror_gap_gaunt).toBeLessThan(1e-9);
    expect(r.scalars.mirror_gap_cg).toBeGreaterThan(1e-3);
    expect(r.series!.timing!.length).toBe(2 * 2);
  });

  it('every claim can fail: doctored outputs on both sides of its rule', () => {
    const exp = env.lab.experiment('physics/xie2025');
    expectClaimCanFail(exp, 'gaunt-loses-expressivity', {
      base: { expr_degrees: 4, expr_cg_lmax: 65 },
      pass: { expr_gaunt_below: 4, expr_gaunt_lmax: 35 },
      fail: { expr_gaunt_below: 3, expr_gaunt_lmax: 65 },
      inconclusive: [{ expr_degrees: 1, expr_gaunt_below: 1, expr_cg_lmax: 5, expr_gaunt_lmax: 3 }],
    });
    expectClaimCanFail(exp, 'gaunt-mirror-blind', {
      base: { seeds: 3, mirror_gap_cg: 0.2, mirror_gap_gaunt: 1e-15, pair_acc_cg: 1, pair_acc_gaunt: 0.5 },
      pass: {},
      fail: { pair_acc_gaunt: 1 },
      inconclusive: [{ seeds: 1 }],
    });
    const rows = (cg6: number) => [
      { kind: 'Clebsch–Gordan TP', L: 1, seconds: 1e-6 },
      { kind: 'Gaunt TP (sphere grid)', L: 1, seconds: 2e-6 },
      { kind: 'Clebsch–Gordan TP', L: 6, seconds: cg6 },
      { kind: 'Gaunt TP (sphere grid)', L: 6, seconds: 1e-4 },
    ];
    expectClaimCanFail(exp, 'runtime-not-asymptotic', {
      pass: { scalars: { l_max: 6 }, series: { timing: rows(2e-4) } },
      fail: { scalars: { l_max: 6 }, series: { timing: rows(2e-2) } },
      inconclusive: [{ scalars: { l_max: 2 }, series: { timing: rows(2e-4) } }],
    });
    expectClaimCanFail(exp, 'both-equivariant', {
      base: { eq_err_cg: 1e-14, l_max: 6 },
      pass: { eq_err_gaunt: 1e-13 },
      fail: { eq_err_gaunt: 1e-3 },
    });
    expectClaimCanFail(exp, 'invariants-exact', {
      base: { rot_inv_err: 1e-13, other_acc_cg: 1 },
      pass: { other_acc_gaunt: 1 },
      fail: { other_acc_gaunt: 0.8 },
    });
  });
});
