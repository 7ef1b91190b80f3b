import { sphereGrid, sphericalHarmonics } from './sphericalHarmonics.js';

/** A 3 × 3 rotation matrix, row-major. */
export type Rotation = readonly number[];

/** The rotation R_z(γ)·R_y(β)·R_z(α) (ZYZ Euler angles). */
export function eulerRotation(alpha: number, beta: number, gamma: number): Rotation {
  const rz = (t: number) => [Math.cos(t), -Math.sin(t), 0, Math.sin(t), Math.cos(t), 0, 0, 0, 1];
  const ry = (t: number) => [Math.cos(t), 0, Math.sin(t), 0, 1, 0, -Math.sin(t), 0, Math.cos(t)];
  return matmul3(rz(gamma), matmul3(ry(beta), rz(alpha)));
}

/** Product of two 3 × 3 matrices. */
export function matmul3(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) out[i * 3 + j]! += a[i * 3 + k]! * b[k * 3 + j]!;
  return out;
}

/** R·v. */
export function rotate(R: Rotation, v: readonly [number, number, number]): [number, number, number] {
  return [0, 1, 2].map((i) => R[i * 3]! * v[0] + R[i * 3 + 1]! * v[1] + R[i * 3 + 2]! * v[2]) as [
    number,
    number,
    number,
  ];
}

/**
 * The real Wigner-D matrices D^l(R) for l ≤ L, defined by Y_l(R·x) = D^l(R)·Y_l(x), computed numerically as
 * Σ_q w_q Y_l(R x_q) Y_l(x_q)ᵀ on a quadrature exact for degree 2L (orthonormality makes this exact). Each D^l is
 * row-major (2l + 1)²; the whole set is returned by degree.
 */
export function wignerD(L: number, R: Rotation): Float64Array[] {
  const grid = sphereGrid(2 * L);
  const out = Array.from({ length: L + 1 }, (_, l) => new Float64Array((2 * l + 1) ** 2));
  grid.points.forEach((p, q) => {
    const y = sphericalHarmonics(L, p);
    const yr = sphericalHarmonics(L, rotate(R, p));
    const w = grid.weights[q]!;
    for (let l = 0; l <= L; l++) {
      const d = 2 * l + 1;
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++) out[l]![a * d + b]! += w * yr[l * l + a]! * y[l * l + b]!;
    }
  });
  return out;
}

/** Applies D(R) to a feature vector holding every degree ≤ L (length (L + 1)²). */
export function rotateFeatures(D: readonly Float64Array[], x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  D.forEach((Dl, l) => {
    const d = 2 * l + 1;
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += Dl[a * d + b]! * x[l * l + b]!;
      out[l * l + a] = s;
    }
  });
  return out;
}
