import { eigh, matFrom } from '@paperlab/core/linalg';
import { useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { centralDifference } from '../__tests__/centralDifference.js';
import { randomCase } from '../__tests__/randomCircuit.js';
import { amplitudeDampingKraus, Circuit, depolarizingKraus, withNoise } from '../circuits/circuit.js';
import { dagger, type Mat2, matmul2 } from '../circuits/matrices.js';
import { compileObservables, hamiltonian, pauli, projector, X, Y, Z } from '../circuits/observables.js';
import { expectationsHost, simulateHost } from '../statevector/host.js';
import {
  type DensityMatrix,
  densityExpectationsHost,
  densityExpectationsTf,
  densityFromState,
  densityStats,
  simulateDensityHost,
  simulateDensityTf,
} from './density.js';

/** Smallest eigenvalue of each ρ (via the real symmetric embedding [[A, −B], [B, A]]). */
function minEigenvalues(rho: DensityMatrix): number[] {
  const D = 2 ** rho.nQubits;
  const out: number[] = [];
  for (let b = 0; b < rho.batch; b++) {
    const m = new Float64Array(4 * D * D);
    for (let r = 0; r < D; r++)
      for (let c = 0; c < D; c++) {
        const a = rho.re[b * D * D + r * D + c]!;
        const bi = rho.im[b * D * D + r * D + c]!;
        m[r * 2 * D + c] = a;
        m[(r + D) * 2 * D + c + D] = a;
        m[r * 2 * D + c + D] = -bi;
        m[(r + D) * 2 * D + c] = bi;
      }
    out.push(eigh(matFrom(2 * D, 2 * D, m)).values[0]!);
  }
  return out;
}

function maxHermitianError(rho: DensityMatrix): number {
  const D = 2 ** rho.nQubits;
  let worst = 0;
  for (let b = 0; b < rho.batch; b++)
    for (let r = 0; r < D; r++)
      for (let c = 0; c < D; c++) {
        const o = b * D * D;
        worst = Math.max(
          worst,
          Math.abs(rho.re[o + r * D + c]! - rho.re[o + c * D + r]!),
          Math.abs(rho.im[o + r * D + c]! + rho.im[o + c * D + r]!),
        );
      }
  return worst;
}

describe('density-matrix simulation with noise channels', () => {
  beforeAll(useWasm);

  const n = 3;
  const batch = 2;
  const { compiled, angles } = randomCase(n, 30, 44, batch, 2);
  const observables = [
    Z(0),
    X(2),
    Y(1),
    pauli('XYZ'),
    hamiltonian([
      [0.3, pauli('ZZ', [0, 1])],
      [1, projector([2], [1])],
    ]),
  ];
  const obs = compileObservables(n, observables);

  it('Kraus sets are complete (Σ K†K = I)', () => {
    for (const set of [depolarizingKraus(0.3), amplitudeDampingKraus(0.7), depolarizingKraus(1)]) {
      const sum = set.map((k) => matmul2(dagger(k), k)).reduce((a, b) => a.map((v, i) => v + b[i]!) as Mat2);
      expect(sum.map((v) => Math.round(v * 1e12) / 1e12)).toEqual([1, 0, 0, 0, 0, 0, 1, 0]);
    }
    expect(() => depolarizingKraus(1.2)).toThrow(/p must be/);
    expect(() => amplitudeDampingKraus(-0.1)).toThrow(/γ must be/);
  });

  it('without noise it equals |ψ⟩⟨ψ| of the state-vector simulator, with the same expectations', () => {
    const rho = simulateDensityHost(compiled, angles, batch);
    const pure = densityFromState(simulateHost(compiled, angles, batch));
    for (let i = 0; i < rho.re.length; i++) {
      expect(Math.abs(rho.re[i]! - pure.re[i]!)).toBeLessThan(1e-5);
      expect(Math.abs(rho.im[i]! - pure.im[i]!)).toBeLessThan(1e-5);
    }
    const a = densityExpectationsHost(rho, obs);
    const b = expectationsHost(simulateHost(compiled, angles, batch), obs);
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 5);
    for (const s of densityStats(rho)) expect(s.purity).toBeCloseTo(1, 5);
  });

  it('noisy circuits keep trace 1, Hermiticity and positivity; purity drops', () => {
    const noisy = withNoise(compiled, { depolarizing: 0.05, amplitudeDamping: 0.1 });
    const rho = simulateDensityHost(noisy, angles, batch);
    for (const s of densityStats(rho)) {
      expect(s.trace).toBeCloseTo(1, 5);
      expect(s.purity).toBeLessThan(0.95);
      expect(s.purity).toBeGreaterThan(1 / 2 ** n - 1e-6);
    }
    expect(maxHermitianError(rho)).toBeLessThan(1e-6);
    for (const e of minEigenvalues(rho)) expect(e).toBeGreaterThan(-1e-6);
  });

  it('channels act as their closed forms', () => {
    // Depolarising p: ⟨Z⟩ → (1 − 4p/3)⟨Z⟩; p = 3/4 gives I/2.
    for (const p of [0.1, 0.75]) {
      const rho = simulateDensityHost(new Circuit(1).ry(0, 0.7).depolarizing(0, p).compile(), null, 1);
      const [z] = densityExpectationsHost(rho, compileObservables(1, [Z(0)]));
      expect(z).toBeCloseTo((1 - (4 * p) / 3) * Math.cos(0.7), 6);
    }
    // Amplitude damping γ on |1⟩: P(1) = 1 − γ; the coherence of |+⟩ shrinks by √(1 − γ).
    const gamma = 0.3;
    const one = simulateDensityHost(new Circuit(1).x(0).amplitudeDamping(0, gamma).compile(), null, 1);
    expect(one.re[3]).toBeCloseTo(1 - gamma, 6);
    expect(one.re[0]).toBeCloseTo(gamma, 6);
    const plus = simulateDensityHost(new Circuit(1).h(0).amplitudeDamping(0, gamma).compile(), null, 1);
    expect(plus.re[1]).toBeCloseTo(0.5 * Math.sqrt(1 - gamma), 6);
    const full = simulateDensityHost(new Circuit(2).x(0).x(1).amplitudeDamping(0, 1).compile(), null, 1);
    expect(full.re[1 * 4 + 1]).toBeCloseTo(1, 6); // |01⟩⟨01|
    expect(() => simulateHost(new Circuit(1).amplitudeDamping(0, 0.2).compile(), null, 1)).toThrow(
      /density-matrix/,
    );
  });

  it('the tfjs density simulator matches the host one and is differentiable', () => {
    const noisy = withNoise(compiled, { depolarizing: 0.03, amplitudeDamping: 0.08 });
    const G = compiled.slots.length;
    const host = densityExpectationsHost(simulateDensityHost(noisy, angles, batch), obs);
    const before = tf.memory().numTensors;
    const a = tf.tensor2d(angles, [batch, G]);
    const { value, grads } = tf.tidy(() => {
      const f = (x: tf.Tensor) =>
        tf.sum(densityExpectationsTf(simulateDensityTf(noisy, x as tf.Tensor2D), obs));
      return { value: densityExpectationsTf(simulateDensityTf(noisy, a), obs), grads: tf.grad(f)(a) };
    });
    const v = value.dataSync();
    for (let i = 0; i < host.length; i++) expect(v[i]).toBeCloseTo(host[i]!, 5);
    // Central differences on the host simulator for a few angles.
    const g = grads.dataSync();
    const sum = (x: Float32Array) =>
      densityExpectationsHost(simulateDensityHost(noisy, x, batch), obs).reduce((s, y) => s + y, 0);
    for (const idx of [0, 3, G + 1, 2 * G - 1])
      expect(g[idx]!).toBeCloseTo(centralDifference(sum, Float32Array.from(angles), idx, 1e-2), 3);
    tf.dispose([a, value, grads]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
