import { describe, expect, it } from 'vitest';
import { fft, fft2, spectralDerivative } from './fft.js';
import { kdvSoliton, solveKdv } from './kdv.js';

describe('FFT', () => {
  it('matches the direct DFT and inverts', () => {
    const n = 16;
    const x = Float64Array.from({ length: n }, (_, j) => Math.sin(j * 0.7) + 0.3 * j);
    const [re, im] = [Float64Array.from(x), new Float64Array(n)];
    fft(re, im);
    for (let k = 0; k < n; k++) {
      let [sr, si] = [0, 0];
      for (let j = 0; j < n; j++) {
        sr += x[j]! * Math.cos((-2 * Math.PI * j * k) / n);
        si += x[j]! * Math.sin((-2 * Math.PI * j * k) / n);
      }
      expect(re[k]).toBeCloseTo(sr, 10);
      expect(im[k]).toBeCloseTo(si, 10);
    }
    fft(re, im, true);
    re.forEach((v, j) => {
      expect(v).toBeCloseTo(x[j]!, 12);
    });
    expect(() => fft(new Float64Array(12), new Float64Array(12))).toThrow(/power of two/);
  });

  it('2-D FFT of a plane wave has one non-zero coefficient', () => {
    const [ny, nx] = [8, 16];
    const re = new Float64Array(nx * ny);
    const im = new Float64Array(nx * ny);
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) re[j * nx + i] = Math.cos(2 * Math.PI * ((3 * i) / nx + (2 * j) / ny));
    fft2(re, im, ny, nx);
    const big = Array.from(re, (v, p) => Math.hypot(v, im[p]!)).filter((m) => m > 1e-9);
    expect(big.length).toBe(2); // (2, 3) and (−2, −3)
    expect(big[0]).toBeCloseTo((nx * ny) / 2, 8);
  });

  it('spectral derivatives of sin are exact to 1e-10 (first to third order)', () => {
    const n = 64;
    const L = 2 * Math.PI * 3;
    const u = Float64Array.from({ length: n }, (_, j) => Math.sin((2 * Math.PI * 2 * j) / n));
    const kk = (2 * Math.PI * 2) / L;
    const exact = [
      (j: number) => kk * Math.cos((2 * Math.PI * 2 * j) / n),
      (j: number) => -kk * kk * Math.sin((2 * Math.PI * 2 * j) / n),
      (j: number) => -(kk ** 3) * Math.cos((2 * Math.PI * 2 * j) / n),
    ];
    for (let m = 1; m <= 3; m++)
      spectralDerivative(u, L, m).forEach((v, j) => {
        expect(v).toBeCloseTo(exact[m - 1]!(j), 10);
      });
  });
});

/** Tolerance: max |u − u_soliton| ≤ 1e-4 × the soliton's height after it has travelled ~ a third of the domain. */
describe('KdV pseudo-spectral ETDRK4', () => {
  for (const delta of [0.8, 2]) {
    it(`transports the analytic soliton (δ = ${delta})`, () => {
      const [n, L, c, x0] = [256, 40 * delta, 1, 10 * delta];
      const x = Array.from({ length: n }, (_, j) => (j * L) / n);
      const u0 = x.map((xj) => kdvSoliton(xj, 0, c, delta, x0, L));
      const T = L / 3 / c;
      const sol = solveKdv({ delta, length: L, u0, times: [T / 2, T] });
      const err = Math.max(...x.map((xj, j) => Math.abs(sol.u[1]![j]! - kdvSoliton(xj, T, c, delta, x0, L))));
      expect(err / (3 * c)).toBeLessThan(1e-4);
      // A wrong dispersion coefficient would move the wrong shape: the check can fail.
      const wrong = solveKdv({ delta: delta * 1.1, length: L, u0, times: [T] });
      const errWrong = Math.max(
        ...x.map((xj, j) => Math.abs(wrong.u[0]![j]! - kdvSoliton(xj, T, c, delta, x0, L))),
      );
      expect(errWrong / (3 * c)).toBeGreaterThan(1e-2);
    });
  }
});
