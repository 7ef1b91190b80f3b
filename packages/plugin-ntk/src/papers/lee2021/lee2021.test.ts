import type { RunEnvironment } from '@paperlab/core';
import { createTestEnvironment, expectSeedDeterminism, runChecked } from '@paperlab/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { normalCdf, studentTCdf, studentTLogPdf } from '../../stats/distributions.js';
import { auroc, gpLogMarginal, predict, spectralKernel, tpLogMarginal } from './scaleMixture.js';

describe('ntk/lee2021', () => {
  let env: RunEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment([plugin]);
  });

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

  it('smoke: output shape, same seed gives the same numbers, another seed differs, no tensor leak', async () => {
    const r = await expectSeedDeterminism(env, 'ntk/lee2021', { differs: 'kurtosis_t' });
    expect(r.claims.map((c) => c.id)).toEqual([
      'prior-student-t',
      'same-accuracy',
      'better-nll-under-shift',
      'higher-ood-auroc',
    ]);
    for (const [k, v] of Object.entries(r.scalars)) expect(Number.isFinite(v), k).toBe(true);
  });

  it('ci preset: the prior check reproduces (6000 nets of width 256)', async () => {
    const { result } = await runChecked(env, { experiment: 'ntk/lee2021', preset: 'ci', seed: 0 });
    const prior = result.claims.find((c) => c.id === 'prior-student-t')!;
    expect(prior.verdict, prior.measured).toBe('reproduced');
  });

  it('claims fail on doctored output', () => {
    const exp = env.lab.experiment('ntk/lee2021');
    const prior = exp.claims.find((c) => c.id === 'prior-student-t')!;
    const gaussianOnly = {
      prior_nets: 20_000,
      kurtosis_t: 0.02,
      kurtosis_t_se: 0.05,
      kurtosis_theory: 0.75,
      kurtosis_gauss: 0.01,
      kurtosis_gauss_se: 0.04,
      ks_t: 0.03,
      ks_t_vs_gauss: 0.004,
    };
    expect(prior.check({ scalars: gaussianOnly }, {}).verdict).toBe('not-reproduced');
    const acc = exp.claims.find((c) => c.id === 'same-accuracy')!;
    expect(
      acc.check({ scalars: { n_test: 500, tp_accuracy: 0.85, nngp_ml_accuracy: 0.93 } }, {}).verdict,
    ).toBe('not-reproduced');
  });
});
