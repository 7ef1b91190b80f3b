import { Rng } from '@paperlab/core';
import { describe, expect, it } from 'vitest';
import { complexClebschGordan, realClebschGordan } from './clebschGordan.js';
import { shCount, sphereGrid, sphericalHarmonics } from './sphericalHarmonics.js';
import { cgTensorProduct, gauntGrid, gauntTensorProduct, tpPaths } from './tensorProducts.js';
import { eulerRotation, matmul3, rotate, rotateFeatures, wignerD } from './wigner.js';

const rand = (rng: Rng, n: number) => Float64Array.from({ length: n }, () => rng.normal());
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

describe('equivariance toolkit', () => {
  it('real harmonics are orthonormal under the sphere quadrature and match closed forms for l = 1', () => {
    const L = 4;
    const g = sphereGrid(2 * L);
    const n = shCount(L);
    const gram = new Float64Array(n * n);
    g.points.forEach((p, q) => {
      const y = sphericalHarmonics(L, p);
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) gram[a * n + b]! += g.weights[q]! * y[a]! * y[b]!;
    });
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) expect(gram[a * n + b]).toBeCloseTo(a === b ? 1 : 0, 10);
    const v: [number, number, number] = [0.3, -0.5, 0.8];
    const r = Math.hypot(...v);
    const y = sphericalHarmonics(1, v);
    const c = Math.sqrt(3 / (4 * Math.PI));
    // m = −1, 0, 1 ∝ y, z, x
    expect(y[1]).toBeCloseTo((c * v[1]) / r, 12);
    expect(y[2]).toBeCloseTo((c * v[2]) / r, 12);
    expect(y[3]).toBeCloseTo((c * v[0]) / r, 12);
  });

  it('Wigner-D matrices are orthogonal, a homomorphism, and rotate harmonics: Y(Rx) = D(R)Y(x)', () => {
    const L = 3;
    const [R1, R2] = [eulerRotation(0.3, 1.1, -0.7), eulerRotation(-1.2, 0.4, 2.2)];
    const [D1, D2] = [wignerD(L, R1), wignerD(L, R2)];
    const D12 = wignerD(L, matmul3(R1, R2));
    const x = sphericalHarmonics(L, [0.2, 0.9, -0.4]);
    expect(maxDiff(rotateFeatures(D1, rotateFeatures(D2, x)), rotateFeatures(D12, x))).toBeLessThan(1e-12);
    expect(maxDiff(sphericalHarmonics(L, rotate(R1, [0.2, 0.9, -0.4])), rotateFeatures(D1, x))).toBeLessThan(
      1e-12,
    );
    const l = 2;
    const d = 5;
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += D1[l]![k * d + a]! * D1[l]![k * d + b]!;
        expect(s).toBeCloseTo(a === b ? 1 : 0, 12);
      }
  });

  it('complex CG coefficients match known values', () => {
    expect(complexClebschGordan(1, 1, 1, -1, 0, 0)).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(complexClebschGordan(1, 1, 1, -1, 1, 0)).toBeCloseTo(1 / Math.sqrt(2), 12);
    expect(complexClebschGordan(1, 0, 1, 0, 1, 0)).toBeCloseTo(0, 12);
    expect(complexClebschGordan(1, 0, 1, 0, 2, 0)).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(complexClebschGordan(2, 1, 1, 0, 2, 1)).toBeCloseTo(1 / Math.sqrt(6), 12);
  });

  it('real CG and Gaunt tensor products are equivariant to float tolerance; only CG has the odd paths', () => {
    const rng = new Rng(7);
    const L = 3;
    const R = eulerRotation(0.8, -1.3, 0.5);
    const D = wignerD(L, R);
    const [x, y] = [rand(rng, shCount(L)), rand(rng, shCount(L))];
    const g = gauntGrid(L, L, L);
    const [Dx, Dy] = [rotateFeatures(D, x), rotateFeatures(D, y)];
    for (const tp of [
      (a: Float64Array, b: Float64Array) => cgTensorProduct(a, L, b, L, L),
      (a: Float64Array, b: Float64Array) => gauntTensorProduct(a, b, g),
    ])
      expect(maxDiff(tp(Dx, Dy), rotateFeatures(D, tp(x, y)))).toBeLessThan(1e-10);
    // The 1 ⊗ 1 → 1 CG path is the cross product (up to scale); Gaunt has no such path.
    const C = realClebschGordan(1, 1, 1);
    const a = [0, 0.3, -1.2, 0.5];
    const b = [0, 0.7, 0.4, -0.9];
    const z = cgTensorProduct(
      a,
      1,
      b,
      1,
      1,
      tpPaths(1, 1, 1).map((p) => (p.l1 === 1 && p.l2 === 1 && p.l3 === 1 ? 1 : 0)),
    );
    // Real l = 1 order is (y, z, x).
    const [ay, az, ax] = [a[1]!, a[2]!, a[3]!];
    const [by, bz, bx] = [b[1]!, b[2]!, b[3]!];
    const cross = [az * bx - ax * bz, ax * by - ay * bx, ay * bz - az * by]; // (y, z, x) components of a × b
    const ratio = z[1]! / cross[0]!;
    for (let k = 0; k < 3; k++) expect(z[1 + k]).toBeCloseTo(ratio * cross[k]!, 10);
    expect(Math.abs(ratio)).toBeGreaterThan(0.1);
    expect(C.some((v) => Math.abs(v) > 0.1)).toBe(true);
    const gz = gauntTensorProduct(a, b, gauntGrid(1, 1, 1));
    expect(Math.max(...Array.from(gz.slice(1, 4), Math.abs))).toBeLessThan(1e-12);
  });
});
