import { Rng } from '@paperlab/core';
import { describe, expect, it } from 'vitest';
import { kdvSoliton } from '../solvers/kdv.js';
import { type KdvDesign, kdvFeatures, kdvLeastSquares, kdvTrajectory } from './kdvInverse.js';

const design: KdvDesign = {
  length: 64,
  nx: 64,
  nt: 16,
  dtObs: 0.1,
  modes: 5,
  maxMode: 4,
  amp: 0.5,
  noise: 0,
  derivativeModes: 10,
};

describe('KdV inverse-problem data', () => {
  it('least squares on the residual recovers δ from clean trajectories within 1% across the δ range', () => {
    for (const delta of [0.8, 2, 5]) {
      const f = kdvFeatures(kdvTrajectory(new Rng(Math.round(delta * 10)), delta, design).u, design);
      expect(Math.abs(Math.sqrt(kdvLeastSquares(f).delta2) - delta) / delta).toBeLessThan(0.01);
    }
  });

  it('the residual of an exact soliton vanishes at the true δ and not at a wrong one', () => {
    const [delta, c, L, nx, nt, dt] = [2, 0.5, 64, 128, 5, 0.05];
    const u = new Float32Array(nt * nx);
    for (let t = 0; t < nt; t++)
      for (let i = 0; i < nx; i++) u[t * nx + i] = kdvSoliton((i * L) / nx, t * dt, c, delta, 20, L);
    const f = kdvFeatures(u, { ...design, length: L, nx, nt, dtObs: dt, derivativeModes: 40 });
    const ls = kdvLeastSquares(f);
    expect(Math.sqrt(ls.delta2)).toBeCloseTo(delta, 2);
    const r = (d2: number) => Math.sqrt(ls.a.reduce((s, a, k) => s + (a + d2 * ls.b[k]!) ** 2, 0));
    expect(r(delta * delta)).toBeLessThan(0.05 * r(1.5 * delta * delta));
  });

  it('noise is seeded and sized as asked', () => {
    const a = kdvTrajectory(new Rng(1), 2, { ...design, noise: 0.01 });
    const b = kdvTrajectory(new Rng(1), 2, { ...design, noise: 0.01 });
    const clean = kdvTrajectory(new Rng(1), 2, design);
    expect(a.u).toEqual(b.u);
    const diff = Array.from(a.u, (v, i) => v - clean.u[i]!);
    const sd = Math.sqrt(diff.reduce((s, v) => s + v * v, 0) / diff.length);
    // The clean trajectory draws the same initial condition first, so the difference is the noise alone.
    expect(sd).toBeGreaterThan(0.008);
    expect(sd).toBeLessThan(0.012);
  });
});
