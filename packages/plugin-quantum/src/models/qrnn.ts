import type { Rng } from '@paperlab/core';
import { Circuit } from '../circuits/circuit.js';
import { appendQuantumNeuron } from '../circuits/quantumNeuron.js';
import { type SequenceData, type SequenceTrainingOptions, sequenceEpochs } from './recurrent.js';

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

/** Trainable angles of a {@link Qrnn}: per neuron, one weight per input and other cell qubit, and a bias. */
export function qrnnParamCount(spec: QrnnSpec): number {
  return spec.stages * spec.cellQubits * (spec.inputQubits + spec.cellQubits);
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
 *
 * Simulated exactly with post-selection (the state is renormalised after each step and the success
 * probabilities are tracked). The input lane and the ancilla stay in computational basis states, so a
 * neuron acts on each branch of its controls as the real 2×2 operator cos²θ·I − i sin²θ·Y on its target,
 * θ = b + Σ wᵢxᵢ: the simulator applies that operator directly on the cell register (2^cellQubits
 * amplitudes) instead of running the gate-level circuit of {@link qrnnStepCircuit} on all qubits — the two
 * are checked equal in the tests. Gradients by backprop through time over the stored states.
 */
export class Qrnn {
  /** The spec. */
  readonly spec: QrnnSpec;
  /** Trainable angles: per neuron, weights of the input qubits, of the other cell qubits, then the bias. */
  readonly params: Float64Array;

  constructor(spec: QrnnSpec, rng: Rng, init: { weightStd: number; biasLo: number; biasHi: number }) {
    if (spec.cellQubits < 1 || spec.cellQubits > 16)
      throw new RangeError('Qrnn: cellQubits must be in [1, 16]');
    this.spec = spec;
    const perNeuron = spec.inputQubits + spec.cellQubits;
    this.params = new Float64Array(qrnnParamCount(spec));
    for (let p = 0; p < this.params.length; p++) {
      this.params[p] =
        (p + 1) % perNeuron === 0 ? rng.range(init.biasLo, init.biasHi) : rng.normal(0, init.weightStd);
    }
  }

  /** Qubits a device would need: input lane, cell lane and one ancilla. */
  get qubits(): number {
    return qrnnQubits(this.spec);
  }

  /** Quantum neurons applied per step. */
  get neuronsPerStep(): number {
    return this.spec.stages * this.spec.cellQubits;
  }

  private get dim(): number {
    return 2 ** this.spec.cellQubits;
  }

  /** Bit of cell qubit j in a cell-register index (cell qubit 0 most significant). */
  private bit(j: number): number {
    return 2 ** (this.spec.cellQubits - 1 - j);
  }

  /** Pre-activations θ[b, pair] of neuron `k` for every batch row and every pair index of the target. */
  private preActivations(k: number, x: Float32Array, batch: number, steps: number, t: number): Float64Array {
    const { inputQubits: kin, cellQubits: kc } = this.spec;
    const per = kin + kc;
    const j = k % kc;
    const off = k * per;
    const D = this.dim;
    const half = D / 2;
    const tb = this.bit(j);
    const theta = new Float64Array(batch * half);
    const hidden = new Float64Array(half);
    for (let p = 0; p < half; p++) {
      const lo = p & (tb - 1);
      const i0 = ((p ^ lo) << 1) | lo;
      let h = 0;
      let w = off + kin;
      for (let c = 0; c < kc; c++) {
        if (c === j) continue;
        if (i0 & this.bit(c)) h += this.params[w]!;
        w++;
      }
      hidden[p] = h + this.params[off + per - 1]!;
    }
    for (let b = 0; b < batch; b++) {
      let inp = 0;
      for (let q = 0; q < kin; q++) inp += this.params[off + q]! * x[(b * steps + t) * kin + q]!;
      for (let p = 0; p < half; p++) theta[b * half + p] = hidden[p]! + inp;
    }
    return theta;
  }

  /** Applies neuron `k` in place: on each pair (target 0, target 1): [[c², −s²], [s², c²]]. */
  private applyNeuron(k: number, psi: Float64Array, theta: Float64Array, batch: number): void {
    const D = this.dim;
    const half = D / 2;
    const tb = this.bit(k % this.spec.cellQubits);
    for (let b = 0; b < batch; b++) {
      for (let p = 0; p < half; p++) {
        const lo = p & (tb - 1);
        const i0 = b * D + (((p ^ lo) << 1) | lo);
        const i1 = i0 + tb;
        const th = theta[b * half + p]!;
        const c2 = Math.cos(th) ** 2;
        const s2 = Math.sin(th) ** 2;
        const a0 = psi[i0]!;
        const a1 = psi[i1]!;
        psi[i0] = c2 * a0 - s2 * a1;
        psi[i1] = s2 * a0 + c2 * a1;
      }
    }
  }

  private run(x: Float32Array, batch: number, steps: number, keep: boolean) {
    const D = this.dim;
    const readBit = this.bit(this.spec.cellQubits - 1);
    const psi = new Float64Array(batch * D);
    for (let b = 0; b < batch; b++) psi[b * D] = 1;
    const before: Float64Array[] = [];
    const thetas: Float64Array[] = [];
    const stepStates: Float64Array[] = [];
    const norms: Float64Array[] = [];
    const probs = new Float64Array(batch * steps);
    const logSuccess = new Float64Array(batch);
    for (let t = 0; t < steps; t++) {
      for (let k = 0; k < this.neuronsPerStep; k++) {
        const th = this.preActivations(k, x, batch, steps, t);
        if (keep) {
          before.push(psi.slice());
          thetas.push(th);
        }
        this.applyNeuron(k, psi, th, batch);
      }
      const nrm = new Float64Array(batch);
      for (let b = 0; b < batch; b++) {
        let acc = 0;
        for (let i = 0; i < D; i++) acc += psi[b * D + i]! ** 2;
        const r = Math.sqrt(acc);
        nrm[b] = r;
        let p1 = 0;
        for (let i = 0; i < D; i++) {
          psi[b * D + i]! /= r;
          if (i & readBit) p1 += psi[b * D + i]! ** 2;
        }
        logSuccess[b]! += Math.log(Math.max(acc, 1e-300));
        probs[b * steps + t] = p1;
      }
      norms.push(nrm);
      if (keep) stepStates.push(psi.slice());
    }
    return { probs, logSuccess, before, thetas, stepStates, norms };
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
    const { probs, logSuccess, before, thetas, stepStates, norms } = this.run(x, batch, steps, true);
    const D = this.dim;
    const half = D / 2;
    const { inputQubits: kin, cellQubits: kc } = this.spec;
    const per = kin + kc;
    const readBit = this.bit(kc - 1);
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
    const g = new Float64Array(batch * D);
    for (let t = steps - 1; t >= 0; t--) {
      const psi = stepStates[t]!;
      const nrm = norms[t]!;
      for (let b = 0; b < batch; b++) {
        // Read-out at the normalised state: ∂P/∂ψ = 2Π₁ψ; then through ψ̂ = ψ/‖ψ‖.
        const d = dP[b * steps + t]!;
        let radial = 0;
        for (let i = 0; i < D; i++) {
          if (d !== 0 && i & readBit) g[b * D + i]! += 2 * d * psi[b * D + i]!;
          radial += psi[b * D + i]! * g[b * D + i]!;
        }
        const inv = 1 / nrm[b]!;
        for (let i = 0; i < D; i++) g[b * D + i] = (g[b * D + i]! - radial * psi[b * D + i]!) * inv;
      }
      for (let k = this.neuronsPerStep - 1; k >= 0; k--) {
        const idx = t * this.neuronsPerStep + k;
        const phi = before[idx]!;
        const theta = thetas[idx]!;
        const j = k % kc;
        const tb = this.bit(j);
        const off = k * per;
        for (let b = 0; b < batch; b++) {
          let gInp = 0;
          for (let p = 0; p < half; p++) {
            const lo = p & (tb - 1);
            const rel = ((p ^ lo) << 1) | lo;
            const i0 = b * D + rel;
            const i1 = i0 + tb;
            const th = theta[b * half + p]!;
            const c2 = Math.cos(th) ** 2;
            const s2 = Math.sin(th) ** 2;
            const sn = Math.sin(2 * th);
            const a0 = phi[i0]!;
            const a1 = phi[i1]!;
            const g0 = g[i0]!;
            const g1 = g[i1]!;
            // dM/dθ = sin 2θ · [[−1, −1], [1, −1]]
            const dth = sn * (g0 * (-a0 - a1) + g1 * (a0 - a1));
            // θ = b + Σ_in w·x + Σ_cell w·bit
            gInp += dth;
            let wi = off + kin;
            for (let c = 0; c < kc; c++) {
              if (c === j) continue;
              if (rel & this.bit(c)) grad[wi]! += dth;
              wi++;
            }
            // g ← Mᵀ g
            g[i0] = c2 * g0 + s2 * g1;
            g[i1] = -s2 * g0 + c2 * g1;
          }
          grad[off + per - 1]! += gInp;
          for (let q = 0; q < kin; q++) grad[off + q]! += gInp * x[(b * steps + t) * kin + q]!;
        }
      }
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

/** Options of {@link fitQrnn}. */
export interface FitQrnnOptions extends SequenceTrainingOptions {
  /** Called after each epoch (1-based) with its mean batch loss. */
  onEpoch?: (epoch: number, loss: number) => void;
}

/** Trains a QRNN with host-side Adam on its weighted cross-entropy (backprop through time); per-epoch losses. */
export function fitQrnn(model: Qrnn, data: SequenceData, o: FitQrnnOptions): Promise<number[]> {
  const adam = new HostAdam(model.params.length, o.lr);
  return sequenceEpochs(
    data,
    o,
    (b, idx) => {
      const r = model.lossAndGrad(b.x, b.y, data.weights, idx.length, data.steps);
      adam.step(model.params, r.grad);
      return r.loss;
    },
    o.onEpoch,
  );
}
