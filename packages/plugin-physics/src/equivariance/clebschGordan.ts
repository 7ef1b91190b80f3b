import { realBasisChange } from './sphericalHarmonics.js';

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/** Complex Clebsch–Gordan coefficient ⟨l1 m1; l2 m2 | l3 m3⟩ by Racah's formula (Condon–Shortley convention). */
export function complexClebschGordan(
  l1: number,
  m1: number,
  l2: number,
  m2: number,
  l3: number,
  m3: number,
): number {
  if (m1 + m2 !== m3 || l3 < Math.abs(l1 - l2) || l3 > l1 + l2) return 0;
  if (Math.abs(m1) > l1 || Math.abs(m2) > l2 || Math.abs(m3) > l3) return 0;
  const pre = Math.sqrt(
    ((2 * l3 + 1) * factorial(l1 + l2 - l3) * factorial(l1 - l2 + l3) * factorial(-l1 + l2 + l3)) /
      factorial(l1 + l2 + l3 + 1),
  );
  const pre2 = Math.sqrt(
    factorial(l1 + m1) *
      factorial(l1 - m1) *
      factorial(l2 + m2) *
      factorial(l2 - m2) *
      factorial(l3 + m3) *
      factorial(l3 - m3),
  );
  let s = 0;
  for (let k = 0; k <= l1 + l2 + l3; k++) {
    const d = [k, l1 + l2 - l3 - k, l1 - m1 - k, l2 + m2 - k, l3 - l2 + m1 + k, l3 - l1 - m2 + k];
    if (d.some((v) => v < 0)) continue;
    s += (k % 2 === 0 ? 1 : -1) / d.reduce((p, v) => p * factorial(v), 1);
  }
  return pre * pre2 * s;
}

/**
 * Real Clebsch–Gordan tensor C[m1, m2, m3] ((2l1+1)·(2l2+1)·(2l3+1), row-major) for the real harmonics of
 * {@link sphericalHarmonics}: z_m3 = Σ C·x_m1·y_m2 maps degree-l1 and degree-l2 features to a degree-l3 one
 * equivariantly. The complex tensor is moved to the real basis (U1 ⊗ U2 ⊗ Ū3) and its global phase removed
 * (it is imaginary when l1 + l2 + l3 is odd: the antisymmetric, parity-odd paths such as the cross product).
 * Normalised to unit Frobenius norm; zero when the triangle inequality fails.
 */
export function realClebschGordan(l1: number, l2: number, l3: number): Float64Array {
  const [d1, d2, d3] = [2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1];
  const out = new Float64Array(d1 * d2 * d3);
  if (l3 < Math.abs(l1 - l2) || l3 > l1 + l2) return out;
  const [U1, U2, U3] = [realBasisChange(l1), realBasisChange(l2), realBasisChange(l3)];
  const re = new Float64Array(out.length);
  const im = new Float64Array(out.length);
  for (let a = 0; a < d1; a++)
    for (let b = 0; b < d2; b++)
      for (let c = 0; c < d3; c++) {
        let [sr, si] = [0, 0];
        for (let m1 = -l1; m1 <= l1; m1++) {
          const [u1r, u1i] = [U1.re[a * d1 + m1 + l1]!, U1.im[a * d1 + m1 + l1]!];
          if (u1r === 0 && u1i === 0) continue;
          for (let m2 = -l2; m2 <= l2; m2++) {
            const m3 = m1 + m2;
            if (Math.abs(m3) > l3) continue;
            const [u2r, u2i] = [U2.re[b * d2 + m2 + l2]!, U2.im[b * d2 + m2 + l2]!];
            const [u3r, u3i] = [U3.re[c * d3 + m3 + l3]!, -U3.im[c * d3 + m3 + l3]!];
            const cg = complexClebschGordan(l1, m1, l2, m2, l3, m3);
            if (cg === 0) continue;
            // (u1·u2·conj(u3))·cg
            const [pr, pi] = [u1r * u2r - u1i * u2i, u1r * u2i + u1i * u2r];
            sr += cg * (pr * u3r - pi * u3i);
            si += cg * (pr * u3i + pi * u3r);
          }
        }
        re[(a * d2 + b) * d3 + c] = sr;
        im[(a * d2 + b) * d3 + c] = si;
      }
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const src = norm(re) >= norm(im) ? re : im;
  const n = norm(src) || 1;
  for (let i = 0; i < out.length; i++) out[i] = src[i]! / n;
  return out;
}
