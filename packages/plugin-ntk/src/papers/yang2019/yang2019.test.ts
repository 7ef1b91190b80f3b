import { expectClaimCanFail, itSmokes, suiteEnvironment, underRevisedRules } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { expectBothRulesCanFail, expectVerdict } from '../../__tests__/claimCases.js';
import { expectNoneFails, itRunsCi } from '../../__tests__/paperRuns.js';
import plugin from '../../index.js';

describe('ntk/yang2019', () => {
  const env = suiteEnvironment([plugin]);

  itSmokes(env, 'ntk/yang2019', {
    differs: 'tied_err_widest',
    finite: ['tied_slope', 'untied_slope', 'tied_err_widest', 'ks_semicircle_largest', 'ks_mp_largest'],
    claims: ['rnn-nngp-tied', 'tied-equals-untied', 'semicircle-law', 'marchenko-pastur-law'],
    checks: (r) => {
      expect(r.series!.cells).toHaveLength(3 * 2);
    },
  });

  itRunsCi(
    env,
    'ntk/yang2019',
    ' (widths 64–1024, 6 seeds): no claim fails, the random-matrix controls reproduce',
    ({ result }) => {
      expectNoneFails(result);
      for (const c of result.claims.filter((c) => c.kind === 'control'))
        expect(c.verdict, c.id).toBe('reproduced');
    },
  );

  it('each claim can pass, fail, or be inconclusive on doctored scalars (a plateau, a different tied limit, a wrong law)', () => {
    const exp = env.lab.experiment('ntk/yang2019');
    const good = {
      n_widths: 7,
      width_min: 64,
      width_max: 4096,
      tied_slope: -0.53,
      tied_slope_sem: 0.03,
      untied_slope: -0.45,
      untied_slope_sem: 0.02,
      log_ratio_widest: Math.log(0.64),
      log_ratio_widest_sem: 0.1,
      seeds: 3,
      tied_err_narrowest: 0.28,
      tied_err_widest: 0.035,
      untied_err_narrowest: 0.29,
      untied_err_widest: 0.055,
      tied_vs_untied_widest: 0.07,
      spectrum_n_min: 256,
      spectrum_n_max: 1024,
      ks_semicircle_smallest: 0.01,
      ks_semicircle_largest: 0.003,
      ks_semicircle_gaussian_largest: 0.043,
      ks_mp_smallest: 0.012,
      ks_mp_largest: 0.003,
      ks_mp_gaussian_largest: 0.1,
    };
    const small = { ...good, n_widths: 2 };
    const revised = underRevisedRules(exp);
    expectBothRulesCanFail(exp, 'rnn-nngp-tied', {
      base: good,
      pass: {},
      fail: { tied_slope: -0.1 },
      inconclusive: [small],
    });
    expectBothRulesCanFail(exp, 'tied-equals-untied', {
      base: good,
      pass: {},
      fail: { tied_err_widest: 0.2, log_ratio_widest: Math.log(5) },
      inconclusive: [small],
    });
    // Revised: a slope or a ratio whose ±2 s.e. interval straddles the window decides nothing.
    const straddle = [
      { ...good, tied_slope: -0.38, tied_slope_sem: 0.05 },
      { ...good, log_ratio_widest: Math.log(1.8), log_ratio_widest_sem: 0.2 },
    ];
    expectVerdict(revised, 'rnn-nngp-tied', straddle[0]!, 'inconclusive');
    expectVerdict(revised, 'tied-equals-untied', straddle[1]!, 'inconclusive');
    expectVerdict(exp, 'tied-equals-untied', straddle[1]!, 'reproduced');
    expectClaimCanFail(exp, 'semicircle-law', {
      base: good,
      pass: {},
      fail: { ks_semicircle_largest: 0.03 },
      inconclusive: [{ ks_semicircle_largest: Number.NaN }],
    });
    expectClaimCanFail(exp, 'marchenko-pastur-law', {
      pass: good,
      fail: { ...good, ks_mp_largest: 0.08 },
      inconclusive: [{ spectrum_n_min: 256 }],
    });
  });
});
