import type { Rng } from '@paperlab/core';
import { ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { Circuit, CompiledCircuit, NoiseModel, PrimitiveOp } from '../circuits/circuit.js';
import { angleMatrix, withNoise } from '../circuits/circuit.js';
import { conjugate, dagger, FIXED_GATES, type Mat2 } from '../circuits/matrices.js';
import type { CompiledObservables, Observable } from '../circuits/observables.js';
import { compileObservables, parity, wireBit } from '../circuits/observables.js';
import { applyOpHost, checkAngles, type StateVector } from '../statevector/host.js';
import { blockCorners, type DensityMatrix, densityExpectationsHost, zeroDensity } from './density.js';

type UnitaryOp = Exclude<PrimitiveOp, { kind: 'channel' }>;

/** The column-side copy of a unitary op on the doubled register (conjugated fixed matrices). */
function columnOp(op: UnitaryOp, n: number): UnitaryOp {
  const controls = op.controls.map((c) => c + n);
  if (op.kind === 'fixed') return { ...op, target: op.target + n, controls, matrix: conjugate(op.matrix) };
  if (op.kind === 'swap') return { ...op, target: op.target + n, target2: op.target2 + n, controls };
  return { ...op, target: op.target + n, controls };
}

/** conj(RX(θ)) = RX(−θ), conj(RZ(θ)) = RZ(−θ), conj(P(θ)) = P(−θ); RY is real. */
function columnAngles(
  op: UnitaryOp,
  angles: Float32Array | null,
  negated: Float32Array | null,
): Float32Array | null {
  return op.kind === 'rx' || op.kind === 'rz' || op.kind === 'phase' ? negated : angles;
}

function doubled(rho: DensityMatrix): StateVector {
  return { nQubits: 2 * rho.nQubits, batch: rho.batch, re: rho.re, im: rho.im };
}

/**
 * The 4×4 complex superoperator S = Σₖ Kₖ ⊗ conj(Kₖ) of a one-qubit channel acting on the 2×2 block
 * [ρ₀₀, ρ₀₁, ρ₁₀, ρ₁₁] of the target's row/column bits (row-major planes: 16 re, then 16 im).
 */
export function channelSuperoperator(kraus: readonly Mat2[]): Float64Array {
  const s = new Float64Array(32);
  for (const k of kraus) {
    for (let i = 0; i < 2; i++)
      for (let l = 0; l < 2; l++)
        for (let j = 0; j < 2; j++)
          for (let m = 0; m < 2; m++) {
            // K_ij · conj(K_lm)
            const ar = k[2 * (2 * i + j)]!;
            const ai = k[2 * (2 * i + j) + 1]!;
            const br = k[2 * (2 * l + m)]!;
            const bi = -k[2 * (2 * l + m) + 1]!;
            const row = 2 * i + l;
            const col = 2 * j + m;
            s[row * 4 + col]! += ar * br - ai * bi;
            s[16 + row * 4 + col]! += ar * bi + ai * br;
          }
  }
  return s;
}

/** Applies a channel superoperator (see {@link channelSuperoperator}) to every example, in place. */
function applySuperop(rho: DensityMatrix, target: number, sup: Float64Array): void {
  const n = rho.nQubits;
  const D = 2 ** n;
  const tb = wireBit(n, target);
  const rbit = tb * D;
  const { re, im } = rho;
  const vr = new Float64Array(4);
  const vi = new Float64Array(4);
  const corners = blockCorners(D, tb);
  for (let b = 0; b < rho.batch; b++) {
    const off = b * D * D;
    for (const corner of corners) {
      const i0 = off + corner;
      const i1 = i0 + tb;
      const i2 = i0 + rbit;
      const i3 = i2 + tb;
      vr[0] = re[i0]!;
      vr[1] = re[i1]!;
      vr[2] = re[i2]!;
      vr[3] = re[i3]!;
      vi[0] = im[i0]!;
      vi[1] = im[i1]!;
      vi[2] = im[i2]!;
      vi[3] = im[i3]!;
      for (let q = 0; q < 4; q++) {
        let ar = 0;
        let ai = 0;
        for (let p = 0; p < 4; p++) {
          const sr = sup[q * 4 + p]!;
          const si = sup[16 + q * 4 + p]!;
          ar += sr * vr[p]! - si * vi[p]!;
          ai += sr * vi[p]! + si * vr[p]!;
        }
        const idx = q === 0 ? i0 : q === 1 ? i1 : q === 2 ? i2 : i3;
        re[idx] = ar;
        im[idx] = ai;
      }
    }
  }
}

/** Forward and adjoint superoperators of every channel op of a circuit (null for unitary ops). */
function superoperators(compiled: CompiledCircuit): Array<{ fwd: Float64Array; adj: Float64Array } | null> {
  return compiled.ops.map((op) =>
    op.kind === 'channel'
      ? { fwd: channelSuperoperator(op.kraus), adj: channelSuperoperator(op.kraus.map((k) => dagger(k))) }
      : null,
  );
}

/** Applies one unitary op to density matrices in place: U ρ U†. */
function applyUnitary(
  rho: DensityMatrix,
  op: UnitaryOp,
  angles: Float32Array | null,
  negated: Float32Array | null,
  G: number,
  mode: 'forward' | 'adjoint',
): void {
  const d = doubled(rho);
  applyOpHost(d, op, angles, G, mode);
  applyOpHost(d, columnOp(op, rho.nQubits), columnAngles(op, angles, negated), G, mode);
}

/**
 * Σₖ w[b, k]·Oₖ as a matrix per example (the cotangent observable of a VJP), in the density layout.
 * Pauli terms follow P|j⟩ = (−i)^nY (−1)^{|(j⊕flip) ∧ sign|} |j ⊕ flip⟩; projectors are diagonal.
 */
export function weightedObservable(
  obs: CompiledObservables,
  w: ArrayLike<number>,
  batch: number,
): DensityMatrix {
  const n = obs.nQubits;
  const D = 2 ** n;
  const K = obs.numObservables;
  const out = zeroDensity(n, batch);
  out.re.fill(0);
  obs.terms.forEach((t, ti) => {
    for (let b = 0; b < batch; b++) {
      let c = 0;
      for (let k = 0; k < K; k++) c += obs.coeffs[ti * K + k]! * w[b * K + k]!;
      if (c === 0) continue;
      const off = b * D * D;
      if (t.kind === 'projector') {
        for (let i = 0; i < D; i++) if ((i & t.mask) === t.value) out.re[off + i * D + i]! += c;
        continue;
      }
      // P[i, j] with i = j ⊕ flip: value (−i)^nY · (−1)^{|i ∧ sign|} (the host simulator's convention).
      const phase = t.nY & 3;
      for (let j = 0; j < D; j++) {
        const i = j ^ t.flip;
        const s = parity(i & t.sign) ? -c : c;
        const e = off + i * D + j;
        if (phase === 0) out.re[e]! += s;
        else if (phase === 1) out.im[e]! -= s;
        else if (phase === 2) out.re[e]! -= s;
        else out.im[e]! += s;
      }
    }
  });
  return out;
}

const GENERATORS: Partial<Record<PrimitiveOp['kind'], Mat2>> = {
  rx: [...FIXED_GATES.x] as Mat2,
  ry: [...FIXED_GATES.y] as Mat2,
  rz: [...FIXED_GATES.z] as Mat2,
};

/**
 * Expectations `[batch, K]` of a noisy circuit by exact density-matrix simulation on the host, and (when
 * `dy` `[batch, K]` is given) the angle VJP by the density-matrix adjoint method: the cotangent observable
 * is propagated backwards in the Heisenberg picture (X → U†XU, X → Σ K†XK) and, for each rotation
 * R(θ) = exp(−iθG/2), dE/dθ = Im Tr(X·G·ρ) with ρ the state right after the gate — exact, and one backward
 * sweep for all angles (parameter-shift would need two simulations per angle). Uncontrolled RX/RY/RZ only.
 */
export function noisyExpectationsHost(
  compiled: CompiledCircuit,
  angles: Float32Array | null,
  batch: number,
  obs: CompiledObservables,
  dy?: ArrayLike<number>,
): { values: Float64Array; grad: Float64Array | null } {
  const G = checkAngles(compiled, angles, batch);
  const negated = angles ? Float32Array.from(angles, (v) => -v) : null;
  const rho = zeroDensity(compiled.nQubits, batch);
  const sups = superoperators(compiled);
  const after: DensityMatrix[] = [];
  for (let i = 0; i < compiled.ops.length; i++) {
    const op = compiled.ops[i]!;
    if (op.kind === 'channel') applySuperop(rho, op.target, sups[i]!.fwd);
    else applyUnitary(rho, op, angles, negated, G, 'forward');
    if (dy && 'slot' in op) {
      if (!GENERATORS[op.kind] || op.controls.length)
        throw new Error(`noisy adjoint: only uncontrolled RX/RY/RZ can carry angles, got ${op.kind}`);
      after.push({ ...rho, re: rho.re.slice(), im: rho.im.slice() });
    }
  }
  const values = densityExpectationsHost(rho, obs);
  if (!dy) return { values, grad: null };
  const n = compiled.nQubits;
  const D = 2 ** n;
  const x = weightedObservable(obs, dy, batch);
  const grad = new Float64Array(batch * G);
  const gx = zeroDensity(n, batch);
  for (let i = compiled.ops.length - 1; i >= 0; i--) {
    const op = compiled.ops[i]!;
    if ('slot' in op) {
      const state = after.pop()!;
      // G·ρ on the row register, then Im ⟨X, Gρ⟩ = Im Σ conj(X_rc)(Gρ)_rc.
      gx.re.set(state.re);
      gx.im.set(state.im);
      applyOpHost(
        doubled(gx),
        { kind: 'fixed', target: op.target, controls: [], matrix: GENERATORS[op.kind]! },
        null,
        0,
      );
      for (let b = 0; b < batch; b++) {
        let acc = 0;
        const off = b * D * D;
        for (let e = off; e < off + D * D; e++) acc += x.re[e]! * gx.im[e]! - x.im[e]! * gx.re[e]!;
        grad[b * G + op.slot]! += acc;
      }
    }
    if (op.kind === 'channel') applySuperop(x, op.target, sups[i]!.adj);
    else applyUnitary(x, op, angles, negated, G, 'adjoint');
  }
  return { values, grad };
}

/** Noisy expectations `[batch, K]` as a differentiable tfjs op (density-matrix adjoint gradients). */
export function noisyExpval(
  compiled: CompiledCircuit,
  angles: tf.Tensor2D,
  obs: CompiledObservables,
): tf.Tensor2D {
  const B = angles.shape[0];
  const G = compiled.slots.length;
  const K = obs.numObservables;
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const host = Float32Array.from((args[0] as tf.Tensor).dataSync());
    const { values } = noisyExpectationsHost(compiled, host, B, obs);
    return {
      value: tf.tensor2d(Float32Array.from(values), [B, K]),
      gradFunc: (dy: tf.Tensor2D) => {
        const { grad } = noisyExpectationsHost(compiled, host, B, obs, dy.dataSync());
        return tf.tensor2d(Float32Array.from(grad!), [B, G]);
      },
    };
  });
  return f(angles) as tf.Tensor2D;
}

/** Options of a {@link NoisyQuantumLayer}. */
export interface NoisyQuantumLayerOptions {
  /** The noiseless circuit (uncontrolled rotations carry the angles). */
  circuit: Circuit;
  /** Channels inserted after every gate on each wire it touches. */
  noise: NoiseModel;
  /** Measured observables. */
  observables: Observable[];
  /** Draws the initial weights. */
  rng: Rng;
  /** Initial weights ~ U(lo, hi) (default [0, 2π)). */
  init?: { lo: number; hi: number };
  /** Variable name (must be unique among live variables). */
  name: string;
}

/**
 * A variational circuit under gate noise as a tfjs layer: inputs `[batch, numInputs]` → noisy expectation
 * values `[batch, K]` (exact density-matrix simulation), differentiable with respect to weights and inputs —
 * so white-box attacks see the exact gradient of the noisy model.
 */
export class NoisyQuantumLayer {
  /** The compiled circuit with its noise channels. */
  readonly circuit: CompiledCircuit;
  /** The compiled observables. */
  readonly observables: CompiledObservables;
  /** Trainable parameters. */
  readonly weights: tf.Variable | null;

  constructor(o: NoisyQuantumLayerOptions) {
    this.circuit = withNoise(o.circuit.compile(), o.noise);
    this.observables = compileObservables(this.circuit.nQubits, o.observables);
    const P = this.circuit.numParams;
    this.weights =
      P > 0
        ? ownedVariable(
            tf.tensor1d(o.rng.uniforms(P, o.init?.lo ?? 0, o.init?.hi ?? 2 * Math.PI)),
            `${o.name}/weights`,
          )
        : null;
  }

  /** Number of outputs. */
  get outputs(): number {
    return this.observables.numObservables;
  }

  /** Noisy expectations for inputs `[batch, numInputs]`. */
  apply(inputs: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() =>
      noisyExpval(
        this.circuit,
        angleMatrix(this.circuit, this.weights as tf.Tensor1D | null, inputs),
        this.observables,
      ),
    );
  }

  /** Trainable variables. */
  variables(): tf.Variable[] {
    return this.weights ? [this.weights] : [];
  }

  /** Releases the weights. */
  dispose(): void {
    this.weights?.dispose();
  }
}
