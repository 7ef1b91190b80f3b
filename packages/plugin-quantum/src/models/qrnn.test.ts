import { Rng } from '@paperlab/core';
import { describe, expect, it } from 'vitest';
import { hostAngles } from '../circuits/circuit.js';
import { basisState, simulateHost } from '../statevector/host.js';
import { HostAdam, Qrnn, qrnnQubits, qrnnStepCircuit } from './qrnn.js';
import { matchHiddenSize, rnnParamCount } from './recurrent.js';

describe('QRNN (host simulation with post-selection, BPTT)', () => {
  const spec = { inputQubits: 1, cellQubits: 3, stages: 1 };

  it('has the expected size, valid probabilities and success probabilities ≤ 1', () => {
    const q = new Qrnn(spec, new Rng(1), { weightStd: 0.5, biasLo: 0, biasHi: Math.PI / 2 });
    expect(qrnnQubits(spec)).toBe(5);
    expect(q.params.length).toBe(3 * 4);
    const x = Float32Array.from([1, 0, 1, 1, 0, 1, 0, 0]);
    const f = q.forward(x, 2, 4);
    for (const p of f.probs) expect(p >= 0 && p <= 1).toBe(true);
    for (const l of f.logSuccess) {
      expect(l).toBeLessThanOrEqual(1e-9);
      // every neuron succeeds with probability ≥ 1/2 on basis inputs → ln P ≥ 4 steps × 3 neurons × ln ½
      expect(l).toBeGreaterThan(12 * Math.log(0.5) - 1e-6);
    }
  });

  it('equals the gate-level circuit (input lane, cell lane, ancilla, post-selection) step by step', () => {
    for (const sp of [spec, { inputQubits: 2, cellQubits: 2, stages: 2 }]) {
      const q = new Qrnn(sp, new Rng(7), { weightStd: 0.8, biasLo: 0, biasHi: Math.PI / 2 });
      const batch = 3;
      const T = 4;
      const x = new Rng(8).uniforms(batch * T * sp.inputQubits).map((v) => (v > 0.5 ? 1 : 0));
      const fast = q.forward(x, batch, T);
      const step = qrnnStepCircuit(sp).compile();
      const n = step.nQubits;
      const D = 2 ** n;
      const readWire = sp.inputQubits + sp.cellQubits - 1;
      let psi = basisState(n, batch);
      const logS = new Float64Array(batch);
      for (let t = 0; t < T; t++) {
        const xt = new Float32Array(batch * sp.inputQubits);
        for (let b = 0; b < batch; b++)
          for (let k = 0; k < sp.inputQubits; k++)
            xt[b * sp.inputQubits + k] = x[(b * T + t) * sp.inputQubits + k]!;
        psi = simulateHost(step, hostAngles(step, Float32Array.from(q.params), xt, batch), batch, psi);
        for (let b = 0; b < batch; b++) {
          let norm = 0;
          let p1 = 0;
          let outside = 0;
          for (let i = 0; i < D; i++) {
            const p = psi.re[b * D + i]! ** 2 + psi.im[b * D + i]! ** 2;
            norm += p;
            if (i & (2 ** (n - 1 - readWire))) p1 += p;
            // input lane and ancilla must be back in |0⟩
            if (i >= 2 ** (n - sp.inputQubits) || i & 1) outside += p;
          }
          expect(outside).toBeLessThan(1e-10);
          logS[b]! += Math.log(norm);
          expect(p1 / norm).toBeCloseTo(fast.probs[b * T + t]!, 5);
          for (let i = 0; i < D; i++) {
            psi.re[b * D + i]! /= Math.sqrt(norm);
            psi.im[b * D + i]! /= Math.sqrt(norm);
          }
        }
      }
      for (let b = 0; b < batch; b++) expect(logS[b]).toBeCloseTo(fast.logSuccess[b]!, 4);
    }
  });

  it('BPTT gradient matches central finite differences', () => {
    const q = new Qrnn(spec, new Rng(2), { weightStd: 0.7, biasLo: 0, biasHi: Math.PI / 2 });
    const batch = 2;
    const T = 4;
    const x = Float32Array.from([1, 0, 1, 1, 0, 1, 1, 0]);
    const y = [0, 1, 1, 0, 1, 1, 0, 1];
    const w = [1, 0.5, 1, 2];
    const { loss, grad } = q.lossAndGrad(x, y, w, batch, T);
    expect(Number.isFinite(loss)).toBe(true);
    const eps = 1e-5;
    let worst = 0;
    let scale = 0;
    for (let p = 0; p < q.params.length; p++) {
      const v = q.params[p]!;
      q.params[p] = v + eps;
      const lp = q.lossAndGrad(x, y, w, batch, T).loss;
      q.params[p] = v - eps;
      const lm = q.lossAndGrad(x, y, w, batch, T).loss;
      q.params[p] = v;
      const fd = (lp - lm) / (2 * eps);
      worst = Math.max(worst, Math.abs(fd - grad[p]!));
      scale = Math.max(scale, Math.abs(fd));
    }
    expect(scale).toBeGreaterThan(1e-3);
    expect(worst / scale).toBeLessThan(1e-5);
  });

  it('trains: Adam lowers the loss on a memorisation task', () => {
    const q = new Qrnn(spec, new Rng(3), { weightStd: 0.5, biasLo: 0, biasHi: Math.PI / 2 });
    const x = Float32Array.from([1, 0, 0, 0, 0, 0, 0, 0]);
    const y = [1, 1, 1, 1, 0, 0, 0, 0]; // remember the first bit
    const w = [0, 0, 0, 1];
    const adam = new HostAdam(q.params.length, 0.1);
    const first = q.lossAndGrad(x, y, w, 2, 4).loss;
    let last = first;
    for (let i = 0; i < 60; i++) {
      const r = q.lossAndGrad(x, y, w, 2, 4);
      adam.step(q.params, r.grad);
      last = r.loss;
    }
    expect(last).toBeLessThan(0.5 * first);
  });

  it('matches GRU/LSTM sizes to a parameter budget', () => {
    expect(rnnParamCount('gru', 1, 3, 1)).toBe(3 * (3 + 9 + 3) + 4);
    expect(rnnParamCount('lstm', 2, 2, 1)).toBe(4 * (4 + 4 + 2) + 3);
    const h = matchHiddenSize('gru', 1, 1, 42);
    expect(Math.abs(rnnParamCount('gru', 1, h, 1) - 42)).toBeLessThanOrEqual(
      Math.abs(rnnParamCount('gru', 1, h + 1, 1) - 42),
    );
  });
});
