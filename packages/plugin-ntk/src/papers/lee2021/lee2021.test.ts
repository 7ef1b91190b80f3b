import { expectClaimCanFail, itSmokes, suiteEnvironment, underRevisedRules } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { expectBothRulesCanFail, expectVerdict } from '../../__tests__/claimCases.js';
import { itRunsCi } from '../../__tests__/paperRuns.js';
import plugin from '../../index.js';
import { auroc } from '../../stats/auroc.js';
import { normalCdf, studentTCdf, studentTLogPdf } from '../../stats/distributions.js';
import { gpLogMarginal, predict, spectralKernel, tpLogMarginal } from './scaleMixture.js';

describe('ntk/lee2021', () => {
  const env = suiteEnvironment([plugin]);

  it('distribution helpers: t CDF/pdf and the normal CDF agree with known values', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(studentTCdf(2.228139, 10)).toBeCloseTo(0.975, 6); // t_{0.975, 10}
    expect(studentTCdf(-1, 1)).toBeCloseTo(0.25, 10); // Cauchy
    expect(studentTLogPdf(0, 1, 0, 1)).toBeCloseTo(-Math.log(Math.PI), 10);
    expect(auroc([3, 4], [1, 2])).toBe(1);
    expect(auroc([1, 2], [1, 2])).toBe(0.5);
  });

  it('spectral GP/TP: the t-process marginal likelihood tends to the GP one as a, b → ∞ with b/a fixed', () => {
    const n = 5;
    const K = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) K[i * n + j] = Math.exp(-((i - j) ** 2) / 3);
    const Y = Float64Array.from({ length: n * 2 }, (_, i) => Math.sin(i));
    const sk = spectralKernel(K, n, Y, 2);
    const r = 0.1;
    const { scale, logMl } = gpLogMarginal(sk, r);
    // σ² ~ InvGamma(a, a·scale) concentrates at `scale` as a → ∞.
    expect(tpLogMarginal(sk, r, 1e7, 1e7 * scale)).toBeCloseTo(logMl, 3);
    // Predicting the training points with tiny noise interpolates the targets.
    const p = predict(sk, 1e-9, K, new Float64Array(n).fill(1));
    for (let i = 0; i < n * 2; i++) expect(p.mean[i]).toBeCloseTo(Y[i]!, 5);
  });

  itSmokes(env, 'ntk/lee2021', {
    differs: 'kurtosis_t',
    finite: 'all',
    claims: ['prior-student-t', 'same-accuracy', 'better-nll-under-shift', 'higher-ood-auroc'],
  });

  itRunsCi(env, 'ntk/lee2021', ': the prior check reproduces (6000 nets of width 256)', ({ claim }) => {
    const prior = claim('prior-student-t');
    expect(prior.verdict, prior.measured).toBe('reproduced');
  });

  it('every claim can fail: doctored scalars on both sides of its rule, and too small a run', () => {
    const exp = env.lab.experiment('ntk/lee2021');
    const prior = {
      prior_nets: 20_000,
      kurtosis_t: 0.8,
      kurtosis_t_se: 0.1,
      kurtosis_theory: 0.75,
      kurtosis_gauss: 0.01,
      kurtosis_gauss_se: 0.04,
      ks_t: 0.005,
      ks_t_vs_gauss: 0.017,
    };
    // Outputs as Gaussian as the control's: the scale mixture did nothing.
    expectClaimCanFail(exp, 'prior-student-t', {
      base: prior,
      pass: {},
      fail: { kurtosis_t: 0.02, kurtosis_t_se: 0.05, ks_t: 0.03 },
      inconclusive: [{ prior_nets: 300 }],
    });
    const run = { n_train: 1000, n_test: 500 };
    const small = [{ n_train: 60 }, { n_test: 40 }];
    const acc = { ...run, tp_accuracy: 0.928, nngp_ml_accuracy: 0.93, tp_noise: 1e-6, nngp_ml_noise: 1e-6 };
    expectClaimCanFail(exp, 'same-accuracy', {
      base: acc,
      pass: { tp_accuracy: 0.928 },
      fail: { tp_accuracy: 0.85 },
      inconclusive: [{ n_test: 40 }],
    });
    const nll = { nngp_fixed_nll_shift: 0.74, tp_nll: -0.67, nngp_ml_nll: -0.66, nngp_fixed_nll: 0.17 };
    const shifted = (tp: number, se = 0.001) => ({
      ...run,
      ...nll,
      tp_nll_shift: tp,
      nngp_ml_nll_shift: -0.0013,
      nll_shift_gap_sem: se,
    });
    const revised = underRevisedRules(exp);
    expectBothRulesCanFail(exp, 'better-nll-under-shift', (_, isRevised) => ({
      pass: shifted(-0.05),
      // Pre-registered: the measured gain of this reproduction (0.0007 nats) is below the 0.01 margin.
      fail: shifted(isRevised ? 0.01 : -0.002),
      inconclusive: small.map((s) => ({ ...shifted(-0.05), ...s })),
    }));
    // Revised: a gain within 2 s.e. of zero decides nothing; the pre-registered margin calls it not reproduced.
    expectVerdict(revised, 'better-nll-under-shift', shifted(-0.003), 'inconclusive');
    expectVerdict(exp, 'better-nll-under-shift', shifted(-0.003), 'not-reproduced');
    const ood = (tp: number, se = 0.002) => ({
      ...run,
      tp_auroc: tp,
      nngp_ml_auroc: 0.98,
      nngp_fixed_auroc: 0.98,
      auroc_gap_sem: se,
    });
    expectBothRulesCanFail(exp, 'higher-ood-auroc', {
      pass: ood(0.995),
      // A score that is the NNGP's times a constant: identical AUROC in every resample.
      fail: ood(0.98, 0),
      inconclusive: small.map((s) => ({ ...ood(0.995), ...s })),
    });
    expectVerdict(revised, 'higher-ood-auroc', ood(0.983), 'inconclusive');
  });
});
