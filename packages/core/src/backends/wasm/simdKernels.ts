// Memory-bound helpers for paperlab's wasm kernel patches, as a tiny WebAssembly module that imports tfjs-wasm's
// own memory, so it works on tensors in place (no copies, no JS typed-array loops). Assembled from bytes here
// (no toolchain, no binary blob), compiled once per memory kind and instantiated once per tfjs-wasm module.
// Where WebAssembly SIMD or the memory object is unavailable, `simdKernelsFor` returns null and callers use
// their typed-array paths.
//
// Functions (all arguments i32; pointers and strides in bytes):
//   fill0(ptr, bytes)                      memory.fill with 0
//   patchRows(dst, src, B, H, rowBytes, oh, sh, xr0, n, colStep, owBytes, imageBytes)
//       one row of the transposed im2col matrix: for b < B, i < oh, the input row xr = i·sh + xr0 (skipped
//       when outside [0, H)): n floats from src + b·imageBytes + xr·rowBytes, colStep apart, to dst, which
//       advances by owBytes per (b, i). Entries not written must be zero already (fill0 first).
//   maxPoolGrad2x2(x, g, dx, B, oh, ow, H, pixBytes, rowBytes, C4)
//       2×2 / stride-2 max-pool gradient, 4 channels per SIMD step (C4 = channels / 4): each window's gradient
//       goes to its first strict maximum (tfjs' rule; none for NaN/−∞ windows), every other element gets 0.
//   colSum(src, dst, rows, C4)             dst[c] = Σ_r src[r, c] in float32, rows in order (C4 = C / 4)
//   gemm{R}x{V}[c], pack4, pack1           register tiles (A by rows or by columns) and panel packing of gemmTN
//   copyRows(src, srcStride, dst, dstStride, rows, n)   n floats per row (gemmTN's last N mod 4 columns)
//   addRows(src, bias, dst, rows, C4)      dst[r, c] = src[r, c] + bias[c]
//   csrMatMul(rowPtr, colIdx, values, x, out, rows, C4)
//       out[r, :] = Σ_k values[k]·x[colIdx[k], :] over k in [rowPtr[r], rowPtr[r + 1]) (CSR times dense, 4·C4
//       columns; int32 rowPtr / colIdx, float32 values, x, out), 16 columns at a time in registers, then 4,
//       then the last f mod 4 one at a time (f = 4·C4 + tail)
//   adamStep(x, g, m, v, xo, mo, vo, n4, β₁, β₂, 1−β₁, 1−β₂, 1−β₁ᵗ, 1−β₂ᵗ, ε, step)   (the last eight f32)
//       Adam on 4·n4 floats: mo = β₁m + (1−β₁)g, vo = β₂v + (1−β₂)g², xo = x + step·(mo/(1−β₁ᵗ))/(√(vo/(1−β₂ᵗ)) + ε),
//       each operation one IEEE float32 op in that order (as tfjs' ops)

import {
  compileOrNull,
  I32,
  name,
  section,
  simd,
  sleb,
  uleb,
  V128,
  vec,
  wasmModule,
} from './wasmAssembly.js';

const block = [0x02, 0x40];
const loop = [0x03, 0x40];
const ifThen = [0x04, 0x40];
const end = [0x0b];
const br = (d: number) => [0x0c, ...uleb(d)];
const brIf = (d: number) => [0x0d, ...uleb(d)];
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const i32 = (v: number) => [0x41, ...sleb(v)];
const ltU = [0x49];
const geU = [0x4f];
const gtU = [0x4b];
const add = [0x6a];
const sub = [0x6b];
const mul = [0x6c];
const f32load = [0x2a, 2, 0];
const i32load = (offset = 0) => [0x28, 2, ...uleb(offset)];
const f32const0 = [0x43, 0, 0, 0, 0];
const f32loadAt = (offset: number) => [0x2a, 2, ...uleb(offset)];
const f32storeAt = (offset: number) => [0x38, 2, ...uleb(offset)];
const i32eq = [0x46];
const f32store = [0x38, 2, 0];
const memoryFill = [0xfc, ...uleb(11), 0x00];
const v128load = (offset = 0) => simd(0x00, 2, ...uleb(offset));
const v128store = (offset = 0) => simd(0x0b, 2, ...uleb(offset));
const f32x4gt = simd(0x44);
const v128and = simd(0x4e);
const v128andnot = simd(0x4f);
const bitselect = simd(0x52);
const f32x4add = simd(0xe4);
const f32x4mul = simd(0xe6);
const f32x4div = simd(0xe7);
const f32x4sqrt = simd(0xe3);
const f32x4splat = simd(0x13);
const F32 = 0x7d;
const f32add = [0x92];
const f32mul = [0x94];
/** v128.load32_splat at a constant byte offset: one float32 from memory into all four lanes. */
const load32splat = (offset: number) => simd(0x09, 2, ...uleb(offset));
/** v128.const of four equal float32 lanes. */
function f32x4const(v: number): number[] {
  const b = new Uint8Array(new Float32Array([v, v, v, v]).buffer);
  return simd(0x0c, ...b);
}

/** `local += delta` (i32). */
const inc = (l: number, delta: number[]) => [...get(l), ...delta, ...add, ...set(l)];
/** `for (l = 0; l < limit; l++) body` with the body at depth 0 = the loop (br 0 continues, br 1 breaks). */
function forCount(l: number, limit: number[], body: number[]): number[] {
  return [
    ...i32(0),
    ...set(l),
    ...block,
    ...loop,
    ...get(l),
    ...limit,
    ...geU,
    ...brIf(1),
    ...body,
    ...inc(l, i32(1)),
    ...br(0),
    ...end,
    ...end,
  ];
}

function fill0(): number[] {
  return [0, ...get(0), ...i32(0), ...get(1), ...memoryFill, ...end];
}

function patchRows(): number[] {
  // params 0 dst, 1 src, 2 B, 3 H, 4 rowBytes, 5 oh, 6 sh, 7 xr0, 8 n, 9 colStep, 10 owBytes, 11 imageBytes
  const [b, i, xr, d, s, j, rowDst] = [12, 13, 14, 15, 16, 17, 18];
  const copy = forCount(j, get(8), [
    ...get(d),
    ...get(s),
    ...f32load,
    ...f32store,
    ...inc(d, i32(4)),
    ...inc(s, get(9)),
  ]);
  const row = [
    ...get(i),
    ...get(6),
    ...mul,
    ...get(7),
    ...add,
    ...set(xr),
    ...get(xr),
    ...get(3),
    ...ltU, // unsigned: a negative row is out of range too
    ...ifThen,
    ...get(1),
    ...get(b),
    ...get(11),
    ...mul,
    ...add,
    ...get(xr),
    ...get(4),
    ...mul,
    ...add,
    ...set(s),
    ...get(rowDst),
    ...set(d),
    ...copy,
    ...end,
    ...inc(rowDst, get(10)),
  ];
  const body = [...get(0), ...set(rowDst), ...forCount(b, get(2), forCount(i, get(5), row)), ...end];
  return [...vec([[7, I32]]), ...body];
}

function maxPoolGrad2x2(): number[] {
  // params 0 x, 1 g, 2 dx, 3 B, 4 oh, 5 ow, 6 H, 7 pixBytes, 8 rowBytes, 9 C4
  const [b, i, j, c, q, gp, delta] = [10, 11, 12, 13, 14, 15, 16];
  const [v0, v1, v2, v3, best, m0, m1, m2, m3, gv] = [17, 18, 19, 20, 21, 22, 23, 24, 25, 26];
  const masks = [m0, m1, m2, m3];
  const load = (off: number[]) => [...get(q), ...(off.length ? [...off, ...add] : []), ...v128load()];
  const channels = [
    ...load([]),
    ...set(v0),
    ...load(get(7)),
    ...set(v1),
    ...load(get(8)),
    ...set(v2),
    ...get(q),
    ...get(7),
    ...add,
    ...get(8),
    ...add,
    ...v128load(),
    ...set(v3),
    ...get(gp),
    ...v128load(),
    ...set(gv),
    // m0 = v0 > −∞ (false for NaN and −∞); best = m0 ? v0 : −∞
    ...get(v0),
    ...f32x4const(Number.NEGATIVE_INFINITY),
    ...f32x4gt,
    ...set(m0),
    ...get(v0),
    ...f32x4const(Number.NEGATIVE_INFINITY),
    ...get(m0),
    ...bitselect,
    ...set(best),
    // m1 = v1 > best; best = m1 ? v1 : best; the same for v2; m3 = v3 > best
    ...(
      [
        [v1, m1],
        [v2, m2],
      ] as const
    ).flatMap(([v, m]) => [
      ...get(v),
      ...get(best),
      ...f32x4gt,
      ...set(m),
      ...get(v),
      ...get(best),
      ...get(m),
      ...bitselect,
      ...set(best),
    ]),
    ...get(v3),
    ...get(best),
    ...f32x4gt,
    ...set(m3),
    // The winner is the last position whose comparison succeeded: w3 = m3, w2 = m2 & ~m3, …; window
    // position k (offset 0, pixBytes, rowBytes, both) gets g & wk.
    ...[[], [7], [8], [7, 8]].flatMap((offsets, k) => [
      ...get(q),
      ...get(delta),
      ...add,
      ...offsets.flatMap((o) => [...get(o), ...add]),
      ...get(gv),
      ...get(masks[k]!),
      ...masks.slice(k + 1).flatMap((m) => [...get(m), ...v128andnot]),
      ...v128and,
      ...v128store(),
    ]),
    ...inc(q, i32(16)),
    ...inc(gp, i32(16)),
  ];
  // p = x + (b·H + 2i)·rowBytes + 2j·pixBytes, at the window's top-left corner.
  const window = [
    ...get(0),
    ...get(b),
    ...get(6),
    ...mul,
    ...get(i),
    ...get(i),
    ...add,
    ...add,
    ...get(8),
    ...mul,
    ...add,
    ...get(j),
    ...get(j),
    ...add,
    ...get(7),
    ...mul,
    ...add,
    ...set(q),
    ...forCount(c, get(9), channels),
  ];
  const body = [
    ...get(2),
    ...get(0),
    ...sub,
    ...set(delta),
    ...get(1),
    ...set(gp),
    ...forCount(b, get(3), forCount(i, get(4), forCount(j, get(5), window))),
    ...end,
  ];
  return [
    ...vec([
      [7, I32],
      [10, V128],
    ]),
    ...body,
  ];
}

function colSum(): number[] {
  // params 0 src, 1 dst, 2 rows, 3 C4
  const [r, c, s, d] = [4, 5, 6, 7];
  const inner = forCount(c, get(3), [
    ...get(d),
    ...get(d),
    ...v128load(),
    ...get(s),
    ...v128load(),
    ...f32x4add,
    ...v128store(),
    ...inc(d, i32(16)),
    ...inc(s, i32(16)),
  ]);
  const body = [
    ...get(1),
    ...i32(0),
    ...get(3),
    ...i32(16),
    ...mul,
    ...memoryFill,
    ...get(0),
    ...set(s),
    ...forCount(r, get(2), [...get(1), ...set(d), ...inner]),
    ...end,
  ];
  return [...vec([[4, I32]]), ...body];
}

/**
 * C[R × 4V] += A[R × m] · P[m × 4V] for one register tile: P is a packed panel (rows of 4V floats, back to back),
 * C's rows `cStride` bytes apart. A is read in one of two layouts: rows (`columns` false) — A's R rows `aStride`
 * bytes apart, each contiguous along m (the transposed im2col matrix); or columns (`columns` true) — A is stored
 * [m × K] (an operand of Aᵀ·B as it is), the tile's R values at each step adjacent and successive steps `aStride`
 * bytes apart. Per m the R values of A are splatted, then each panel vector is loaded once and used for the R
 * rows; R·V accumulators, R splats and one panel vector stay within the 15 xmm registers V8 allocates (no spills
 * for 2×4). m is unrolled by 4 with constant panel offsets; the block's sum is added to C once (blocked summation
 * keeps float32 rounding error near that of one block).
 */
function gemmTile(R: number, V: number, columns: boolean): number[] {
  // params 0 a, 1 aStride, 2 panel, 3 c, 4 cStride, 5 m
  const t = 6;
  const pb = 7;
  const pa = (r: number) => 8 + (columns ? 0 : r);
  const nI32 = 2 + (columns ? 1 : R);
  const acc = (r: number, v: number) => 6 + nI32 + r * V + v;
  const bv = 6 + nI32 + R * V;
  const sp = (r: number) => bv + 1 + r;
  const nV128 = R * V + 1 + R;
  const rowBytes = 16 * V;
  const cAddr = (r: number) => [...get(3), ...(r ? [...get(4), ...i32(r), ...mul, ...add] : [])];
  const out: number[] = [];
  for (let r = 0; r < R; r++) {
    if (r === 0 || !columns)
      out.push(...get(0), ...(r ? [...get(1), ...i32(r), ...mul, ...add] : []), ...set(pa(r)));
    for (let v = 0; v < V; v++) out.push(...f32x4const(0), ...set(acc(r, v)));
  }
  out.push(...get(2), ...set(pb));
  const steps = (u: number) => {
    const code: number[] = [];
    for (let k = 0; k < u; k++) {
      for (let r = 0; r < R; r++)
        code.push(...get(pa(r)), ...load32splat(columns ? 4 * r : 4 * k), ...set(sp(r)));
      if (columns) code.push(...inc(pa(0), get(1)));
      for (let v = 0; v < V; v++) {
        code.push(...get(pb), ...v128load(k * rowBytes + 16 * v), ...set(bv));
        for (let r = 0; r < R; r++)
          code.push(
            ...get(acc(r, v)),
            ...get(sp(r)),
            ...get(bv),
            ...f32x4mul,
            ...f32x4add,
            ...set(acc(r, v)),
          );
      }
    }
    if (!columns) for (let r = 0; r < R; r++) code.push(...inc(pa(r), i32(4 * u)));
    code.push(...inc(pb, i32(u * rowBytes)));
    return code;
  };
  // Steps of u rows until `done` (t on the stack → exit flag) holds.
  const stepsWhile = (u: number, done: number[]) => [
    ...block,
    ...loop,
    ...get(t),
    ...done,
    ...brIf(1),
    ...steps(u),
    ...inc(t, i32(u)),
    ...br(0),
    ...end,
    ...end,
  ];
  // Unrolled by 4 while at least 4 rows are left, then one at a time.
  out.push(
    ...i32(0),
    ...set(t),
    ...stepsWhile(4, [...i32(4), ...add, ...get(5), ...gtU]),
    ...stepsWhile(1, [...get(5), ...geU]),
  );
  for (let r = 0; r < R; r++)
    for (let v = 0; v < V; v++)
      out.push(
        ...cAddr(r),
        ...cAddr(r),
        ...v128load(16 * v),
        ...get(acc(r, v)),
        ...f32x4add,
        ...v128store(16 * v),
      );
  out.push(...end);
  return [
    ...vec([
      [nI32, I32],
      [nV128, V128],
    ]),
    ...out,
  ];
}

/** dst[r, c] = src[r, c] + bias[c] over `rows` rows of 4·C4 floats (the bias add of dense and conv layers). */
function addRows(): number[] {
  // params 0 src, 1 bias, 2 dst, 3 rows, 4 C4
  const [r, c, pbias] = [5, 6, 7];
  const inner = forCount(c, get(4), [
    ...get(2),
    ...get(0),
    ...v128load(),
    ...get(pbias),
    ...v128load(),
    ...f32x4add,
    ...v128store(),
    ...inc(0, i32(16)),
    ...inc(2, i32(16)),
    ...inc(pbias, i32(16)),
  ]);
  return [...vec([[3, I32]]), ...forCount(r, get(3), [...get(1), ...set(pbias), ...inner]), ...end];
}

/**
 * CSR × dense: out[r, :] = Σ_k values[k]·x[colIdx[k], :] for k in [rowPtr[r], rowPtr[r + 1]), over rows of 4·C4
 * floats. Per row, blocks of 16 columns accumulate in four registers over the row's stored entries (one splat of
 * the entry's value, four loads of x's row), then single vectors of 4; each sum is float32, in entry order.
 */
function csrMatMul(): number[] {
  // params 0 rowPtr, 1 colIdx, 2 values, 3 x, 4 out, 5 rows, 6 C4, 7 tail (f = 4·C4 + tail)
  const [r, pc, pe, pv, c, rowBytes, orow, k0] = [8, 9, 10, 11, 12, 13, 14, 15];
  const [w, a0, a1, a2, a3] = [16, 17, 18, 19, 20];
  const [ws, s0] = [21, 22]; // f32: the entry's value, the accumulators of the tail columns (s0, s0 + 1, s0 + 2)
  const tailPass = (t: number) => [
    ...Array.from({ length: t }, (_, q) => [...f32const0, ...set(s0 + q)]).flat(),
    ...entries((xo) => [
      ...get(pv),
      ...f32load,
      ...set(ws),
      ...Array.from({ length: t }, (_, q) => [
        ...get(s0 + q),
        ...xo,
        ...f32loadAt(4 * q),
        ...get(ws),
        ...f32mul,
        ...f32add,
        ...set(s0 + q),
      ]).flat(),
    ]),
    ...Array.from({ length: t }, (_, q) => [
      ...get(orow),
      ...get(c),
      ...i32(16),
      ...mul,
      ...add,
      ...get(s0 + q),
      ...f32storeAt(4 * q),
    ]).flat(),
  ];
  const accs = [a0, a1, a2, a3];
  /** for (pc, pv over the row's entries) body; the entry's x row address + c·16 is on the stack for `body`. */
  const entries = (body: (xo: number[]) => number[]) => [
    ...get(1),
    ...get(k0),
    ...i32(4),
    ...mul,
    ...add,
    ...set(pc),
    ...get(2),
    ...get(k0),
    ...i32(4),
    ...mul,
    ...add,
    ...set(pv),
    ...block,
    ...loop,
    ...get(pc),
    ...get(pe),
    ...geU,
    ...brIf(1),
    ...body([
      ...get(3),
      ...get(pc),
      ...i32load(),
      ...get(rowBytes),
      ...mul,
      ...add,
      ...get(c),
      ...i32(16),
      ...mul,
      ...add,
    ]),
    ...inc(pc, i32(4)),
    ...inc(pv, i32(4)),
    ...br(0),
    ...end,
    ...end,
  ];
  const blockOf = (n: number) => [
    ...accs.slice(0, n).flatMap((a) => [...f32x4const(0), ...set(a)]),
    ...entries((xo) => [
      ...get(pv),
      ...load32splat(0),
      ...set(w),
      ...accs
        .slice(0, n)
        .flatMap((a, v) => [
          ...get(a),
          ...xo,
          ...v128load(16 * v),
          ...get(w),
          ...f32x4mul,
          ...f32x4add,
          ...set(a),
        ]),
    ]),
    ...accs
      .slice(0, n)
      .flatMap((a, v) => [
        ...get(orow),
        ...get(c),
        ...i32(16),
        ...mul,
        ...add,
        ...get(a),
        ...v128store(16 * v),
      ]),
    ...inc(c, i32(n)),
  ];
  /** while (done is false) body, with `done` computed from the stack-free expression. */
  const whileNot = (done: number[], body: number[]) => [
    ...block,
    ...loop,
    ...done,
    ...brIf(1),
    ...body,
    ...br(0),
    ...end,
    ...end,
  ];
  const row = [
    ...get(0),
    ...get(r),
    ...i32(4),
    ...mul,
    ...add,
    ...set(k0), // address of rowPtr[r]; the loads below read rowPtr[r + 1], then rowPtr[r]
    ...get(1),
    ...get(k0),
    ...i32load(4),
    ...i32(4),
    ...mul,
    ...add,
    ...set(pe),
    ...get(k0),
    ...i32load(),
    ...set(k0),
    ...get(4),
    ...get(r),
    ...get(rowBytes),
    ...mul,
    ...add,
    ...set(orow),
    ...i32(0),
    ...set(c),
    ...whileNot([...get(c), ...i32(4), ...add, ...get(6), ...gtU], blockOf(4)),
    ...whileNot([...get(c), ...get(6), ...geU], blockOf(1)),
    // The last `tail` (1–3) columns in one pass over the entries, one f32 accumulator each (c = C4 now).
    ...[1, 2, 3].flatMap((t) => [...get(7), ...i32(t), ...i32eq, ...ifThen, ...tailPass(t), ...end]),
  ];
  // rowBytes = (4·C4 + tail)·4
  const body = [
    ...get(6),
    ...i32(4),
    ...mul,
    ...get(7),
    ...add,
    ...i32(4),
    ...mul,
    ...set(rowBytes),
    ...forCount(r, get(5), row),
    ...end,
  ];
  return [
    ...vec([
      [8, I32],
      [5, V128],
      [4, F32],
    ]),
    ...body,
  ];
}

/**
 * Adam on 4·n4 floats (see the module header): every vector of x, g, m, v read once, m′, v′, x′ written once; the
 * operations and their order are the reference's tfjs ops, so the result is the same float32 bits.
 */
function adamStep(): number[] {
  // params 0 x, 1 g, 2 m, 3 v, 4 xo, 5 mo, 6 vo, 7 n4 (i32); 8 β₁, 9 β₂, 10 1−β₁, 11 1−β₂, 12 1−β₁ᵗ, 13 1−β₂ᵗ,
  // 14 ε, 15 step (f32)
  const i = 16;
  const [B1, B2, C1, C2, D1, D2, EPS, STEP, G, M1, M2] = [17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27];
  const splats = [B1, B2, C1, C2, D1, D2, EPS, STEP].flatMap((l, k) => [
    ...get(8 + k),
    ...f32x4splat,
    ...set(l),
  ]);
  const step = [
    ...get(1),
    ...v128load(),
    ...set(G),
    // m1 = m·β₁ + g·(1−β₁)
    ...get(2),
    ...v128load(),
    ...get(B1),
    ...f32x4mul,
    ...get(G),
    ...get(C1),
    ...f32x4mul,
    ...f32x4add,
    ...set(M1),
    // m2 = v·β₂ + (g·g)·(1−β₂)
    ...get(3),
    ...v128load(),
    ...get(B2),
    ...f32x4mul,
    ...get(G),
    ...get(G),
    ...f32x4mul,
    ...get(C2),
    ...f32x4mul,
    ...f32x4add,
    ...set(M2),
    ...get(5),
    ...get(M1),
    ...v128store(),
    ...get(6),
    ...get(M2),
    ...v128store(),
    // x' = ((m1 / (1−β₁ᵗ)) / (√(m2 / (1−β₂ᵗ)) + ε))·step + x
    ...get(4),
    ...get(M1),
    ...get(D1),
    ...f32x4div,
    ...get(M2),
    ...get(D2),
    ...f32x4div,
    ...f32x4sqrt,
    ...get(EPS),
    ...f32x4add,
    ...f32x4div,
    ...get(STEP),
    ...f32x4mul,
    ...get(0),
    ...v128load(),
    ...f32x4add,
    ...v128store(),
    ...[0, 1, 2, 3, 4, 5, 6].flatMap((p) => inc(p, i32(16))),
  ];
  return [
    ...vec([
      [1, I32],
      [11, V128],
    ]),
    ...splats,
    ...forCount(i, get(7), step),
    ...end,
  ];
}

/** Copies `n` floats per row over `rows` rows (source rows `srcStride`, destination rows `dstStride` bytes apart). */
function copyRows(): number[] {
  // params 0 src, 1 srcStride, 2 dst, 3 dstStride, 4 rows, 5 n
  const [r, j] = [6, 7];
  const at = (p: number) => [...get(p), ...get(j), ...i32(4), ...mul, ...add];
  const row = [
    ...forCount(j, get(5), [...at(2), ...at(0), ...f32load, ...f32store]),
    ...inc(0, get(1)),
    ...inc(2, get(3)),
  ];
  return [...vec([[2, I32]]), ...forCount(r, get(4), row), ...end];
}

/** Copies `rows` rows of 4V floats (source rows `stride` bytes apart) into a packed panel. */
function packPanel(V: number): number[] {
  // params 0 src, 1 stride, 2 dst, 3 rows
  const r = 4;
  const row: number[] = [];
  for (let v = 0; v < V; v++) row.push(...get(2), ...get(0), ...v128load(16 * v), ...v128store(16 * v));
  row.push(...inc(0, get(1)), ...inc(2, i32(16 * V)));
  return [...vec([[1, I32]]), ...forCount(r, get(3), row), ...end];
}

/** The gemm register tiles the module exports: rows × vectors of four columns, A by rows or by columns. */
const GEMM_TILES = (
  [
    [2, 4],
    [1, 4],
    [2, 1],
    [1, 1],
  ] as const
).flatMap(([r, v]) => [[r, v, false] as const, [r, v, true] as const]);

/** The export name of a gemm tile (`gemm2x4`, or `gemm2x4c` for A read by columns). */
const tileName = (r: number, v: number, columns: boolean) => `gemm${r}x${v}${columns ? 'c' : ''}`;

function moduleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const fnType = (params: number, floats = 0) => [
    0x60,
    ...vec([...Array.from({ length: params }, () => [I32]), ...Array.from({ length: floats }, () => [F32])]),
    0,
  ];
  const types = [
    fnType(2),
    fnType(12),
    fnType(10),
    fnType(4),
    ...GEMM_TILES.map(() => fnType(6)),
    fnType(4),
    fnType(4),
    fnType(5),
    fnType(8),
    fnType(8, 8),
    fnType(6),
  ];
  const limits = shared ? [0x03, ...uleb(0), ...uleb(65536)] : [0x00, ...uleb(0)];
  const imports = vec([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  const exports = [
    'fill0',
    'patchRows',
    'maxPoolGrad2x2',
    'colSum',
    ...GEMM_TILES.map(([r, v, c]) => tileName(r, v, c)),
    'pack4',
    'pack1',
    'addRows',
    'csrMatMul',
    'adamStep',
    'copyRows',
  ];
  const bodies = [
    fill0(),
    patchRows(),
    maxPoolGrad2x2(),
    colSum(),
    ...GEMM_TILES.map(([r, v, c]) => gemmTile(r, v, c)),
    packPanel(4),
    packPanel(1),
    addRows(),
    csrMatMul(),
    adamStep(),
    copyRows(),
  ].map((b) => [...uleb(b.length), ...b]);
  return wasmModule(
    section(1, vec(types)),
    section(2, imports),
    section(3, vec(types.map((_, k) => uleb(k)))),
    section(7, vec(exports.map((e, k) => [...name(e), 0x00, ...uleb(k)]))),
    section(10, vec(bodies)),
  );
}

/** The module's exports, bound to one tfjs-wasm memory. */
export interface SimdKernels {
  /** Zeroes `bytes` bytes at `ptr`. */
  fill0(ptr: number, bytes: number): void;
  /** One row of the transposed im2col matrix (see the file comment). */
  patchRows(
    dst: number,
    src: number,
    B: number,
    H: number,
    rowBytes: number,
    oh: number,
    sh: number,
    xr0: number,
    n: number,
    colStep: number,
    owBytes: number,
    imageBytes: number,
  ): void;
  /** 2×2 / stride-2 max-pool gradient over channels in groups of four. */
  maxPoolGrad2x2(
    x: number,
    g: number,
    dx: number,
    B: number,
    oh: number,
    ow: number,
    H: number,
    pixBytes: number,
    rowBytes: number,
    C4: number,
  ): void;
  /** Column sums of a [rows, 4·C4] float32 matrix. */
  colSum(src: number, dst: number, rows: number, C4: number): void;
  /** C[2 × 16] += A[2 × m] · P[m × 16] (see {@link gemmTN}). */
  gemm2x4: GemmTile;
  /** C[1 × 16] += A[1 × m] · P[m × 16]. */
  gemm1x4: GemmTile;
  /** C[2 × 4] += A[2 × m] · P[m × 4]. */
  gemm2x1: GemmTile;
  /** C[1 × 4] += A[1 × m] · P[m × 4]. */
  gemm1x1: GemmTile;
  /** {@link SimdKernels.gemm2x4} with A read by columns (stored [m × K]). */
  gemm2x4c: GemmTile;
  /** {@link SimdKernels.gemm1x4} with A read by columns. */
  gemm1x4c: GemmTile;
  /** {@link SimdKernels.gemm2x1} with A read by columns. */
  gemm2x1c: GemmTile;
  /** {@link SimdKernels.gemm1x1} with A read by columns. */
  gemm1x1c: GemmTile;
  /** Packs rows of 16 floats into a panel. */
  pack4: PackPanel;
  /** Packs rows of 4 floats into a panel. */
  pack1: PackPanel;
  /** dst[r, c] = src[r, c] + bias[c] for `rows` rows of 4·C4 floats. */
  addRows(src: number, bias: number, dst: number, rows: number, C4: number): void;
  /** out[r, :] = Σ_k values[k]·x[colIdx[k], :] over row r's CSR entries, rows of 4·C4 + tail floats. */
  csrMatMul(
    rowPtr: number,
    colIdx: number,
    values: number,
    x: number,
    out: number,
    rows: number,
    C4: number,
    tail: number,
  ): void;
  /** Adam on 4·n4 floats: x, g, m, v → xo, mo, vo (byte addresses), then β₁, β₂, 1−β₁, 1−β₂, 1−β₁ᵗ, 1−β₂ᵗ, ε, step. */
  adamStep(
    x: number,
    g: number,
    m: number,
    v: number,
    xo: number,
    mo: number,
    vo: number,
    n4: number,
    beta1: number,
    beta2: number,
    oneMinusBeta1: number,
    oneMinusBeta2: number,
    oneMinusBeta1Power: number,
    oneMinusBeta2Power: number,
    epsilon: number,
    step: number,
  ): void;
  /** Copies `n` floats per row over `rows` rows (byte addresses and strides). */
  copyRows(src: number, srcStride: number, dst: number, dstStride: number, rows: number, n: number): void;
}

/** One register tile of {@link gemmTN} (byte addresses and strides). */
type GemmTile = (a: number, aStride: number, panel: number, c: number, cStride: number, m: number) => void;
/** Panel packing (byte addresses and strides). */
type PackPanel = (src: number, stride: number, dst: number, rows: number) => void;

/** Rows of the shared dimension per block: the block's panel (≤ 512 × 16 floats, 32 KiB) stays in L1/L2. */
export const GEMM_BLOCK = 512;

/** Bytes of scratch memory {@link gemmTN} needs for its panel when N is a multiple of 4. */
export const GEMM_SCRATCH_BYTES = GEMM_BLOCK * 16 * 4;

/** Bytes of scratch memory {@link gemmTN} needs for a [K × N] product: the panel, and K × 4 floats if N mod 4 ≠ 0. */
export function gemmScratchBytes(K: number, N: number): number {
  return GEMM_SCRATCH_BYTES + (N % 4 === 0 ? 0 : K * 16);
}

/**
 * How {@link gemmTN} reads A: `rows` — stored [K × M] (the filter gradient's transposed im2col matrix); `columns` —
 * stored [M × K], so the product is Aᵀ·B of the operands as they are (a weight gradient xᵀ·g).
 */
export type GemmALayout = 'rows' | 'columns';

/**
 * C[K × N] = A·B, A [K × M] (or Aᵀ·B for A stored [M × K], see {@link GemmALayout}), B [M × N] (float32,
 * row-major, byte addresses) for a long shared dimension M and small K, N — the filter gradient colᵀ·dy, a
 * weight gradient — without XNNPACK's per-call packing of all of B (which costs more than the product when B
 * changes every step): per block of 512 rows of M and 16 columns of N, B is packed into a 32 KiB panel at
 * `scratch` and every 2-row tile of A runs against it. When N is not a multiple of 4, the last N mod 4 columns
 * go through a zero-padded 4-column panel into a [K × 4] accumulator after the panel in `scratch` (see
 * {@link gemmScratchBytes}), copied into C at the end.
 */
export function gemmTN(
  k: SimdKernels,
  a: number,
  b: number,
  c: number,
  K: number,
  M: number,
  N: number,
  scratch: number,
  aLayout: GemmALayout = 'rows',
): void {
  const byColumns = aLayout === 'columns';
  // Byte offsets in A of one row of the output (k) and one step along M; the tiles' stride argument.
  const kStep = byColumns ? 4 : M * 4;
  const mStep = byColumns ? K * 4 : 4;
  const tiles = byColumns
    ? [k.gemm2x4c, k.gemm2x1c, k.gemm1x4c, k.gemm1x1c]
    : [k.gemm2x4, k.gemm2x1, k.gemm1x4, k.gemm1x1];
  const tail = N % 4;
  const N4 = N - tail;
  const cTail = scratch + GEMM_SCRATCH_BYTES;
  k.fill0(c, K * N * 4);
  if (tail) k.fill0(cTail, K * 16);
  for (let m0 = 0; m0 < M; m0 += GEMM_BLOCK) {
    const m = Math.min(GEMM_BLOCK, M - m0);
    for (let n0 = 0; n0 < N; ) {
      const wide = N4 - n0 >= 16;
      let cBase = c + n0 * 4;
      let cStride = N * 4;
      if (n0 >= N4) {
        // The last N mod 4 columns: a zero-padded panel of 4, accumulated in scratch.
        k.fill0(scratch, m * 16);
        k.copyRows(b + (m0 * N + n0) * 4, N * 4, scratch, 16, m, tail);
        cBase = cTail;
        cStride = 16;
      } else (wide ? k.pack4 : k.pack1)(b + (m0 * N + n0) * 4, N * 4, scratch, m);
      for (let k0 = 0; k0 < K; ) {
        const rows = K - k0 >= 2 ? 2 : 1;
        const tile = tiles[(rows === 2 ? 0 : 2) + (wide ? 0 : 1)]!;
        tile(
          a + k0 * kStep + m0 * mStep,
          byColumns ? mStep : kStep,
          scratch,
          cBase + k0 * cStride,
          cStride,
          m,
        );
        k0 += rows;
      }
      n0 += wide ? 16 : 4;
    }
  }
  if (tail) k.copyRows(cTail, 16, c + N4 * 4, N * 4, K, tail);
}

const compiled = new Map<boolean, WebAssembly.Module | null>();
let enabled = true;

/** Turns the SIMD helpers off (true → on); returns the previous setting. For tests of the typed-array paths. */
export function useSimdKernels(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}
const bound = new WeakMap<WebAssembly.Memory, SimdKernels | null>();

/** The tfjs-wasm emscripten module's memory: exported by the single-threaded builds, shared by the threaded one. */
function memoryOf(module: unknown): WebAssembly.Memory | null {
  const m = module as { wasmMemory?: unknown; asm?: { memory?: unknown } } | null;
  const mem = m?.wasmMemory ?? m?.asm?.memory;
  return typeof WebAssembly !== 'undefined' && mem instanceof WebAssembly.Memory ? mem : null;
}

/**
 * The SIMD helpers bound to the memory of a tfjs-wasm backend (`backend.wasm`), or null where this engine has
 * no WebAssembly SIMD or the memory cannot be reached (callers then use their typed-array paths).
 */
export function simdKernelsFor(wasmModule: unknown): SimdKernels | null {
  if (!enabled) return null;
  const memory = memoryOf(wasmModule);
  if (!memory) return null;
  if (bound.has(memory)) return bound.get(memory)!;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  let mod = compiled.get(shared);
  if (mod === undefined) {
    mod = compileOrNull(moduleBytes(shared)); // null: no SIMD (or no bulk memory) in this engine
    compiled.set(shared, mod);
  }
  let kernels: SimdKernels | null = null;
  if (mod) {
    try {
      kernels = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as SimdKernels;
    } catch {
      kernels = null;
    }
  }
  bound.set(memory, kernels);
  return kernels;
}
