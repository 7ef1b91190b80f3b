import { Rng } from '@paperlab/core';
import { checkKernelAgreement, useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  denseExpectation,
  denseSimulate,
  denseUnitary,
  observableDense,
} from '../__tests__/denseReference.js';
import { randomCase } from '../__tests__/randomCircuit.js';
import { Circuit } from '../circuits/circuit.js';
import {
  compileObservables,
  hamiltonian,
  pauli,
  probabilities,
  projector,
  X,
  Y,
  Z,
} from '../circuits/observables.js';
import { circuitKernel, runCircuit } from './circuitKernel.js';
import { basisState, expectationsHost, simulateHost } from './host.js';
import { expectationsTf, simulateTf } from './tfSim.js';

function qft(n: number): Circuit {
  const c = new Circuit(n);
  for (let j = 0; j < n; j++) {
    c.h(j);
    for (let k = j + 1; k < n; k++) c.cphase(k, j, Math.PI / 2 ** (k - j));
  }
  for (let j = 0; j < n / 2 - 0.5; j++) c.swap(j, n - 1 - j);
  return c;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('state-vector simulation', () => {
  beforeAll(useWasm);

  it('prepares a Bell state and GHZ states', () => {
    const bell = simulateHost(new Circuit(2).h(0).cnot(0, 1).compile(), null, 1);
    expect(Array.from(bell.re)).toEqual([Math.SQRT1_2, 0, 0, Math.SQRT1_2].map(Math.fround));
    expect(Array.from(bell.im)).toEqual([0, 0, 0, 0]);
    for (const n of [3, 5, 8]) {
      const c = new Circuit(n).h(0);
      for (let q = 1; q < n; q++) c.cnot(q - 1, q);
      const s = simulateHost(c.compile(), null, 1);
      const D = 2 ** n;
      expect(s.re[0]).toBeCloseTo(Math.SQRT1_2, 6);
      expect(s.re[D - 1]).toBeCloseTo(Math.SQRT1_2, 6);
      let rest = 0;
      for (let i = 1; i < D - 1; i++) rest += Math.abs(s.re[i]!) + Math.abs(s.im[i]!);
      expect(rest).toBe(0);
      // ⟨Z_i Z_j⟩ = 1 and ⟨X…X⟩ = 1 on GHZ.
      const obs = compileObservables(n, [pauli('ZZ', [0, n - 1]), pauli('X'.repeat(n)), Z(0)]);
      const e = expectationsHost(s, obs);
      expect(e[0]).toBeCloseTo(1, 6);
      expect(e[1]).toBeCloseTo(1, 6);
      expect(e[2]).toBeCloseTo(0, 6);
    }
  });

  it('QFT maps |k⟩ to the Fourier basis state e^{2πi jk/N}/√N', () => {
    for (const n of [3, 5]) {
      const D = 2 ** n;
      const c = qft(n).compile();
      for (const k of [0, 1, 5 % D, D - 1]) {
        const s = simulateHost(c, null, 1, basisState(n, 1, k));
        for (let j = 0; j < D; j++) {
          expect(s.re[j]).toBeCloseTo(Math.cos((2 * Math.PI * j * k) / D) / Math.sqrt(D), 5);
          expect(s.im[j]).toBeCloseTo(Math.sin((2 * Math.PI * j * k) / D) / Math.sqrt(D), 5);
        }
      }
    }
  });

  it('random circuits match dense 2^n×2^n unitaries (n = 1…10, host and tfjs reference)', () => {
    for (const [n, depth, batch] of [
      [1, 12, 3],
      [2, 25, 3],
      [3, 40, 2],
      [5, 40, 2],
      [8, 40, 2],
      [10, 12, 1],
    ] as const) {
      const { compiled, angles } = randomCase(n, depth, 100 + n, batch, n);
      const host = simulateHost(compiled, angles, batch);
      const ref = tf.tidy(() => {
        const s = simulateTf(compiled, tf.tensor2d(angles, [batch, compiled.slots.length]));
        return [s.re.dataSync().slice(), s.im.dataSync().slice()] as const;
      });
      const D = 2 ** n;
      for (let b = 0; b < batch; b++) {
        const [dr, di] = denseSimulate(compiled, angles, b);
        const hr = host.re.subarray(b * D, (b + 1) * D);
        const hi = host.im.subarray(b * D, (b + 1) * D);
        expect(maxDiff(hr, dr), `host re n=${n}`).toBeLessThan(1e-5);
        expect(maxDiff(hi, di), `host im n=${n}`).toBeLessThan(1e-5);
        expect(maxDiff(ref[0].subarray(b * D, (b + 1) * D), dr), `tf re n=${n}`).toBeLessThan(1e-5);
        expect(maxDiff(ref[1].subarray(b * D, (b + 1) * D), di), `tf im n=${n}`).toBeLessThan(1e-5);
      }
    }
  });

  it('the dense circuit unitary is unitary and its first column is the simulated state (n = 4)', () => {
    const { compiled, angles } = randomCase(4, 30, 7, 1, 3);
    const u = denseUnitary(compiled, angles);
    const s = simulateHost(compiled, angles, 1);
    for (let i = 0; i < 16; i++) {
      expect(s.re[i]).toBeCloseTo(u.re[i * 16]!, 5);
      expect(s.im[i]).toBeCloseTo(u.im[i * 16]!, 5);
    }
    // U†U = I
    for (let i = 0; i < 16; i++)
      for (let j = 0; j < 16; j++) {
        let re = 0;
        let im = 0;
        for (let k = 0; k < 16; k++) {
          re += u.re[k * 16 + i]! * u.re[k * 16 + j]! + u.im[k * 16 + i]! * u.im[k * 16 + j]!;
          im += u.re[k * 16 + i]! * u.im[k * 16 + j]! - u.im[k * 16 + i]! * u.re[k * 16 + j]!;
        }
        expect(re).toBeCloseTo(i === j ? 1 : 0, 10);
        expect(im).toBeCloseTo(0, 10);
      }
  });

  it('expectation values (Pauli strings, Hamiltonians, projectors) match dense ⟨ψ|O|ψ⟩', () => {
    const n = 4;
    const batch = 3;
    const { compiled, angles } = randomCase(n, 40, 11, batch, 5);
    const observables = [
      Z(0),
      X(1),
      Y(3),
      pauli('XYZI'),
      pauli('YY', [0, 2]),
      pauli({ 1: 'Y', 3: 'X' }),
      hamiltonian([
        [0.5, Z(0)],
        [-1.5, pauli('XX', [1, 2])],
        [2, projector([0, 3], [1, 0])],
      ]),
      ...probabilities([2, 0]),
    ];
    const obs = compileObservables(n, observables);
    const host = expectationsHost(simulateHost(compiled, angles, batch), obs);
    const tfVals = tf.tidy(() => {
      const s = simulateTf(compiled, tf.tensor2d(angles, [batch, compiled.slots.length]));
      return expectationsTf(s, obs).dataSync().slice();
    });
    const K = observables.length;
    for (let b = 0; b < batch; b++) {
      const [re, im] = denseSimulate(compiled, angles, b);
      observables.forEach((o, k) => {
        const want = denseExpectation(observableDense(n, o), re, im);
        expect(host[b * K + k], `${o.label}`).toBeCloseTo(want, 5);
        expect(tfVals[b * K + k], `tf ${o.label}`).toBeCloseTo(want, 5);
      });
    }
  });

  it('typed-array and WGSL kernels agree with the tfjs reference', async () => {
    const caseOf = (n: number, depth: number, batch: number, seed: number) => {
      const { compiled, angles } = randomCase(n, depth, seed, batch, seed);
      const D = 2 ** n;
      const rng = new Rng(seed);
      // A random normalised initial state, so every amplitude is exercised.
      const init = rng.normals(2 * batch * D);
      for (let b = 0; b < batch; b++) {
        let norm = 0;
        for (let i = 0; i < D; i++) norm += init[b * D + i]! ** 2 + init[batch * D + b * D + i]! ** 2;
        for (let i = 0; i < D; i++) {
          init[b * D + i]! /= Math.sqrt(norm);
          init[batch * D + b * D + i]! /= Math.sqrt(norm);
        }
      }
      return {
        name: `n=${n} batch=${batch} depth=${depth}`,
        inputs: () => ({
          state: tf.tensor3d(init, [2, batch, D]),
          angles: tf.tensor2d(angles, [batch, compiled.slots.length]),
        }),
        attrs: { circuit: compiled },
      };
    };
    const { results, skipped } = await checkKernelAgreement(
      circuitKernel,
      [caseOf(1, 10, 4, 1), caseOf(3, 40, 5, 2), caseOf(6, 60, 3, 3), caseOf(9, 30, 1, 4)],
      { atol: 1e-5, rtol: 1e-4 },
    );
    if (skipped.length) console.info(`[kernel agreement] skipped: ${skipped.join('; ')}`);
    console.info(
      results.map((r) => `${r.backend}/${r.impl} ${r.case}: ${r.maxAbsError.toExponential(2)}`).join('\n'),
    );
    expect(results.some((r) => r.impl === 'cpu')).toBe(true);
    if (!skipped.some((s) => s.startsWith('webgpu')))
      expect(results.some((r) => r.impl === 'webgpu')).toBe(true);
    for (const r of results) expect(r.ok, JSON.stringify(r)).toBe(true);
  }, 60_000);

  it('runCircuit starts from |0…0⟩, handles slot-free circuits and leaks nothing', () => {
    const before = tf.memory().numTensors;
    const out = runCircuit(new Circuit(2).h(0).cnot(0, 1).compile(), null, { batch: 2 });
    expect(out.shape).toEqual([2, 2, 4]);
    const v = out.dataSync();
    expect(v[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(v[3]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(v[4]).toBeCloseTo(Math.SQRT1_2, 6);
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad wires, bad angle shapes and noise channels in state-vector mode', () => {
    expect(() => new Circuit(2).h(2)).toThrow(/wire 2/);
    expect(() => new Circuit(2).cnot(1, 1)).toThrow(/distinct/);
    const c = new Circuit(2).rx(0, 0.3).ry(1, new Circuit(2).param());
    expect(() => simulateHost(c.compile(), new Float32Array(3), 2)).toThrow(/angles/);
    expect(() => simulateHost(new Circuit(1).depolarizing(0, 0.1).compile(), null, 1)).toThrow(
      /density-matrix/,
    );
    expect(() => new Circuit(0)).toThrow(RangeError);
  });
});
