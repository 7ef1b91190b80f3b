import { Rng } from '@paperlab/core';
import { describe, expect, it } from 'vitest';
import { ksDistance, marchenkoPasturCdf, semicircleCdf } from '../spectra/randomMatrixLaws.js';
import { erfDual, reluDual } from './dualActivations.js';
import { rnnNngp } from './rnnKernel.js';

describe('RNN NNGP recursion', () => {
  const a = { sigmaW2: 1.3, sigmaU2: 0.8, sigmaB2: 0.1, sigmaV2: 2, activation: 'relu' as const };

  it('one step is a one-hidden-layer network: σv²·E[φ(g)φ(g′)] with Σ = σu²x·x′/d + σb²', () => {
    const x = Float64Array.of(1, 2, -1);
    const y = Float64Array.of(0.5, -1, 2);
    const k = rnnNngp(x, 1, y, 1, 1, 3, a);
    const s = (u: Float64Array, v: Float64Array) =>
      (a.sigmaU2 * (u[0]! * v[0]! + u[1]! * v[1]! + u[2]! * v[2]!)) / 3 + a.sigmaB2;
    expect(k[0]).toBeCloseTo(a.sigmaV2 * reluDual(s(x, x), s(y, y), s(x, y)).k, 12);
  });

  it('two steps: the recurrent term uses the previous step’s covariance (hand-expanded, erf)', () => {
    const b = { ...a, activation: 'erf' as const };
    const x = Float64Array.of(1, 0, 0.5, -1); // T = 2, d = 2
    const y = Float64Array.of(-1, 1, 0, 2);
    const inp = (u: Float64Array, v: Float64Array, t: number) =>
      (b.sigmaU2 * (u[2 * t]! * v[2 * t]! + u[2 * t + 1]! * v[2 * t + 1]!)) / 2 + b.sigmaB2;
    const s1 = (u: Float64Array, v: Float64Array) => inp(u, v, 0);
    const s2 = (u: Float64Array, v: Float64Array) =>
      b.sigmaW2 * erfDual(s1(u, u), s1(v, v), s1(u, v)).k + inp(u, v, 1);
    const expected = b.sigmaV2 * erfDual(s2(x, x), s2(y, y), s2(x, y)).k;
    expect(rnnNngp(x, 1, y, 1, 2, 2, b)[0]).toBeCloseTo(expected, 12);
  });

  it('is symmetric for a set with itself', () => {
    const x = new Rng(1).normals(5 * 4 * 3);
    const k = rnnNngp(x, 5, x, 5, 4, 3, a);
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 5; j++) expect(k[i * 5 + j]).toBeCloseTo(k[j * 5 + i]!, 12);
  });
});

describe('random-matrix laws', () => {
  it('semicircle CDF: symmetric, ends at 0 and 1, derivative is the density √(4 − x²)/2π', () => {
    expect(semicircleCdf(0)).toBeCloseTo(0.5, 12);
    expect(semicircleCdf(-2)).toBe(0);
    expect(semicircleCdf(2)).toBe(1);
    const h = 1e-5;
    for (const x of [-1.5, 0.3, 1.2])
      expect((semicircleCdf(x + h) - semicircleCdf(x - h)) / (2 * h)).toBeCloseTo(
        Math.sqrt(4 - x * x) / (2 * Math.PI),
        6,
      );
  });

  it('Marchenko–Pastur CDF: reaches 1 at the upper edge, derivative is the density, mean is 1', () => {
    const r = 0.5;
    const a = (1 - Math.sqrt(r)) ** 2;
    const b = (1 + Math.sqrt(r)) ** 2;
    expect(marchenkoPasturCdf(b - 1e-12, r)).toBeCloseTo(1, 5);
    const h = 1e-4;
    for (const x of [0.3, 1, 2])
      expect((marchenkoPasturCdf(x + h, r) - marchenkoPasturCdf(x - h, r)) / (2 * h)).toBeCloseTo(
        Math.sqrt((b - x) * (x - a)) / (2 * Math.PI * r * x),
        4,
      );
    // E[λ] = ∫ (1 − F) over [0, b] = 1 for unit-variance entries.
    let m = 0;
    const steps = 4000;
    for (let k = 0; k < steps; k++) m += (1 - marchenkoPasturCdf(((k + 0.5) * b) / steps, r)) * (b / steps);
    expect(m).toBeCloseTo(1, 3);
  });

  it('KS distance: 1/(2n) for an ideal uniform grid, large for a shifted one', () => {
    const n = 100;
    const grid = Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    const uniform = (x: number) => Math.min(1, Math.max(0, x));
    expect(ksDistance(grid, uniform)).toBeCloseTo(1 / (2 * n), 12);
    expect(
      ksDistance(
        grid.map((v) => v * 0.5),
        uniform,
      ),
    ).toBeGreaterThan(0.4);
  });
});
