import { expectClaimCanFail, expectSmoke, gapClaims, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { besselJ0 } from '../../data/fittingTasks.js';
import plugin from '../../index.js';

describe('physics/yang2024', () => {
  const env = suiteEnvironment([plugin]);

  it('J0 matches tabulated values', () => {
    expect(besselJ0(0)).toBeCloseTo(1, 12);
    expect(besselJ0(1)).toBeCloseTo(0.7651976866, 9);
    expect(besselJ0(2.404825557695773)).toBeCloseTo(0, 9);
    expect(besselJ0(10)).toBeCloseTo(-0.2459357645, 9);
  });

  it('smoke: S-KAN, four fixed-basis KANs and the MLP all train; parameter counts matched; deterministic', async () => {
    const r = await expectSmoke(env, 'physics/yang2024', {
      differs: 'nmse_skan',
      finite: ['nmse_skan', 'nmse_bspline', 'nmse_mlp', 'gap_mlp'],
    });
    expect(r.scalars.param_ratio_max).toBeLessThan(0.25);
    // Pruning keeps one family per edge: the shares of the four families sum to 1.
    const shares = ['bspline', 'chebyshev', 'rbf', 'fourier'].reduce(
      (a, f) => a + r.scalars[`share_${f}`]!,
      0,
    );
    expect(shares).toBeCloseTo(1, 6);
  });

  it('every claim can fail: doctored scalars on both sides of its rule, and too small a run', () => {
    const exp = env.lab.experiment('physics/yang2024');
    const ok = { tasks: 7, seeds: 2, steps: 600, nmse_skan: 0.01, nmse_mlp: 0.05 };
    const gaps = (v: number, e = 0.05) =>
      Object.fromEntries(
        ['bspline', 'chebyshev', 'rbf', 'fourier'].flatMap((f) => [
          [`gap_${f}`, v],
          [`gap_${f}_sem`, e],
        ]),
      );
    // Every fixed basis must be beaten: the RBF gap is judged with the other three passing.
    gapClaims(exp, { ...ok, ...gaps(0.3) })('skan-beats-fixed-bases', 'gap_rbf', {
      pass: [0.3, 0.05],
      fail: [-0.4, 0.05],
      straddle: [0.05, 0.05],
      inconclusive: [{ tasks: 2 }, { nmse_skan: 0.8 }],
    });
    gapClaims(exp, ok)('skan-beats-mlp', 'gap_mlp', {
      pass: [0.5, 0.1],
      straddle: [0.1, 0.1],
      inconclusive: [{ seeds: 1 }, { nmse_mlp: 0.9 }],
    });
    expectClaimCanFail(exp, 'parameters-matched', {
      pass: { param_ratio_max: 0.05 },
      fail: { param_ratio_max: 0.4 },
    });
  });
});
