import { Rng } from '@paperlab/core';
import { describe, expect, it } from 'vitest';
import { Circuit } from '../circuits/circuit.js';
import { compileObservables, hamiltonian, pauli, X, Y, Z } from '../circuits/observables.js';
import { adjointVjp, contractJacobian, parameterShiftJacobian } from './gradients.js';
import { basisState, simulateHost } from './host.js';
import { isRealCircuit, realAdjointSweep } from './realSweep.js';

/** A 5-qubit circuit of every real operation: (controlled) RY, H, X, Z, CNOT, CZ, Toffoli, (controlled) SWAP. */
function realCircuit(): Circuit {
  const c = new Circuit(5);
  for (let q = 0; q < 5; q++) c.ry(q, c.input(q));
  for (let l = 0; l < 2; l++) {
    for (let q = 0; q < 5; q++) c.ry(q, c.param());
    c.h(1).cnot(0, 2).cz(3, 4).x(2).z(0).toffoli(0, 1, 3);
    c.cry(4, 1, c.param())
      .swap(0, 4)
      .swap(1, 3, { controls: [2] });
    c.ry(2, c.param(), { controls: [0, 4] });
  }
  return c;
}

const batch = 3;

function anglesFor(compiledSlots: number, seed: number): Float32Array {
  return Float32Array.from(new Rng(seed).uniforms(batch * compiledSlots, -3, 3));
}

describe('real adjoint sweep (RY + real gates on real states)', () => {
  const compiled = realCircuit().compile();
  const G = compiled.slots.length;
  const angles = anglesFor(G, 5);

  it('classifies circuits: real gates only, never RX/RZ/phase or complex fixed gates', () => {
    expect(isRealCircuit(compiled)).toBe(true);
    const c = new Circuit(2);
    expect(isRealCircuit(c.ry(0, c.param()).rx(1, c.param()).compile())).toBe(false);
    expect(isRealCircuit(new Circuit(2).s(0).compile())).toBe(false);
    expect(isRealCircuit(new Circuit(2).cy(0, 1).compile())).toBe(false);
  });

  it('gives the parameter-shift gradient (exact) for real observables, summed over several', () => {
    const observables = [
      Z(0),
      pauli('XZ', [1, 3]),
      hamiltonian([
        [0.5, X(2)],
        [-1.5, pauli('ZZ', [0, 4])],
      ]),
    ];
    const obs = compileObservables(5, observables);
    const dy = Float64Array.from(new Rng(6).normals(batch * observables.length));
    const got = adjointVjp(compiled, angles, batch, obs, dy).grad;
    const want = contractJacobian(
      parameterShiftJacobian(compiled, angles, batch, obs),
      dy,
      batch,
      observables.length,
    );
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    expect(Math.max(...Array.from(want, Math.abs))).toBeGreaterThan(0.1);
    expect(worst).toBeLessThan(2e-5);
  });

  it('declines complex observables and complex states, and adjointVjp stays exact through the general sweep', () => {
    const obs = compileObservables(5, [Y(1)]);
    const dy = new Float64Array(batch).fill(1);
    const psi = simulateHost(compiled, angles, batch);
    const lambda = basisState(5, batch);
    lambda.im[3] = 0.5;
    expect(realAdjointSweep(compiled, angles, G, psi, lambda, new Float64Array(batch * G))).toBe(false);
    const got = adjointVjp(compiled, angles, batch, obs, dy).grad;
    const want = contractJacobian(parameterShiftJacobian(compiled, angles, batch, obs), dy, batch, 1);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
  });

  it('is deterministic and leaves the caller’s states unchanged', () => {
    const obs = compileObservables(5, [Z(2)]);
    const dy = new Float64Array(batch).fill(1);
    const a = adjointVjp(compiled, angles, batch, obs, dy);
    const b = adjointVjp(compiled, angles, batch, obs, dy);
    expect(Array.from(a.grad)).toEqual(Array.from(b.grad));
    const psi = simulateHost(compiled, angles, batch);
    const before = psi.re.slice();
    const lambda = simulateHost(compiled, angles, batch);
    expect(realAdjointSweep(compiled, angles, G, psi, lambda, new Float64Array(batch * G))).toBe(true);
    expect(Array.from(psi.re)).toEqual(Array.from(before));
  });
});
