/**
 * Real spherical harmonics Y_lm (orthonormal on the unit sphere, Condon–Shortley phase folded in the usual way:
 * m > 0 ∝ cos(mφ), m < 0 ∝ sin(|m|φ)), ordered l = 0, 1, …, L and m = −l … l within each l, so degree l starts at
 * index l². Defined from the complex harmonics through {@link realBasisChange}, which the Clebsch–Gordan code uses
 * too, so conventions agree by construction.
 */

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/** Associated Legendre P_l^m(x) for 0 ≤ m ≤ l ≤ L with the Condon–Shortley phase; P[l][m]. */
function legendre(L: number, x: number): number[][] {
  const P = Array.from({ length: L + 1 }, () => new Array<number>(L + 1).fill(0));
  const s = Math.sqrt(Math.max(0, 1 - x * x));
  P[0]![0] = 1;
  for (let m = 1; m <= L; m++) P[m]![m] = -(2 * m - 1) * s * P[m - 1]![m - 1]!;
  for (let m = 0; m < L; m++) P[m + 1]![m] = (2 * m + 1) * x * P[m]![m]!;
  for (let m = 0; m <= L; m++)
    for (let l = m + 2; l <= L; l++)
      P[l]![m] = ((2 * l - 1) * x * P[l - 1]![m]! - (l + m - 1) * P[l - 2]![m]!) / (l - m);
  return P;
}

/** Number of real harmonics up to degree L: (L + 1)². */
export function shCount(L: number): number {
  return (L + 1) * (L + 1);
}

/** Complex Y_l^m (re, im) for all l ≤ L, m = −l … l, at a unit vector (Condon–Shortley phase). */
export function complexSphericalHarmonics(
  L: number,
  v: readonly [number, number, number],
): { re: Float64Array; im: Float64Array } {
  const r = Math.hypot(v[0], v[1], v[2]);
  if (!(r > 0)) throw new RangeError('spherical harmonics need a non-zero vector');
  const [x, y, z] = [v[0] / r, v[1] / r, v[2] / r];
  const phi = Math.atan2(y, x);
  const P = legendre(L, z);
  const re = new Float64Array(shCount(L));
  const im = new Float64Array(shCount(L));
  for (let l = 0; l <= L; l++)
    for (let m = 0; m <= l; m++) {
      const N = Math.sqrt(((2 * l + 1) / (4 * Math.PI)) * (factorial(l - m) / factorial(l + m)));
      const [c, s] = [N * P[l]![m]! * Math.cos(m * phi), N * P[l]![m]! * Math.sin(m * phi)];
      re[l * l + l + m] = c;
      im[l * l + l + m] = s;
      // Y_l^{−m} = (−1)^m conj(Y_l^m)
      const sign = m % 2 === 0 ? 1 : -1;
      re[l * l + l - m] = sign * c;
      im[l * l + l - m] = -sign * s;
    }
  return { re, im };
}

/**
 * The unitary U_l with Y_real = U·Y_complex for degree l: row m > 0 is ((−1)^m e_m + e_−m)/√2, row m < 0 is
 * i(e_m − (−1)^m e_−m)/√2, row 0 is e_0. Returned as (re, im) row-major (2l + 1)².
 */
export function realBasisChange(l: number): { re: Float64Array; im: Float64Array } {
  const d = 2 * l + 1;
  const re = new Float64Array(d * d);
  const im = new Float64Array(d * d);
  const h = Math.SQRT1_2;
  for (let m = -l; m <= l; m++) {
    const row = (m + l) * d;
    const sign = Math.abs(m) % 2 === 0 ? 1 : -1;
    if (m === 0) re[row + l] = 1;
    else if (m > 0) {
      re[row + l + m] = sign * h;
      re[row + l - m] = h;
    } else {
      im[row + l + m] = h;
      im[row + l - m] = -sign * h;
    }
  }
  return { re, im };
}

/** Real orthonormal spherical harmonics of all degrees ≤ L at the direction of `v` (length (L + 1)²). */
export function sphericalHarmonics(L: number, v: readonly [number, number, number]): Float64Array {
  const c = complexSphericalHarmonics(L, v);
  const out = new Float64Array(shCount(L));
  for (let l = 0; l <= L; l++) {
    const U = realBasisChange(l);
    const d = 2 * l + 1;
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++)
        s += U.re[a * d + b]! * c.re[l * l + b]! - U.im[a * d + b]! * c.im[l * l + b]!;
      out[l * l + a] = s;
    }
  }
  return out;
}

/** Gauss–Legendre nodes and weights on [−1, 1] (Newton on the Legendre recurrence). */
export function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    for (let it = 0; it < 100; it++) {
      let [p0, p1] = [1, t];
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * t * p1 - (k - 1) * p0) / k];
      const dp = (n * (t * p1 - p0)) / (t * t - 1);
      const dt = p1 / dp;
      t -= dt;
      if (Math.abs(dt) < 1e-15) {
        w[i] = 2 / ((1 - t * t) * dp * dp);
        break;
      }
    }
    if (n === 1) w[i] = 2;
    x[i] = t;
  }
  return { x, w };
}

/** A product quadrature on the sphere: Gauss–Legendre in cos θ × uniform φ; exact for harmonics of degree ≤ `degree`. */
export interface SphereGrid {
  points: Array<[number, number, number]>;
  weights: Float64Array;
}

/** The smallest product grid integrating every spherical polynomial of degree ≤ `degree` exactly. */
export function sphereGrid(degree: number): SphereGrid {
  const nt = Math.floor(degree / 2) + 1;
  const np = degree + 1;
  const gl = gaussLegendre(nt);
  const points: Array<[number, number, number]> = [];
  const weights = new Float64Array(nt * np);
  for (let i = 0; i < nt; i++) {
    const z = gl.x[i]!;
    const s = Math.sqrt(1 - z * z);
    for (let j = 0; j < np; j++) {
      const phi = (2 * Math.PI * (j + 0.5)) / np;
      points.push([s * Math.cos(phi), s * Math.sin(phi), z]);
      weights[i * np + j] = (gl.w[i]! * 2 * Math.PI) / np;
    }
  }
  return { points, weights };
}
