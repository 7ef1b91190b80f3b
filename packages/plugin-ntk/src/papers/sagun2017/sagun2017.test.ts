import { runExperiment } from '@paperlab/core';
import {
  checkClaim,
  expectClaimCanFail,
  itSmokes,
  suiteEnvironment,
  underRevisedRules,
} from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import type { DoctoredScalars } from '../../__tests__/claimCases.js';
import { expectNoneFails, itRunsCi } from '../../__tests__/paperRuns.js';
import plugin from '../../index.js';

describe('ntk/sagun2017', () => {
  const env = suiteEnvironment([plugin]);

  itSmokes(env, 'ntk/sagun2017', {
    differs: 'max_lambda_min',
    finite: ['min_near_zero_frac', 'min_gap', 'max_gn_rel_diff', 'max_lambda_min', 'max_asymmetry'],
    claims: [
      'bulk-plus-outliers',
      'outliers-track-classes',
      'parameters-scale-bulk',
      'outliers-are-gauss-newton',
      'digits-outliers',
    ],
    checks: (r) => {
      expect(r.series!.by_clusters).toHaveLength(2);
      expect(r.series!.by_width).toHaveLength(2 * 2); // 2 widths × 2 initialisations
      // float32 products: the assembled Hessian is symmetric to round-off.
      expect(r.scalars.max_asymmetry).toBeLessThan(1e-4);
    },
  });

  itRunsCi(
    env,
    'ntk/sagun2017',
    ' (the paper’s mixtures and network, narrower): no mixture claim fails',
    ({ result }) => {
      expectNoneFails(result, ['digits-outliers']);
    },
  );

  it('each claim can pass, fail, or be inconclusive on doctored output', () => {
    const exp = env.lab.experiment('ntk/sagun2017');
    const revised = underRevisedRules(exp);
    // The pre-registered rule fails on the first run's `first_` scalars and passes on better ones; the revised
    // rule passes on both runs' scalars and fails on worse current ones; `small` is inconclusive under both.
    const byRule = (
      id: string,
      both: DoctoredScalars,
      firstBetter: DoctoredScalars,
      nowWorse: DoctoredScalars,
      small: DoctoredScalars,
    ) => {
      expectClaimCanFail(exp, id, { pass: { ...both, ...firstBetter }, fail: both, inconclusive: [small] });
      expectClaimCanFail(revised, id, { pass: both, fail: { ...both, ...nowWorse }, inconclusive: [small] });
    };
    const shape = (p: string, gap: number, contrast: number) => ({
      [`${p}min_near_zero_frac`]: 0.8,
      [`${p}min_gap`]: gap,
      [`${p}min_gap_contrast`]: contrast,
      [`${p}max_outlier_frac`]: 0.01,
    });
    // Pre-registered: gap ≥ 1.5 (with the first run's 500 digits); revised: ≥ 1.25 and ≥ 3× the bulk spacing.
    const bulk = { n_spectra: 5, ...shape('', 1.42, 8.4), ...shape('first_', 1.35, 5) };
    byRule('bulk-plus-outliers', bulk, shape('first_', 1.6, 5), shape('', 1.42, 2), { n_spectra: 3 });
    const byK = (outliers: number[]) => ({
      scalars: {},
      series: { by_clusters: [2, 5, 10].map((k, i) => ({ k, outliers: outliers[i]! })) },
    });
    expectClaimCanFail(exp, 'outliers-track-classes', {
      pass: byK([1, 4, 9]),
      fail: byK([3, 3, 3]),
      inconclusive: [{ scalars: {}, series: { by_clusters: [{ k: 2, outliers: 1 }] } }, { scalars: {} }],
    });
    const narrow = { width: 20, seed: 0, P: 1050, outliers: 9, outlier_mean: 3.2, near_zero_count: 700 };
    const wide = { width: 36, seed: 0, P: 2458, outliers: 9, outlier_mean: 3.1, near_zero_count: 1950 };
    expectClaimCanFail(exp, 'parameters-scale-bulk', {
      pass: { scalars: {}, series: { by_width: [narrow, wide] } },
      fail: { scalars: {}, series: { by_width: [narrow, { ...wide, outliers: 12 }] } },
      inconclusive: [{ scalars: {}, series: { by_width: [narrow] } }],
    });
    const spread = {
      width_seeds: 2,
      outlier_counts_equal: 1,
      outlier_mean_log_spread: Math.log(1.1),
      outlier_mean_log_spread_sem: 0.03,
      near_zero_share_added: 0.89,
    };
    expectClaimCanFail(revised, 'parameters-scale-bulk', {
      base: spread,
      pass: {},
      fail: { outlier_mean_log_spread: Math.log(2) },
      // One network per width gives no spread; a spread whose ±2 s.e. straddles log 1.3 decides nothing.
      inconclusive: [
        { width_seeds: 1 },
        { outlier_mean_log_spread: Math.log(1.25), outlier_mean_log_spread_sem: 0.05 },
      ],
    });
    const gn = {
      max_gn_rel_diff: 0.01,
      max_lambda_min: -0.01,
      min_lambda_min_rel: -0.03,
      max_lambda_min_rel: -0.002,
    };
    expectClaimCanFail(exp, 'outliers-are-gauss-newton', {
      pass: gn,
      fail: { ...gn, max_gn_rel_diff: 0.3 },
      inconclusive: [{ max_lambda_min: -0.01 }],
    });
    const digits = (p: string, outliers: number, gap: number) => ({
      [`${p}digits_outliers`]: outliers,
      [`${p}digits_gap`]: gap,
      [`${p}digits_gap_contrast`]: 8.4,
      [`${p}digits_params`]: 2050,
    });
    // The first run's 500 digits: largest gap after rank 3 (1.35); with 1000 digits: 9 outliers, gap 1.42.
    const both = { ...digits('', 9, 1.42), ...digits('first_', 3, 1.35) };
    byRule('digits-outliers', both, digits('first_', 9, 1.6), digits('', 3, 1.42), { n_spectra: 5 });
    expect(checkClaim(exp, 'digits-outliers', { n_spectra: 5 }).measured).toMatch(/skipped/);
  });

  it('a missing dataset is an error, not random data (refused before a run is recorded)', async () => {
    const run = runExperiment(
      {
        ...env,
        data: {
          open: async (name: string) => Promise.reject(new Error(`dataset ${name} not found`)),
          describe: () => [],
        },
      },
      {
        experiment: 'ntk/sagun2017',
        preset: 'smoke',
        seed: 0,
        backend: 'wasm',
        overrides: ['digits.dataset=mnist', 'clusters=[2]', 'widths=[]'],
      },
    );
    await expect(run).rejects.toThrow(/dataset mnist not found/);
  });
});
