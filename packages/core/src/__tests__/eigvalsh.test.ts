import { describe, expect, it } from 'vitest';
import { eigh } from '../linalg/eigh.js';
import { symmetricEigenvalues } from '../linalg/eigvalsh.js';
import { matFrom } from '../linalg/matrix.js';
import { Rng } from '../rng/rng.js';

function randomSymmetric(n: number, rng: Rng): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const v = rng.normal();
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  return a;
}

describe('symmetricEigenvalues', () => {
  it('matches the full eigensolver on random, low-rank and tiny matrices', () => {
    const rng = new Rng(5);
    for (const n of [1, 2, 3, 17, 120]) {
      const a = randomSymmetric(n, rng.split(n));
      const ref = eigh(matFrom(n, n, a)).values;
      const got = symmetricEigenvalues(a, n);
      for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(ref[i]!, 9);
    }
    // Rank 3 (many exact zeros, the Hessian-bulk situation).
    const n = 60;
    const u = Array.from({ length: 3 }, (_, k) => rng.split(`u${k}`).normals(n));
    const a = new Float64Array(n * n);
    for (const x of u) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j]! += x[i]! * x[j]!;
    const got = symmetricEigenvalues(a, n);
    const ref = eigh(matFrom(n, n, a)).values;
    for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(ref[i]!, 8);
    expect(Math.abs(got[n - 4]!)).toBeLessThan(1e-9);
  });

  it('rejects a wrongly sized input', () => {
    expect(() => symmetricEigenvalues(new Float64Array(5), 2)).toThrow(/2×2/);
  });
});
