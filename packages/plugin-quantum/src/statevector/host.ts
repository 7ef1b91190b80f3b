import type { CompiledCircuit, PrimitiveOp } from '../circuits/circuit.js';
import { rotationDerivativeInto, rotationMatrixInto } from '../circuits/matrices.js';
import { type CompiledObservables, parity, type TermMasks, wireBit } from '../circuits/observables.js';
import { COEFF_BYTES, type SimdKernel, simdKernel, writeCoefficients } from './simdKernel.js';

/**
 * A batch of state vectors on the host: real and imaginary float32 planes `[batch, 2^n]` (row-major;
 * qubit 0 is the most significant bit of the basis index).
 */
export interface StateVector {
  nQubits: number;
  batch: number;
  re: Float32Array;
  im: Float32Array;
}

/** `batch` copies of the basis state |index⟩ (default |0…0⟩). */
export function basisState(nQubits: number, batch = 1, index = 0): StateVector {
  const D = 2 ** nQubits;
  if (index < 0 || index >= D) throw new RangeError(`basisState: index ${index} outside [0, ${D - 1}]`);
  const re = new Float32Array(batch * D);
  for (let b = 0; b < batch; b++) re[b * D + index] = 1;
  return { nQubits, batch, re, im: new Float32Array(batch * D) };
}

/** A deep copy of a state. */
export function cloneState(s: StateVector): StateVector {
  return { nQubits: s.nQubits, batch: s.batch, re: s.re.slice(), im: s.im.slice() };
}

/** How a primitive operation is applied. */
export type ApplyMode = 'forward' | 'adjoint';

const scratch = new Float64Array(8);

/** `k` with a zero bit inserted at each of `bits` (ascending bit values): the k-th index they leave free. */
export function spreadBits(k: number, bits: readonly number[]): number {
  let idx = k;
  for (let q = 0; q < bits.length; q++) {
    const b = bits[q]!;
    const lo = idx & (b - 1);
    idx = ((idx ^ lo) << 1) | lo;
  }
  return idx;
}

/**
 * Applies a 2×2 complex matrix `m` (8 numbers at `mo`) to `target` of one example at offset `off`,
 * where all bits of `cmask` are set. `bits` lists the ascending bit values of target and controls.
 */
function apply2x2(
  re: Float32Array,
  im: Float32Array,
  off: number,
  D: number,
  tbit: number,
  cmask: number,
  bits: readonly number[],
  m: ArrayLike<number>,
  mo: number,
): void {
  const m00r = m[mo]!;
  const m00i = m[mo + 1]!;
  const m01r = m[mo + 2]!;
  const m01i = m[mo + 3]!;
  const m10r = m[mo + 4]!;
  const m10i = m[mo + 5]!;
  const m11r = m[mo + 6]!;
  const m11i = m[mo + 7]!;
  const pairs = D / 2 ** bits.length;
  const diagonal = m01r === 0 && m01i === 0 && m10r === 0 && m10i === 0;
  if (bits.length === 1) {
    const low = tbit - 1;
    if (diagonal) {
      const skip0 = m00r === 1 && m00i === 0;
      for (let k = 0; k < pairs; k++) {
        const lo = k & low;
        const i = off + (((k ^ lo) << 1) | lo);
        const j = i + tbit;
        if (!skip0) {
          const a0r = re[i]!;
          const a0i = im[i]!;
          re[i] = m00r * a0r - m00i * a0i;
          im[i] = m00r * a0i + m00i * a0r;
        }
        const a1r = re[j]!;
        const a1i = im[j]!;
        re[j] = m11r * a1r - m11i * a1i;
        im[j] = m11r * a1i + m11i * a1r;
      }
      return;
    }
    if (m00i === 0 && m01i === 0 && m10i === 0 && m11i === 0) {
      for (let k = 0; k < pairs; k++) {
        const lo = k & low;
        const i = off + (((k ^ lo) << 1) | lo);
        const j = i + tbit;
        const a0r = re[i]!;
        const a0i = im[i]!;
        const a1r = re[j]!;
        const a1i = im[j]!;
        re[i] = m00r * a0r + m01r * a1r;
        im[i] = m00r * a0i + m01r * a1i;
        re[j] = m10r * a0r + m11r * a1r;
        im[j] = m10r * a0i + m11r * a1i;
      }
      return;
    }
  }
  // A general (complex, or controlled) gate: one loop for any number of target and control bits.
  for (let k = 0; k < pairs; k++) {
    const i = off + (spreadBits(k, bits) | cmask);
    const j = i + tbit;
    const a0r = re[i]!;
    const a0i = im[i]!;
    const a1r = re[j]!;
    const a1i = im[j]!;
    re[i] = m00r * a0r - m00i * a0i + m01r * a1r - m01i * a1i;
    im[i] = m00r * a0i + m00i * a0r + m01r * a1i + m01i * a1r;
    re[j] = m10r * a0r - m10i * a0i + m11r * a1r - m11i * a1i;
    im[j] = m10r * a0i + m10i * a0r + m11r * a1i + m11i * a1r;
  }
}

/** Ascending bit values of the given wires. */
function sortedBits(n: number, wires: readonly number[]): number[] {
  return wires.map((w) => wireBit(n, w)).sort((a, b) => a - b);
}

/**
 * Bit values of a gate's wires in an n-qubit state: target, second target (swaps; 0 otherwise), the control
 * mask, and all of them ascending (`bits`).
 */
export interface OpGeometry {
  n: number;
  tbit: number;
  t2bit: number;
  cmask: number;
  bits: number[];
}

// Compiled ops are immutable, so their bit geometry is computed once per (op, n), not once per call: the
// adjoint sweep asks for it per op and per example, which on 4-qubit states cost more than the arithmetic.
const geometries = new WeakMap<PrimitiveOp, OpGeometry>();

/** The (cached) bit geometry of a gate on n qubits. */
export function geometryOf(n: number, op: Exclude<PrimitiveOp, { kind: 'channel' }>): OpGeometry {
  const cached = geometries.get(op);
  if (cached && cached.n === n) return cached;
  const targets = op.kind === 'swap' ? [op.target, op.target2] : [op.target];
  const g = {
    n,
    tbit: wireBit(n, op.target),
    t2bit: op.kind === 'swap' ? wireBit(n, op.target2) : 0,
    cmask: controlMask(n, op.controls),
    bits: sortedBits(n, [...targets, ...op.controls]),
  };
  geometries.set(op, g);
  return g;
}

function controlMask(n: number, controls: readonly number[]): number {
  let m = 0;
  for (const c of controls) m |= wireBit(n, c);
  return m;
}

/** Writes the (possibly adjoint) matrix of `op` for batch row `b` into `out`. */
function opMatrix(
  op: Exclude<PrimitiveOp, { kind: 'swap' } | { kind: 'channel' }>,
  angles: ArrayLike<number> | null,
  G: number,
  b: number,
  mode: ApplyMode,
  out: Float64Array,
): void {
  if (op.kind === 'fixed') {
    const m = op.matrix;
    if (mode === 'forward') for (let q = 0; q < 8; q++) out[q] = m[q]!;
    else {
      out[0] = m[0];
      out[1] = -m[1];
      out[2] = m[4];
      out[3] = -m[5];
      out[4] = m[2];
      out[5] = -m[3];
      out[6] = m[6];
      out[7] = -m[7];
    }
    return;
  }
  const theta = angles![b * G + op.slot]!;
  rotationMatrixInto(op.kind, mode === 'forward' ? theta : -theta, out);
}

function applySwap(
  re: Float32Array,
  im: Float32Array,
  off: number,
  D: number,
  n: number,
  op: Extract<PrimitiveOp, { kind: 'swap' }>,
): void {
  const { tbit: ba, t2bit: bb, bits, cmask } = geometryOf(n, op);
  const count = D / 2 ** bits.length;
  for (let k = 0; k < count; k++) {
    const idx = spreadBits(k, bits);
    const i = off + (idx | cmask | ba);
    const j = off + (idx | cmask | bb);
    const tr = re[i]!;
    const ti = im[i]!;
    re[i] = re[j]!;
    im[i] = im[j]!;
    re[j] = tr;
    im[j] = ti;
  }
}

/**
 * Applies one primitive operation in place to every example of `state` (or to rows [b0, b1)), with
 * per-example angles (`angles` is `[batch, G]`, row-major). `adjoint` applies U†.
 */
export function applyOpHost(
  state: StateVector,
  op: PrimitiveOp,
  angles: ArrayLike<number> | null,
  G: number,
  mode: ApplyMode = 'forward',
  rows: [number, number] = [0, state.batch],
): void {
  const n = state.nQubits;
  const D = 2 ** n;
  const { re, im } = state;
  const [b0, b1] = rows;
  if (op.kind === 'channel') {
    throw new Error(
      `state-vector simulation cannot apply the noise channel '${op.name}': use the density-matrix simulator`,
    );
  }
  if (op.kind === 'swap') {
    for (let b = b0; b < b1; b++) applySwap(re, im, b * D, D, n, op);
    return;
  }
  // One gate on a large state (the adjoint sweep's un-computation): copying the rows into wasm memory and
  // back costs two memcpy passes, far less than the scalar loop it replaces; the results are bit-identical.
  if (hostKernel !== 'js' && D >= SIMD_SINGLE_OP_MIN) {
    const kernel = simdKernel();
    if (kernel) {
      const block = blockRows(D);
      applyOpsSimd(kernel, state, [op], G, angles, mode, block, rows);
      return;
    }
    if (hostKernel === 'simd') throw new Error('applyOpHost: this engine has no WebAssembly SIMD');
  }
  const { tbit, cmask, bits } = geometryOf(n, op);
  if (op.kind === 'fixed') {
    opMatrix(op, null, G, 0, mode, scratch);
    for (let b = b0; b < b1; b++) apply2x2(re, im, b * D, D, tbit, cmask, bits, scratch, 0);
    return;
  }
  for (let b = b0; b < b1; b++) {
    opMatrix(op, angles, G, b, mode, scratch);
    apply2x2(re, im, b * D, D, tbit, cmask, bits, scratch, 0);
  }
}

/** Rows per cache block: all gates run on a block of examples before the next (≈ 256 KiB of state). */
const BLOCK_BYTES = 256 * 1024;

/** Rows of 2^n = D amplitudes (re + im float32) that fit one cache block (at least one). */
function blockRows(D: number): number {
  return Math.max(1, Math.floor(BLOCK_BYTES / (8 * D)));
}

/** Amplitudes per example from which a single op (not a whole circuit) also runs in the SIMD kernel. */
const SIMD_SINGLE_OP_MIN = 1024;

/** Which implementation `applyCircuitHost` uses: scalar JS, wasm SIMD, or SIMD where available. */
export type HostKernel = 'js' | 'simd' | 'auto';

let hostKernel: HostKernel = 'auto';

/**
 * Selects the implementation of {@link applyCircuitHost} (default `'auto'`: wasm SIMD where the engine
 * supports it and states have ≥ 16 amplitudes, scalar JS otherwise). `'simd'` throws at use where SIMD is
 * unavailable (states below 16 amplitudes still run in JS). Returns the previous setting.
 */
export function setHostKernel(kernel: HostKernel): HostKernel {
  const previous = hostKernel;
  hostKernel = kernel;
  return previous;
}

/** Whether this engine runs the wasm SIMD kernel (compiles it on first call). */
export function simdAvailable(): boolean {
  return simdKernel() !== null;
}

/**
 * Applies every op of a compiled circuit in place, block of rows by block of rows, so that small states
 * stay in cache across gates (a batch of 256 10-qubit states is 2 MiB; one block is ≤ 256 KiB).
 */
export function applyCircuitHost(
  state: StateVector,
  compiled: CompiledCircuit,
  angles: ArrayLike<number> | null,
): void {
  const G = compiled.slots.length;
  const D = 2 ** state.nQubits;
  const block = blockRows(D);
  if (hostKernel !== 'js' && D >= 16) {
    const kernel = simdKernel();
    if (kernel) {
      applyOpsSimd(kernel, state, compiled.ops, G, angles, 'forward', block, [0, state.batch]);
      return;
    }
    if (hostKernel === 'simd') throw new Error('applyCircuitHost: this engine has no WebAssembly SIMD');
  }
  for (let b0 = 0; b0 < state.batch; b0 += block) {
    const rows: [number, number] = [b0, Math.min(state.batch, b0 + block)];
    for (const op of compiled.ops) applyOpHost(state, op, angles, G, 'forward', rows);
  }
}

/**
 * The SIMD path: each block of rows in [r0, r1) is copied into wasm memory once, runs every op there (in
 * `mode`), and is copied back.
 */
function applyOpsSimd(
  kernel: SimdKernel,
  state: StateVector,
  ops: readonly PrimitiveOp[],
  G: number,
  angles: ArrayLike<number> | null,
  mode: ApplyMode,
  block: number,
  [r0, r1]: [number, number],
): void {
  const n = state.nQubits;
  const D = 2 ** n;
  for (const op of ops) {
    if (op.kind === 'channel') applyOpHost(state, op, angles, G); // throws
  }
  const rowsMax = Math.min(block, r1 - r0);
  const matBytes = rowsMax * COEFF_BYTES;
  kernel.reserve(matBytes + 8 * rowsMax * D);
  const reOff = matBytes;
  for (let b0 = r0; b0 < r1; b0 += block) {
    const rows = Math.min(r1, b0 + block) - b0;
    const imOff = reOff + 4 * rows * D;
    let f32 = kernel.f32;
    f32.set(state.re.subarray(b0 * D, (b0 + rows) * D), reOff / 4);
    f32.set(state.im.subarray(b0 * D, (b0 + rows) * D), imOff / 4);
    for (const op of ops) {
      if (op.kind === 'channel') continue;
      if (op.kind === 'swap') {
        const re = f32.subarray(reOff / 4, reOff / 4 + rows * D);
        const im = f32.subarray(imOff / 4, imOff / 4 + rows * D);
        for (let r = 0; r < rows; r++) applySwap(re, im, r * D, D, n, op);
        continue;
      }
      const { tbit, cmask } = geometryOf(n, op);
      if (op.kind === 'fixed') {
        opMatrix(op, null, G, 0, mode, scratch);
        writeCoefficients(kernel, 0, scratch, tbit, cmask);
        kernel.apply(reOff, imOff, D, rows, tbit, cmask, 0, 0);
      } else {
        for (let r = 0; r < rows; r++) {
          opMatrix(op, angles, G, b0 + r, mode, scratch);
          writeCoefficients(kernel, r * COEFF_BYTES, scratch, tbit, cmask);
        }
        kernel.apply(reOff, imOff, D, rows, tbit, cmask, 0, COEFF_BYTES);
      }
      f32 = kernel.f32;
    }
    state.re.set(f32.subarray(reOff / 4, reOff / 4 + rows * D), b0 * D);
    state.im.set(f32.subarray(imOff / 4, imOff / 4 + rows * D), b0 * D);
  }
}

/** Checks an angle matrix fits a compiled circuit and a batch. */
export function checkAngles(
  compiled: CompiledCircuit,
  angles: ArrayLike<number> | null,
  batch: number,
): number {
  const G = compiled.slots.length;
  if (G > 0 && (!angles || angles.length !== batch * G)) {
    throw new RangeError(
      `angles: expected [${batch}, ${G}] (${batch * G} values) for this circuit, got ${angles?.length ?? 0}`,
    );
  }
  return G;
}

/**
 * Runs a compiled circuit on the host for a batch (`angles`: `[batch, slots]` row-major), from |0…0⟩ or
 * from a copy of `initial`.
 */
export function simulateHost(
  compiled: CompiledCircuit,
  angles: ArrayLike<number> | null,
  batch: number,
  initial?: StateVector,
): StateVector {
  const G = checkAngles(compiled, angles, batch);
  if (initial && (initial.batch !== batch || initial.nQubits !== compiled.nQubits)) {
    throw new RangeError(
      `simulateHost: initial state is [${initial.batch}, 2^${initial.nQubits}], expected [${batch}, 2^${compiled.nQubits}]`,
    );
  }
  const state = initial ? cloneState(initial) : basisState(compiled.nQubits, batch);
  applyCircuitHost(state, compiled, G > 0 ? angles : null);
  return state;
}

/** ⟨ψ|T|ψ⟩ of one compiled term for example `b` (float64 accumulation). */
function termExpectation(t: TermMasks, re: Float32Array, im: Float32Array, off: number, D: number): number {
  let acc = 0;
  if (t.kind === 'projector') {
    for (let i = 0; i < D; i++) {
      if ((i & t.mask) === t.value) acc += re[off + i]! * re[off + i]! + im[off + i]! * im[off + i]!;
    }
    return acc;
  }
  if (t.flip === 0) {
    if (t.sign === 0) {
      for (let i = 0; i < D; i++) acc += re[off + i]! * re[off + i]! + im[off + i]! * im[off + i]!;
      return acc;
    }
    for (let i = 0; i < D; i++) {
      const p = re[off + i]! * re[off + i]! + im[off + i]! * im[off + i]!;
      acc += parity(i & t.sign) ? -p : p;
    }
    return acc;
  }
  // (Pψ)_i = (−i)^nY · (−1)^{|i ∧ sign|} · ψ_{i ⊕ flip}; Re of conj(ψ_i)·that.
  const phase = t.nY & 3;
  for (let i = 0; i < D; i++) {
    const j = i ^ t.flip;
    const ar = re[off + i]!;
    const ai = im[off + i]!;
    const br = re[off + j]!;
    const bi = im[off + j]!;
    const realPart = ar * br + ai * bi;
    const imagPart = ar * bi - ai * br;
    const v = phase === 0 ? realPart : phase === 1 ? imagPart : phase === 2 ? -realPart : -imagPart;
    acc += parity(i & t.sign) ? -v : v;
  }
  return acc;
}

/** Expectation values `[batch, K]` (row-major, float64) of compiled observables. */
export function expectationsHost(state: StateVector, obs: CompiledObservables): Float64Array {
  if (obs.nQubits !== state.nQubits) {
    throw new RangeError(`observables are for ${obs.nQubits} qubits, the state has ${state.nQubits}`);
  }
  const D = 2 ** state.nQubits;
  const K = obs.numObservables;
  const out = new Float64Array(state.batch * K);
  for (let b = 0; b < state.batch; b++) {
    obs.terms.forEach((t, ti) => {
      const e = termExpectation(t, state.re, state.im, b * D, D);
      for (let k = 0; k < K; k++) {
        const c = obs.coeffs[ti * K + k]!;
        if (c !== 0) out[b * K + k]! += c * e;
      }
    });
  }
  return out;
}

/**
 * λ = Σₖ w[b,k]·Oₖ|ψ_b⟩ for every example (the adjoint method's starting vector), with `weights`
 * `[batch, K]`.
 */
export function applyObservablesHost(
  state: StateVector,
  obs: CompiledObservables,
  weights: ArrayLike<number>,
): StateVector {
  const D = 2 ** state.nQubits;
  const K = obs.numObservables;
  const out = basisState(state.nQubits, state.batch);
  out.re.fill(0);
  const { re, im } = state;
  for (let b = 0; b < state.batch; b++) {
    const off = b * D;
    obs.terms.forEach((t, ti) => {
      let u = 0;
      for (let k = 0; k < K; k++) u += weights[b * K + k]! * obs.coeffs[ti * K + k]!;
      if (u === 0) return;
      if (t.kind === 'projector') {
        for (let i = 0; i < D; i++) {
          if ((i & t.mask) === t.value) {
            out.re[off + i]! += u * re[off + i]!;
            out.im[off + i]! += u * im[off + i]!;
          }
        }
        return;
      }
      const phase = t.nY & 3;
      for (let i = 0; i < D; i++) {
        const j = i ^ t.flip;
        const s = parity(i & t.sign) ? -u : u;
        const br = re[off + j]!;
        const bi = im[off + j]!;
        // multiply (br + i·bi) by (−i)^phase
        const vr = phase === 0 ? br : phase === 1 ? bi : phase === 2 ? -br : -bi;
        const vi = phase === 0 ? bi : phase === 1 ? -br : phase === 2 ? -bi : br;
        out.re[off + i]! += s * vr;
        out.im[off + i]! += s * vi;
      }
    });
  }
  return out;
}

/** Basis-state probabilities |ψ_i|² `[batch, 2^n]`. */
export function probabilitiesHost(state: StateVector): Float32Array {
  const out = new Float32Array(state.re.length);
  for (let i = 0; i < out.length; i++) out[i] = state.re[i]! ** 2 + state.im[i]! ** 2;
  return out;
}

/** Re⟨λ_b| dU(θ) |φ_b⟩ for a rotation op, where dU is the derivative restricted to the control subspace. */
export function derivativeOverlap(
  lambda: StateVector,
  phi: StateVector,
  op: Extract<PrimitiveOp, { slot: number }>,
  theta: number,
  b: number,
): number {
  const n = phi.nQubits;
  const D = 2 ** n;
  const off = b * D;
  rotationDerivativeInto(op.kind, theta, scratch);
  const d00r = scratch[0]!;
  const d00i = scratch[1]!;
  const d01r = scratch[2]!;
  const d01i = scratch[3]!;
  const d10r = scratch[4]!;
  const d10i = scratch[5]!;
  const d11r = scratch[6]!;
  const d11i = scratch[7]!;
  const { tbit, cmask, bits } = geometryOf(n, op);
  const nb = bits.length;
  const pairs = D / 2 ** nb;
  const { re: pr, im: pi } = phi;
  const { re: lr, im: li } = lambda;
  let acc = 0;
  for (let k = 0; k < pairs; k++) {
    let idx = k;
    for (let q = 0; q < nb; q++) {
      const lo = idx & (bits[q]! - 1);
      idx = ((idx ^ lo) << 1) | lo;
    }
    const i = off + (idx | cmask);
    const j = i + tbit;
    const a0r = pr[i]!;
    const a0i = pi[i]!;
    const a1r = pr[j]!;
    const a1i = pi[j]!;
    const z0r = d00r * a0r - d00i * a0i + d01r * a1r - d01i * a1i;
    const z0i = d00r * a0i + d00i * a0r + d01r * a1i + d01i * a1r;
    const z1r = d10r * a0r - d10i * a0i + d11r * a1r - d11i * a1i;
    const z1i = d10r * a0i + d10i * a0r + d11r * a1i + d11i * a1r;
    acc += lr[i]! * z0r + li[i]! * z0i + lr[j]! * z1r + li[j]! * z1i;
  }
  return acc;
}
