import { expectClaimCanFail, itSmokes, suiteEnvironment, underRevisedRules } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { casesOver, expectBothRulesCanFail, expectVerdict } from '../../__tests__/claimCases.js';
import { itRunsCi } from '../../__tests__/paperRuns.js';
import plugin from '../../index.js';

describe('ntk/jacot2018', () => {
  const env = suiteEnvironment([plugin]);

  itSmokes(env, 'ntk/jacot2018', {
    differs: 'dev_init_widest',
    finite: ['dev_init_slope', 'drift_slope', 'pred_err_slope', 'mean_kernel_err', 'nngp_mc_err'],
    claims: [
      'init-deviation-slope',
      'training-drift-slope',
      'gd-mse-prediction',
      'analytic-ntk-matches-mean',
      'nngp-matches-monte-carlo',
    ],
    checks: (r) => {
      expect(r.series!.cells).toHaveLength(2 * 2);
    },
  });

  itRunsCi(
    env,
    'ntk/jacot2018',
    ' (3 widths, 3 seeds): no claim fails; the controls reproduce; ±2 s.e. is too wide to decide',
    ({ result }) => {
      for (const c of result.claims)
        expect(c.verdict, `${c.id}: ${c.measured}`).toBe(
          c.kind === 'control' ? 'reproduced' : 'inconclusive',
        );
      // Under the pre-registered point rules the same run reproduces the paper claims.
      for (const c of result.claims.filter((c) => c.original))
        expect(c.original?.verdict, c.id).toBe('reproduced');
    },
  );

  it('every claim can fail: doctored scalars on both sides of its rule, pre-registered and revised', () => {
    const exp = env.lab.experiment('ntk/jacot2018');
    const revised = underRevisedRules(exp);
    const sweep = { n_widths: 4, width_min: 64, width_max: 4096 };
    const small = { ...sweep, n_widths: 2 };
    const fit = (key: string, slope: number, sem = 0.01) => ({
      [`${key}_slope`]: slope,
      [`${key}_slope_sem`]: sem,
    });
    const slope = (e: typeof exp, id: string, key: string, pass: number, fail: number, straddle?: number) => {
      const cases = casesOver(sweep, fit(key, pass), fit(key, fail), [small]);
      if (straddle !== undefined) cases.inconclusive!.push(fit(key, straddle, 0.05));
      expectClaimCanFail(e, id, cases);
    };
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
    expectBothRulesCanFail(
      exp,
      'gd-mse-prediction',
      casesOver(sweep, pred, { ...pred, pred_err_slope: -0.1 }, [small]),
    );
    expectVerdict(revised, 'gd-mse-prediction', { ...sweep, ...pred, pred_err_slope: -0.3 }, 'inconclusive');
    expectClaimCanFail(exp, 'analytic-ntk-matches-mean', {
      base: { seeds: 4, single_kernel_err: 0.02 },
      pass: { mean_kernel_err: 0.01 },
      fail: { mean_kernel_err: 0.04 },
    });
    expectClaimCanFail(exp, 'nngp-matches-monte-carlo', {
      base: { mc_samples: 256, mc_width: 512, nngp_mc_expected_err: 0.1 },
      pass: { nngp_mc_err: 0.1 },
      fail: { nngp_mc_err: 0.2 },
    });
  });
});
