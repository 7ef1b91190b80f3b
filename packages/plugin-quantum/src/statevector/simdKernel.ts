// A WebAssembly SIMD (f32x4) kernel for 2×2 gate application, assembled from bytes here (no toolchain, no
// binary blob). Compiled lazily on first use and cached; `simdKernel()` returns null where the engine has no
// WebAssembly or no SIMD, and callers fall back to the scalar JS path.
//
// State layout in wasm memory: a block of `rows` examples as two float32 planes (re, then im), each row
// `D = 2^n` amplitudes, with D ≥ 16. Amplitude indices are processed in aligned groups of four lanes.
//
// Every op is described by per-lane complex coefficient vectors written by the host (`writeCoefficients`),
// so that controls on the two lowest bits, and targets on them, need no scalar code:
// - `pair` (target bit ≥ 4): a group i and its partner i + tbit:
//     a0' = D0·a0 + O0·a1,  a1' = O1·a0 + D1·a1
//   with D0 = m00, O0 = m01, O1 = m10, D1 = m11 on lanes whose low control bits are set, and the identity
//   (1, 0, 0, 1) on the others.
// - `lane1` / `lane2` (target bit 1 or 2): the partner of lane l is lane l ^ tbit of the same group:
//     v' = Dv·v + Ov·shuffle(v)
//   with Dv = m00 / m11 and Ov = m01 / m10 by the lane's target bit (identity on lanes without the low
//   controls).
// Groups whose higher involved bits (controls set, target clear) match come in contiguous runs of `run`
// amplitudes (the lowest involved bit ≥ 4, or the whole row); run starts are the subsets of the free bits.

// ---- byte assembly -------------------------------------------------------------------------------------

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

const I32 = 0x7f;
const V128 = 0x7b;

// Core opcodes.
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br_if: (depth: number) => [0x0d, ...uleb(depth)],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  i32const: (v: number) => [0x41, ...sleb(v)],
  i32eqz: [0x45],
  i32ltu: [0x49],
  i32add: [0x6a],
  i32sub: [0x6b],
  i32and: [0x71],
  i32or: [0x72],
  i32xor: [0x73],
};

/** SIMD opcodes: prefix 0xFD, then the LEB128 index. */
function simd(index: number, ...imm: number[]): number[] {
  return [0xfd, ...uleb(index), ...imm];
}
/** memarg: log2 alignment (4 = 16 bytes; our addresses are 16-byte aligned), byte offset. */
const v128load = (offset = 0) => simd(0x00, ...uleb(4), ...uleb(offset));
const v128store = (offset = 0) => simd(0x0b, ...uleb(4), ...uleb(offset));
const f32x4add = simd(0xe4);
const f32x4sub = simd(0xe5);
const f32x4mul = simd(0xe6);
/** i8x16.shuffle of a vector with itself, exchanging 32-bit lane l with lane l ^ t. */
function laneSwap(t: number): number[] {
  const bytes: number[] = [];
  for (let l = 0; l < 4; l++) for (let k = 0; k < 4; k++) bytes.push(4 * (l ^ t) + k);
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
const L = { r: 10, base: 11, s: 12, addr: 13, end: 14, delta: 15, notFree: 16, mo: 17 };
const NI32 = 8;
const V0 = NPARAMS + NI32; // first v128 local

/** x·y as f32x4 from two locals. */
const mul = (x: number, y: number) => [...op.get(x), ...op.get(y), ...f32x4mul];

/** One function body; `inner` emits the per-group work given `addr` (re) and `addr + delta` (im). */
function body(nCoeff: number, nTemps: number, inner: (c: number, t: number) => number[]): number[] {
  const c = V0; // coefficient locals c..c+nCoeff-1
  const t = V0 + nCoeff; // temporaries
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
  for (let k = 0; k < nCoeff; k++) code.push(...op.get(L.mo), ...v128load(16 * k), ...op.set(c + k));
  code.push(
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
    ...inner(c, t),
    ...op.get(L.addr),
    ...op.i32const(16),
    ...op.i32add,
    ...op.set(L.addr),
    ...op.get(L.addr),
    ...op.get(L.end),
    ...op.i32ltu,
    ...op.br_if(0),
    ...op.end,
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
    // next row
    ...op.get(L.base),
    ...op.get(P.rowBytes),
    ...op.i32add,
    ...op.set(L.base),
    ...op.get(L.mo),
    ...op.get(P.matStride),
    ...op.i32add,
    ...op.set(L.mo),
    ...op.get(L.r),
    ...op.i32const(1),
    ...op.i32add,
    ...op.set(L.r),
    ...op.get(L.r),
    ...op.get(P.rows),
    ...op.i32ltu,
    ...op.br_if(0),
    ...op.end,
    ...op.end,
    ...op.end, // function
  );
  const locals = vec([
    [...uleb(NI32), I32],
    [...uleb(nCoeff + nTemps), V128],
  ]);
  const bytes = [...locals, ...code];
  return [...uleb(bytes.length), ...bytes];
}

/** Address of re (or im) at `addr + extra`, left on the stack. */
function address(extra: number | null, im: boolean): number[] {
  return [
    ...op.get(L.addr),
    ...(extra === null ? [] : [...op.get(extra), ...op.i32add]),
    ...(im ? [...op.get(L.delta), ...op.i32add] : []),
  ];
}

/** Loads re/im at `addr + extra` into temporaries t, t+1. */
function loadPair(t: number, extra: number | null): number[] {
  return [
    ...address(extra, false),
    ...v128load(),
    ...op.set(t),
    ...address(extra, true),
    ...v128load(),
    ...op.set(t + 1),
  ];
}

/** Real part of (ar + i·ai)(xr + i·xi) + (br + i·bi)(yr + i·yi), imaginary part: `imag`. */
function cmac2(a: number, x: number, b: number, y: number, imag: boolean): number[] {
  // a, b: coefficient locals (r at k, i at k+1); x, y: amplitude temporaries (r at k, i at k+1).
  if (!imag) {
    return [
      ...mul(a, x),
      ...mul(a + 1, x + 1),
      ...f32x4sub,
      ...mul(b, y),
      ...f32x4add,
      ...mul(b + 1, y + 1),
      ...f32x4sub,
    ];
  }
  return [
    ...mul(a, x + 1),
    ...mul(a + 1, x),
    ...f32x4add,
    ...mul(b, y + 1),
    ...f32x4add,
    ...mul(b + 1, y),
    ...f32x4add,
  ];
}

/** pair kernel: coefficients D0 (c), O0 (c+2), D1 (c+4), O1 (c+6); temps a0 (t), a1 (t+2). */
function pairBody(): number[] {
  return body(8, 4, (c, t) => [
    ...loadPair(t, null),
    ...loadPair(t + 2, P.tB),
    ...address(null, false),
    ...cmac2(c, t, c + 2, t + 2, false),
    ...v128store(),
    ...address(null, true),
    ...cmac2(c, t, c + 2, t + 2, true),
    ...v128store(),
    ...address(P.tB, false),
    ...cmac2(c + 6, t, c + 4, t + 2, false),
    ...v128store(),
    ...address(P.tB, true),
    ...cmac2(c + 6, t, c + 4, t + 2, true),
    ...v128store(),
  ]);
}

/** lane kernel: coefficients Dv (c), Ov (c+2); temps v (t), shuffled v (t+2). */
function laneBody(tbit: number): number[] {
  return body(4, 4, (c, t) => [
    ...loadPair(t, null),
    ...op.get(t),
    ...op.get(t),
    ...laneSwap(tbit),
    ...op.set(t + 2),
    ...op.get(t + 1),
    ...op.get(t + 1),
    ...laneSwap(tbit),
    ...op.set(t + 3),
    ...address(null, false),
    ...cmac2(c, t, c + 2, t + 2, false),
    ...v128store(),
    ...address(null, true),
    ...cmac2(c, t, c + 2, t + 2, true),
    ...v128store(),
  ]);
}

function str(s: string): number[] {
  return vec([...s].map((ch) => [ch.charCodeAt(0)]));
}

/** The module's bytes: one memory and three functions of the same type. */
export function simdModuleBytes(): Uint8Array<ArrayBuffer> {
  const type = section(1, vec([[0x60, ...vec(Array.from({ length: NPARAMS }, () => [I32])), 0x00]]));
  const funcs = section(3, vec([[0], [0], [0]]));
  const memory = section(5, vec([[0x00, 1]]));
  const exports = section(
    7,
    vec([
      [...str('memory'), 0x02, 0],
      [...str('pair'), 0x00, 0],
      [...str('lane1'), 0x00, 1],
      [...str('lane2'), 0x00, 2],
    ]),
  );
  const code = section(10, vec([pairBody(), laneBody(1), laneBody(2)]));
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...type,
    ...funcs,
    ...memory,
    ...exports,
    ...code,
  ]);
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

/** Bytes of coefficients per row (the pair kernel's eight f32x4 vectors). */
export const COEFF_BYTES = 128;

/** A compiled SIMD kernel bound to its memory. */
export class SimdKernel {
  private readonly memory: WebAssembly.Memory;
  private readonly pairFn: KernelFn;
  private readonly laneFns: [KernelFn, KernelFn];
  /** Float32 view of the whole memory (renewed when the memory grows). */
  f32: Float32Array;

  constructor(instance: WebAssembly.Instance) {
    const ex = instance.exports as Record<string, unknown>;
    this.memory = ex.memory as WebAssembly.Memory;
    this.pairFn = ex.pair as KernelFn;
    this.laneFns = [ex.lane1 as KernelFn, ex.lane2 as KernelFn];
    this.f32 = new Float32Array(this.memory.buffer);
  }

  /** Makes the memory at least `bytes` long. */
  reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      this.memory.grow(Math.ceil((bytes - have) / 65536));
      this.f32 = new Float32Array(this.memory.buffer);
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
 * Writes the per-lane coefficient vectors of the 2×2 matrix `m` (8 numbers: m00, m01, m10, m11 as re, im)
 * for target bit `tbit` and control bits `cmask` into `f32` at float index `at` (32 floats).
 */
export function writeCoefficients(
  f32: Float32Array,
  at: number,
  m: ArrayLike<number>,
  tbit: number,
  cmask: number,
): void {
  const low = cmask & 3;
  for (let l = 0; l < 4; l++) {
    const active = (l & low) === low;
    if (tbit >= 4) {
      // D0, O0, D1, O1 (each: re vector, im vector)
      f32[at + l] = active ? m[0]! : 1;
      f32[at + 4 + l] = active ? m[1]! : 0;
      f32[at + 8 + l] = active ? m[2]! : 0;
      f32[at + 12 + l] = active ? m[3]! : 0;
      f32[at + 16 + l] = active ? m[6]! : 1;
      f32[at + 20 + l] = active ? m[7]! : 0;
      f32[at + 24 + l] = active ? m[4]! : 0;
      f32[at + 28 + l] = active ? m[5]! : 0;
    } else {
      // Dv, Ov: row of the matrix by the lane's target bit.
      const one = (l & tbit) !== 0;
      f32[at + l] = active ? m[one ? 6 : 0]! : 1;
      f32[at + 4 + l] = active ? m[one ? 7 : 1]! : 0;
      f32[at + 8 + l] = active ? m[one ? 4 : 2]! : 0;
      f32[at + 12 + l] = active ? m[one ? 5 : 3]! : 0;
    }
  }
}

let cached: SimdKernel | null | undefined;

/** The SIMD kernel, compiled on first call; null where WebAssembly or its SIMD extension is missing. */
export function simdKernel(): SimdKernel | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    if (typeof WebAssembly === 'undefined') return cached;
    const bytes = simdModuleBytes();
    if (!WebAssembly.validate(bytes)) return cached;
    cached = new SimdKernel(new WebAssembly.Instance(new WebAssembly.Module(bytes), {}));
  } catch {
    cached = null;
  }
  return cached;
}

/** Forgets the compiled kernel so that the next `simdKernel()` probes the engine again (tests). */
export function resetSimdKernel(): void {
  cached = undefined;
}
