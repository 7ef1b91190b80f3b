// A WebAssembly SIMD gate kernel for 2×2 gate application, assembled from bytes here (no toolchain, no binary
// blob). Compiled lazily on first use and cached; `simdKernel()` returns null where the engine has no
// WebAssembly or no SIMD, and callers fall back to the scalar JS path.
//
// Bit-identical to the scalar path (`apply2x2` in host.ts): amplitudes are loaded as f32x4, promoted to two
// f64x2 halves, combined in float64 with the same operations in the same order as the JS expressions
// (including its special cases for diagonal and real matrices), demoted to float32 once and stored. Lanes the
// op does not touch (low control bits unset; the |0⟩ half of a diagonal matrix with m00 = 1) keep their old
// bits through a per-lane `v128.bitselect`.
//
// State layout in wasm memory: a block of `rows` examples as two float32 planes (re, then im), each row
// `D = 2^n` amplitudes, with D ≥ 16. Amplitude indices are processed in aligned groups of four lanes.
//
// Each row's op is described by a coefficient block (`COEFF_BYTES`, written by `writeCoefficients`): eight
// f64x2 vectors, two lane masks and a mode (0 general, 1 real matrix, 2 diagonal matrix; the JS path's three
// formulas, the special ones only without controls, as there).
// - `pair` (target bit ≥ 4): a group i and its partner i + tbit, coefficients splat over the lanes:
//     a0' = m00·a0 + m01·a1 (mask 0),  a1' = m10·a0 + m11·a1 (mask 1)   (diagonal: m00·a0, m11·a1)
// - `lane1` / `lane2` (target bit 1 or 2): the partner of lane l is lane l ^ tbit of the same group; with
//   x = the lane's |0⟩ amplitude and y = its |1⟩ amplitude (shuffles), v' = A·x + B·y where (A, B) is the
//   matrix row by the lane's target bit (diagonal: v' = E·v, E = m00 or m11), per f64x2 half (mask 0).
// Groups whose higher involved bits (controls set, target clear) match come in contiguous runs of `run`
// amplitudes (the lowest involved bit ≥ 4, or the whole row); run starts are the subsets of the free bits.

import { wasmAssembly } from '@paperlab/core/kernels';

const { compileOrNull, I32, name, section, simd, sleb, uleb, V128, vec, wasmModule } = wasmAssembly;

// ---- byte assembly -------------------------------------------------------------------------------------

// Core opcodes.
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br_if: (depth: number) => [0x0d, ...uleb(depth)],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  i32load: (offset: number) => [0x28, ...uleb(2), ...uleb(offset)],
  i32const: (v: number) => [0x41, ...sleb(v)],
  i32eqz: [0x45],
  i32eq: [0x46],
  i32ltu: [0x49],
  i32add: [0x6a],
  i32sub: [0x6b],
  i32and: [0x71],
  i32or: [0x72],
  i32xor: [0x73],
};

const v128load = (offset = 0) => simd(0x00, ...uleb(4), ...uleb(offset));
const v128store = (offset = 0) => simd(0x0b, ...uleb(4), ...uleb(offset));
const bitselect = simd(0x52);
const f32x4demote = simd(0x5e); // f32x4.demote_f64x2_zero
const f64x2promote = simd(0x5f); // f64x2.promote_low_f32x4
const f64x2add = simd(0xf0);
const f64x2sub = simd(0xf1);
const f64x2mul = simd(0xf2);
/** i8x16.shuffle of two vectors, by 32-bit lanes (0…3: first operand, 4…7: second). */
function shuffle32(lanes: readonly number[]): number[] {
  const bytes: number[] = [];
  for (const l of lanes) for (let k = 0; k < 4; k++) bytes.push(4 * l + k);
  return simd(0x0d, ...bytes);
}

// Parameters shared by the three exported functions (all i32, byte offsets and byte strides):
// reOff, imOff, rowBytes, rows, tB (target bit × 4; unused by lane kernels), cB (high control bits × 4),
// freeB (free bits ≥ run, × 4), runB (run length × 4), matOff, matStride.
const P = {
  reOff: 0,
  imOff: 1,
  rowBytes: 2,
  rows: 3,
  tB: 4,
  cB: 5,
  freeB: 6,
  runB: 7,
  matOff: 8,
  matStride: 9,
};
const NPARAMS = 10;
// i32 locals after the params.
const L = { r: 10, base: 11, s: 12, addr: 13, end: 14, delta: 15, notFree: 16, mo: 17, mode: 18 };
const NI32 = 9;
const V0 = NPARAMS + NI32; // first v128 local
// v128 locals: coefficients C..C+7, masks M0, M1, old f32x4 values F..F+3, f64x2 operands X..X+7.
const C = V0;
const M0 = V0 + 8;
const M1 = V0 + 9;
const F = V0 + 10;
const X = V0 + 14;
const NV128 = 22;

/** Coefficient block layout (bytes): eight f64x2 vectors, mask 0, mask 1, mode (i32). */
const MASK0_AT = 128;
const MASK1_AT = 144;
const MODE_AT = 160;
/** Bytes of coefficients per row. */
export const COEFF_BYTES = 176;

/** Formula of the JS path: 0 general (four terms), 1 real matrix (two), 2 diagonal matrix (two). */
type Mode = 0 | 1 | 2;

/** x·y as f64x2 from two locals. */
const mul = (x: number, y: number) => [...op.get(x), ...op.get(y), ...f64x2mul];

/**
 * One output half (f64x2) left on the stack, in the JS expression's order. Coefficients a (re), ai (im), b,
 * bi; operands x (re), xi, y, yi. General: re ((a·x − ai·xi) + b·y) − bi·yi, im ((a·xi + ai·x) + b·yi) + bi·y.
 * Real: re a·x + b·y, im a·xi + b·yi. Diagonal (b, y unused): re a·x − ai·xi, im a·xi + ai·x.
 */
function formula(
  mode: Mode,
  imag: boolean,
  a: number,
  ai: number,
  b: number,
  bi: number,
  x: number,
  xi: number,
  y: number,
  yi: number,
): number[] {
  if (mode === 1)
    return imag ? [...mul(a, xi), ...mul(b, yi), ...f64x2add] : [...mul(a, x), ...mul(b, y), ...f64x2add];
  const two = imag
    ? [...mul(a, xi), ...mul(ai, x), ...f64x2add]
    : [...mul(a, x), ...mul(ai, xi), ...f64x2sub];
  if (mode === 2) return two;
  return imag
    ? [...two, ...mul(b, yi), ...f64x2add, ...mul(bi, y), ...f64x2add]
    : [...two, ...mul(b, y), ...f64x2add, ...mul(bi, yi), ...f64x2sub];
}

/** Demotes the low and high f64x2 results (lo then hi) into one f32x4, keeps the old bits where mask is 0. */
function combine(lo: number[], hi: number[], old: number, mask: number): number[] {
  return [
    ...lo,
    ...f32x4demote,
    ...hi,
    ...f32x4demote,
    ...shuffle32([0, 1, 4, 5]),
    ...op.get(old),
    ...op.get(mask),
    ...bitselect,
  ];
}

/** f64x2 of f32 lanes l0, l1 of local v. */
function promote(v: number, l0: number, l1: number): number[] {
  const shuf = l0 === 0 && l1 === 1 ? [] : [...op.get(v), ...shuffle32([l0, l1, l0, l1])];
  return [...op.get(v), ...shuf, ...f64x2promote];
}

/** Address of re (or im) at `addr + extra`, left on the stack. */
function address(extra: number | null, im: boolean): number[] {
  return [
    ...op.get(L.addr),
    ...(extra === null ? [] : [...op.get(extra), ...op.i32add]),
    ...(im ? [...op.get(L.delta), ...op.i32add] : []),
  ];
}

/** Loads re/im at `addr + extra` into locals f, f+1. */
function loadPair(f: number, extra: number | null): number[] {
  return [
    ...address(extra, false),
    ...v128load(),
    ...op.set(f),
    ...address(extra, true),
    ...v128load(),
    ...op.set(f + 1),
  ];
}

/** `local += ` the i32 that `by` leaves on the stack. */
function addTo(local: number, by: number[]): number[] {
  return [...op.get(local), ...by, ...op.i32add, ...op.set(local)];
}

/** Closes a loop that repeats while `local < bound` (unsigned). */
function loopWhileBelow(local: number, bound: number): number[] {
  return [...op.get(local), ...op.get(bound), ...op.i32ltu, ...op.br_if(0), ...op.end];
}

/** The loops over runs and groups of one row, `inner` emitting the per-group work at `addr`. */
function runs(inner: number[]): number[] {
  return [
    ...op.i32const(0),
    ...op.set(L.s),
    ...op.loop, // runs
    // addr = base + (s | cB); end = addr + runB
    ...op.get(L.base),
    ...op.get(L.s),
    ...op.get(P.cB),
    ...op.i32or,
    ...op.i32add,
    ...op.set(L.addr),
    ...op.get(L.addr),
    ...op.get(P.runB),
    ...op.i32add,
    ...op.set(L.end),
    ...op.loop, // groups of a run
    ...inner,
    ...addTo(L.addr, op.i32const(16)),
    ...loopWhileBelow(L.addr, L.end),
    // s = ((s | ~freeB) + 1) & freeB: the next subset of the free bits (carry passes the fixed ones)
    ...op.get(L.s),
    ...op.get(L.notFree),
    ...op.i32or,
    ...op.i32const(1),
    ...op.i32add,
    ...op.get(P.freeB),
    ...op.i32and,
    ...op.set(L.s),
    ...op.get(L.s),
    ...op.br_if(0),
    ...op.end,
  ];
}

/** One function body; `inner(mode)` emits the per-group work for rows of that mode. */
function body(inner: (mode: Mode) => number[]): number[] {
  const code = [
    // delta = imOff - reOff; notFree = ~freeB; base = reOff; mo = matOff
    ...op.get(P.imOff),
    ...op.get(P.reOff),
    ...op.i32sub,
    ...op.set(L.delta),
    ...op.get(P.freeB),
    ...op.i32const(-1),
    ...op.i32xor,
    ...op.set(L.notFree),
    ...op.get(P.reOff),
    ...op.set(L.base),
    ...op.get(P.matOff),
    ...op.set(L.mo),
    ...op.block,
    ...op.get(P.rows),
    ...op.i32eqz,
    ...op.br_if(0),
    ...op.loop, // rows
  ];
  for (let k = 0; k < 8; k++) code.push(...op.get(L.mo), ...v128load(16 * k), ...op.set(C + k));
  code.push(
    ...op.get(L.mo),
    ...v128load(MASK0_AT),
    ...op.set(M0),
    ...op.get(L.mo),
    ...v128load(MASK1_AT),
    ...op.set(M1),
    ...op.get(L.mo),
    ...op.i32load(MODE_AT),
    ...op.set(L.mode),
    // mode 0 ? general : mode 1 ? real : diagonal
    ...op.get(L.mode),
    ...op.i32eqz,
    ...op.if,
    ...runs(inner(0)),
    ...op.else,
    ...op.get(L.mode),
    ...op.i32const(1),
    ...op.i32eq,
    ...op.if,
    ...runs(inner(1)),
    ...op.else,
    ...runs(inner(2)),
    ...op.end,
    ...op.end,
    // next row
    ...addTo(L.base, op.get(P.rowBytes)),
    ...addTo(L.mo, op.get(P.matStride)),
    ...addTo(L.r, op.i32const(1)),
    ...loopWhileBelow(L.r, P.rows),
    ...op.end,
    ...op.end, // function
  );
  const locals = vec([
    [...uleb(NI32), I32],
    [...uleb(NV128), V128],
  ]);
  const bytes = [...locals, ...code];
  return [...uleb(bytes.length), ...bytes];
}

/**
 * pair kernel: coefficients (splat) C: m00 r, i, m01 r, i, m10 r, i, m11 r, i; old a0 re/im (F, F+1), a1
 * (F+2, F+3); f64x2 operands X: a0 re lo, hi, a0 im lo, hi, a1 re lo, hi, a1 im lo, hi.
 */
function pairBody(): number[] {
  return body((mode) => {
    const code = [...loadPair(F, null), ...loadPair(F + 2, P.tB)];
    for (let k = 0; k < 4; k++) {
      code.push(
        ...promote(F + k, 0, 1),
        ...op.set(X + 2 * k),
        ...promote(F + k, 2, 3),
        ...op.set(X + 2 * k + 1),
      );
    }
    // half h: a0 = (X + h, X + 2 + h), a1 = (X + 4 + h, X + 6 + h)
    const out = (row: 0 | 1, imag: boolean, h: number) => {
      if (mode === 2) {
        const e = row === 0 ? C : C + 6; // m00 or m11
        const v = row === 0 ? X : X + 4;
        return formula(2, imag, e, e + 1, 0, 0, v + h, v + 2 + h, 0, 0);
      }
      const a = row === 0 ? C : C + 4;
      return formula(mode, imag, a, a + 1, a + 2, a + 3, X + h, X + 2 + h, X + 4 + h, X + 6 + h);
    };
    for (const row of [0, 1] as const) {
      for (const imag of [false, true]) {
        code.push(
          ...address(row === 0 ? null : P.tB, imag),
          ...combine(out(row, imag, 0), out(row, imag, 1), F + 2 * row + (imag ? 1 : 0), row === 0 ? M0 : M1),
          ...v128store(),
        );
      }
    }
    return code;
  });
}

/**
 * lane kernel (target bit t = 1 or 2): coefficients C: A re lo, hi, A im lo, hi, B re lo, hi, B im lo, hi;
 * old v re/im (F, F+1); f64x2 operands X: x re lo, hi, x im lo, hi, y re lo, hi, y im lo, hi (diagonal: v
 * itself in place of x).
 */
function laneBody(t: number): number[] {
  return body((mode) => {
    const code = [...loadPair(F, null)];
    for (const h of [0, 1]) {
      const lanes = [2 * h, 2 * h + 1];
      const xl = mode === 2 ? lanes : lanes.map((l) => l & ~t);
      const yl = lanes.map((l) => l | t);
      for (const imag of [0, 1]) {
        code.push(...promote(F + imag, xl[0]!, xl[1]!), ...op.set(X + 2 * imag + h));
        if (mode !== 2) code.push(...promote(F + imag, yl[0]!, yl[1]!), ...op.set(X + 4 + 2 * imag + h));
      }
    }
    const out = (imag: boolean, h: number) =>
      formula(mode, imag, C + h, C + 2 + h, C + 4 + h, C + 6 + h, X + h, X + 2 + h, X + 4 + h, X + 6 + h);
    for (const imag of [false, true]) {
      code.push(
        ...address(null, imag),
        ...combine(out(imag, 0), out(imag, 1), F + (imag ? 1 : 0), M0),
        ...v128store(),
      );
    }
    return code;
  });
}

/** The module's bytes: one memory and three functions of the same type. */
export function simdModuleBytes(): Uint8Array<ArrayBuffer> {
  const type = section(1, vec([[0x60, ...vec(Array.from({ length: NPARAMS }, () => [I32])), 0x00]]));
  const funcs = section(3, vec([[0], [0], [0]]));
  const memory = section(5, vec([[0x00, 1]]));
  const exports = section(
    7,
    vec([
      [...name('memory'), 0x02, 0],
      [...name('pair'), 0x00, 0],
      [...name('lane1'), 0x00, 1],
      [...name('lane2'), 0x00, 2],
    ]),
  );
  const code = section(10, vec([pairBody(), laneBody(1), laneBody(2)]));
  return wasmModule(type, funcs, memory, exports, code);
}

// ---- the kernel ----------------------------------------------------------------------------------------

type KernelFn = (
  reOff: number,
  imOff: number,
  rowBytes: number,
  rows: number,
  tB: number,
  cB: number,
  freeB: number,
  runB: number,
  matOff: number,
  matStride: number,
) => void;

/** A compiled SIMD kernel bound to its memory. */
export class SimdKernel {
  private readonly memory: WebAssembly.Memory;
  private readonly pairFn: KernelFn;
  private readonly laneFns: [KernelFn, KernelFn];
  /** Float32, Float64 and Int32 views of the whole memory (renewed when the memory grows). */
  f32: Float32Array;
  f64: Float64Array;
  i32: Int32Array;

  constructor(instance: WebAssembly.Instance) {
    const ex = instance.exports as Record<string, unknown>;
    this.memory = ex.memory as WebAssembly.Memory;
    this.pairFn = ex.pair as KernelFn;
    this.laneFns = [ex.lane1 as KernelFn, ex.lane2 as KernelFn];
    this.f32 = new Float32Array(this.memory.buffer);
    this.f64 = new Float64Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
  }

  /** Makes the memory at least `bytes` long. */
  reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      this.memory.grow(Math.ceil((bytes - have) / 65536));
      this.f32 = new Float32Array(this.memory.buffer);
      this.f64 = new Float64Array(this.memory.buffer);
      this.i32 = new Int32Array(this.memory.buffer);
    }
  }

  /**
   * Applies the op whose coefficients `writeCoefficients` put at `matOff` (+ `matStride` per row) to `rows`
   * rows of `D` amplitudes at byte offsets `reOff` / `imOff`. `tbit`: target bit; `cmask`: control bits.
   */
  apply(
    reOff: number,
    imOff: number,
    D: number,
    rows: number,
    tbit: number,
    cmask: number,
    matOff: number,
    matStride: number,
  ): void {
    const high = (tbit >= 4 ? tbit | cmask : cmask) & ~3;
    const run = high === 0 ? D : high & -high;
    const free = (D - 1) & ~high & ~(run - 1);
    const fn = tbit >= 4 ? this.pairFn : this.laneFns[tbit === 1 ? 0 : 1];
    fn(reOff, imOff, 4 * D, rows, 4 * tbit, 4 * (cmask & ~3), 4 * free, 4 * run, matOff, matStride);
  }
}

/**
 * Writes the coefficient block (`COEFF_BYTES`) of the 2×2 matrix `m` (8 numbers: m00, m01, m10, m11 as re,
 * im) for target bit `tbit` and control bits `cmask` at byte offset `at` (16-byte aligned) of the kernel's
 * memory. The mode and the skipped lanes follow `apply2x2` in host.ts exactly.
 */
export function writeCoefficients(
  kernel: SimdKernel,
  at: number,
  m: ArrayLike<number>,
  tbit: number,
  cmask: number,
): void {
  const { f64, i32 } = kernel;
  const m00r = m[0]!;
  const m00i = m[1]!;
  const m01r = m[2]!;
  const m01i = m[3]!;
  const m10r = m[4]!;
  const m10i = m[5]!;
  const m11r = m[6]!;
  const m11i = m[7]!;
  let mode: Mode = 0;
  let skip0 = false;
  if (cmask === 0) {
    if (m01r === 0 && m01i === 0 && m10r === 0 && m10i === 0) {
      mode = 2;
      skip0 = m00r === 1 && m00i === 0;
    } else if (m00i === 0 && m01i === 0 && m10i === 0 && m11i === 0) mode = 1;
  }
  const d = at / 8;
  if (tbit >= 4) {
    for (let k = 0; k < 8; k++) {
      f64[d + 2 * k] = m[k]!;
      f64[d + 2 * k + 1] = m[k]!;
    }
  } else {
    // Lane l (vector k = l >> 1, element l & 1): A, B = the matrix row by the lane's target bit; diagonal: E
    // (m00 or m11) in A.
    for (let l = 0; l < 4; l++) {
      const one = (l & tbit) !== 0;
      const e = (l >> 1) * 2 + (l & 1);
      const ar = mode === 2 ? (one ? m11r : m00r) : one ? m10r : m00r;
      const ai = mode === 2 ? (one ? m11i : m00i) : one ? m10i : m00i;
      f64[d + e] = ar;
      f64[d + 4 + e] = ai;
      f64[d + 8 + e] = one ? m11r : m01r;
      f64[d + 12 + e] = one ? m11i : m01i;
    }
  }
  const low = cmask & 3;
  const q = at / 4;
  for (let l = 0; l < 4; l++) {
    const active = (l & low) === low;
    const zero = tbit >= 4 || (l & tbit) === 0; // lane of mask 0 holds a |0⟩ amplitude
    i32[q + MASK0_AT / 4 + l] = active && !(skip0 && zero) ? -1 : 0;
    i32[q + MASK1_AT / 4 + l] = active ? -1 : 0;
  }
  i32[q + MODE_AT / 4] = mode;
}

let cached: SimdKernel | null | undefined;

/** The SIMD kernel, compiled on first call; null where WebAssembly or its SIMD extension is missing. */
export function simdKernel(): SimdKernel | null {
  if (cached !== undefined) return cached;
  cached = null;
  const mod = compileOrNull(simdModuleBytes());
  if (!mod) return cached;
  try {
    cached = new SimdKernel(new WebAssembly.Instance(mod, {}));
  } catch {
    cached = null;
  }
  return cached;
}

/** Forgets the compiled kernel so that the next `simdKernel()` probes the engine again (tests). */
export function resetSimdKernel(): void {
  cached = undefined;
}
