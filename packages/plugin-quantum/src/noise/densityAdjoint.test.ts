import { Rng } from '@paperlab/core';
import { describe, expect, it } from 'vitest';
import { centralDifference } from '../__tests__/centralDifference.js';
import { Circuit, withNoise } from '../circuits/circuit.js';
import { compileObservables, hamiltonian, pauli, Z } from '../circuits/observables.js';
import { densityExpectationsHost, simulateDensityHost } from './density.js';
import { noisyExpectationsHost, weightedObservable } from './densityAdjoint.js';

function noisyCircuit() {
  const c = new Circuit(3);
  c.ry(0, c.input(0)).rx(1, c.input(1)).rz(2, c.input(2)).h(2);
  c.cnot(0, 1).cnot(1, 2).cz(0, 2);
  c.ry(0, c.param()).rz(1, c.param()).rx(2, c.param()).ry(1, c.param()).cnot(2, 0);
  return withNoise(c.compile(), { depolarizing: 0.05, amplitudeDamping: 0.08 });
}

describe('density-matrix adjoint gradients', () => {
  const compiled = noisyCircuit();
  const obs = compileObservables(3, [
    Z(0),
    pauli({ 0: 'X', 2: 'Y' }),
    hamiltonian([
      [0.7, pauli({ 1: 'Y' })],
      [-0.3, pauli({ 0: 'Z', 1: 'X', 2: 'Z' })],
    ]),
  ]);
  const B = 2;
  const G = compiled.slots.length;
  const angles = new Rng(4).uniforms(B * G, -3, 3);

  it('forward values equal the density-matrix simulator; the weighted observable reproduces Tr(Oρ)', () => {
    const rho = simulateDensityHost(compiled, angles, B);
    const ref = densityExpectationsHost(rho, obs);
    const { values } = noisyExpectationsHost(compiled, angles, B, obs);
    for (let i = 0; i < ref.length; i++) expect(values[i]).toBeCloseTo(ref[i]!, 6);
    // Σ conj(X_rc) ρ_rc with X = O_k must equal ⟨O_k⟩.
    for (let k = 0; k < 3; k++) {
      const w = new Float64Array(B * 3);
      for (let b = 0; b < B; b++) w[b * 3 + k] = 1;
      const x = weightedObservable(obs, w, B);
      const D2 = 64;
      for (let b = 0; b < B; b++) {
        let acc = 0;
        for (let e = b * D2; e < (b + 1) * D2; e++) acc += x.re[e]! * rho.re[e]! + x.im[e]! * rho.im[e]!;
        expect(acc).toBeCloseTo(ref[b * 3 + k]!, 5);
      }
    }
  });

  it('angle VJP matches central finite differences through the noise channels', () => {
    const dy = new Rng(5).uniforms(B * 3, -1, 1);
    const { grad } = noisyExpectationsHost(compiled, angles, B, obs, dy);
    const loss = (a: Float32Array) => {
      const v = noisyExpectationsHost(compiled, a, B, obs).values;
      let s = 0;
      for (let i = 0; i < v.length; i++) s += v[i]! * dy[i]!;
      return s;
    };
    const at = Float32Array.from(angles);
    let worst = 0;
    for (let i = 0; i < B * G; i++)
      worst = Math.max(worst, Math.abs(centralDifference(loss, at, i, 1e-2) - grad![i]!));
    expect(worst).toBeLessThan(2e-3);
  });
});
