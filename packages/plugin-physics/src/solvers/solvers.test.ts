import { Rng } from '@paperlab/core';
import { describe, expect, it } from 'vitest';
import { gaussianRandomField, solveDarcy, thresholdCoefficient } from './darcy.js';
import { rk4 } from './ode.js';
import { poiseuille } from './poiseuille.js';
import { simulateSwing } from './swing.js';

describe('reference solvers', () => {
  it('Poiseuille satisfies the steady Navier–Stokes equations (−p_x + u_yy/Re = 0, no-slip walls)', () => {
    const re = 50;
    const h = 1e-4;
    const at = (x: number, y: number) => poiseuille(x, y, re, 1.5);
    const [x, y] = [0.3, 0.37];
    const uyy = (at(x, y + h).u - 2 * at(x, y).u + at(x, y - h).u) / (h * h);
    const px = (at(x + h, y).p - at(x - h, y).p) / (2 * h);
    expect(-px + uyy / re).toBeCloseTo(0, 5);
    expect(at(0.5, 0).u).toBe(0);
    expect(at(0.5, 1).u).toBe(0);
    expect(at(0.5, 0.5).u).toBeCloseTo(1.5, 12);
  });

  it('RK4 is fourth-order accurate on y′ = −y (error ratio ≈ 16 when the step halves)', () => {
    const err = (dt: number) =>
      Math.abs(rk4((_t, y) => Float64Array.from([-y[0]!]), [1], 0, [2], dt)[0]![0]! - Math.exp(-2));
    const ratio = err(0.2) / err(0.1);
    expect(ratio).toBeGreaterThan(14);
    expect(ratio).toBeLessThan(18);
  });

  it('swing equation: small oscillations have the linearised frequency and settle at δ* = asin(P/B)', () => {
    const p = { m: 0.3, d: 0.15, B: 0.2, P: 0.1 };
    const star = Math.asin(p.P / p.B);
    const long = simulateSwing(p, [star + 1e-3, 0], [200]);
    expect(long.delta[0]).toBeCloseTo(star, 6);
    // Undamped: period 2π/√(B cos δ*/m).
    const period = (2 * Math.PI) / Math.sqrt((p.B * Math.cos(star)) / p.m);
    const free = simulateSwing({ ...p, d: 0 }, [star + 1e-4, 0], [period], 1e-3);
    expect(free.delta[0]! - star).toBeCloseTo(1e-4, 7);
    expect(free.omega[0]).toBeCloseTo(0, 6);
  });

  it('Darcy 5-point + CG: exact for the manufactured solution with a = 1 (second-order convergence)', () => {
    const err = (s: number) => {
      const a = new Float64Array(s * s).fill(1);
      const f = Float64Array.from({ length: s * s }, (_, q) => {
        const [x, y] = [(q % s) / (s - 1), Math.floor(q / s) / (s - 1)];
        return 2 * Math.PI * Math.PI * Math.sin(Math.PI * x) * Math.sin(Math.PI * y);
      });
      const sol = solveDarcy(a, f, s);
      let e = 0;
      sol.u.forEach((v, q) => {
        const [x, y] = [(q % s) / (s - 1), Math.floor(q / s) / (s - 1)];
        e = Math.max(e, Math.abs(v - Math.sin(Math.PI * x) * Math.sin(Math.PI * y)));
      });
      return e;
    };
    const [e1, e2] = [err(17), err(33)];
    expect(e2).toBeLessThan(2e-3);
    expect(e1 / e2).toBeGreaterThan(3.5);
  });

  it('Darcy with a thresholded Gaussian random field: positive solution, CG converges, the field is seeded', () => {
    const s = 32;
    const field = gaussianRandomField(new Rng(4), s);
    expect(gaussianRandomField(new Rng(4), s)).toEqual(field);
    const a = thresholdCoefficient(field);
    const frac = a.filter((v) => v === 12).length / a.length;
    expect(frac).toBeGreaterThan(0.2);
    expect(frac).toBeLessThan(0.8);
    const sol = solveDarcy(a, 1, s);
    expect(sol.residual).toBeLessThan(1e-9);
    expect(Math.min(...sol.u.filter((v) => v !== 0))).toBeGreaterThan(0);
  });
});
