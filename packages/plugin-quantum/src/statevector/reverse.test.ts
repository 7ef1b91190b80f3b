import { Rng } from '@paperlab/core';
import { useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomBindings, randomCircuit } from '../__tests__/randomCircuit.js';
import { Circuit, hostAngles } from '../circuits/circuit.js';
import {
  appendQuantumNeuron,
  neuronActivation,
  neuronSuccessProbability,
} from '../circuits/quantumNeuron.js';
import { basisState, type StateVector, simulateHost } from './host.js';
import { circuitVjp } from './reverse.js';
import { simulateTf } from './tfSim.js';

describe('post-selection, quantum neurons and reverse-mode through non-unitary circuits', () => {
  beforeAll(useWasm);

  it('a RUS quantum neuron applies R(arctan tan²θ) with success probability cos⁴θ + sin⁴θ', () => {
    // qubits: x0, x1 (inputs), target, ancilla
    for (const [x0, x1] of [
      [0, 0],
      [1, 0],
      [1, 1],
    ] as const) {
      const w = [0.7, -0.4];
      const b = 0.3;
      const c = new Circuit(4);
      if (x0) c.x(0);
      if (x1) c.x(1);
      appendQuantumNeuron(c, { inputs: [0, 1], target: 2, ancilla: 3, weights: w, bias: b });
      const s = simulateHost(c.compile(), null, 1);
      const theta = b + w[0]! * x0 + w[1]! * x1;
      let norm = 0;
      let p1 = 0;
      let anc1 = 0;
      for (let i = 0; i < 16; i++) {
        const p = s.re[i]! ** 2 + s.im[i]! ** 2;
        norm += p;
        if (i & 2) p1 += p; // target = wire 2 → bit value 2
        if (i & 1) anc1 += p;
      }
      expect(anc1).toBe(0);
      expect(norm).toBeCloseTo(neuronSuccessProbability(theta), 6);
      expect(p1 / norm).toBeCloseTo(Math.sin(neuronActivation(theta)) ** 2, 6);
    }
  });

  it('circuitVjp matches backprop through the tfjs reference (with post-selections)', () => {
    const n = 4;
    const batch = 2;
    const circuit = randomCircuit(n, 25, 5);
    circuit.postselect(1, 0);
    appendQuantumNeuron(circuit, {
      inputs: [0, 2],
      target: 1,
      ancilla: 3,
      weights: [circuit.param(), circuit.param()],
      bias: circuit.param(),
    });
    circuit.ry(2, circuit.param()).postselect(0, 1).cnot(2, 0);
    const compiled = circuit.compile();
    const G = compiled.slots.length;
    const { params, inputs } = randomBindings(circuit, batch, 3);
    const angles = hostAngles(compiled, params, inputs, batch);
    const rng = new Rng(2);
    const D = 2 ** n;
    const init: StateVector = {
      ...basisState(n, batch),
      re: rng.normals(batch * D),
      im: rng.normals(batch * D),
    };
    // Loss: Σ_b w_b · P_b(wire 2 = 1) with P = ‖Π ψ‖² / ‖ψ‖² (scale-invariant, as in a QRNN readout).
    const wts = [0.8, -1.3];
    const lossGrad = (out: StateVector): StateVector => {
      const g: StateVector = {
        ...out,
        re: new Float32Array(out.re.length),
        im: new Float32Array(out.im.length),
      };
      for (let b = 0; b < batch; b++) {
        let A = 0;
        let N = 0;
        for (let i = 0; i < D; i++) {
          const p = out.re[b * D + i]! ** 2 + out.im[b * D + i]! ** 2;
          N += p;
          if (i & 2) A += p;
        }
        for (let i = 0; i < D; i++) {
          const f = wts[b]! * ((i & 2 ? 2 / N : 0) - (2 * A) / (N * N));
          g.re[b * D + i] = f * out.re[b * D + i]!;
          g.im[b * D + i] = f * out.im[b * D + i]!;
        }
      }
      return g;
    };
    const vjp = circuitVjp(compiled, angles, batch, init, lossGrad);
    const tfGrads = tf.tidy(() => {
      const mask = tf.tensor2d(
        Float32Array.from({ length: D }, (_, i) => (i & 2 ? 1 : 0)),
        [1, D],
      );
      const f = (a: tf.Tensor, re: tf.Tensor, im: tf.Tensor) => {
        const s = simulateTf(compiled, a as tf.Tensor2D, {
          initial: { re: re as tf.Tensor2D, im: im as tf.Tensor2D },
        });
        const p = tf.add(tf.square(s.re), tf.square(s.im));
        const P = tf.div(tf.sum(tf.mul(p, mask), 1), tf.sum(p, 1));
        return tf.sum(tf.mul(P, tf.tensor1d(wts)));
      };
      const gs = tf.grads(f)([
        tf.tensor2d(angles, [batch, G]),
        tf.tensor2d(init.re, [batch, D]),
        tf.tensor2d(init.im, [batch, D]),
      ]);
      return gs.map((t) => t.dataSync().slice());
    });
    const close = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
        scale = Math.max(scale, Math.abs(b[i]!));
      }
      expect(scale, what).toBeGreaterThan(1e-3);
      expect(worst / scale, what).toBeLessThan(1e-3);
    };
    close(vjp.angles, tfGrads[0]!, 'angles');
    close(vjp.initial.re, tfGrads[1]!, 'initial re');
    close(vjp.initial.im, tfGrads[2]!, 'initial im');
  });
});
