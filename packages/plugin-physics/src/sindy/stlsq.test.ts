import { describe, expect, it } from 'vitest';
import { simulateSwing } from '../solvers/swing.js';
import { finiteDifference, stlsq } from './stlsq.js';

describe('SINDy (STLSQ)', () => {
  it('recovers the swing equation ω̇ = (P − dω − B sin δ)/m from clean trajectories, zeroing the spurious terms', () => {
    const p = { m: 0.3, d: 0.15, B: 0.2, P: 0.1 };
    const dt = 0.01;
    const times = Array.from({ length: 2001 }, (_, i) => i * dt);
    const traj = simulateSwing(p, [0.1, 1.2], times);
    const n = times.length;
    const omegaDot = finiteDifference(traj.omega, dt);
    // Library [1, δ, ω, sin δ, cos δ, δω]
    const Theta = new Float64Array(n * 6);
    for (let i = 0; i < n; i++) {
      const [d, w] = [traj.delta[i]!, traj.omega[i]!];
      Theta.set([1, d, w, Math.sin(d), Math.cos(d), d * w], i * 6);
    }
    const r = stlsq(Theta, n, [omegaDot], 0.05);
    const c = r.coef[0]!;
    expect(c[0]).toBeCloseTo(p.P / p.m, 2);
    expect(c[2]).toBeCloseTo(-p.d / p.m, 2);
    expect(c[3]).toBeCloseTo(-p.B / p.m, 2);
    expect([c[1], c[4], c[5]]).toEqual([0, 0, 0]);
    // Without thresholding the spurious terms survive (the threshold is what makes it sparse).
    const dense = stlsq(Theta, n, [omegaDot], 0).coef[0]!;
    expect(dense.filter((v) => v !== 0).length).toBe(6);
  });
});
