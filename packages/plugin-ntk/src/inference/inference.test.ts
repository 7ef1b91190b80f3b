import { Rng } from '@paperlab/core';
import { eigh, type Mat, matFrom, matmul, solveLU, transpose } from '@paperlab/core/linalg';
import { describe, expect, it } from 'vitest';
import { gradientDescentMse } from './gdMse.js';
import { gradientDescentMseEnsemble } from './gdMseEnsemble.js';
import { gpPosterior } from './gpPosterior.js';
import { kernelRidge } from './kernelRidge.js';
import { kernelSvm, svmDecision } from './kernelSvm.js';

/** A random SPD matrix A = B·Bᵀ + εI and pieces of a joint kernel over train ∪ test. */
function jointKernel(n: number, m: number, seed: number, dim = 3) {
  const rng = new Rng(seed);
  const X = Array.from({ length: n + m }, () => Float64Array.from(rng.normals(dim)));
  const rbf = (a: Float64Array, b: Float64Array) =>
    Math.exp(-0.5 * a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0));
  const lin = (a: Float64Array, b: Float64Array) => 0.3 * a.reduce((s, v, i) => s + v * b[i]!, 0);
  const full = (f: (a: Float64Array, b: Float64Array) => number) =>
    matFrom(
      n + m,
      n + m,
      Array.from({ length: (n + m) ** 2 }, (_, q) => f(X[Math.floor(q / (n + m))]!, X[q % (n + m)]!)),
    );
  const sub = (A: Mat, r0: number, r1: number, c0: number, c1: number) =>
    matFrom(
      r1 - r0,
      c1 - c0,
      Array.from(
        { length: (r1 - r0) * (c1 - c0) },
        (_, q) => A.data[(r0 + Math.floor(q / (c1 - c0))) * (n + m) + c0 + (q % (c1 - c0))]!,
      ),
    );
  const K = full(rbf);
  const T = full((a, b) => rbf(a, b) + lin(a, b) + 0.1);
  return {
    X,
    K,
    T,
    kTrTr: sub(K, 0, n, 0, n),
    kTeTr: sub(K, n, n + m, 0, n),
    kTeTe: sub(K, n, n + m, n, n + m),
    tTrTr: sub(T, 0, n, 0, n),
    tTeTr: sub(T, n, n + m, 0, n),
  };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

describe('gpPosterior', () => {
  it('one training point: closed-form mean, variance and log marginal likelihood', () => {
    const post = gpPosterior({
      kTrainTrain: matFrom(1, 1, [2]),
      kTestTrain: matFrom(1, 1, [1]),
      kTestTest: matFrom(1, 1, [3]),
      yTrain: Float64Array.of(4),
      noise: 0.5,
    });
    expect(post.mean[0]).toBeCloseTo(4 / 2.5, 12);
    expect(post.variance[0]).toBeCloseTo(3 - 1 / 2.5, 12);
    expect(post.logMarginalLikelihood).toBeCloseTo(
      -0.5 * (16 / 2.5) - 0.5 * Math.log(2.5) - 0.5 * Math.log(2 * Math.PI),
      12,
    );
  });

  it('matches direct linear algebra (solveLU, eigen log-determinant) on a random kernel; interpolates without noise', () => {
    const n = 12;
    const m = 5;
    const j = jointKernel(n, m, 1);
    const y = new Rng(2).normals(2 * n);
    const noise = 0.1;
    const post = gpPosterior({
      kTrainTrain: j.kTrTr,
      kTestTrain: j.kTeTr,
      kTestTest: j.kTeTe,
      yTrain: y,
      noise,
    });
    const A = matFrom(
      n,
      n,
      j.kTrTr.data.map((v, q) => v + (q % (n + 1) === 0 ? noise : 0)),
    );
    const alpha = solveLU(A, matFrom(n, 2, y));
    expect(maxAbsDiff(post.mean, matmul(j.kTeTr, alpha).data)).toBeLessThan(1e-10);
    const cov = matmul(j.kTeTr, solveLU(A, transpose(j.kTeTr)));
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++)
        expect(post.covariance!.data[a * m + b]).toBeCloseTo(
          j.kTeTe.data[a * m + b]! - cov.data[a * m + b]!,
          10,
        );
    const logDet = eigh(A).values.reduce((s, v) => s + Math.log(v), 0);
    let fit = 0;
    for (let q = 0; q < 2 * n; q++) fit += y[q]! * alpha.data[q]!;
    expect(post.logMarginalLikelihood).toBeCloseTo(-0.5 * fit - logDet - n * Math.log(2 * Math.PI), 8);
    const interp = gpPosterior({
      kTrainTrain: j.kTrTr,
      kTestTrain: j.kTrTr,
      kTestTest: Float64Array.from({ length: n }, () => 1),
      yTrain: y,
    });
    expect(maxAbsDiff(interp.mean, y)).toBeLessThan(1e-6);
    expect(Math.max(...interp.variance)).toBeLessThan(1e-6);
    expect(interp.covariance).toBeNull();
  });
});

describe('gradientDescentMseEnsemble', () => {
  const n = 10;
  const m = 4;
  const j = jointKernel(n, m, 3);
  const y = new Rng(4).normals(n);
  const base = {
    ntkTrainTrain: j.tTrTr,
    ntkTestTrain: j.tTeTr,
    nngpTrainTrain: j.kTrTr,
    nngpTestTrain: j.kTeTr,
    nngpTestTest: j.kTeTe,
    yTrain: y,
    lr: 1,
  };

  it('t = 0 is the prior; t = ∞ with Θ = K is the noiseless GP posterior', () => {
    const t0 = gradientDescentMseEnsemble(base, { t: 0 });
    expect(maxAbsDiff(t0.mean, new Float64Array(m))).toBeLessThan(1e-12);
    expect(maxAbsDiff(t0.covariance!.data, j.kTeTe.data)).toBeLessThan(1e-12);
    const inf = gradientDescentMseEnsemble(
      { ...base, ntkTrainTrain: j.kTrTr, ntkTestTrain: j.kTeTr },
      { t: Infinity },
    );
    const gp = gpPosterior({ kTrainTrain: j.kTrTr, kTestTrain: j.kTeTr, kTestTest: j.kTeTe, yTrain: y });
    expect(maxAbsDiff(inf.mean, gp.mean)).toBeLessThan(1e-6);
    expect(maxAbsDiff(inf.covariance!.data, gp.covariance!.data)).toBeLessThan(1e-6);
  });

  it('equals the mean and covariance of gradientDescentMse over initial functions f₀ ~ GP(0, K) (Monte Carlo)', () => {
    const time = { steps: 40 };
    const ens = gradientDescentMseEnsemble({ ...base, lr: 2 }, time);
    const ensDiag = gradientDescentMseEnsemble(
      { ...base, lr: 2, nngpTestTest: Float64Array.from({ length: m }, (_, i) => j.kTeTe.data[i * m + i]!) },
      time,
    );
    expect(maxAbsDiff(ensDiag.variance, ens.variance)).toBeLessThan(1e-12);
    // f₀ on train ∪ test = L·z with K = L·Lᵀ (eigen square root).
    const { values, vectors } = eigh(j.K);
    const N = n + m;
    const rng = new Rng(5);
    const S = 4000;
    const mean = new Float64Array(m);
    const second = new Float64Array(m * m);
    for (let s = 0; s < S; s++) {
      const z = rng.normals(N);
      const f0 = new Float64Array(N);
      for (let a = 0; a < N; a++) {
        const w = Math.sqrt(Math.max(values[a]!, 0)) * z[a]!;
        for (let i = 0; i < N; i++) f0[i]! += vectors.data[i * N + a]! * w;
      }
      const p = gradientDescentMse(
        {
          kTrainTrain: j.tTrTr,
          kTestTrain: j.tTeTr,
          yTrain: y,
          f0Train: f0.slice(0, n),
          f0Test: f0.slice(n),
          lr: 2,
        },
        time,
      );
      for (let a = 0; a < m; a++) {
        mean[a]! += p.test[a]! / S;
        for (let b = 0; b < m; b++) second[a * m + b]! += (p.test[a]! * p.test[b]!) / S;
      }
    }
    for (let a = 0; a < m; a++) {
      const sd = Math.sqrt(ens.variance[a]!);
      expect(Math.abs(mean[a]! - ens.mean[a]!)).toBeLessThan((4 * sd) / Math.sqrt(S));
      for (let b = 0; b < m; b++) {
        const cov = second[a * m + b]! - mean[a]! * mean[b]!;
        const scale = Math.sqrt(ens.variance[a]! * ens.variance[b]!);
        expect(Math.abs(cov - ens.covariance!.data[a * m + b]!)).toBeLessThan(
          (5 * scale) / Math.sqrt(S) + 1e-9,
        );
      }
    }
    // The noiseless mean: with f₀ = 0 the deterministic prediction is the ensemble mean.
    const zero = gradientDescentMse(
      {
        kTrainTrain: j.tTrTr,
        kTestTrain: j.tTeTr,
        yTrain: y,
        f0Train: new Float64Array(n),
        f0Test: new Float64Array(m),
        lr: 2,
      },
      time,
    );
    expect(maxAbsDiff(zero.test, ens.mean)).toBeLessThan(1e-10);
  });
});

describe('kernelRidge', () => {
  it('solves (K + λI)α = Y, equals the GP mean with noise λ, and interpolates when ridgeless', () => {
    const n = 15;
    const j = jointKernel(n, 6, 6);
    const y = new Rng(7).normals(n * 2);
    const r = kernelRidge({ kTrainTrain: j.kTrTr, kTestTrain: j.kTeTr, yTrain: y, ridge: 0.3 });
    const A = matFrom(
      n,
      n,
      j.kTrTr.data.map((v, q) => v + (q % (n + 1) === 0 ? 0.3 : 0)),
    );
    expect(maxAbsDiff(matmul(A, matFrom(n, 2, r.alpha)).data, y)).toBeLessThan(1e-10);
    const gp = gpPosterior({
      kTrainTrain: j.kTrTr,
      kTestTrain: j.kTeTr,
      kTestTest: new Float64Array(6),
      yTrain: y,
      noise: 0.3,
    });
    expect(maxAbsDiff(r.predictions, gp.mean)).toBeLessThan(1e-10);
    const ridgeless = kernelRidge({ kTrainTrain: j.kTrTr, kTestTrain: j.kTrTr, yTrain: y });
    expect(maxAbsDiff(ridgeless.predictions, y)).toBeLessThan(1e-6);
    expect(() => kernelRidge({ kTrainTrain: j.kTrTr, yTrain: y, ridge: -1 })).toThrow(/ridge/);
  });
});

describe('kernelSvm', () => {
  it('hard-margin solution of two points by hand: α₁ + α₂ = 1, f(x) = x, primal = dual = ½', () => {
    const K = matFrom(2, 2, [1, -1, -1, 1]);
    const svm = kernelSvm({ kTrainTrain: K, yTrain: [1, -1], C: 10, bias: false, rng: new Rng(1) });
    // x₂ = −x₁: any α₁ + α₂ = 1 gives the same w = 1.
    expect(svm.alpha[0]! + svm.alpha[1]!).toBeCloseTo(1, 8);
    expect(svm.primal).toBeCloseTo(0.5, 8);
    expect(svm.dual).toBeCloseTo(0.5, 8);
    expect(svmDecision(svm, [1, -1], matFrom(1, 2, [3, -3]))[0]).toBeCloseTo(3, 8);
  });

  it('satisfies the KKT conditions with zero duality gap on overlapping classes; deterministic per seed', () => {
    const n = 60;
    const rng = new Rng(8);
    const X = Array.from({ length: n }, (_, i) => {
      const v = rng.normals(2);
      v[0]! += i % 2 === 0 ? 1 : -1;
      return v;
    });
    const y = X.map((_, i) => (i % 2 === 0 ? 1 : -1));
    const K = matFrom(
      n,
      n,
      Array.from({ length: n * n }, (_, q) => {
        const a = X[Math.floor(q / n)]!;
        const b = X[q % n]!;
        return Math.exp(-((a[0]! - b[0]!) ** 2 + (a[1]! - b[1]!) ** 2));
      }),
    );
    const C = 2;
    const svm = kernelSvm({ kTrainTrain: K, yTrain: y, C, tol: 1e-8, rng: new Rng(9) });
    expect(svm.converged).toBe(true);
    expect((svm.primal - svm.dual) / svm.primal).toBeLessThan(1e-5);
    let atBound = 0;
    let free = 0;
    for (let i = 0; i < n; i++) {
      const margin = y[i]! * svm.trainDecision[i]!;
      const a = svm.alpha[i]!;
      if (a === 0) expect(margin).toBeGreaterThan(1 - 1e-6);
      else if (a === C) {
        atBound++;
        expect(margin).toBeLessThan(1 + 1e-6);
      } else {
        free++;
        expect(margin).toBeCloseTo(1, 5);
      }
    }
    expect(atBound).toBeGreaterThan(0); // the classes overlap: some points violate the margin
    expect(free).toBeGreaterThan(0);
    expect(maxAbsDiff(svmDecision(svm, y, K), svm.trainDecision)).toBeLessThan(1e-9);
    const again = kernelSvm({ kTrainTrain: K, yTrain: y, C, tol: 1e-8, rng: new Rng(9) });
    expect(Array.from(again.alpha)).toEqual(Array.from(svm.alpha));
    expect(() => kernelSvm({ kTrainTrain: K, yTrain: y.map(() => 0), rng: new Rng(1) })).toThrow(/±1/);
  });
});
