import * as tf from '@tensorflow/tfjs-core';
import type { CompiledCircuit, PrimitiveOp } from '../circuits/circuit.js';
import { conjugate, type Mat2 } from '../circuits/matrices.js';
import { type CompiledObservables, parity, termDiagonal, wireBit } from '../circuits/observables.js';
import { applyOpHost, checkAngles, type StateVector } from '../statevector/host.js';
import { applyMatrixOpTf, applyOpTf, type TfState } from '../statevector/tfSim.js';

/**
 * A batch of density matrices on the host: real and imaginary float32 planes `[batch, 2^n · 2^n]`,
 * ρ[r, c] at `r·2^n + c` — the vectorisation of ρ as a 2n-qubit state (row bits, then column bits).
 */
export interface DensityMatrix {
  nQubits: number;
  batch: number;
  re: Float32Array;
  im: Float32Array;
}

/** `batch` copies of |0…0⟩⟨0…0|. */
export function zeroDensity(nQubits: number, batch = 1): DensityMatrix {
  const D2 = 4 ** nQubits;
  const re = new Float32Array(batch * D2);
  for (let b = 0; b < batch; b++) re[b * D2] = 1;
  return { nQubits, batch, re, im: new Float32Array(batch * D2) };
}

/** |ψ⟩⟨ψ| for every example of a pure state. */
export function densityFromState(state: StateVector): DensityMatrix {
  const D = 2 ** state.nQubits;
  const out = zeroDensity(state.nQubits, state.batch);
  out.re.fill(0);
  for (let b = 0; b < state.batch; b++) {
    for (let r = 0; r < D; r++) {
      const ar = state.re[b * D + r]!;
      const ai = state.im[b * D + r]!;
      for (let c = 0; c < D; c++) {
        const br = state.re[b * D + c]!;
        const bi = state.im[b * D + c]!;
        out.re[b * D * D + r * D + c] = ar * br + ai * bi;
        out.im[b * D * D + r * D + c] = ai * br - ar * bi;
      }
    }
  }
  return out;
}

/** The column-side (conjugated) copy of a unitary op on the doubled register. */
function columnOp(
  op: Exclude<PrimitiveOp, { kind: 'channel' }>,
  n: number,
): Exclude<PrimitiveOp, { kind: 'channel' }> {
  const controls = op.controls.map((c) => c + n);
  if (op.kind === 'fixed') return { ...op, target: op.target + n, controls, matrix: conjugate(op.matrix) };
  if (op.kind === 'swap') return { ...op, target: op.target + n, target2: op.target2 + n, controls };
  return { ...op, target: op.target + n, controls };
}

/**
 * Offsets, within one example, of the top-left entry ρ[r, c] of every 2×2 block on the wire with bit value
 * `tb` (r and c with that bit clear), in row-major order.
 */
export function blockCorners(D: number, tb: number): Int32Array {
  const out = new Int32Array((D * D) / 4);
  let k = 0;
  for (let r = 0; r < D; r++) {
    if (r & tb) continue;
    for (let c = 0; c < D; c++) if (!(c & tb)) out[k++] = r * D + c;
  }
  return out;
}

/** Applies Σₖ Kₖ ρ Kₖ† on one wire of every example, in place. */
export function applyChannelHost(rho: DensityMatrix, target: number, kraus: readonly Mat2[]): void {
  const n = rho.nQubits;
  const D = 2 ** n;
  const tb = wireBit(n, target);
  const rbit = tb * D;
  const cbit = tb;
  const { re, im } = rho;
  const blk = new Float64Array(8);
  const corners = blockCorners(D, tb);
  for (let b = 0; b < rho.batch; b++) {
    const off = b * D * D;
    for (const corner of corners) {
      const i00 = off + corner;
      const idx = [i00, i00 + cbit, i00 + rbit, i00 + rbit + cbit];
      for (let q = 0; q < 4; q++) {
        blk[2 * q] = re[idx[q]!]!;
        blk[2 * q + 1] = im[idx[q]!]!;
      }
      const acc = new Float64Array(8);
      for (const K of kraus) {
        // T = K·B, then acc += T·K†
        for (let i = 0; i < 2; i++) {
          for (let j = 0; j < 2; j++) {
            let tr = 0;
            let ti = 0;
            for (let k = 0; k < 2; k++) {
              const kr = K[2 * (2 * i + k)]!;
              const ki = K[2 * (2 * i + k) + 1]!;
              const br = blk[2 * (2 * k + j)]!;
              const bi = blk[2 * (2 * k + j) + 1]!;
              tr += kr * br - ki * bi;
              ti += kr * bi + ki * br;
            }
            // (T·K†)[i][l] = Σ_j T[i][j]·conj(K[l][j])
            for (let l = 0; l < 2; l++) {
              const kr = K[2 * (2 * l + j)]!;
              const ki = -K[2 * (2 * l + j) + 1]!;
              acc[2 * (2 * i + l)]! += tr * kr - ti * ki;
              acc[2 * (2 * i + l) + 1]! += tr * ki + ti * kr;
            }
          }
        }
      }
      for (let q = 0; q < 4; q++) {
        re[idx[q]!] = acc[2 * q]!;
        im[idx[q]!] = acc[2 * q + 1]!;
      }
    }
  }
}

/**
 * Runs a compiled circuit (noise channels included) on density matrices for a batch: unitaries as
 * U ρ U†, channels as Σₖ Kₖ ρ Kₖ†. Memory 4^n per example, so meant for n ≤ ~10.
 */
export function simulateDensityHost(
  compiled: CompiledCircuit,
  angles: ArrayLike<number> | null,
  batch: number,
  initial?: DensityMatrix,
): DensityMatrix {
  const G = checkAngles(compiled, angles, batch);
  const n = compiled.nQubits;
  const rho = initial
    ? { ...initial, re: initial.re.slice(), im: initial.im.slice() }
    : zeroDensity(n, batch);
  const negated = angles ? Float32Array.from(angles, (v) => -v) : null;
  const doubled: StateVector = { nQubits: 2 * n, batch, re: rho.re, im: rho.im };
  for (const op of compiled.ops) {
    if (op.kind === 'channel') {
      applyChannelHost(rho, op.target, op.kraus);
      continue;
    }
    applyOpHost(doubled, op, angles, G);
    // conj(RX(θ)) = RX(−θ), conj(RZ(θ)) = RZ(−θ), conj(P(θ)) = P(−θ); RY is real.
    const colAngles = op.kind === 'rx' || op.kind === 'rz' || op.kind === 'phase' ? negated : angles;
    applyOpHost(doubled, columnOp(op, n), colAngles, G);
  }
  return rho;
}

/** Tr(ρ·Oₖ) for every example: `[batch, K]` (float64). */
export function densityExpectationsHost(rho: DensityMatrix, obs: CompiledObservables): Float64Array {
  const n = rho.nQubits;
  const D = 2 ** n;
  const K = obs.numObservables;
  const out = new Float64Array(rho.batch * K);
  for (let b = 0; b < rho.batch; b++) {
    const off = b * D * D;
    obs.terms.forEach((t, ti) => {
      let acc = 0;
      if (t.kind === 'projector') {
        for (let i = 0; i < D; i++) if ((i & t.mask) === t.value) acc += rho.re[off + i * D + i]!;
      } else {
        // Tr(ρP) = Σ_j c·s(j)·ρ[j ⊕ flip, j], c = (−i)^nY
        const phase = t.nY & 3;
        for (let j = 0; j < D; j++) {
          const e = off + (j ^ t.flip) * D + j;
          const zr = rho.re[e]!;
          const zi = rho.im[e]!;
          const v = phase === 0 ? zr : phase === 1 ? zi : phase === 2 ? -zr : -zi;
          acc += parity(j & t.sign) ? -v : v;
        }
      }
      for (let k = 0; k < K; k++) out[b * K + k]! += obs.coeffs[ti * K + k]! * acc;
    });
  }
  return out;
}

/** Tr ρ and purity Tr ρ² per example. */
export function densityStats(rho: DensityMatrix): Array<{ trace: number; purity: number }> {
  const D = 2 ** rho.nQubits;
  const out: Array<{ trace: number; purity: number }> = [];
  for (let b = 0; b < rho.batch; b++) {
    const off = b * D * D;
    let trace = 0;
    let purity = 0;
    for (let r = 0; r < D; r++) {
      trace += rho.re[off + r * D + r]!;
      for (let c = 0; c < D; c++) purity += rho.re[off + r * D + c]! ** 2 + rho.im[off + r * D + c]! ** 2;
    }
    out.push({ trace, purity });
  }
  return out;
}

/** Density matrices as tfjs tensors: planes `[batch, 4^n]`. */
export type TfDensity = TfState;

/**
 * Density-matrix simulation with tfjs ops — differentiable with respect to the angles (backprop through
 * noisy circuits). Same layout as {@link simulateDensityHost}.
 */
export function simulateDensityTf(
  compiled: CompiledCircuit,
  angles: tf.Tensor2D | null,
  options: { batch?: number } = {},
): TfDensity {
  const n = compiled.nQubits;
  const B = angles?.shape[0] ?? options.batch;
  if (B === undefined) throw new RangeError('simulateDensityTf: give angles or a batch size');
  if (compiled.slots.length > 0 && (!angles || angles.shape[1] !== compiled.slots.length)) {
    throw new RangeError(`simulateDensityTf: angles must be [${B}, ${compiled.slots.length}]`);
  }
  const D2 = 4 ** n;
  return tf.tidy(() => {
    let s: TfState = {
      re: tf.concat([tf.ones([B, 1]), tf.zeros([B, D2 - 1])], 1) as tf.Tensor2D,
      im: tf.zeros([B, D2]) as tf.Tensor2D,
    };
    for (const op of compiled.ops) {
      if (op.kind === 'channel') {
        let acc: TfState | null = null;
        for (const K of op.kraus) {
          const t = applyMatrixOpTf(
            applyMatrixOpTf(s, 2 * n, op.target, K),
            2 * n,
            op.target + n,
            conjugate(K),
          );
          acc = acc
            ? { re: tf.add(acc.re, t.re) as tf.Tensor2D, im: tf.add(acc.im, t.im) as tf.Tensor2D }
            : t;
        }
        s = acc!;
        continue;
      }
      s = applyOpTf(s, 2 * n, op, angles);
      const col = columnOp(op, n);
      // columnOp already conjugated fixed matrices; rotations are conjugated by applyOpTf.
      s = applyOpTf(s, 2 * n, col, angles, col.kind !== 'fixed');
    }
    return s;
  });
}

/** Tr(ρ·Oₖ) `[batch, K]` in tfjs ops (differentiable). */
export function densityExpectationsTf(rho: TfDensity, obs: CompiledObservables): tf.Tensor2D {
  const n = obs.nQubits;
  const D = 2 ** n;
  return tf.tidy(() => {
    const cols = obs.terms.map((t) => {
      const flip = t.kind === 'pauli' ? t.flip : 0;
      const idx = Int32Array.from({ length: D }, (_, j) => (j ^ flip) * D + j);
      const indices = tf.tensor1d(idx, 'int32');
      const zr = tf.gather(rho.re, indices, 1);
      const diag = termDiagonal(t.kind === 'pauli' ? { ...t, flip: 0 } : t, n)!;
      const w = tf.tensor2d(diag, [1, D]);
      if (t.kind === 'projector' || flip === 0) return tf.sum(tf.mul(zr, w), 1, true);
      const phase = t.nY & 3;
      const z = phase % 2 === 0 ? zr : tf.gather(rho.im, indices, 1);
      return tf.mul(tf.sum(tf.mul(z, w), 1, true), phase >= 2 ? -1 : 1);
    });
    return tf.matMul(
      tf.concat(cols, 1),
      tf.tensor2d(Float32Array.from(obs.coeffs), [obs.terms.length, obs.numObservables]),
    ) as tf.Tensor2D;
  });
}
