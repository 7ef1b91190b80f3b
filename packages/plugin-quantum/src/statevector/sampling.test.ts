import { Rng } from '@paperlab/core';
import { describe, expect, it } from 'vitest';
import { Circuit } from '../circuits/circuit.js';
import { compileObservables, hamiltonian, pauli, projector, X, Y, Z } from '../circuits/observables.js';
import { expectationsHost, simulateHost } from './host.js';
import { countsOf, sampledExpectationsHost, sampleHost } from './sampling.js';

describe('seeded shot sampling', () => {
  const c = new Circuit(3).h(0).cnot(0, 1).ry(2, 1.1).rx(1, 0.4).s(2).compile();
  const state = simulateHost(c, null, 1);

  it('is deterministic under a seed and differs across seeds', () => {
    const a = sampleHost(state, 200, new Rng(1));
    const b = sampleHost(state, 200, new Rng(1));
    const d = sampleHost(state, 200, new Rng(2));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(d));
  });

  it('Bell-state samples are perfectly correlated and balanced', () => {
    const bell = simulateHost(new Circuit(2).h(0).cnot(0, 1).compile(), null, 2);
    const samples = sampleHost(bell, 4000, new Rng(3));
    const counts = countsOf(samples, 2, 2);
    for (let b = 0; b < 2; b++) {
      expect(counts[b * 4 + 1]).toBe(0);
      expect(counts[b * 4 + 2]).toBe(0);
      expect(Math.abs(counts[b * 4]! - 2000)).toBeLessThan(4 * Math.sqrt(1000)); // 4σ
    }
    // Marginal over wire 1 only.
    expect(countsOf(samples, 2, 2, [1]).length).toBe(4);
  });

  it('shot estimates of X/Y/Z/Hamiltonian expectations converge to the exact values', () => {
    const observables = [
      Z(0),
      X(2),
      Y(2),
      pauli('ZZ', [0, 1]),
      hamiltonian([
        [0.5, pauli('XX', [0, 1])],
        [2, projector([2], [1])],
      ]),
    ];
    const obs = compileObservables(3, observables);
    const exact = expectationsHost(state, obs);
    const shots = 20_000;
    const est = sampledExpectationsHost(state, obs, shots, new Rng(9));
    for (let k = 0; k < observables.length; k++) {
      // Each term has variance ≤ 1 (×coefficient²): 5σ bound with σ ≤ Σ|c|/√shots.
      const bound = (5 * observables[k]!.terms.reduce((s, t) => s + Math.abs(t.coeff), 0)) / Math.sqrt(shots);
      expect(Math.abs(est[k]! - exact[k]!), observables[k]!.label).toBeLessThan(bound);
    }
    expect(Array.from(sampledExpectationsHost(state, obs, 100, new Rng(9)))).toEqual(
      Array.from(sampledExpectationsHost(state, obs, 100, new Rng(9))),
    );
  });
});
