import { describe, expect, it } from 'vitest';
import { absDual, erfDual, leakyReluDual, reluDual } from '../kernels/dualActivations.js';
import { absDualInto, type DualInto, erfDualInto, leakyReluDualInto, reluDualInto } from './activations.js';

/**
 * E[g(u, v)] for (u, v) = L·z, z ~ N(0, I), by quadrature in polar coordinates: for g positively homogeneous
 * of degree m, E[g] = (1/2π)·∫₀^∞ r^{m+1}e^{−r²/2}dr·∫₀^{2π} g(L(cos ψ, sin ψ)) dψ.
 */
function polarExpectation(
  k11: number,
  k22: number,
  k12: number,
  g: (u: number, v: number) => number,
  degree: 0 | 2,
) {
  const l11 = Math.sqrt(k11);
  const l21 = k12 / l11;
  const l22 = Math.sqrt(Math.max(k22 - l21 * l21, 0));
  const m = 200_000;
  let s = 0;
  for (let i = 0; i < m; i++) {
    const psi = ((i + 0.5) * 2 * Math.PI) / m;
    const z1 = Math.cos(psi);
    const z2 = Math.sin(psi);
    s += g(l11 * z1, l21 * z1 + l22 * z2);
  }
  const radial = degree === 2 ? 2 : 1; // ∫ r³e^{−r²/2} = 2, ∫ r e^{−r²/2} = 1
  return (radial * s) / m;
}

/** E[g(u, v)] by the trapezoid rule on a z-grid over [−8, 8]² (spectrally accurate for smooth g). */
function gaussExpectation(
  k11: number,
  k22: number,
  k12: number,
  g: (u: number, v: number) => number,
): number {
  const l11 = Math.sqrt(k11);
  const l21 = k12 / l11;
  const l22 = Math.sqrt(Math.max(k22 - l21 * l21, 0));
  const m = 321;
  const h = 16 / (m - 1);
  let s = 0;
  for (let a = 0; a < m; a++) {
    const z1 = -8 + a * h;
    const w1 = Math.exp((-z1 * z1) / 2);
    for (let b = 0; b < m; b++) {
      const z2 = -8 + b * h;
      s += w1 * Math.exp((-z2 * z2) / 2) * g(l11 * z1, l21 * z1 + l22 * z2);
    }
  }
  return (s * h * h) / (2 * Math.PI);
}

const cases: Array<[number, number, number]> = [
  [1, 1, 0.3],
  [2, 0.5, -0.7],
  [0.7, 1.3, 0.9],
];

const ALPHA = 0.2;
const homogeneous: Array<{
  name: string;
  phi: (u: number) => number;
  dphi: (u: number) => number;
  dual: (a: number, b: number, c: number) => { k: number; kdot: number };
  into: DualInto;
}> = [
  {
    name: 'relu',
    phi: (u) => Math.max(u, 0),
    dphi: (u) => (u > 0 ? 1 : 0),
    dual: reluDual,
    into: reluDualInto,
  },
  { name: 'abs', phi: Math.abs, dphi: Math.sign, dual: absDual, into: absDualInto },
  {
    name: 'leakyRelu',
    phi: (u) => (u > 0 ? u : ALPHA * u),
    dphi: (u) => (u > 0 ? 1 : ALPHA),
    dual: leakyReluDual(ALPHA),
    into: leakyReluDualInto(ALPHA),
  },
];

describe('closed-form dual activations', () => {
  for (const a of homogeneous) {
    it(`${a.name}: E[φφ] and E[φ'φ'] match quadrature; fast and public versions agree`, () => {
      const out = new Float64Array(2);
      for (const [k11, k22, k12] of cases) {
        const d = a.dual(k11, k22, k12);
        expect(d.k).toBeCloseTo(
          polarExpectation(k11, k22, k12, (u, v) => a.phi(u) * a.phi(v), 2),
          6,
        );
        expect(d.kdot).toBeCloseTo(
          polarExpectation(k11, k22, k12, (u, v) => a.dphi(u) * a.dphi(v), 0),
          4,
        );
        a.into(k11, k22, k12, out);
        expect(out[0]).toBeCloseTo(d.k, 12);
        expect(out[1]).toBeCloseTo(d.kdot, 12);
      }
    });
  }

  it('erf: E[φφ] and E[φ′φ′] match Gauss–Hermite quadrature', () => {
    const out = new Float64Array(2);
    const dphi = (u: number) => (2 / Math.sqrt(Math.PI)) * Math.exp(-u * u);
    for (const [k11, k22, k12] of cases) {
      const d = erfDual(k11, k22, k12);
      expect(d.k).toBeCloseTo(
        gaussExpectation(k11, k22, k12, (u, v) => erfApprox(u) * erfApprox(v)),
        6,
      );
      expect(d.kdot).toBeCloseTo(
        gaussExpectation(k11, k22, k12, (u, v) => dphi(u) * dphi(v)),
        8,
      );
      erfDualInto(k11, k22, k12, out);
      expect(out[0]).toBeCloseTo(d.k, 12);
      expect(out[1]).toBeCloseTo(d.kdot, 12);
    }
  });
});

/** erf to ~1e-14 (Taylor series below 3, continued-fraction-free asymptotic complement above). */
function erfApprox(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 200; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) ≈ e^{−x²}/(x√π)·Σ (−1)^n (2n−1)!!/(2x²)^n
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 12; n++) {
    term *= -(2 * n - 1) / (2 * ax * ax);
    sum += term;
  }
  return Math.sign(x) * (1 - (Math.exp(-ax * ax) / (ax * Math.sqrt(Math.PI))) * sum);
}
