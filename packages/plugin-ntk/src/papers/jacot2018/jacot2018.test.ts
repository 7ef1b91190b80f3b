import {
  checkClaim,
  expectClaimCanFail,
  expectSeedDeterminism,
  runChecked,
  suiteEnvironment,
} from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { asRevised } from '../../util/claims.js';

describe('ntk/jacot2018', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: output shape, same seed gives the same numbers, no tensor leak', async () => {
    const r = await expectSeedDeterminism(env, 'ntk/jacot2018', { differs: 'dev_init_widest' });
    expect(r.series!.cells).toHaveLength(2 * 2);
    for (const k of ['dev_init_slope', 'drift_slope', 'pred_err_slope', 'mean_kernel_err', 'nngp_mc_err']) {
      expect(Number.isFinite(r.scalars[k]), k).toBe(true);
    }
    expect(r.claims.map((c) => c.id)).toEqual([
      'init-deviation-slope',
      'training-drift-slope',
      'gd-mse-prediction',
      'analytic-ntk-matches-mean',
      'nngp-matches-monte-carlo',
    ]);
  });

  it('ci preset (3 widths, 3 seeds): no claim fails; the controls reproduce; ±2 s.e. is too wide to decide', async () => {
    const { result } = await runChecked(env, { experiment: 'ntk/jacot2018', preset: 'ci', seed: 0 });
    for (const c of result.claims)
      expect(c.verdict, `${c.id}: ${c.measured}`).toBe(c.kind === 'control' ? 'reproduced' : 'inconclusive');
    // Under the pre-registered point rules the same run reproduces the paper claims.
    for (const c of result.claims.filter((c) => c.original))
      expect(c.original?.verdict, c.id).toBe('reproduced');
  });

  it('every claim can fail: doctored scalars on both sides of its rule, pre-registered and revised', () => {
    const exp = env.lab.experiment('ntk/jacot2018');
    const revised = asRevised(exp);
    const sweep = { n_widths: 4, width_min: 64, width_max: 4096 };
    const small = { ...sweep, n_widths: 2 };
    const slope = (e: typeof exp, id: string, key: string, pass: number, fail: number, straddle?: number) =>
      expectClaimCanFail(e, id, {
        pass: { ...sweep, [`${key}_slope`]: pass, [`${key}_slope_sem`]: 0.01 },
        fail: { ...sweep, [`${key}_slope`]: fail, [`${key}_slope_sem`]: 0.01 },
        inconclusive: [
          { ...small, [`${key}_slope`]: pass, [`${key}_slope_sem`]: 0.01 },
          ...(straddle === undefined
            ? []
            : [{ ...sweep, [`${key}_slope`]: straddle, [`${key}_slope_sem`]: 0.05 }]),
        ],
      });
    // A deviation that does not shrink (e.g. a wrong analytic kernel) gives a flat slope.
    slope(exp, 'init-deviation-slope', 'dev_init', -0.5, -0.05);
    slope(revised, 'init-deviation-slope', 'dev_init', -0.5, -0.05, -0.4);
    // Pre-registered drift window −1/2 ± 0.15: a 1/width drift fails it; the revised window takes it.
    slope(exp, 'training-drift-slope', 'drift', -0.5, -0.8);
    slope(revised, 'training-drift-slope', 'drift', -0.8, -0.1, -0.4);
    const pred = {
      pred_err_slope: -0.5,
      pred_err_slope_sem: 0.05,
      pred_err_narrowest: 0.5,
      pred_err_widest: 0.1,
    };
    for (const e of [exp, revised])
      expectClaimCanFail(e, 'gd-mse-prediction', {
        pass: { ...sweep, ...pred },
        fail: { ...sweep, ...pred, pred_err_slope: -0.1 },
        inconclusive: [{ ...small, ...pred }],
      });
    expect(
      checkClaim(revised, 'gd-mse-prediction', { ...sweep, ...pred, pred_err_slope: -0.3 }).verdict,
    ).toBe('inconclusive');
    expectClaimCanFail(exp, 'analytic-ntk-matches-mean', {
      pass: { seeds: 4, single_kernel_err: 0.02, mean_kernel_err: 0.01 },
      fail: { seeds: 4, single_kernel_err: 0.02, mean_kernel_err: 0.04 },
    });
    const mc = { mc_samples: 256, mc_width: 512, nngp_mc_expected_err: 0.1 };
    expectClaimCanFail(exp, 'nngp-matches-monte-carlo', {
      pass: { ...mc, nngp_mc_err: 0.1 },
      fail: { ...mc, nngp_mc_err: 0.2 },
    });
  });
});
