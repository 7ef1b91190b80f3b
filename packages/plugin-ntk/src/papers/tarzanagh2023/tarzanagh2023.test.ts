import { Rng } from '@paperlab/core';
import { expectAllReproduced, expectClaimCanFail, itSmokes, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { itRunsCi } from '../../__tests__/paperRuns.js';
import plugin from '../../index.js';
import {
  cosine,
  fro,
  gradientDirection,
  lossAndGradient,
  nuclearNorm,
  optimalTokens,
  randomAttentionProblem,
} from './attention.js';
import { frobeniusSvmDual, normSvm, svmConstraints } from './attSvm.js';

describe('attention model and attention SVM', () => {
  it('the gradient matches central differences of the loss, and the log-domain direction matches it', () => {
    const p = randomAttentionProblem(new Rng(1), 5, 4, 3);
    const W = Float64Array.from(new Rng(2).normals(9));
    const { grad } = lossAndGradient(p, W);
    const eps = 1e-6;
    for (let k = 0; k < 9; k++) {
      const Wp = Float64Array.from(W);
      const Wm = Float64Array.from(W);
      Wp[k]! += eps;
      Wm[k]! -= eps;
      const fd = (lossAndGradient(p, Wp).loss - lossAndGradient(p, Wm).loss) / (2 * eps);
      expect(grad[k]).toBeCloseTo(fd, 7);
    }
    expect(cosine(gradientDirection(p, W), grad)).toBeCloseTo(1, 12);
  });

  it('the log-domain direction stays exact where the naive gradient underflows', () => {
    const p = randomAttentionProblem(new Rng(3), 4, 3, 4);
    const A = svmConstraints(p, optimalTokens(p));
    const svm = frobeniusSvmDual(A, 4);
    const far = svm.map((x) => x * 2000); // logit gaps in the thousands: e^{-gap} underflows
    expect(fro(lossAndGradient(p, far).grad)).toBe(0);
    const dir = gradientDirection(p, far);
    expect(fro(dir)).toBeCloseTo(1, 12);
    // Descending along it must still increase every margin direction-wise: ⟨−dir, W^mm⟩ > 0.
    expect(cosine(dir, svm)).toBeLessThan(0);
  });

  it('ADMM solves both norm SVMs with a certificate; Frobenius agrees with the dual QP; nuclear has the smaller nuclear norm', () => {
    const p = randomAttentionProblem(new Rng(4), 6, 4, 6);
    const A = svmConstraints(p, optimalTokens(p));
    const F = normSvm(A, 6, 'frobenius');
    const N = normSvm(A, 6, 'nuclear');
    expect(F.gap).toBeLessThan(1e-5);
    expect(N.gap).toBeLessThan(1e-5);
    expect(cosine(F.W, frobeniusSvmDual(A, 6))).toBeGreaterThan(1 - 1e-8);
    for (const a of A) {
      let m = 0;
      for (let k = 0; k < a.length; k++) m += a[k]! * N.W[k]!;
      expect(m).toBeGreaterThanOrEqual(1 - 1e-9);
    }
    expect(fro(F.W)).toBeLessThanOrEqual(fro(N.W) + 1e-9);
    expect(nuclearNorm(N.W, 6)).toBeLessThanOrEqual(nuclearNorm(F.W, 6) + 1e-9);
  });
});

describe('ntk/tarzanagh2023', () => {
  const env = suiteEnvironment([plugin]);

  itSmokes(env, 'ntk/tarzanagh2023', {
    differs: 'w_cos_f_median',
    finite: ['w_cos_f_median', 'kq_cos_n_median', 'random_cos_mean', 'svm_max_gap', 'svm_min_qp_cos'],
    claims: ['w-gd-frobenius-svm', 'kq-gd-nuclear-svm', 'overparametrisation-global'],
    checks: (r) => {
      expect(r.scalars.instances).toBe(4);
      expect(r.series!.global_by_dim).toHaveLength(2);
      expect(r.scalars.svm_max_gap).toBeLessThan(1e-5);
    },
  });

  itRunsCi(env, 'ntk/tarzanagh2023', ' (3000 steps, 12 datasets): every claim reproduces', ({ result }) => {
    expectAllReproduced(result);
  });

  it('each claim can pass, fail, or be inconclusive on doctored output', () => {
    const exp = env.lab.experiment('ntk/tarzanagh2023');
    const base = {
      steps: 10_000,
      w_cos_f_median: 0.9999,
      w_cos_f_min: 0.9996,
      w_cos_f_median_100: 0.88,
      w_cos_n_median: 0.87,
      w_norm_ratio_median: 0.99,
      random_cos_mean: 0.1,
      kq_cos_n_median: 0.99,
      kq_cos_f_median: 0.87,
      kq_prefers_nuclear: 1,
      w_prefers_frobenius: 1,
      svm_cos_fn_median: 0.87,
    };
    expectClaimCanFail(exp, 'w-gd-frobenius-svm', {
      base,
      pass: {},
      fail: { w_cos_f_median: 0.9 },
      inconclusive: [{ w_cos_f_median_100: Number.NaN }],
    });
    // KQ closer to the Frobenius SVM: the norm mismatch the paper rules out.
    expectClaimCanFail(exp, 'kq-gd-nuclear-svm', {
      pass: base,
      fail: { ...base, kq_prefers_nuclear: 0.3 },
      inconclusive: [{ w_prefers_frobenius: 1 }],
    });
    const byDim = (shares: number[]) => ({
      scalars: {},
      series: { global_by_dim: shares.map((w_global, i) => ({ d: 4 * 2 ** i, w_global })) },
    });
    expectClaimCanFail(exp, 'overparametrisation-global', {
      pass: byDim([0.625, 0.875, 1]),
      fail: byDim([1, 0.5]),
      inconclusive: [byDim([1])],
    });
  });
});
