import type { Rng } from '@paperlab/core';
import { Circuit, type CompiledCircuit, hostAngles } from '../circuits/circuit.js';
import { wireBit } from '../circuits/observables.js';
import { appendQuantumNeuron } from '../circuits/quantumNeuron.js';
import { basisState, type StateVector, simulateHost } from '../statevector/host.js';
import { circuitVjp } from '../statevector/reverse.js';

/** Shape of a {@link Qrnn}: input lane, cell-state lane, one ancilla. */
export interface QrnnSpec {
  /** Input qubits per step (each carries one bit of the input). */
  inputQubits: number;
  /** Cell-state qubits (the recurrent memory); the last one is read out. */
  cellQubits: number;
  /** Neuron stages per step: each stage applies one quantum neuron to every cell qubit. */
  stages: number;
}

/** Qubit layout: [input lane][cell lane][ancilla]. */
export function qrnnQubits(spec: QrnnSpec): number {
  return spec.inputQubits + spec.cellQubits + 1;
}

/**
 * One step of the QRNN cell as a circuit: write the input bits (RY(π·x)), apply `stages` × `cellQubits`
 * repeat-until-success neurons (each controlled by the input lane and the other cell qubits, post-selected
 * on its ancilla), and un-write the input (RY(−π·x)) so the input lane is |0…0⟩ again.
 */
export function qrnnStepCircuit(spec: QrnnSpec): Circuit {
  const n = qrnnQubits(spec);
  const anc = n - 1;
  const c = new Circuit(n);
  for (let q = 0; q < spec.inputQubits; q++) c.ry(q, c.input(q, Math.PI));
  for (let s = 0; s < spec.stages; s++) {
    for (let j = 0; j < spec.cellQubits; j++) {
      const target = spec.inputQubits + j;
      const inputs: number[] = [];
      for (let q = 0; q < spec.inputQubits + spec.cellQubits; q++) if (q !== target) inputs.push(q);
      appendQuantumNeuron(c, {
        inputs,
        target,
        ancilla: anc,
        weights: c.params(inputs.length),
        bias: c.param(),
      });
    }
  }
  for (let q = 0; q < spec.inputQubits; q++) c.ry(q, c.input(q, -Math.PI));
  return c;
}

/** Forward pass of a QRNN over a batch of bit sequences. */
export interface QrnnForward {
  /** P(read-out qubit = 1) after each step `[batch, T]`. */
  probs: Float64Array;
  /** ln of the probability that every post-selection of the sequence succeeds `[batch]`. */
  logSuccess: Float64Array;
}

/**
 * A recurrent quantum neural network (Bausch 2020): a cell of quantum neurons applied once per input,
 * with the cell-state qubits carried from step to step and the last cell qubit read out as P(class 1).
 * Simulated exactly with post-selection (the state is renormalised after each step; the success
 * probabilities are tracked); gradients by reverse mode through every step ({@link circuitVjp}).
 */
export class Qrnn {
  /** The spec. */
  readonly spec: QrnnSpec;
  /** One step, compiled. */
  readonly step: CompiledCircuit;
  /** Trainable angles. */
  readonly params: Float64Array;
  private readonly readBit: number;

  constructor(spec: QrnnSpec, rng: Rng, init: { weightStd: number; biasLo: number; biasHi: number }) {
    this.spec = spec;
    this.step = qrnnStepCircuit(spec).compile();
    const n = this.step.nQubits;
    this.readBit = wireBit(n, spec.inputQubits + spec.cellQubits - 1);
    this.params = new Float64Array(this.step.numParams);
    // Weights ~ N(0, σ); biases ~ U(lo, hi): every neuron's parameters end with its bias.
    const perNeuron = spec.inputQubits + spec.cellQubits;
    for (let p = 0; p < this.params.length; p++) {
      this.params[p] =
        (p + 1) % perNeuron === 0 ? rng.range(init.biasLo, init.biasHi) : rng.normal(0, init.weightStd);
    }
  }

  /** Number of qubits. */
  get qubits(): number {
    return this.step.nQubits;
  }

  /** Quantum neurons applied per step. */
  get neuronsPerStep(): number {
    return this.spec.stages * this.spec.cellQubits;
  }

  private anglesAt(x: Float32Array, batch: number, steps: number, t: number): Float32Array {
    const k = this.spec.inputQubits;
    const xt = new Float32Array(batch * k);
    for (let b = 0; b < batch; b++) for (let q = 0; q < k; q++) xt[b * k + q] = x[(b * steps + t) * k + q]!;
    return hostAngles(this.step, Float32Array.from(this.params), xt, batch);
  }

  private normalise(s: StateVector): Float64Array {
    const D = 2 ** s.nQubits;
    const norms = new Float64Array(s.batch);
    for (let b = 0; b < s.batch; b++) {
      let acc = 0;
      for (let i = 0; i < D; i++) acc += s.re[b * D + i]! ** 2 + s.im[b * D + i]! ** 2;
      const nrm = Math.sqrt(acc);
      norms[b] = nrm;
      const inv = nrm > 0 ? 1 / nrm : 0;
      for (let i = 0; i < D; i++) {
        s.re[b * D + i]! *= inv;
        s.im[b * D + i]! *= inv;
      }
    }
    return norms;
  }

  private readout(s: StateVector, b: number): number {
    const D = 2 ** s.nQubits;
    let p = 0;
    for (let i = 0; i < D; i++) if (i & this.readBit) p += s.re[b * D + i]! ** 2 + s.im[b * D + i]! ** 2;
    return p;
  }

  private run(x: Float32Array, batch: number, steps: number, keep: boolean) {
    let psi = basisState(this.qubits, batch);
    const states: StateVector[] = [];
    const norms: Float64Array[] = [];
    const probs = new Float64Array(batch * steps);
    const logSuccess = new Float64Array(batch);
    for (let t = 0; t < steps; t++) {
      if (keep) states.push(psi);
      psi = simulateHost(this.step, this.anglesAt(x, batch, steps, t), batch, psi);
      const nrm = this.normalise(psi);
      norms.push(nrm);
      for (let b = 0; b < batch; b++) {
        logSuccess[b]! += Math.log(Math.max(nrm[b]! ** 2, 1e-300));
        probs[b * steps + t] = this.readout(psi, b);
      }
    }
    if (keep) states.push(psi);
    return { probs, logSuccess, states, norms };
  }

  /** Forward pass over bit sequences `x` `[batch, T, inputQubits]`. */
  forward(x: Float32Array, batch: number, steps: number): QrnnForward {
    const { probs, logSuccess } = this.run(x, batch, steps, false);
    return { probs, logSuccess };
  }

  /**
   * Mean weighted binary cross-entropy of P(read-out = 1) against 0/1 targets `y` `[batch, T]` (step
   * weights `w` `[T]`) and its gradient with respect to {@link params} (backprop through time).
   */
  lossAndGrad(
    x: Float32Array,
    y: ArrayLike<number>,
    w: ArrayLike<number>,
    batch: number,
    steps: number,
  ): { loss: number; grad: Float64Array; forward: QrnnForward } {
    const { probs, logSuccess, states, norms } = this.run(x, batch, steps, true);
    let wsum = 0;
    for (let t = 0; t < steps; t++) wsum += w[t]!;
    const eps = 1e-7;
    let loss = 0;
    const dP = new Float64Array(batch * steps);
    for (let b = 0; b < batch; b++)
      for (let t = 0; t < steps; t++) {
        if (!w[t]) continue;
        const p = Math.min(1 - eps, Math.max(eps, probs[b * steps + t]!));
        const yt = y[b * steps + t]!;
        const f = w[t]! / (batch * wsum);
        loss -= f * (yt * Math.log(p) + (1 - yt) * Math.log(1 - p));
        dP[b * steps + t] = f * (-yt / p + (1 - yt) / (1 - p));
      }
    const grad = new Float64Array(this.params.length);
    const D = 2 ** this.qubits;
    let g: StateVector = {
      ...basisState(this.qubits, batch),
      re: new Float32Array(batch * D),
      im: new Float32Array(batch * D),
    };
    const G = this.step.slots.length;
    for (let t = steps - 1; t >= 0; t--) {
      const psi = states[t + 1]!;
      // Read-out gradient at the normalised state: P = ‖Π₁ψ‖² (‖ψ‖ = 1) → ∂P = 2Π₁ψ.
      for (let b = 0; b < batch; b++) {
        const d = dP[b * steps + t]!;
        if (d === 0) continue;
        for (let i = 0; i < D; i++) {
          if (!(i & this.readBit)) continue;
          g.re[b * D + i]! += 2 * d * psi.re[b * D + i]!;
          g.im[b * D + i]! += 2 * d * psi.im[b * D + i]!;
        }
      }
      // Through the normalisation ψ̂ = ψ/‖ψ‖: g ← (g − Re⟨ψ̂, g⟩ψ̂)/‖ψ‖.
      const nrm = norms[t]!;
      for (let b = 0; b < batch; b++) {
        let radial = 0;
        for (let i = 0; i < D; i++)
          radial += psi.re[b * D + i]! * g.re[b * D + i]! + psi.im[b * D + i]! * g.im[b * D + i]!;
        const inv = nrm[b]! > 0 ? 1 / nrm[b]! : 0;
        for (let i = 0; i < D; i++) {
          g.re[b * D + i] = (g.re[b * D + i]! - radial * psi.re[b * D + i]!) * inv;
          g.im[b * D + i] = (g.im[b * D + i]! - radial * psi.im[b * D + i]!) * inv;
        }
      }
      const vjp = circuitVjp(this.step, this.anglesAt(x, batch, steps, t), batch, states[t]!, g);
      for (let b = 0; b < batch; b++) {
        for (let s = 0; s < G; s++) {
          const slot = this.step.slots[s]!;
          if (slot.source === 'param') grad[slot.index]! += slot.scale * vjp.angles[b * G + s]!;
        }
      }
      g = vjp.initial;
    }
    return { loss, grad, forward: { probs, logSuccess } };
  }
}

/** Adam on a host parameter vector. */
export class HostAdam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;

  constructor(
    size: number,
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** One update of `params` in place. */
  step(params: Float64Array, grad: ArrayLike<number>): void {
    this.t++;
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = 1 - this.beta2 ** this.t;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i]!;
      this.m[i] = this.beta1 * this.m[i]! + (1 - this.beta1) * g;
      this.v[i] = this.beta2 * this.v[i]! + (1 - this.beta2) * g * g;
      params[i]! -= (this.lr * (this.m[i]! / c1)) / (Math.sqrt(this.v[i]! / c2) + this.eps);
    }
  }
}
