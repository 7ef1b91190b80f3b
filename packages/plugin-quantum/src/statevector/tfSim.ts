import * as tf from '@tensorflow/tfjs-core';
import type { CompiledCircuit, PrimitiveOp } from '../circuits/circuit.js';
import { conjugate, type Mat2 } from '../circuits/matrices.js';
import { type CompiledObservables, termDiagonal, wireBit } from '../circuits/observables.js';

/** A batch of states as tfjs tensors: real and imaginary planes `[batch, 2^n]`. */
export type TfState = { re: tf.Tensor2D; im: tf.Tensor2D };

type Coef = number | tf.Tensor;

/** Σ coef·x, skipping zero coefficients (numbers) and multiplications by 1. */
function lin(parts: Array<[Coef, tf.Tensor]>): tf.Tensor {
  let acc: tf.Tensor | null = null;
  for (const [c, x] of parts) {
    if (c === 0) continue;
    const term = c === 1 ? x : c === -1 ? tf.neg(x) : tf.mul(x, c);
    acc = acc ? tf.add(acc, term) : term;
  }
  return acc ?? tf.zerosLike(parts[0]![1]);
}

type CMat = [Coef, Coef, Coef, Coef, Coef, Coef, Coef, Coef];

function matrixOf(
  op: Exclude<PrimitiveOp, { kind: 'swap' } | { kind: 'channel' }>,
  angles: tf.Tensor2D | null,
  conj: boolean,
  batch: number,
): CMat {
  if (op.kind === 'fixed') return [...(conj ? conjugate(op.matrix) : op.matrix)] as CMat;
  if (!angles) throw new RangeError(`a ${op.kind} gate needs an angle matrix`);
  let theta: tf.Tensor = tf.reshape(tf.slice(angles, [0, op.slot], [batch, 1]), [batch, 1, 1, 1]);
  // conj(RX(θ)) = RX(−θ), conj(RZ(θ)) = RZ(−θ), conj(P(θ)) = P(−θ); RY is real.
  if (conj && op.kind !== 'ry') theta = tf.neg(theta);
  if (op.kind === 'phase') return [1, 0, 0, 0, 0, 0, tf.cos(theta), tf.sin(theta)];
  const half = tf.mul(theta, 0.5);
  const c = tf.cos(half);
  const s = tf.sin(half);
  const ns = tf.neg(s);
  switch (op.kind) {
    case 'rx':
      return [c, 0, 0, ns, 0, ns, c, 0];
    case 'ry':
      return [c, 0, ns, 0, s, 0, c, 0];
    case 'rz':
      return [c, ns, 0, 0, 0, 0, c, s];
  }
}

function maskTensor(n: number, tbit: number, cmask: number): tf.Tensor {
  const D = 2 ** n;
  const L = D / (2 * tbit);
  const m = new Float32Array(L * tbit);
  for (let l = 0; l < L; l++) {
    for (let j = 0; j < tbit; j++) m[l * tbit + j] = ((l * 2 * tbit + j) & cmask) === cmask ? 1 : 0;
  }
  return tf.tensor4d(m, [1, L, 1, tbit]);
}

function applyMatrixTf(
  state: TfState,
  n: number,
  target: number,
  controls: readonly number[],
  m: CMat,
): TfState {
  const B = state.re.shape[0];
  const D = 2 ** n;
  const tbit = wireBit(n, target);
  const shape = [B, D / (2 * tbit), 2, tbit];
  const [a0r, a1r] = tf.split(tf.reshape(state.re, shape), 2, 2) as [tf.Tensor, tf.Tensor];
  const [a0i, a1i] = tf.split(tf.reshape(state.im, shape), 2, 2) as [tf.Tensor, tf.Tensor];
  const [m00r, m00i, m01r, m01i, m10r, m10i, m11r, m11i] = m;
  const neg = (c: Coef): Coef => (typeof c === 'number' ? -c : tf.neg(c));
  // One output row (re, im) of the 2×2 product: m0·a0 + m1·a1 with complex coefficients and amplitudes.
  const row = (m0r: Coef, m0i: Coef, m1r: Coef, m1i: Coef): [tf.Tensor, tf.Tensor] => [
    lin([
      [m0r, a0r],
      [neg(m0i), a0i],
      [m1r, a1r],
      [neg(m1i), a1i],
    ]),
    lin([
      [m0r, a0i],
      [m0i, a0r],
      [m1r, a1i],
      [m1i, a1r],
    ]),
  ];
  let [n0r, n0i] = row(m00r, m00i, m01r, m01i);
  let [n1r, n1i] = row(m10r, m10i, m11r, m11i);
  if (controls.length) {
    let cmask = 0;
    for (const c of controls) cmask |= wireBit(n, c);
    const mask = maskTensor(n, tbit, cmask);
    const blend = (nw: tf.Tensor, old: tf.Tensor) => tf.add(old, tf.mul(mask, tf.sub(nw, old)));
    n0r = blend(n0r, a0r);
    n0i = blend(n0i, a0i);
    n1r = blend(n1r, a1r);
    n1i = blend(n1i, a1i);
  }
  return {
    re: tf.reshape(tf.concat([n0r, n1r], 2), [B, D]) as tf.Tensor2D,
    im: tf.reshape(tf.concat([n0i, n1i], 2), [B, D]) as tf.Tensor2D,
  };
}

const X_MATRIX: CMat = [0, 0, 1, 0, 1, 0, 0, 0];

/**
 * Applies one primitive operation with tfjs ops (differentiable; call inside `tf.tidy`). `conj` applies
 * the elementwise complex conjugate of the gate (used for the column side of density matrices).
 */
export function applyOpTf(
  state: TfState,
  n: number,
  op: PrimitiveOp,
  angles: tf.Tensor2D | null,
  conj = false,
): TfState {
  if (op.kind === 'channel') {
    throw new Error(
      `state-vector simulation cannot apply the noise channel '${op.name}': use the density-matrix simulator`,
    );
  }
  if (op.kind === 'swap') {
    // CSWAP(a, b) = CNOT(b→a) · CCNOT(controls, a → b) · CNOT(b→a)
    let s = applyMatrixTf(state, n, op.target, [op.target2], X_MATRIX);
    s = applyMatrixTf(s, n, op.target2, [...op.controls, op.target], X_MATRIX);
    return applyMatrixTf(s, n, op.target, [op.target2], X_MATRIX);
  }
  return applyMatrixTf(state, n, op.target, op.controls, matrixOf(op, angles, conj, state.re.shape[0]));
}

/** Applies a fixed 2×2 matrix (e.g. a Kraus operator) with tfjs ops. */
export function applyMatrixOpTf(
  state: TfState,
  n: number,
  target: number,
  matrix: Mat2,
  controls: readonly number[] = [],
): TfState {
  return applyMatrixTf(state, n, target, controls, [...matrix] as CMat);
}

/** |0…0⟩ for a batch, as tensors. */
export function zeroStateTf(nQubits: number, batch: number): TfState {
  const D = 2 ** nQubits;
  return tf.tidy(() => {
    const re = tf.concat([tf.ones([batch, 1]), tf.zeros([batch, D - 1])], 1) as tf.Tensor2D;
    return { re, im: tf.zeros([batch, D]) as tf.Tensor2D };
  });
}

/**
 * Runs a compiled circuit with tfjs ops — the reference simulator and the backprop path (gradients flow
 * to `angles` and to `initial`). `angles` is `[batch, slots]`; `batch` is needed when there are no slots
 * and no initial state.
 */
export function simulateTf(
  compiled: CompiledCircuit,
  angles: tf.Tensor2D | null,
  options: { initial?: TfState; batch?: number } = {},
): TfState {
  const B = options.initial?.re.shape[0] ?? angles?.shape[0] ?? options.batch;
  if (B === undefined) throw new RangeError('simulateTf: give angles, an initial state or a batch size');
  if (compiled.slots.length > 0 && (!angles || angles.shape[1] !== compiled.slots.length)) {
    throw new RangeError(
      `simulateTf: angles must be [${B}, ${compiled.slots.length}], got [${angles?.shape ?? ''}]`,
    );
  }
  return tf.tidy(() => {
    let s = options.initial ?? zeroStateTf(compiled.nQubits, B);
    for (const op of compiled.ops) s = applyOpTf(s, compiled.nQubits, op, angles);
    return s;
  });
}

/** Flips the bits of `flip` in every basis index: x ↦ x[i ⊕ flip] along axis 1. */
function flipBits(x: tf.Tensor2D, n: number, flip: number): tf.Tensor2D {
  const B = x.shape[0];
  const D = 2 ** n;
  let y: tf.Tensor = x;
  for (let w = 0; w < n; w++) {
    const bit = wireBit(n, w);
    if (!(flip & bit)) continue;
    y = tf.reshape(tf.reverse(tf.reshape(y, [B, D / (2 * bit), 2, bit]), 2), [B, D]);
  }
  return y as tf.Tensor2D;
}

/** Expectation values `[batch, K]` of compiled observables, in tfjs ops (differentiable). */
export function expectationsTf(state: TfState, obs: CompiledObservables): tf.Tensor2D {
  const n = obs.nQubits;
  const D = 2 ** n;
  const K = obs.numObservables;
  return tf.tidy(() => {
    const probs = tf.add(tf.square(state.re), tf.square(state.im));
    const diag: number[] = [];
    const diagCols: Float32Array[] = [];
    const cols: Array<tf.Tensor | null> = obs.terms.map(() => null);
    obs.terms.forEach((t, ti) => {
      const d = termDiagonal(t, n);
      if (d) {
        diag.push(ti);
        diagCols.push(d);
      }
    });
    if (diag.length) {
      const T = diag.length;
      if (D * T <= 2 ** 22) {
        const mat = new Float32Array(D * T);
        diagCols.forEach((col, j) => {
          for (let i = 0; i < D; i++) mat[i * T + j] = col[i]!;
        });
        const e = tf.matMul(probs, tf.tensor2d(mat, [D, T]));
        if (T === 1 && diag.length === obs.terms.length) {
          return tf.matMul(e, tf.tensor2d(Float32Array.from(obs.coeffs), [1, K])) as tf.Tensor2D;
        }
        // Slices, not tf.split: tfjs' SplitV gradient fails when there is a single piece.
        diag.forEach((ti, j) => {
          cols[ti] = T === 1 ? e : tf.slice(e, [0, j], [-1, 1]);
        });
      } else {
        diag.forEach((ti, j) => {
          cols[ti] = tf.sum(tf.mul(probs, tf.tensor2d(diagCols[j]!, [1, D])), 1, true);
        });
      }
    }
    obs.terms.forEach((t, ti) => {
      if (cols[ti]) return;
      const br = flipBits(state.re, n, t.flip);
      const bi = flipBits(state.im, n, t.flip);
      const phase = t.nY & 3;
      // Re[(−i)^nY · conj(a)·b] with conj(a)·b = (ar·br + ai·bi) + i(ar·bi − ai·br)
      const v =
        phase % 2 === 0
          ? tf.add(tf.mul(state.re, br), tf.mul(state.im, bi))
          : tf.sub(tf.mul(state.re, bi), tf.mul(state.im, br));
      const sign = termDiagonal({ ...t, kind: 'pauli', flip: 0 }, n)!;
      const factor = phase >= 2 ? -1 : 1;
      cols[ti] = tf.mul(tf.sum(tf.mul(v, tf.tensor2d(sign, [1, D])), 1, true), factor);
    });
    const terms = tf.concat(cols as tf.Tensor[], 1);
    return tf.matMul(terms, tf.tensor2d(Float32Array.from(obs.coeffs), [obs.terms.length, K])) as tf.Tensor2D;
  });
}

/** Basis-state probabilities `[batch, 2^n]` in tfjs ops. */
export function probabilitiesTf(state: TfState): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.square(state.re), tf.square(state.im)) as tf.Tensor2D);
}
