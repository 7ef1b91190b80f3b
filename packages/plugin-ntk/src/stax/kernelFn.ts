import { throwIfAborted } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { gramInto, type RowSet, selfDots, symmetricGramInto } from '../kernels/gram.js';
import { single } from './flow.js';
import { gramBlockEntries, writeGramBlock } from './gramBlocks.js';
import { type Kernel, spatialSize } from './kernel.js';
import type { KernelContext, Layer, Shape } from './types.js';

/** A batch of inputs: a tfjs tensor or host values, shape [n, ...per-example shape] (channels last). */
export type InputBatch = tf.Tensor | { values: ArrayLike<number>; shape: readonly number[] };

/** A batch on the host: row-major values and the per-example shape. */
export interface HostBatch {
  values: Float32Array | Float64Array;
  n: number;
  /** Per-example shape. */
  shape: number[];
}

/** Reads an input batch to the host (a tensor is read synchronously; typed arrays are not copied). */
export function toHostBatch(x: InputBatch): HostBatch {
  const shape = [...x.shape];
  if (shape.length < 2) throw new Error(`inputs must have shape [n, ...], got [${shape.join(', ')}]`);
  let values: Float32Array | Float64Array;
  if (x instanceof tf.Tensor) values = Float32Array.from(x.dataSync());
  else if (x.values instanceof Float32Array || x.values instanceof Float64Array) values = x.values;
  else values = Float64Array.from(x.values);
  const n = shape[0]!;
  const per = shape.slice(1);
  if (values.length !== n * per.reduce((a, b) => a * b, 1))
    throw new Error(`inputs: ${values.length} values do not fill shape [${shape.join(', ')}]`);
  return { values, n, shape: per };
}

/** Rows [start, end) of a host batch (a view, no copy). */
export function rowsOf(b: HostBatch, start: number, end: number): HostBatch {
  const size = b.shape.reduce((a, c) => a * c, 1);
  return { values: b.values.subarray(start * size, end * size), n: end - start, shape: b.shape };
}

/** The rows x_i(p), all i, at one pixel p (or every (i, p) when `pixel` is null) as a {@link RowSet}. */
function pixelRows(x: HostBatch, s: number, c: number, pixel: number | null): RowSet {
  return pixel === null
    ? { values: x.values, offset: 0, stride: c, rows: x.n * s }
    : { values: x.values, offset: pixel * c, stride: s * c, rows: x.n };
}

/*
 * Input covariances are Float64 host dot products for every channel count, the self covariances summed exactly
 * as the cross ones (see gram.ts): identical inputs then give cos θ = 1 and opposite ones cos θ = −1 exactly.
 * (A Float32 tfjs matmul for the cross entries against Float64 norms, used above 64 channels, left identical
 * points at cos θ ≈ 1 − 1e-7, i.e. the NTK ~5e-5 off per ReLU layer. The host loop is slower than that matmul:
 * kernelMatrix of a depth-3 MLP on 768 inputs of d = 784 takes ~2.4× the CPU time, and is faster for C ≤ 64.)
 */
function selfCov(x: HostBatch, full: boolean): Float64Array {
  const c = x.shape[x.shape.length - 1]!;
  const s = spatialSize(x.shape.slice(0, -1));
  if (!full) return selfDots(pixelRows(x, s, c, null), c, c);
  const out = new Float64Array(x.n * s * s);
  for (let i = 0; i < x.n; i++) {
    const rows: RowSet = { values: x.values, offset: i * s * c, stride: c, rows: s };
    gramInto(rows, rows, c, c, out, { offset: i * s * s, rowStride: s, colStride: 1 });
  }
  return out;
}

/** x1 against x2 (x2 = x1: the self Gram, whose upper half is mirrored from the lower). */
function crossCov(x1: HostBatch, x2: HostBatch, full: boolean): Float64Array {
  const c = x1.shape[x1.shape.length - 1]!;
  const s = spatialSize(x1.shape.slice(0, -1));
  const { n: n1 } = x1;
  const { n: n2 } = x2;
  const same = x1 === x2;
  const slab = full ? s * s : s;
  const out = new Float64Array(n1 * n2 * slab);
  if (s === 1 || !full) {
    // Same-pixel entries: one Gram per pixel p over the rows x_i(p).
    for (let p = 0; p < s; p++) {
      const at = { offset: p, rowStride: n2 * s, colStride: s };
      const a = pixelRows(x1, s, c, p);
      if (same) symmetricGramInto(a, c, c, out, at);
      else gramInto(a, pixelRows(x2, s, c, p), c, c, out, at);
    }
  } else {
    // Slab (i, j) is the [S, S] Gram of image i's pixels against image j's; slab (j, i) is its transpose.
    for (let i = 0; i < n1; i++) {
      const a: RowSet = { values: x1.values, offset: i * s * c, stride: c, rows: s };
      for (let j = 0; j < (same ? i + 1 : n2); j++) {
        const b: RowSet = { values: x2.values, offset: j * s * c, stride: c, rows: s };
        gramInto(a, b, c, c, out, { offset: (i * n2 + j) * slab, rowStride: s, colStride: 1 });
        if (same && j < i) {
          const from = (i * n2 + j) * slab;
          const to = (j * n2 + i) * slab;
          for (let p1 = 0; p1 < s; p1++)
            for (let p2 = 0; p2 < s; p2++) out[to + p2 * s + p1] = out[from + p1 * s + p2]!;
        }
      }
    }
  }
  return out;
}

/**
 * The kernel of the raw inputs: Σ⁰(x, x')[p, p'] = x(p)·x'(p')/C (channels averaged), Θ⁰ = 0.
 * With x2 = null the second set is the first one (self-covariances are then the cross kernel's diagonal).
 */
export function inputKernel(x1: HostBatch, x2: HostBatch | null, full: boolean): Kernel {
  if (x2 && x2.shape.join() !== x1.shape.join())
    throw new Error(`inputs: per-example shapes differ ([${x1.shape}] vs [${x2.shape}])`);
  const spatial = x1.shape.slice(0, -1);
  const s = spatialSize(spatial);
  const slab = full ? s * s : s;
  const nngp = crossCov(x1, x2 ?? x1, full);
  let cov1: Float64Array;
  if (x2) cov1 = selfCov(x1, full);
  else {
    cov1 = new Float64Array(x1.n * slab);
    for (let i = 0; i < x1.n; i++)
      cov1.set(nngp.subarray((i * x1.n + i) * slab, (i * x1.n + i + 1) * slab), i * slab);
  }
  return {
    n1: x1.n,
    n2: x2 ? x2.n : x1.n,
    spatial,
    full,
    nngp,
    ntk: null,
    cov1,
    cov2: x2 ? selfCov(x2, full) : cov1,
    channels: x1.shape[x1.shape.length - 1]!,
    fresh: new Set(),
    depends: new Set(),
  };
}

/** Which kernels to compute. */
export type KernelGet = 'nngp' | 'ntk' | 'both';

/** Host Float64 NNGP/NTK of a network between two small input sets (no blocking). */
export interface KernelBlock {
  n1: number;
  n2: number;
  /** [n1, n2] row-major. */
  nngp: Float64Array;
  /** [n1, n2] row-major (null when get = 'nngp'). */
  ntk: Float64Array | null;
}

function checkShape(layer: Layer, shape: Shape): void {
  const out = single(layer.name, layer.outputShape(shape));
  if (out.length !== 1)
    throw new Error(
      `kernel: the network's output has shape [${out.join(', ')}]; end it with flatten() or globalAvgPool() and a dense readout`,
    );
}

function blockKernel(layer: Layer, x1: HostBatch, x2: HostBatch | null, get: KernelGet): KernelBlock {
  let id = 0;
  const ctx: KernelContext = { ntk: get !== 'nngp', nextId: () => ++id };
  const k = single(layer.name, layer.kernel(inputKernel(x1, x2, layer.needsFullSpatial), ctx));
  if (k.spatial.length !== 0) throw new Error('kernel: the network output still has spatial axes');
  return {
    n1: k.n1,
    n2: k.n2,
    nngp: k.nngp,
    ntk: ctx.ntk ? (k.ntk ?? new Float64Array(k.nngp.length)) : null,
  };
}

/**
 * Analytic NNGP and NTK of a stax network between x1 and x2 (x2 omitted: x1 with itself), in Float64 on the
 * host. For large sets use {@link kernelMatrix}, which works in blocks.
 */
export function kernelFn(
  layer: Layer,
  x1: InputBatch,
  x2?: InputBatch | null,
  get: KernelGet = 'both',
): KernelBlock {
  const a = toHostBatch(x1);
  const b = x2 ? toHostBatch(x2) : null;
  checkShape(layer, a.shape);
  return blockKernel(layer, a, b, get);
}

/** Options of {@link kernelMatrix}. */
export interface KernelMatrixOptions {
  /** Which kernels (default both). */
  get?: KernelGet;
  /** Rows/columns per block (default 256): memory per block is O(blockSize²·S^(1 or 2)). */
  blockSize?: number;
  /** Called after each block with entries done and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Stops between blocks. */
  signal?: AbortSignal;
  /** Storage of the result (default 'float32', half the memory; 'float64' e.g. for ridgeless solves); computed in Float64 either way. */
  dtype?: 'float32' | 'float64';
  /** Preallocated [n1·n2] outputs (e.g. to reuse a buffer). */
  out?: { nngp?: Float32Array | Float64Array; ntk?: Float32Array | Float64Array };
}

/** A Gram matrix pair, row-major [n1, n2] (Float32 unless asked for Float64). */
export interface KernelMatrix {
  n1: number;
  n2: number;
  nngp: Float32Array | Float64Array | null;
  ntk: Float32Array | Float64Array | null;
}

function allocate(
  n: number,
  given: Float32Array | Float64Array | undefined,
  what: string,
  dtype: 'float32' | 'float64',
): Float32Array | Float64Array {
  if (!given) return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  if (given.length !== n) throw new Error(`kernelMatrix: out.${what} has ${given.length} entries, need ${n}`);
  return given;
}

/** Yields to the event loop so progress can be shown and a Stop button can act between blocks. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Analytic NNGP/NTK Gram matrices of a stax network, computed in row × column blocks into Float32 (or Float64) buffers
 * (10k × 10k = 400 MB per kernel). With x2 omitted the matrix is symmetric and only blocks on or below the
 * diagonal are computed.
 */
export async function kernelMatrix(
  layer: Layer,
  x1: InputBatch,
  x2?: InputBatch | null,
  options: KernelMatrixOptions = {},
): Promise<KernelMatrix> {
  const get = options.get ?? 'both';
  const bs = options.blockSize ?? 256;
  if (!(Number.isInteger(bs) && bs >= 1))
    throw new Error(`kernelMatrix: blockSize must be a positive integer`);
  const a = toHostBatch(x1);
  const b = x2 ? toHostBatch(x2) : null;
  checkShape(layer, a.shape);
  const n1 = a.n;
  const n2 = b ? b.n : a.n;
  const dtype = options.dtype ?? 'float32';
  const nngp = get === 'ntk' ? null : allocate(n1 * n2, options.out?.nngp, 'nngp', dtype);
  const ntk = get === 'nngp' ? null : allocate(n1 * n2, options.out?.ntk, 'ntk', dtype);
  const total = n1 * n2;
  let done = 0;
  for (let r0 = 0; r0 < n1; r0 += bs) {
    const r1 = Math.min(n1, r0 + bs);
    const rows = rowsOf(a, r0, r1);
    for (let c0 = 0; c0 < (b ? n2 : r1); c0 += bs) {
      if (options.signal) throwIfAborted(options.signal);
      const c1 = Math.min(n2, c0 + bs);
      const diagonal = !b && c0 === r0;
      const blk = blockKernel(layer, rows, diagonal ? null : rowsOf(b ?? a, c0, c1), get);
      const block = { r0, r1, c0, c1 };
      const mirror = !b && !diagonal;
      if (nngp && blk.nngp) writeGramBlock(nngp, blk.nngp, block, n2, mirror);
      if (ntk && blk.ntk) writeGramBlock(ntk, blk.ntk, block, n2, mirror);
      done += gramBlockEntries(block, mirror);
      options.onProgress?.(done, total);
      await yieldToEventLoop();
    }
  }
  return { n1, n2, nngp, ntk };
}
