import { describe, expect, it } from 'vitest';
import { Rng } from '../index.js';
import {
  cholesky,
  conjugateGradient,
  eigh,
  eye,
  lanczos,
  matFrom,
  matmul,
  matvec,
  solveLU,
  solveSPD,
  symmetricFunction,
  transpose,
} from '../linalg/index.js';

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** The n×n tridiagonal matrix tridiag(−1, 2, −1): eigenvalues 2 − 2cos(kπ/(n+1)), k = 1…n. */
function laplacian(n: number) {
  const m = matFrom(n, n, new Float64Array(n * n));
  for (let i = 0; i < n; i++) {
    m.data[i * n + i] = 2;
    if (i + 1 < n) {
      m.data[i * n + i + 1] = -1;
      m.data[(i + 1) * n + i] = -1;
    }
  }
  return m;
}

function randomSpd(n: number, seed: number) {
  const b = matFrom(n, n, new Rng(seed).normals(n * n));
  const a = matmul(b, transpose(b));
  for (let i = 0; i < n; i++) a.data[i * n + i]! += n;
  return a;
}

describe('linear algebra', () => {
  it('cholesky: the textbook 3×3 example has L = [[2,0,0],[6,1,0],[−8,5,3]]', () => {
    const a = matFrom(3, 3, [4, 12, -16, 12, 37, -43, -16, -43, 98]);
    const { L, jitter } = cholesky(a);
    expect(jitter).toBe(0);
    expect(maxAbs(L.data, [2, 0, 0, 6, 1, 0, -8, 5, 3])).toBeLessThan(1e-12);
  });

  it('cholesky: a singular PSD matrix needs (and reports) jitter; an indefinite one is an error', () => {
    const rank1 = matFrom(3, 3, [1, 2, 3, 2, 4, 6, 3, 6, 9]);
    expect(cholesky(rank1).jitter).toBeGreaterThan(0);
    expect(() => cholesky(matFrom(2, 2, [1, 0, 0, -1]))).toThrow(/not positive definite/);
    expect(() => cholesky(matFrom(2, 3, [1, 0, 0, 0, 1, 0]))).toThrow(/not square/);
  });

  it('solveSPD: recovers a known solution and the log-determinant', () => {
    const a = matFrom(3, 3, [4, 12, -16, 12, 37, -43, -16, -43, 98]);
    const x = matFrom(3, 2, [1, -2, 0.5, 3, -1, 0]);
    const { X, logDet } = solveSPD(a, matmul(a, x));
    expect(maxAbs(X.data, x.data)).toBeLessThan(1e-10);
    expect(logDet).toBeCloseTo(2 * Math.log(2 * 1 * 3), 12);
  });

  it('solveLU: needs pivoting (zero leading entry) and agrees with solveSPD on an SPD system', () => {
    const p = matFrom(3, 3, [0, 2, 1, 1, 1, 0, 3, 0, 1]);
    const x = matFrom(3, 1, [1, 2, 3]);
    expect(maxAbs(solveLU(p, matmul(p, x)).data, x.data)).toBeLessThan(1e-12);
    expect(() => solveLU(matFrom(2, 2, [1, 2, 2, 4]), matFrom(2, 1, [1, 1]))).toThrow(/singular/);
    const a = randomSpd(8, 1);
    const b = matFrom(8, 1, new Rng(2).normals(8));
    expect(maxAbs(solveLU(a, b).data, solveSPD(a, b).X.data)).toBeLessThan(1e-10);
  });

  it('eigh: analytic spectrum of tridiag(−1, 2, −1) with orthonormal eigenvectors (A·V = V·Λ)', () => {
    const n = 20;
    const a = laplacian(n);
    const { values, vectors } = eigh(a);
    const expected = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
    expect(maxAbs(values, expected)).toBeLessThan(1e-12);
    const vtv = matmul(transpose(vectors), vectors);
    expect(maxAbs(vtv.data, eye(n).data)).toBeLessThan(1e-12);
    const av = matmul(a, vectors);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++)
        expect(av.data[i * n + k]).toBeCloseTo(vectors.data[i * n + k]! * values[k]!, 12);
  });

  it('eigh + symmetricFunction: reconstructs a random symmetric matrix; the square root squares back', () => {
    const a = randomSpd(10, 3);
    const eig = eigh(a);
    expect(maxAbs(symmetricFunction(eig, (l) => l).data, a.data)).toBeLessThan(1e-10);
    const root = symmetricFunction(eig, Math.sqrt);
    expect(maxAbs(matmul(root, root).data, a.data)).toBeLessThan(1e-9);
  });

  it('conjugateGradient: converges to the Cholesky solution in ≤ n iterations', () => {
    const a = randomSpd(30, 4);
    const b = new Rng(5).normals(30);
    const cg = conjugateGradient((x) => matvec(a, x), b, { tol: 1e-12 });
    expect(cg.converged).toBe(true);
    expect(cg.iterations).toBeLessThanOrEqual(31);
    expect(maxAbs(cg.x, solveSPD(a, matFrom(30, 1, b)).X.data)).toBeLessThan(1e-9);
  });

  it('lanczos: Ritz values after n steps are the exact spectrum; extreme ones converge first; weights sum to 1', () => {
    const n = 40;
    const a = laplacian(n);
    const apply = (x: Float64Array) => matvec(a, x);
    const exact = eigh(a).values;
    const all = lanczos(apply, n, n, new Rng(6));
    expect(maxAbs(all.values, exact)).toBeLessThan(1e-9);
    expect(all.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
    // Well-separated outliers (50, 100 above a bulk in [1, 2]) are found after a few steps.
    const spectrum = Float64Array.from({ length: n }, (_, i) =>
      i === n - 1 ? 100 : i === n - 2 ? 50 : 1 + i / n,
    );
    const few = lanczos((x) => x.map((v, i) => v * spectrum[i]!), n, 12, new Rng(7));
    expect(few.values[few.values.length - 1]).toBeCloseTo(100, 8);
    expect(few.values[few.values.length - 2]).toBeCloseTo(50, 6);
  });
});
